import { logger } from "../utils/logger.server";

/**
 * The one contract of "search is down" for every search of the platform: ids best first, and
 * `degraded` when Meilisearch could not answer and the ids come from a plain PostgreSQL match
 * instead (the page then says so). Callers always re-read the ids in PostgreSQL through the same
 * access rule as their pages: the index never decides who may read what.
 */
export type IdSearch = { ids: string[]; degraded: boolean };

export async function searchIdsOrFallback(
  what: string,
  search: () => Promise<string[]>,
  fallback: () => Promise<string[]>,
): Promise<IdSearch> {
  try {
    return { ids: await search(), degraded: false };
  } catch (error) {
    logger().warn(
      { err: error instanceof Error ? error.message : String(error), search: what },
      "search unavailable, falling back to PostgreSQL",
    );
    return { ids: await fallback(), degraded: true };
  }
}
