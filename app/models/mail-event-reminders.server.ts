import { and, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";

import { db, type Executor } from "../../db/client";
import { collectivities, eventRegistrations, events, users } from "../../db/schema";
import type { MailAttachment } from "../../db/schema";
import { calendarAttachment, eventReminderMail } from "../mail/templates.server";
import { buildCalendar } from "./event-calendar.server";
import { enqueueMail } from "./mail-outbox.server";
import { mailLinks } from "./mail-preferences.server";

/**
 * Mails about an event one is registered for: the reminder the day before, and the .ics that
 * goes with it and with the mail of a waitlist promotion. They are part of the registration:
 * no opt-out, they stop when one cancels.
 */

const commune = alias(collectivities, "commune");

/** Events as the calendar builder wants them (online link included: for registrants only). */
async function calendarEvents(tx: Executor, where: SQL | undefined) {
  return tx
    .select({
      id: events.id,
      slug: events.slug,
      title: events.title,
      description: events.description,
      themes: events.themes,
      startsAt: events.startsAt,
      endsAt: events.endsAt,
      timeZone: events.timeZone,
      venue: events.venue,
      onlineUrl: events.onlineUrl,
      status: events.status,
      sequence: events.sequence,
      updatedAt: events.updatedAt,
      collectivityName: collectivities.name,
      communeName: commune.name,
    })
    .from(events)
    .innerJoin(collectivities, eq(collectivities.code, events.collectivityCode))
    .leftJoin(commune, eq(commune.code, events.communeCode))
    .where(where);
}

type CalendarEventRow = Awaited<ReturnType<typeof calendarEvents>>[number];

function icsOf(event: CalendarEventRow) {
  return buildCalendar([event], { origin: mailLinks().origin, name: event.title });
}

/** The .ics of each event named by its slug, for the mails of waitlist promotions. */
export async function calendarAttachmentsBySlug(tx: Executor, slugs: string[]) {
  if (slugs.length === 0) return new Map<string, MailAttachment>();
  const rows = await calendarEvents(tx, inArray(events.slug, slugs));
  return new Map(rows.map((row) => [row.slug, calendarAttachment(icsOf(row))]));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Queues the reminder of every published event starting within the next 24 hours, for each
 * confirmed registrant who registered (or was promoted) before that: somebody who signs up on
 * the eve does not need reminding. The dedupe key (event, person, start) makes the sweep
 * idempotent; an event moved to another day is reminded again.
 */
export async function enqueueEventReminders(now = new Date()) {
  const upcoming = await calendarEvents(
    db,
    and(
      eq(events.status, "published"),
      gt(events.startsAt, now),
      lte(events.startsAt, new Date(now.getTime() + DAY_MS)),
    ),
  );
  const links = mailLinks();
  let queued = 0;
  for (const event of upcoming) {
    const attendees = await db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(eventRegistrations)
      .innerJoin(users, eq(users.id, eventRegistrations.userId))
      .where(
        and(
          eq(eventRegistrations.eventId, event.id),
          eq(eventRegistrations.status, "confirmed"),
          sql`coalesce(${eventRegistrations.promotedAt}, ${eventRegistrations.createdAt}) <= ${new Date(event.startsAt.getTime() - DAY_MS).toISOString()}`,
        ),
      );
    if (attendees.length === 0) continue;
    const ics = icsOf(event);
    const place = [event.venue, event.communeName].filter(Boolean).join(", ");
    queued += await enqueueMail(
      db,
      attendees.map((recipient) =>
        eventReminderMail({ recipient, event: { ...event, place }, ics, links }),
      ),
    );
  }
  return queued;
}
