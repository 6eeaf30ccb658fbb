import { and, inArray, isNull, lt } from "drizzle-orm";

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

/** Whether changes to these indexes, queued before `before`, still wait for the indexer. */
export async function indexingPendingBefore(
  tx: Executor,
  indexBases: string[],
  before: Date,
): Promise<boolean> {
  const [row] = await tx
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        inArray(outbox.indexBase, indexBases),
        isNull(outbox.processedAt),
        lt(outbox.createdAt, before),
      ),
    )
    .limit(1);
  return row !== undefined;
}
