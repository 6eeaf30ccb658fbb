import { and, asc, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import type { EnqueuedTaskPromise } from "meilisearch";

import { logger } from "../app/utils/logger.server";
import { db, sqlClient } from "../db/client";
import { outbox } from "../db/schema";
import { indexName, searchClient } from "./client";
import { recordDocumentVersion, recordSettings, settingsApplied } from "./index-state";
import { indexDefinition, indexDefinitions } from "./registry";
import { rebuildOutdatedIndexes } from "./reindex";

const TASK_TIMEOUT_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;

/** Creates each registered index if needed and applies its settings (idempotent). */
export async function ensureIndexes() {
  const client = searchClient();
  for (const definition of indexDefinitions()) {
    const uid = indexName(definition.base);
    const created = await client
      .createIndex(uid, { primaryKey: "id" })
      .waitTask({ timeout: TASK_TIMEOUT_MS });
    if (created.status === "failed" && created.error?.code !== "index_already_exists") {
      throw new Error(`création de l'index ${uid} : ${created.error?.message ?? "échec"}`);
    }
    // A new index holds no document of an older shape: nothing to rebuild.
    if (created.status === "succeeded") {
      await recordDocumentVersion(uid, definition.documentVersion);
    }
    // Applying settings, even unchanged ones, queues a task ahead of the first documents: skip
    // it when this index already got these very settings.
    if (created.status !== "succeeded" && (await settingsApplied(uid, definition.settings))) {
      continue;
    }
    const settings = await client
      .index(uid)
      .updateSettings(definition.settings)
      .waitTask({ timeout: TASK_TIMEOUT_MS });
    if (settings.status !== "succeeded") {
      throw new Error(`réglages de l'index ${uid} : ${settings.error?.message ?? settings.status}`);
    }
    await recordSettings(uid, definition.settings);
  }
}

export function backoffMs(attempts: number) {
  return Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempts, 10));
}

type OutboxRow = { id: number; indexBase: string; documentId: string; attempts: number };
type Transaction = Parameters<Parameters<typeof db.transaction>[0]>[0];

/** Meilisearch refused the documents themselves (a failed task), as opposed to being away. */
class RejectedDocuments extends Error {}

/**
 * Sends one batch of pending outbox rows to Meilisearch. Rows are claimed with SKIP LOCKED, so
 * several workers never index the same change twice; a row is marked processed only once
 * Meilisearch says its task succeeded, otherwise it is retried later with back-off. Returns the
 * number of rows handled.
 *
 * Each document is also locked (an advisory lock held until this batch commits): with several
 * indexers, a slow one holding an older state of a document would otherwise send it after a
 * faster one sent the newer state. A document locked elsewhere waits for a later batch, which
 * reads the row again from PostgreSQL then.
 */
export async function processOutboxBatch(batchSize = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .select({
        id: outbox.id,
        indexBase: outbox.indexBase,
        documentId: outbox.documentId,
        attempts: outbox.attempts,
      })
      .from(outbox)
      .where(and(isNull(outbox.processedAt), lte(outbox.nextAttemptAt, sql`now()`)))
      .orderBy(asc(outbox.id))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    if (claimed.length === 0) return 0;
    const rows = await lockDocuments(tx, claimed);

    const byIndex = new Map<string, OutboxRow[]>();
    for (const row of rows)
      byIndex.set(row.indexBase, [...(byIndex.get(row.indexBase) ?? []), row]);
    // Every index's task is queued before any is waited for, so that Meilisearch runs them back
    // to back; smaller groups first (ties in outbox order), so that a single fresh write is not
    // queued behind a bulk claimed in the same batch. A reply is then searchable after its own
    // task, not after its topic's as well (each can take seconds on a busy machine).
    const groups = [...byIndex].sort(([, a], [, b]) => a.length - b.length);
    const sending = [];
    for (const [base, group] of groups) {
      sending.push({ base, group, tasks: await enqueueRows(base, group) });
    }
    for (const { base, group, tasks } of sending) await sendRows(tx, base, group, tasks);
    return rows.length;
  });
}

