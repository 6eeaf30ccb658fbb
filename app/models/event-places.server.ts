import { and, eq, ne, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import { eventRegistrations, events, type RegistrationStatus } from "../../db/schema";
import type { EventPlaces } from "../../realtime/protocol";

/**
 * Reading the places of an event: the counts, what is left, a person's registration and
 * position. Nothing here writes or notifies, so that `events` can select the counts without
 * depending on the waitlist's writes (which notify, which mail, which read events: a cycle).
 */

// Written out in full: drizzle leaves columns unqualified in single-table queries, where "id"
// would then name the registration's own id inside the subquery.
export const confirmedCount = sql<number>`(select count(*)::int from event_registrations r where r.event_id = "events"."id" and r.status = 'confirmed')`;
export const waitlistedCount = sql<number>`(select count(*)::int from event_registrations r where r.event_id = "events"."id" and r.status = 'waitlisted')`;

export function placesLeft(event: { capacity: number | null; confirmed: number }) {
  return event.capacity === null ? null : Math.max(0, event.capacity - event.confirmed);
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
