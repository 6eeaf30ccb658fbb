/** `npm run worker`: the background jobs (search indexer, mail) in a process of their own. */
import path from "node:path";

import { withServices } from "./services";

await withServices(path.resolve(process.env.DATA_DIR ?? ".data"), async () => {
  const { startBackgroundJobs } = await import("./background");
  const jobs = await startBackgroundJobs({ force: true });
  console.log("Indexeur et courriels démarrés (Ctrl-C pour arrêter).");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  for (const job of jobs) await job.close();
  console.log("Indexeur et courriels arrêtés.");
});
process.exit(0);
