import { sql } from "drizzle-orm";

import { db } from "../db/client";
import { outbox } from "../db/schema";
import { indexName, searchClient } from "./client";
import { recordSettings } from "./indexer";
import { indexDefinition } from "./registry";

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

  // Everything visible in the snapshot was committed before the first document was read.
  const replayed = await db.execute(sql`
    insert into ${outbox} (index_base, document_id)
    select distinct ${outbox.indexBase}, ${outbox.documentId} from ${outbox}
    where ${outbox.indexBase} = ${base}
      and ${outbox.xid} >= pg_snapshot_xmin(${snapshot}::pg_snapshot)
      and not pg_visible_in_snapshot(${outbox.xid}, ${snapshot}::pg_snapshot)`);
  return { documents, replayed: replayed.count };
}

async function expectSuccess(
  task: Promise<{ status: string; error?: { message: string } | null }>,
  step: string,
) {
  const done = await task;
  if (done.status !== "succeeded")
    throw new Error(`réindexation (${step}) : ${done.error?.message ?? done.status}`);
}
