/**
 * One server process of `npm run bench:realtime`: either a real app instance (`app`) or a bare
 * socket.io server (`bare`, the floor: no auth, no adapter, no database) that broadcasts on POST.
 * Prints `ready <port>` once listening; stops on SIGTERM.
 */
import { createServer } from "node:http";

import { Server } from "socket.io";

const mode = process.argv[2];
const port = Number(process.env.PORT);

if (mode === "bare") {
  const httpServer = createServer((request, response) => {
    if (request.method !== "POST") {
      response.writeHead(404).end();
      return;
    }
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      io.emit("post:created", JSON.parse(body) as object);
      response.writeHead(201, { "content-type": "application/json" }).end("{}");
    });
  });
  const io = new Server(httpServer, { transports: ["websocket"], serveClient: false });
  httpServer.listen(port, "127.0.0.1", () => console.log(`ready ${port}`));
  process.on("SIGTERM", () => {
    void io.close();
    process.exit(0);
  });
} else {
  const { createApp } = await import("../server");
  const app = await createApp();
  await app.listen(port, "127.0.0.1");
  console.log(`ready ${port}`);
  process.on("SIGTERM", () => {
    void app.close().finally(() => process.exit(0));
  });
}
