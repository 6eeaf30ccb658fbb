import { logger } from "../utils/logger.server";
import { invalidatePages } from "../utils/page-cache.server";

/**
 * The one way to tell others about a write once it is durable (socket events, notifications,
 * cache invalidations): call it after the transaction committed. A failure is logged with what was
 * being pushed and never reaches the caller, so a saved post never turns into a 500; the pages
 * catch up from PostgreSQL anyway.
 */
export async function afterCommit(what: string, push: () => unknown): Promise<void> {
  try {
    await push();
  } catch (error) {
    logger().warn(
      { err: error instanceof Error ? error.message : String(error), push: what },
      "post-commit push failed",
    );
  }
}

/**
 * After a write committed: drops the anonymous pages showing what it changed (`pageTags`), on
 * this instance before returning, on the others through NOTIFY. Call it before the socket events,
 * so that whoever reacts to them reads the new pages.
 */
export function pagesChanged(tags: Iterable<string>) {
  return afterCommit("page cache", () => invalidatePages([...new Set(tags)]));
}