const documentKey = (row: Pick<OutboxRow, "indexBase" | "documentId">) =>
  `${row.indexBase}:${row.documentId}`;

/** The rows whose document this transaction could lock; the others are left for later. */
async function lockDocuments(tx: Transaction, rows: OutboxRow[]) {
  const keys = [...new Set(rows.map(documentKey))];
  const list = sql.join(
    keys.map((key) => sql`${key}`),
    sql`, `,
  );
  const locked = await tx.execute<{ key: string }>(sql`
    select key from unnest(array[${list}]::text[]) as key
    where pg_try_advisory_xact_lock(hashtextextended(key, 0))`);
  const mine = new Set(locked.map((row) => row.key));
  return rows.filter((row) => mine.has(documentKey(row)));
}

/**
 * Sends the documents of these rows. When Meilisearch rejects the batch, it is split in halves
 * until the rejected documents stand alone: they keep their rows and errors, and the others go
 * through instead of waiting behind them at every retry.
 */
async function sendRows(
  tx: Transaction,
  base: string,
  rows: OutboxRow[],
  queued?: QueuedTasks,
): Promise<void> {
  const documentIds = [...new Set(rows.map((row) => row.documentId))];
  try {
    await waitForTasks(queued ?? (await enqueueRows(base, rows)));
    await tx
      .update(outbox)
      .set({ processedAt: sql`now()`, lastError: null })
      .where(
        inArray(
          outbox.id,
          rows.map((row) => row.id),
        ),
      );
  } catch (error) {
    if (error instanceof RejectedDocuments && documentIds.length > 1) {
      const half = new Set(documentIds.slice(0, Math.ceil(documentIds.length / 2)));
      await sendRows(
        tx,
        base,
        rows.filter((row) => half.has(row.documentId)),
      );
      await sendRows(
        tx,
        base,
        rows.filter((row) => !half.has(row.documentId)),
      );
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const attempts = Math.max(...rows.map((row) => row.attempts)) + 1;
    await tx
      .update(outbox)
      .set({
        attempts: sql`${outbox.attempts} + 1`,
        lastError: message.slice(0, 1000),
        nextAttemptAt: new Date(Date.now() + backoffMs(attempts)),
      })
      .where(
        inArray(
          outbox.id,
          rows.map((row) => row.id),
        ),
      );
    logger().error(
      {
        index: base,
        rows: rows.length,
        documents: documentIds.slice(0, 10),
        attempts,
        err: message,
      },
      "indexation en échec, nouvel essai prévu",
    );
  }
}

/** The tasks queued for some rows, or why they could not be: `sendRows` handles a failure. */
type QueuedTasks = { tasks: EnqueuedTaskPromise[] } | { error: unknown };

/** Reads the rows' documents and queues their Meilisearch tasks, without waiting for them. */
async function enqueueRows(base: string, rows: OutboxRow[]): Promise<QueuedTasks> {
  try {
    const definition = indexDefinition(base);
    if (!definition) throw new Error(`index inconnu : ${base}`);
    const documentIds = [...new Set(rows.map((row) => row.documentId))];
    const index = searchClient().index(indexName(base));
    // Read now, inside the batch that holds the documents' locks: the state sent is the latest.
    const documents = await definition.load(documentIds);
    const present = new Set(documents.map((document) => document.id));
    const absent = documentIds.filter((id) => !present.has(id));
    const tasks: EnqueuedTaskPromise[] = [];
    if (documents.length > 0) tasks.push(index.addDocuments(documents, { primaryKey: "id" }));
    if (absent.length > 0) tasks.push(index.deleteDocuments(absent));
    await Promise.all(tasks);
    return { tasks };
  } catch (error) {
    return { error };
  }
}

async function waitForTasks(queued: QueuedTasks) {
  if ("error" in queued) throw queued.error;
  for (const task of queued.tasks) {
    const done = await task.waitTask({ timeout: TASK_TIMEOUT_MS, interval: 25 });
    if (done.status !== "succeeded") {
      throw new RejectedDocuments(
        `tâche Meilisearch ${done.uid} : ${done.error?.message ?? done.status}`,
      );
    }
  }
}

export async function pendingOutboxCount() {
  const [row] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(outbox)
    .where(isNull(outbox.processedAt));
  return row?.total ?? 0;
}

/** Processed rows are kept a week, long enough for any reindex to replay them. */
async function pruneProcessed() {
  await db.delete(outbox).where(lt(outbox.processedAt, sql`now() - interval '7 days'`));
}

export type Indexer = { close: () => Promise<void>; drain: () => Promise<void> };

/** Raised by a trigger on `outbox` when a transaction that queued changes commits. */
export const OUTBOX_CHANNEL = "search_outbox";

/**
 * The indexer loop: woken by a PostgreSQL notification when a change is committed, and polling
 * as well, for retries after a failure and for anything queued while it was not listening. It
 * keeps going when Meilisearch is away (writes keep succeeding; the rows wait). At start it also
 * rebuilds, in the background, the indexes whose documents are of an older version than the
 * code's. `close()` stops it after the current batch and any rebuild under way.
 */
export function startIndexer(options: { intervalMs?: number; batchSize?: number } = {}): Indexer {
  const intervalMs = options.intervalMs ?? 1000;
  let stopped = false;
  let ready = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let wokenWhileBusy = false;
  let listening: Promise<{ unlisten: () => Promise<void> } | null> | null = null;
  let lastPrune = 0;
  let lastWarning = 0;
  let documentsCurrent = false;
  let nextDocumentCheck = 0;
  let rebuilding: Promise<void> | undefined;

  const warn = (error: unknown, message: string) => {
    // Meilisearch or PostgreSQL unreachable: say so once a minute, not on every poll.
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    logger().warn({ err: error instanceof Error ? error.message : String(error) }, message);
  };

  // postgres.js keeps the LISTEN connection alive and listens again after a reconnection, then
  // calls its third argument: a batch then picks up what was committed while nobody listened.
  // Only a first attempt that fails (database down at start) is retried here, at the next tick.
  const listen = () =>
    (listening ??= sqlClient()
      .listen(OUTBOX_CHANNEL, wake, wake)
      .catch((error: unknown) => {
        warn(error, "indexeur : notifications indisponibles, relevé périodique seul");
        listening = null;
        return null;
      }));

  // Beside the outbox batches, not before them: a rebuild takes minutes, during which the live
  // index keeps receiving changes. An index left to another indexer's rebuild, or whose rebuild
  // failed, is looked at again a minute later.
  const rebuildOutdated = () => {
    rebuilding = rebuildOutdatedIndexes()
      .then(
        (current) => {
          documentsCurrent = current;
        },
        (error: unknown) => {
          logger().error(
            { err: error instanceof Error ? error.message : String(error) },
            "reconstruction d'un index en échec, nouvel essai dans une minute",
          );
        },
      )
      .finally(() => {
        rebuilding = undefined;
        nextDocumentCheck = Date.now() + 60_000;
      });
  };

  const tick = async () => {
    try {
      await listen();
      if (!ready) {
        await ensureIndexes();
        ready = true;
      }
      if (!stopped && !documentsCurrent && !rebuilding && Date.now() >= nextDocumentCheck) {
        rebuildOutdated();
      }
      while (!stopped && (await processOutboxBatch(options.batchSize)) > 0) {
        // keep draining while there is work
      }
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now();
        await pruneProcessed();
      }
    } catch (error) {
      warn(error, "indexeur en attente");
    }
  };
  const run = () => {
    busy = true;
    running = tick().finally(() => {
      busy = false;
      if (wokenWhileBusy && !stopped) {
        wokenWhileBusy = false;
        run();
      } else schedule();
    });
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(run, intervalMs);
  };
  function wake() {
    if (stopped) return;
    // A change committed during a batch may have been looked for just before: look again.
    if (busy) wokenWhileBusy = true;
    else {
      clearTimeout(timer);
      run();
    }
  }
  run();
  return {
    close: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      // A rebuild is let finish: stopped halfway, it would be done again from the start.
      await rebuilding;
      await (await listening)?.unlisten();
    },
    drain: async () => {
      await running;
      await tick();
    },
  };
}
