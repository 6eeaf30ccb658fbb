import { and, asc, desc, eq, isNull, lt, lte, or, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import { mailOutbox } from "../../db/schema";
import { isSafeAddress, type OutgoingMail } from "../mail/compose.server";
import { logger } from "../utils/logger.server";

/**
 * The mail queue: the one module that writes `mail_outbox`. Mail is queued inside the
 * transaction of the change that causes it and sent later by the mail worker, so no request
 * waits for SMTP and an SMTP outage only delays delivery.
 */

/** Queues mails inside the caller's transaction; a mail whose dedupe key exists is dropped. */
export async function enqueueMail(tx: Executor, mails: OutgoingMail | OutgoingMail[]) {
  const list = (Array.isArray(mails) ? mails : [mails]).filter((mail) => {
    if (isSafeAddress(mail.recipient)) return true;
    logger().warn({ category: mail.category, userId: mail.userId }, "adresse refusée, non envoyé");
    return false;
  });
  if (list.length === 0) return 0;
  let inserted = 0;
  // Chunks keep each statement well under PostgreSQL's 65,535 parameters.
  for (let from = 0; from < list.length; from += 500) {
    const rows = await tx
      .insert(mailOutbox)
      .values(
        list.slice(from, from + 500).map((mail) => ({
          userId: mail.userId,
          recipient: mail.recipient,
          category: mail.category,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
          attachments: mail.attachments,
          dedupeKey: mail.dedupeKey ?? null,
        })),
      )
      .onConflictDoNothing({ target: mailOutbox.dedupeKey })
      .returning({ id: mailOutbox.id });
    inserted += rows.length;
  }
  return inserted;
}

export type QueuedMail = typeof mailOutbox.$inferSelect;

/** What a transport answers: where the message went (file or SMTP id). */
export type Delivery = { file?: string; messageId: string };
/** A delivery error the server gave as final (5xx): retrying would not help. */
export type DeliveryError = Error & { permanent?: boolean };

const MAX_ATTEMPTS = 25;

export function mailBackoffMs(attempts: number, baseMs = 30_000) {
  return Math.min(60 * 60_000, baseMs * 2 ** Math.min(attempts, 12));
}

/**
 * Sends one batch of due mails. Rows are claimed with SKIP LOCKED, so two workers never send the
 * same mail; each row is marked sent in the claiming transaction right after the server accepted
 * it. A failure puts the row back with back-off (or gives it up when the server refused it for
 * good, or after 25 attempts). Returns the number of rows handled.
 */
export async function processMailBatch(
  deliver: (mail: QueuedMail) => Promise<Delivery>,
  options: { batchSize?: number; retryBaseMs?: number } = {},
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(mailOutbox)
      .where(
        and(
          isNull(mailOutbox.sentAt),
          isNull(mailOutbox.failedAt),
          lte(mailOutbox.nextAttemptAt, sql`now()`),
        ),
      )
      .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
      .limit(options.batchSize ?? 50)
      .for("update", { skipLocked: true });
    for (const row of rows) {
      try {
        const delivery = await deliver(row);
        await tx
          .update(mailOutbox)
          .set({ sentAt: sql`now()`, lastError: null, file: delivery.file ?? null })
          .where(eq(mailOutbox.id, row.id));
      } catch (error) {
        const failure = error as DeliveryError;
        const attempts = row.attempts + 1;
        const giveUp = failure.permanent === true || attempts >= MAX_ATTEMPTS;
        await tx
          .update(mailOutbox)
          .set({
            attempts,
            lastError: String(failure.message ?? failure).slice(0, 1000),
            nextAttemptAt: new Date(Date.now() + mailBackoffMs(attempts, options.retryBaseMs)),
            failedAt: giveUp ? sql`now()` : null,
          })
          .where(eq(mailOutbox.id, row.id));
        logger().warn(
          { mailId: row.id, category: row.category, attempts, giveUp, err: failure.message },
          giveUp ? "courriel abandonné" : "envoi de courriel en échec, nouvel essai prévu",
        );
      }
    }
    return rows.length;
  });
}

/** Sent and abandoned mails are kept 30 days, for the admin list and the dedupe keys. */
export async function pruneMailOutbox() {
  await db
    .delete(mailOutbox)
    .where(
      or(
        lt(mailOutbox.sentAt, sql`now() - interval '30 days'`),
        lt(mailOutbox.failedAt, sql`now() - interval '30 days'`),
      ),
    );
}

export type MailStatus = "pending" | "sent" | "failed";

const statusOf = sql<MailStatus>`case when ${mailOutbox.sentAt} is not null then 'sent'
  when ${mailOutbox.failedAt} is not null then 'failed' else 'pending' end`;

/** The admin list: newest first, with counts per status. */
export async function listOutboxMails(options: { page: number; pageSize: number }) {
  const [items, counts] = await Promise.all([
    db
      .select({
        id: mailOutbox.id,
        recipient: mailOutbox.recipient,
        category: mailOutbox.category,
        subject: mailOutbox.subject,
        createdAt: mailOutbox.createdAt,
        sentAt: mailOutbox.sentAt,
        attempts: mailOutbox.attempts,
        lastError: mailOutbox.lastError,
        status: statusOf,
      })
      .from(mailOutbox)
      .orderBy(desc(mailOutbox.id))
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize),
    db
      .select({ status: statusOf, total: sql<number>`count(*)::int` })
      .from(mailOutbox)
      .groupBy(statusOf),
  ]);
  const totals = { pending: 0, sent: 0, failed: 0 };
  for (const row of counts) totals[row.status] = row.total;
  return { items, totals };
}

export async function getOutboxMail(id: number) {
  const [row] = await db
    .select({
      id: mailOutbox.id,
      recipient: mailOutbox.recipient,
      category: mailOutbox.category,
      subject: mailOutbox.subject,
      text: mailOutbox.text,
      html: mailOutbox.html,
      headers: mailOutbox.headers,
      attachments: mailOutbox.attachments,
      createdAt: mailOutbox.createdAt,
      sentAt: mailOutbox.sentAt,
      lastError: mailOutbox.lastError,
      file: mailOutbox.file,
      status: statusOf,
    })
    .from(mailOutbox)
    .where(eq(mailOutbox.id, id));
  if (!row) return null;
  return { ...row, attachments: row.attachments.map((a) => a.filename) };
}
