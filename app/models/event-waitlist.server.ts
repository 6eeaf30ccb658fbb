import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";

import { db, type Executor, type Transaction } from "../../db/client";
import {
  eventRegistrations,
  events,
  type EventStatus,
  type RegistrationStatus,
} from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { rooms, type EventPlaces } from "../../realtime/protocol";
import { afterCommit } from "./after-commit.server";
import { notify, type SavedNotification } from "./notifications.server";

/**
 * The places of an event and its waitlist: the row lock that serialises registrations, the
 * counts, promotions in arrival order, each person's position, and the live count pushed to the
 * pages following the event.
 */

// Written out in full: drizzle leaves columns unqualified in single-table queries, where "id"
// would then name the registration's own id inside the subquery.
export const confirmedCount = sql<number>`(select count(*)::int from event_registrations r where r.event_id = "events"."id" and r.status = 'confirmed')`;
export const waitlistedCount = sql<number>`(select count(*)::int from event_registrations r where r.event_id = "events"."id" and r.status = 'waitlisted')`;

export function placesLeft(event: { capacity: number | null; confirmed: number }) {
  return event.capacity === null ? null : Math.max(0, event.capacity - event.confirmed);
}

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

export type MyRegistration = {
  status: RegistrationStatus;
  position: number | null;
  showPublicly: boolean;
  createdAt: Date;
};

/** A person's registration to an event, with their position when they are waiting. */
export async function myRegistration(eventId: string, userId: string, executor: Executor = db) {
  const [row] = await executor
    .select({
      status: eventRegistrations.status,
      arrival: eventRegistrations.arrival,
      showPublicly: eventRegistrations.showPublicly,
      createdAt: eventRegistrations.createdAt,
    })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, userId)));
  if (!row) return null;
  const position =
    row.status === "waitlisted" ? await waitlistPosition(executor, eventId, row.arrival) : null;
  return {
    status: row.status,
    position,
    showPublicly: row.showPublicly,
    createdAt: row.createdAt,
  } satisfies MyRegistration;
}

async function waitlistPosition(executor: Executor, eventId: string, arrival: number) {
  const [row] = await executor
    .select({ position: sql<number>`count(*)::int` })
    .from(eventRegistrations)
    .where(
      and(
        eq(eventRegistrations.eventId, eventId),
        eq(eventRegistrations.status, "waitlisted"),
        sql`${eventRegistrations.arrival} <= ${arrival}`,
      ),
    );
  return row?.position ?? 1;
}

export async function placesOf(
  eventId: string,
  executor: Executor = db,
): Promise<EventPlaces | null> {
  const [row] = await executor
    .select({ capacity: events.capacity, confirmed: confirmedCount, waitlisted: waitlistedCount })
    .from(events)
    .where(eq(events.id, eventId));
  if (!row) return null;
  return {
    eventId,
    placesLeft: placesLeft(row),
    confirmed: row.confirmed,
    waitlisted: row.waitlisted,
  };
}

/** Public, published events only, for the socket room. */
export async function watchablePlaces(eventId: string) {
  const [row] = await db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.id, eventId), ne(events.status, "draft")));
  return row ? placesOf(eventId) : null;
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
