import { and, asc, eq, inArray, sql } from "drizzle-orm";

import { type Executor, type Transaction } from "../../db/client";
import { eventRegistrations, events, type EventStatus } from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { rooms } from "../../realtime/protocol";
import { afterCommit } from "./after-commit.server";
import { placesOf } from "./event-places.server";
import { notify, type SavedNotification } from "./notifications.server";

/**
 * The places of an event and its waitlist: the row lock that serialises registrations, the
 * counts, promotions in arrival order, each person's position, and the live count pushed to the
 * pages following the event.
 */

export type LockedEvent = {
  id: string;
  slug: string;
  title: string;
  status: EventStatus;
  capacity: number | null;
  startsAt: Date;
  timeZone: string;
  registrationDeadline: Date | null;
};

/** Takes the row lock that serialises every registration change of one event. */
export async function lockEvent(tx: Transaction, eventId: string): Promise<LockedEvent | null> {
  const [row] = await tx
    .select({
      id: events.id,
      slug: events.slug,
      title: events.title,
      status: events.status,
      capacity: events.capacity,
      startsAt: events.startsAt,
      timeZone: events.timeZone,
      registrationDeadline: events.registrationDeadline,
    })
    .from(events)
    .where(eq(events.id, eventId))
    .for("update");
  return row ?? null;
}

async function countConfirmed(tx: Executor, eventId: string) {
  const [row] = await tx
    .select({ total: sql<number>`count(*)::int` })
    .from(eventRegistrations)
    .where(
      and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.status, "confirmed")),
    );
  return row?.total ?? 0;
}

/**
 * Confirms waitlisted people, first come first served, while places remain. With a capacity
 * lowered below the confirmed count, nobody is promoted until enough people cancel. Returns the
 * notifications to deliver once the transaction committed.
 */
export async function fillFromWaitlist(
  tx: Transaction,
  event: { id: string; slug: string; title: string; capacity: number | null },
): Promise<SavedNotification[]> {
  const confirmed = await countConfirmed(tx, event.id);
  const free = event.capacity === null ? Number.MAX_SAFE_INTEGER : event.capacity - confirmed;
  if (free <= 0) return [];
  const next = await tx
    .select({ id: eventRegistrations.id, userId: eventRegistrations.userId })
    .from(eventRegistrations)
    .where(
      and(eq(eventRegistrations.eventId, event.id), eq(eventRegistrations.status, "waitlisted")),
    )
    .orderBy(asc(eventRegistrations.arrival))
    .limit(Math.min(free, 10_000));
  if (next.length === 0) return [];
  await tx
    .update(eventRegistrations)
    .set({ status: "confirmed", promotedAt: new Date() })
    .where(
      inArray(
        eventRegistrations.id,
        next.map((r) => r.id),
      ),
    );
  return notify(
    tx,
    next.map((r) => r.userId),
    {
      kind: "event-promoted",
      title: `Place confirmée : ${event.title}`,
      body: "Une place s'est libérée : votre inscription est confirmée. Si vous ne pouvez plus venir, annulez-la pour la laisser à quelqu'un d'autre.",
      url: `/evenements/${event.slug}`,
    },
  );
}

const BROADCAST_DELAY_MS = 100;
const pendingBroadcasts = new Map<string, NodeJS.Timeout>();

/**
 * Tells the pages following the event how many places are left, shortly after the commit: a
 * rush of 500 registrations becomes a few messages carrying the latest count, not 500. Call it
 * after the transaction committed; a failed push is logged by `afterCommit`.
 */
export function scheduleBroadcast(eventId: string) {
  if (!realtime() || pendingBroadcasts.has(eventId)) return;
  const timer = setTimeout(() => {
    pendingBroadcasts.delete(eventId);
    void afterCommit("event:places", () => broadcastPlaces(eventId));
  }, BROADCAST_DELAY_MS);
  timer.unref();
  pendingBroadcasts.set(eventId, timer);
}

async function broadcastPlaces(eventId: string) {
  const io = realtime();
  if (!io) return;
  const places = await placesOf(eventId);
  if (places) io.to(rooms.event(eventId)).emit("event:places", places);
}
