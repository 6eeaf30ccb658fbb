import { count } from "drizzle-orm";

import { db } from "../db/client";
import { collectivities } from "../db/schema";
import { indexName, searchClient } from "./client";
import { COLLECTIVITIES_INDEX } from "./collectivities";
import { reindex } from "./reindex";

/**
 * Fills the directory index when it is behind the table: on the first start (36,000 documents,
 * about a minute) and after the directory was imported again. The table has no outbox: it only
 * changes by import, so comparing counts is enough. Returns the documents sent (0: up to date).
 */
export async function syncDirectoryIndex(
  options: { onProgress?: (documents: number) => void } = {},
) {
  const [row] = await db.select({ total: count() }).from(collectivities);
  const expected = row?.total ?? 0;
  let indexed = 0;
  try {
    indexed = (await searchClient().index(indexName(COLLECTIVITIES_INDEX)).getStats())
      .numberOfDocuments;
  } catch {
    // No index yet: the reindex creates it.
  }
  if (expected === 0 || indexed === expected) return 0;
  return (await reindex(COLLECTIVITIES_INDEX, options)).documents;
}
