import { and, asc, eq, sql } from "drizzle-orm";

import { db, type Transaction } from "../../db/client";
import { eventRegistrations, users, type RegistrationStatus } from "../../db/schema";
import type { AuthUser } from "../utils/auth.server";
import { formatInZone } from "../utils/dates";
import { randomId } from "../utils/ids.server";
import { pageTags } from "../utils/page-cache.server";
import { pagesChanged } from "./after-commit.server";
import { myRegistration } from "./event-places.server";
import { fillFromWaitlist, lockEvent, scheduleBroadcast } from "./event-waitlist.server";
import { canManage, getEvent, registrationClosesAt } from "./events.server";
import { deliver, notify } from "./notifications.server";
import { failure, type Result } from "./result.server";

/**
 * People registering for events: registering and cancelling under the event's lock, the lists
 * organisers and visitors see, the organisers' message to registered people, and what happens
 * to registrations when an account goes.
 */

export type RegistrationOutcome = {
  status: RegistrationStatus;
  position?: number;
  created: boolean;
};

/**
 * Registers a person. Under the event's row lock the confirmed count is exact, so the event is
 * never overbooked: confirmed while places remain, then waitlisted in arrival order.
 * 404 for an event the person cannot see; 409 when closed, cancelled or already registered.
 */
export async function register(
  viewer: AuthUser,
  eventId: string,
  options: { showPublicly?: boolean } = {},
): Promise<Result<RegistrationOutcome>> {
  const requestedAt = new Date();
  const result = await db.transaction(async (tx): Promise<Result<RegistrationOutcome>> => {
    // Three statements sent at once (one round trip, so the lock is held briefly). They run in
    // order on the connection: the insert starts once the event's row lock is granted, and
    // under READ COMMITTED it then counts with a fresh snapshot that includes every
    // registration committed before — one statement that locked and counted at once would
    // count from a snapshot taken before waiting, and overbook.
    const [event, inserted, [queue]] = await Promise.all([
      lockEvent(tx, eventId),
      tx.execute<{ status: RegistrationStatus }>(sql`
        insert into event_registrations (id, event_id, user_id, status, show_publicly)
        select ${randomId()}, e.id, ${viewer.id},
          case when e.capacity is null or (
            select count(*) from event_registrations r
            where r.event_id = e.id and r.status = 'confirmed'
          ) < e.capacity then 'confirmed' else 'waitlisted' end,
          ${options.showPublicly ?? false}
        from events e
        where e.id = ${eventId}
          and e.status = 'published'
          and ${requestedAt.toISOString()}::timestamptz < coalesce(e.registration_deadline, e.starts_at)
          and not exists (
            select 1 from event_registrations r where r.event_id = e.id and r.user_id = ${viewer.id}
          )
        returning status`),
      // The newcomer, if waitlisted, is last: arrivals are numbered under the lock.
      tx
        .select({ waitlisted: sql<number>`count(*)::int` })
        .from(eventRegistrations)
        .where(
          and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.status, "waitlisted")),
        ),
    ]);
    const status = inserted[0]?.status;
    if (status === "confirmed") return { ok: true, value: { status, created: true } };
    if (status === "waitlisted") {
      return { ok: true, value: { status, position: queue?.waitlisted ?? 1, created: true } };
    }
    // Nothing inserted: say why.
    if (!event || event.status === "draft") return failure(404, {}, "Événement introuvable.");
    if (event.status === "cancelled") {
      return failure(409, {}, "Cet événement est annulé : les inscriptions sont fermées.");
    }
    const closesAt = registrationClosesAt(event);
    if (requestedAt.getTime() >= closesAt.getTime()) {
      return failure(
        409,
        {},
        `Les inscriptions sont closes depuis le ${formatInZone(closesAt, event.timeZone)}.`,
      );
    }
    const existing = await myRegistration(eventId, viewer.id, tx);
    return failure(
      409,
      {},
      existing?.status === "waitlisted"
        ? `Vous êtes déjà sur la liste d'attente (position ${existing.position ?? "?"}).`
        : "Vous êtes déjà inscrit·e à cet événement.",
    );
  });
  if (result.ok) {
    await pagesChanged([pageTags.event(eventId)]);
    scheduleBroadcast(eventId);
  }
  return result;
}

/** Cancels the viewer's registration; a freed place goes to the first person waiting. */
export async function cancelRegistration(
  viewer: Pick<AuthUser, "id" | "roles">,
  eventId: string,
): Promise<Result<{ promoted: number }>> {
  const outcome = await db.transaction(async (tx) => {
    const event = await lockEvent(tx, eventId);
    if (!event || (event.status === "draft" && !(await canManage(viewer, eventId, tx)))) {
      return { result: failure(404, {}, "Événement introuvable."), deliveries: [] };
    }
    const removed = await tx
      .delete(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, viewer.id)))
      .returning({ status: eventRegistrations.status });
    if (removed.length === 0) {
      return {
        result: failure(404, {}, "Vous n'êtes pas inscrit·e à cet événement."),
        deliveries: [],
      };
    }
    const deliveries = event.status === "published" ? await fillFromWaitlist(tx, event) : [];
    return { result: { ok: true as const, value: { promoted: deliveries.length } }, deliveries };
  });
  if (outcome.result.ok) {
    await pagesChanged([pageTags.event(eventId)]);
    await deliver(outcome.deliveries);
    scheduleBroadcast(eventId);
  }
  return outcome.result;
}

