import { and, desc, eq, isNull, or, sql } from "drizzle-orm";

import { db } from "../../db/client";
import { memberMessages, users } from "../../db/schema";
import type { AuthUser } from "../utils/auth.server";
import { consume } from "../utils/rate-limit.server";
import { afterCommit } from "./after-commit.server";
import { getMemberProfile } from "./member-profiles.server";
import { ACTOR, createNotifications, publishNotifications } from "./notifications.server";
import { failure, type Result } from "./result.server";

/**
 * "Contacter": a signed-in member writes to another through their profile. The recipient reads
 * it on the platform and hears of it by notification (mailed with the "mentions" preference);
 * neither learns the other's address.
 */

export const MESSAGE_MAX_LENGTH = 4_000;

export async function sendMemberMessage(
  sender: AuthUser,
  recipientId: string,
  body: string,
): Promise<Result<{ id: number }>> {
  const profile = await getMemberProfile(recipientId, sender);
  if (!profile) return failure(404, {}, "Membre introuvable.");
  if (profile.own) return failure(422, {}, "Vous ne pouvez pas vous écrire à vous-même.");
  if (!profile.acceptsMessages) {
    return failure(403, {}, "Ce membre ne reçoit pas de messages par la plateforme.");
  }
  await consume("member-message", sender.id);
  await consume("member-message-pair", `${sender.id}:${recipientId}`);
  const text = body.trim().slice(0, MESSAGE_MAX_LENGTH);
  const saved = await db.transaction(async (tx) => {
    const [message] = await tx
      .insert(memberMessages)
      .values({ senderId: sender.id, recipientId, body: text })
      .returning({ id: memberMessages.id });
    if (!message) throw new Error("message insert returned nothing");
    const url = `/compte/messages#message-${message.id}`;
    const excerpt = text.length > 140 ? `${text.slice(0, 140)}…` : text;
    const notified = await createNotifications(tx, [
      {
        userId: recipientId,
        kind: "member-message",
        // The sender's current name when shown, "ancien membre" once their account is gone.
        text: `Message de ${ACTOR} : ${excerpt}`,
        url,
        actorId: sender.id,
      },
    ]);
    return { id: message.id, url, notified };
  });
  await afterCommit("member message notification", () => publishNotifications(saved.notified));
  return { ok: true, value: { id: saved.id } };
}

/** A member's messages, received and sent, newest first; the other person's current name. */
export async function listMemberMessages(userId: string, limit = 100) {
  const rows = await db
    .select({
      id: memberMessages.id,
      body: memberMessages.body,
      createdAt: memberMessages.createdAt,
      readAt: memberMessages.readAt,
      senderId: memberMessages.senderId,
      recipientId: memberMessages.recipientId,
      senderName: sql<
        string | null
      >`(select name from ${users} where id = ${memberMessages.senderId})`,
      recipientName: sql<
        string | null
      >`(select name from ${users} where id = ${memberMessages.recipientId})`,
    })
    .from(memberMessages)
    .where(or(eq(memberMessages.recipientId, userId), eq(memberMessages.senderId, userId)))
    .orderBy(desc(memberMessages.id))
    .limit(limit);
  return rows.map((row) => {
    const received = row.recipientId === userId;
    return {
      id: row.id,
      body: row.body,
      createdAt: row.createdAt,
      unread: received && row.readAt === null,
      received,
      // The other person: who wrote (received) or to whom (sent); gone accounts have no link.
      otherId: received ? row.senderId : row.recipientId,
      otherName: (received ? row.senderName : row.recipientName) ?? "Ancien membre",
    };
  });
}

/** Marks every received message as read (opening the messages page reads them). */
export async function markMessagesRead(userId: string) {
  await db
    .update(memberMessages)
    .set({ readAt: sql`now()` })
    .where(and(eq(memberMessages.recipientId, userId), isNull(memberMessages.readAt)));
}

/** Messages a person sent and received, for the RGPD export (one section per column). */
export async function memberMessagesOfAccount(userId: string) {
  const messages = (await listMemberMessages(userId, 100_000)).map(
    ({ otherId: _otherId, ...message }) => message,
  );
  return {
    sent: messages.filter((message) => !message.received),
    received: messages.filter((message) => message.received),
  };
}
