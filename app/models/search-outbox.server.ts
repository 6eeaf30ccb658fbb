import type { Executor } from "../../db/client";
import { outbox } from "../../db/schema";

/**
 * Records, inside the caller's transaction, that a document must be (re)indexed or removed: the
 * search index can never miss a committed change, and never sees an uncommitted one.
 */
export async function enqueueIndexing(
  tx: Executor,
  indexBase: string,
  documentIds: string | string[],
) {
  const ids = Array.isArray(documentIds) ? documentIds : [documentIds];
  if (ids.length === 0) return;
  await tx.insert(outbox).values(ids.map((documentId) => ({ indexBase, documentId })));
}
