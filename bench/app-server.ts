/** The app alone in its own process, as in production, for bench/search.ts and bench/realtime.ts. */
import { parseConfig } from "../app/config.server";
import { createApp } from "../server";

const app = await createApp(parseConfig(process.env));
const port = await app.listen(Number(process.env.PORT), "127.0.0.1");
process.stdout.write(`ready ${port}\n`);
process.on("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
