import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, instant, textList } from "./columns";

export type MailAttachment = { filename: string; contentType: string; content: string };

/**
 * Mail waiting to leave, written in the transaction of the change that causes it, so a mail is
 * never sent for a change that rolled back and never lost when SMTP is away. The message is
 * rendered when queued; the sender claims rows with SKIP LOCKED and retries with back-off.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** The account it is for: deleting the account drops what it had not received yet. */
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    recipient: text("recipient").notNull(),
    /** What kind of message (template), for the admin list and the logs. */
    category: text("category").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    attachments: jsonb("attachments").$type<MailAttachment[]>().notNull().default([]),
    /** Makes a scheduled mail (a digest, a reminder) idempotent: queued twice, kept once. */
    dedupeKey: text("dedupe_key"),
    createdAt: createdAt(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    sentAt: instant("sent_at"),
    /** Given up: refused for good by the server, or too many attempts. */
    failedAt: instant("failed_at"),
    /** The .eml file written by the embedded transport, inside MAIL_DIR. */
    file: text("file"),
  },
  (t) => [
    index("mail_outbox_pending")
      .on(t.nextAttemptAt, t.id)
      .where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
    uniqueIndex("mail_outbox_dedupe").on(t.dedupeKey),
    index("mail_outbox_user").on(t.userId),
  ],
);

/**
 * How often a member wants each kind of mail (`frequencies`: kind → frequency; a kind absent
 * takes its default) and the themes whose news they follow.
 */
export const notificationPreferences = pgTable("notification_preferences", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  frequencies: jsonb("frequencies").$type<Record<string, string>>().notNull().default({}),
  themes: textList("themes"),
  updatedAt: instant("updated_at").notNull().defaultNow(),
});

/**
 * One digest run per frequency and period: members are visited in id order and `cursor` keeps
 * the last one done, so a run interrupted half-way resumes and never sends twice.
 */
export const mailDigestRuns = pgTable(
  "mail_digest_runs",
  {
    frequency: text("frequency").notNull(),
    periodKey: text("period_key").notNull(),
    cursor: text("cursor").notNull().default(""),
    queued: integer("queued").notNull().default(0),
    createdAt: createdAt(),
    finishedAt: instant("finished_at"),
  },
  (t) => [primaryKey({ columns: [t.frequency, t.periodKey] })],
);
