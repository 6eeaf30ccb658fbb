import { sql } from "drizzle-orm";

import { logger } from "../app/utils/logger.server";
import { db, sqlClient } from "../db/client";
import { outbox } from "../db/schema";
import { indexName, searchClient } from "./client";
import { recordDocumentVersion, recordSettings, storedDocumentVersion } from "./index-state";
import { indexDefinition, indexDefinitions } from "./registry";

const TASK = { timeout: 10 * 60_000, interval: 100 };

/**
 * Rebuilds an index from PostgreSQL into a fresh index, then swaps the two atomically: searches
 * see the old index until the new one is complete, never an empty one. Changes made while the
 * rebuild ran are queued again, so the swapped-in index misses none of them: those are the rows
 * written by transactions that the snapshot taken at the start could not see — committed later,
 * or still running then — whatever the clocks say (a transaction that began before the rebuild
 * and committed during it included).
 */
export async function reindex(
  base: string,
  options: { batchSize?: number; onProgress?: (documents: number) => void } = {},
) {
  const definition = indexDefinition(base);
  if (!definition) throw new Error(`index inconnu : ${base}`);
  const client = searchClient();
  const live = indexName(base);
  const fresh = `${live}__reindex_${Date.now()}`;
  const [start] = await db.execute<{ snapshot: string }>(
    sql`select pg_current_snapshot()::text as snapshot`,
  );
  const snapshot = start!.snapshot;

  await expectSuccess(client.createIndex(fresh, { primaryKey: "id" }).waitTask(TASK), "création");
  await expectSuccess(
    client.index(fresh).updateSettings(definition.settings).waitTask(TASK),
    "réglages",
  );
  let documents = 0;
  const pending: Array<Promise<unknown>> = [];
  for await (const batch of definition.loadAll(options.batchSize ?? 5000)) {
    if (batch.length === 0) continue;
    const task = client.index(fresh).addDocuments(batch, { primaryKey: "id" });
    pending.push(
      task.waitTask(TASK).then((done) => expectSuccess(Promise.resolve(done), "documents")),
    );
    documents += batch.length;
    options.onProgress?.(documents);
    // A few batches in flight keep Meilisearch busy without holding the whole corpus in memory.
    if (pending.length >= 4) await pending.shift();
  }
  await Promise.all(pending);

  const liveExists = await client.createIndex(live, { primaryKey: "id" }).waitTask(TASK);
  if (liveExists.status === "failed" && liveExists.error?.code !== "index_already_exists") {
    throw new Error(`index ${live} : ${liveExists.error?.message ?? "échec"}`);
  }
  await expectSuccess(
    client.swapIndexes([{ indexes: [live, fresh], rename: false }]).waitTask(TASK),
    "échange",
  );
  await client.deleteIndex(fresh).waitTask(TASK);
  await recordSettings(live, definition.settings);
  await recordDocumentVersion(live, definition.documentVersion);

  // Everything visible in the snapshot was committed before the first document was read.
  const replayed = await db.execute(sql`
    insert into ${outbox} (index_base, document_id)
    select distinct ${outbox.indexBase}, ${outbox.documentId} from ${outbox}
    where ${outbox.indexBase} = ${base}
      and ${outbox.xid} >= pg_snapshot_xmin(${snapshot}::pg_snapshot)
      and not pg_visible_in_snapshot(${outbox.xid}, ${snapshot}::pg_snapshot)`);
  return { documents, replayed: replayed.count };
}

/**
 * Rebuilds, with `reindex`, each index whose documents are of another version than the code's
 * (a release gave them a new field): nobody has to know to run search:reindex after it. Several
 * indexers start together (app instances, workers): a PostgreSQL advisory lock per index lets one
 * rebuild it, the others skip it. Returns false when one was left to another indexer's rebuild.
 */
export async function rebuildOutdatedIndexes() {
  let allCurrent = true;
  for (const definition of indexDefinitions()) {
    const uid = indexName(definition.base);
    if ((await storedDocumentVersion(uid)) === definition.documentVersion) continue;
    const locked = await withAdvisoryLock(`search-documents:${uid}`, async () => {
      // Another indexer may have finished this rebuild between the read above and the lock.
      const stored = await storedDocumentVersion(uid);
      if (stored === definition.documentVersion) return;
      const context = { index: definition.base, from: stored, to: definition.documentVersion };
      logger().info(context, "documents d'une autre version : reconstruction de l'index");
      const started = Date.now();
      const result = await reindex(definition.base);
      logger().info(
        { ...context, ...result, ms: Date.now() - started },
        "index reconstruit à la version des documents",
      );
    });
    if (!locked) allCurrent = false;
  }
  return allCurrent;
}

/**
 * Runs `work` if this process gets the lock, held by a connection of its own for as long as the
 * work lasts (a rebuild takes minutes: no transaction is kept open); false if it is held elsewhere.
 */
async function withAdvisoryLock(key: string, work: () => Promise<void>) {
  const connection = await sqlClient().reserve();
  try {
    const [row] = await connection<{ locked: boolean }[]>`
      select pg_try_advisory_lock(hashtextextended(${key}, 0)) as locked`;
    if (!row?.locked) return false;
    try {
      await work();
    } finally {
      await connection`select pg_advisory_unlock(hashtextextended(${key}, 0))`;
    }
    return true;
  } finally {
    connection.release();
  }
}

async function expectSuccess(
  task: Promise<{ status: string; error?: { message: string } | null }>,
  step: string,
) {
  const done = await task;
  if (done.status !== "succeeded")
    throw new Error(`réindexation (${step}) : ${done.error?.message ?? done.status}`);
}
