import { getConfig } from "../app/config.server";

export type BackgroundJob = { close: () => Promise<void> | void };

/**
 * Work that runs beside the web server: the search indexer (unless SEARCH_INDEXER=false, when
 * `npm run worker` runs it in a process of its own).
 */
export async function startBackgroundJobs(
  options: { force?: boolean } = {},
): Promise<BackgroundJob[]> {
  const jobs: BackgroundJob[] = [];
  if (getConfig().searchIndexer || options.force) {
    await import("../search/indexes");
    const { startIndexer } = await import("../search/indexer");
    jobs.push(startIndexer());
  }
  return jobs;
}
