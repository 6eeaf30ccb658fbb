export type BackgroundJob = { close: () => Promise<void> | void };

/**
 * Work that runs beside the web server (the search indexer, clean-ups). Each domain adds its
 * job here; `npm run worker` runs the same jobs in a process of their own.
 */
export async function startBackgroundJobs(): Promise<BackgroundJob[]> {
  return [];
}
