/**
 * The floor of `npm run bench:realtime`: a bare socket.io server (no auth, no adapter, no
 * database) that broadcasts whatever is POSTed to it. Prints `ready <port>`; stops on SIGTERM.
 */
import { createServer } from "node:http";

import { Server } from "socket.io";

const port = Number(process.env.PORT);

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
