import { sql } from "drizzle-orm";
import { bigserial, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * What the search index must learn, written in the same transaction as the change itself. The
 * indexer marks a row processed only after Meilisearch reports its task succeeded; processed rows
 * are kept a few days so that a reindex can replay what changed while it ran.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    indexBase: text("index_base").notNull(),
    documentId: text("document_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    index("outbox_pending")
      .on(t.nextAttemptAt, t.id)
      .where(sql`${t.processedAt} is null`),
    index("outbox_replay").on(t.indexBase, t.createdAt),
  ],
);
