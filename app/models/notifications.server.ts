import { and, desc, eq, isNull, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import { notifications } from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { rooms, type NotificationPayload } from "../../realtime/protocol";
import { randomId } from "../utils/ids.server";

export type NewNotification = { kind: string; title: string; body?: string; url?: string | null };
export type Delivery = { userId: string; payload: NotificationPayload };

/**
 * Stores one notification per user inside the caller's transaction and returns what to push once
 * it commits (`deliver`), so nobody is told about something that was rolled back.
 */
export async function notify(
  tx: Executor,
  userIds: string[],
  notification: NewNotification,
): Promise<Delivery[]> {
  if (userIds.length === 0) return [];
  const rows = [...new Set(userIds)].map((userId) => ({
    id: randomId(),
    userId,
    kind: notification.kind,
    title: notification.title.slice(0, 200),
    body: (notification.body ?? "").slice(0, 5_000),
    url: notification.url ?? null,
  }));
  for (let i = 0; i < rows.length; i += 1_000) {
    await tx.insert(notifications).values(rows.slice(i, i + 1_000));
  }
  return rows.map((row) => ({
    userId: row.userId,
    payload: { id: row.id, title: row.title, body: row.body, url: row.url },
  }));
}

/** Pushes stored notifications to the users' open pages (after commit). */
export function deliver(deliveries: Delivery[]) {
  const io = realtime();
  if (!io) return;
  for (const { userId, payload } of deliveries) {
    io.to(rooms.user(userId)).emit("notification:new", payload);
  }
}

export async function listNotifications(userId: string, limit = 50) {
  return db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      url: notifications.url,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
}

export async function unreadCount(userId: string) {
  const [row] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.total ?? 0;
}

export async function markAllRead(userId: string) {
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}
