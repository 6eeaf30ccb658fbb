import { sql } from "drizzle-orm";
import {
  bigserial,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/** A 64-bit transaction id, compared with snapshots (`pg_visible_in_snapshot`). */
const xid8 = customType<{ data: string }>({ dataType: () => "xid8" });

/**
 * What the search index must learn, written in the same transaction as the change itself. The
 * indexer marks a row processed only after Meilisearch reports its task succeeded; processed rows
 * are kept a few days so that a reindex can replay what changed while it ran: `xid`, the writing
 * transaction, tells which rows a snapshot taken when the reindex began could not see.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    indexBase: text("index_base").notNull(),
    documentId: text("document_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    xid: xid8("xid")
      .notNull()
      .default(sql`pg_current_xact_id()`),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    index("outbox_pending")
      .on(t.nextAttemptAt, t.id)
      .where(sql`${t.processedAt} is null`),
    index("outbox_replay").on(t.indexBase, t.xid),
  ],
);
