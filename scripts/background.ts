import { getConfig } from "../app/config.server";

export type BackgroundJob = { close: () => Promise<void> | void };

/**
 * Work that runs beside the web server: the search indexer, the directory index kept level with
 * its table and the alerts' runs (unless SEARCH_INDEXER=false), and the mail worker (unless
 * MAIL_WORKER=false); `npm run worker` runs them in a process of its own.
 */
export async function startBackgroundJobs(
  options: { force?: boolean } = {},
): Promise<BackgroundJob[]> {
  const jobs: BackgroundJob[] = [];
  const config = getConfig();
  if (config.searchIndexer || options.force) {
    await import("../search/indexes");
    const { startIndexer } = await import("../search/indexer");
    jobs.push(startIndexer());
    const { syncDirectoryIndex } = await import("../search/directory");
    const { logger } = await import("../app/utils/logger.server");
    // In the background: the first fill takes about a minute, the site serves meanwhile.
    void syncDirectoryIndex().catch((error: unknown) =>
      logger().warn(
        { err: error instanceof Error ? error.message : String(error) },
        "index de l'annuaire non rempli : il le sera au prochain démarrage ou par search:reindex",
      ),
    );
    const { startAlertRuns } = await import("./alert-runs");
    jobs.push(startAlertRuns());
  }
  if (config.mail.worker || options.force) {
    const { startMailJobs } = await import("../app/mail/worker.server");
    jobs.push(startMailJobs());
  }
  return jobs;
}
