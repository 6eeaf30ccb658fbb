import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import { notifications, type NotificationKind } from "../../db/schema";
import { emitWithLegacyName, realtime } from "../../realtime/hub";
import { rooms } from "../../realtime/protocol";
import { NOTIFICATIONS_PAGE_SIZE } from "../utils/forum-schemas";
import { afterCommit } from "./after-commit.server";
import { enqueueNotificationMails } from "./mail-notifications.server";

/**
 * Stands for the name of the person who acted (`actorId`) in a notification's text: filled in
 * with their current name when shown, "ancien membre" once their account is deleted.
 */
export const ACTOR = "{membre}";

/** A notification's text as shown: the actor's current name in place of `ACTOR`. */
export const notificationText = sql<string>`replace(${notifications.text}, ${ACTOR}, coalesce((select u.name from users u where u.id = ${notifications.actorId}), 'ancien membre'))`;

export type NewNotification = {
  userId: string;
  kind: NotificationKind;
  text: string;
  url: string;
  actorId?: string | null;
};
export type SavedNotification = Omit<NewNotification, "actorId"> & { id: number; createdAt: Date };

/** Writes notifications inside the caller's transaction; publish them after it commits. */
export async function createNotifications(
  tx: Executor,
  items: NewNotification[],
): Promise<SavedNotification[]> {
  if (items.length === 0) return [];
  const named = await tx.insert(notifications).values(items).returning({
    id: notifications.id,
    userId: notifications.userId,
    kind: notifications.kind,
    text: notificationText,
    url: notifications.url,
    createdAt: notifications.createdAt,
  });
  // In the same transaction: the mail goes out if and only if the notification exists.
  await enqueueNotificationMails(tx, named);
  return named;
}

/** Pushes committed notifications to each recipient's own room, with their new unread count. */
export async function publishNotifications(saved: SavedNotification[]) {
  const io = realtime();
  if (!io || saved.length === 0) return;
  const counts = await unreadCounts([...new Set(saved.map((n) => n.userId))]);
  for (const item of saved) {
    emitWithLegacyName(io.to(rooms.user(item.userId)), "notification:created", {
      id: item.id,
      kind: item.kind,
      text: item.text,
      url: item.url,
      createdAt: item.createdAt.toISOString(),
      unreadCount: counts.get(item.userId) ?? 1,
    });
  }
}

async function unreadCounts(userIds: string[]) {
  const rows = await db
    .select({ userId: notifications.userId, total: count() })
    .from(notifications)
    .where(and(inArray(notifications.userId, userIds), isNull(notifications.readAt)))
    .groupBy(notifications.userId);
  return new Map(rows.map((row) => [row.userId, row.total]));
}

/** `known`: the count the session lookup already read with the session, when it did. */
export async function unreadNotificationCount(userId: string, known: number | null = null) {
  if (known !== null) return known;
  return (await unreadCounts([userId])).get(userId) ?? 0;
}

export async function listNotifications(userId: string, page = 1) {
  const [items, [total]] = await Promise.all([
    db
      .select({
        id: notifications.id,
        kind: notifications.kind,
        text: notificationText,
        url: notifications.url,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
      })
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(desc(notifications.id))
      .limit(NOTIFICATIONS_PAGE_SIZE)
      .offset((page - 1) * NOTIFICATIONS_PAGE_SIZE),
    db.select({ total: count() }).from(notifications).where(eq(notifications.userId, userId)),
  ]);
  return { items, total: total?.total ?? 0 };
}

/** Every notification of a person, for the RGPD export. */
export async function notificationsOfAccount(userId: string) {
  return db
    .select({
      kind: notifications.kind,
      text: notificationText,
      url: notifications.url,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(notifications.id);
}

/** Marks one notification (when `id` is given) or all of them as read; scoped to the owner. */
export async function markNotificationsRead(userId: string, id?: number) {
  const updated = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        id === undefined ? undefined : eq(notifications.id, id),
      ),
    )
    .returning({ url: notifications.url });
  return updated;
}

/** The target of a notification, marking it read on the way (the link of the list). */
export async function openNotification(userId: string, id: number) {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.userId, userId), eq(notifications.id, id)))
    .returning({ url: notifications.url });
  return row?.url ?? null;
}

/**
 * One notification per person (duplicates dropped), with the text made of a title and a body,
 * stored inside the caller's transaction; `deliver` pushes them once it committed.
 */
export async function notify(
  tx: Executor,
  userIds: string[],
  notification: { kind: NotificationKind; title: string; body: string; url: string },
): Promise<SavedNotification[]> {
  const text = `${notification.title} — ${notification.body}`.slice(0, 5_000);
  return createNotifications(
    tx,
    [...new Set(userIds)].map((userId) => ({
      userId,
      kind: notification.kind,
      text,
      url: notification.url,
    })),
  );
}

/** After commit: the notifications reach the open pages of their recipients (never throws). */
export async function deliver(saved: SavedNotification[]) {
  if (saved.length === 0) return;
  await afterCommit("notification", () => publishNotifications(saved));
}
