import { getConfig } from "../app/config.server";

export type BackgroundJob = { close: () => Promise<void> | void };

/**
 * Work that runs beside the web server: the search indexer (unless SEARCH_INDEXER=false) and the
 * mail worker (unless MAIL_WORKER=false); `npm run worker` runs them in a process of its own.
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
  }
  if (config.mail.worker || options.force) {
    const { startMailJobs } = await import("../app/mail/worker.server");
    jobs.push(startMailJobs());
  }
  return jobs;
}
