import { logger } from "../utils/logger.server";

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