export async function setShowPublicly(userId: string, eventId: string, showPublicly: boolean) {
  await db
    .update(eventRegistrations)
    .set({ showPublicly })
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, userId)));
  await pagesChanged([pageTags.event(eventId)]);
}

export type Attendee = {
  userId: string;
  name: string;
  email: string;
  jobTitle: string;
  collectivityName: string | null;
  status: RegistrationStatus;
  position: number | null;
  showPublicly: boolean;
  registeredAt: Date;
  promotedAt: Date | null;
};

/** Everyone registered, confirmed first then the waitlist in order; organisers only (else null). */
export async function listAttendees(viewer: AuthUser, eventId: string): Promise<Attendee[] | null> {
  if (!(await canManage(viewer, eventId))) return null;
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      jobTitle: users.jobTitle,
      collectivityName: sql<
        string | null
      >`(select c.name from memberships m join collectivities c on c.code = m.collectivity_code where m.user_id = ${users.id} and m.status <> 'former' limit 1)`,
      status: eventRegistrations.status,
      showPublicly: eventRegistrations.showPublicly,
      registeredAt: eventRegistrations.createdAt,
      promotedAt: eventRegistrations.promotedAt,
    })
    .from(eventRegistrations)
    .innerJoin(users, eq(users.id, eventRegistrations.userId))
    .where(eq(eventRegistrations.eventId, eventId))
    .orderBy(sql`${eventRegistrations.status} = 'waitlisted'`, asc(eventRegistrations.arrival));
  let position = 0;
  return rows.map((row) => ({
    ...row,
    position: row.status === "waitlisted" ? ++position : null,
  }));
}

/** Confirmed attendees who chose to appear publicly. */
export async function publicAttendees(eventId: string) {
  return db
    .select({
      userId: users.id,
      name: users.name,
      jobTitle: users.jobTitle,
      profileKind: users.profileKind,
    })
    .from(eventRegistrations)
    .innerJoin(users, eq(users.id, eventRegistrations.userId))
    .where(
      and(
        eq(eventRegistrations.eventId, eventId),
        eq(eventRegistrations.status, "confirmed"),
        eq(eventRegistrations.showPublicly, true),
      ),
    )
    .orderBy(asc(users.name))
    .limit(500);
}

/** An in-app message from the organisers to the people registered. */
export async function messageAttendees(
  viewer: AuthUser,
  eventId: string,
  message: { subject: string; body: string; audience: "confirmed" | "all" },
): Promise<Result<{ sent: number }>> {
  const event = await getEvent({ id: eventId }, viewer);
  if (!event) return failure(404, {}, "Événement introuvable.");
  if (!event.canManage) return failure(403, {}, "Action réservée aux organisateurs.");
  const deliveries = await db.transaction(async (tx) => {
    const recipients = await tx
      .select({ userId: eventRegistrations.userId })
      .from(eventRegistrations)
      .where(
        and(
          eq(eventRegistrations.eventId, eventId),
          message.audience === "confirmed" ? eq(eventRegistrations.status, "confirmed") : undefined,
        ),
      );
    return notify(
      tx,
      recipients.map((r) => r.userId),
      {
        kind: "event-message",
        title: `${event.title} : ${message.subject}`,
        body: message.body,
        url: `/evenements/${event.slug}`,
      },
    );
  });
  await deliver(deliveries);
  return { ok: true, value: { sent: deliveries.length } };
}

/**
 * An account deleted: its registrations go, and each freed place goes to the next person waiting.
 * Returns the events concerned, whose pages change once the deletion committed.
 */
export async function releaseRegistrationsOf(tx: Transaction, userId: string) {
  const rows = await tx
    .select({ eventId: eventRegistrations.eventId })
    .from(eventRegistrations)
    .where(eq(eventRegistrations.userId, userId));
  for (const { eventId } of rows) {
    const event = await lockEvent(tx, eventId);
    await tx
      .delete(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, userId)));
    if (event?.status === "published") await fillFromWaitlist(tx, event);
  }
  return rows.map((row) => row.eventId);
}

/** A person's registrations, for the RGPD export. */
export async function eventRegistrationsOfAccount(userId: string) {
  return db
    .select({
      eventId: eventRegistrations.eventId,
      status: eventRegistrations.status,
      showPublicly: eventRegistrations.showPublicly,
      createdAt: eventRegistrations.createdAt,
    })
    .from(eventRegistrations)
    .where(eq(eventRegistrations.userId, userId));
}
