import { TZDate } from "@date-fns/tz";
import { and, asc, eq, gte, ne, sql } from "drizzle-orm";
import ical, { ICalEventStatus } from "ical-generator";
import { tzlib_get_ical_block } from "timezones-ical-library";

import { db } from "../../db/client";
import {
  eventCalendarTokens,
  eventRegistrations,
  events,
  type RegistrationStatus,
} from "../../db/schema";
import { isAmbiguous } from "../utils/dates";
import { randomId, sha256 } from "../utils/ids.server";
import { themeLabel } from "../utils/themes";
import {
  listEvents,
  selectEvents,
  type EventDetail,
  type EventFilters,
  type EventSummary,
} from "./events.server";

/**
 * Events in calendar apps: the iCalendar text of one event, of the public feed and of a member's
 * personal calendar, and the revocable secret address of that personal calendar.
 */

const UID_DOMAIN = "territoires-internet";
/** Calendars keep the events that ended less than six months ago. */
const SIX_MONTHS_MS = 183 * 24 * 60 * 60 * 1000;

/**
 * VTIMEZONE of a zone. The library answers for the canonical zone of a link (Guadeloupe is a
 * link to Puerto Rico in the tz database), so the block is renamed to the TZID our events use.
 */
function vtimezone(zone: string): string | null {
  const block = tzlib_get_ical_block(zone);
  const text = Array.isArray(block) ? block[0] : null;
  if (!text) return null;
  return text
    .replace(/^TZID:.*$/m, `TZID:${zone}`)
    .replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${zone}`);
}

type CalendarEvent = Pick<
  EventSummary,
  | "id"
  | "slug"
  | "title"
  | "startsAt"
  | "endsAt"
  | "timeZone"
  | "venue"
  | "status"
  | "sequence"
  | "updatedAt"
  | "communeName"
  | "collectivityName"
  | "themes"
> & { description?: string; onlineUrl?: string | null };

/**
 * An iCalendar (RFC 5545) document. Times carry the event's TZID with its VTIMEZONE; UIDs are
 * stable and SEQUENCE grows on every change, so subscribed calendars update and cancel in place.
 * ical-generator escapes text (a title's line break cannot start a new property).
 */
export function buildCalendar(
  items: CalendarEvent[],
  options: { origin: string; name: string; description?: string },
) {
  const calendar = ical({
    name: options.name,
    description: options.description,
    prodId: { company: "Territoires Internet", product: "evenements", language: "FR" },
    url: `${options.origin}/evenements`,
    ttl: 60 * 60,
    timezone: { name: null, generator: vtimezone },
  });
  for (const event of items) {
    const url = `${options.origin}/evenements/${event.slug}`;
    const place = [event.venue, event.communeName].filter(Boolean).join(", ");
    const description = [
      event.description ? event.description.slice(0, 4_000) : null,
      event.onlineUrl ? `Lien de connexion : ${event.onlineUrl}` : null,
      `Organisé par ${event.collectivityName}.`,
      url,
    ]
      .filter(Boolean)
      .join("\n\n");
    // A local time that occurs twice (02:30 on the night of the autumn change) is read
    // differently by calendar apps despite RFC 5545: such an event is written in UTC instead.
    const ambiguous =
      isAmbiguous(event.startsAt, event.timeZone) || isAmbiguous(event.endsAt, event.timeZone);
    calendar.createEvent({
      id: `${event.id}@${UID_DOMAIN}`,
      sequence: event.sequence,
      stamp: event.updatedAt,
      lastModified: event.updatedAt,
      start: ambiguous ? event.startsAt : new TZDate(event.startsAt.getTime(), event.timeZone),
      end: ambiguous ? event.endsAt : new TZDate(event.endsAt.getTime(), event.timeZone),
      timezone: ambiguous ? null : event.timeZone,
      summary: event.status === "cancelled" ? `Annulé : ${event.title}` : event.title,
      description,
      location: place || (event.onlineUrl ? "En ligne" : null),
      url,
      categories: event.themes.map((slug) => ({ name: themeLabel(slug) })),
      status: event.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}

export function eventIcs(event: EventDetail, origin: string) {
  return buildCalendar([event], { origin, name: event.title });
}

type CachedFeed = { key: string; body: string; etag: string };
const feedCache = new Map<string, CachedFeed>();
const FEED_CACHE_SIZE = 64;

/**
 * The subscribable feed: every public event that ends after 6 months ago (cancelled ones stay,
 * so subscribers see the cancellation), filtered by région, département or theme.
 *
 * Calendar apps poll feeds; building 1,000 events takes a few hundred milliseconds, so the text
 * is kept per filter until an event changes (newest `updated_at` and count) or the hour turns
 * (the 6-month window moves). The same version gives the ETag for 304 answers.
 */
export async function feedIcs(
  filters: Pick<EventFilters, "region" | "department" | "theme">,
  origin: string,
): Promise<CachedFeed> {
  const [version] = await db
    .select({
      updatedAt: sql<string>`coalesce(max(${events.updatedAt})::text, '')`,
      total: sql<number>`count(*)::int`,
    })
    .from(events);
  const filterKey = `${origin}|${filters.region ?? ""}|${filters.department ?? ""}|${filters.theme ?? ""}`;
  const hour = Math.floor(Date.now() / 3_600_000);
  const key = `${version?.updatedAt}|${version?.total}|${hour}`;
  const cached = feedCache.get(filterKey);
  if (cached && cached.key === key) return cached;

  const from = new Date(Date.now() - SIX_MONTHS_MS);
  const { items } = await listEvents({ ...filters, from, period: "all", pageSize: 2_000 });
  const scope = filters.theme ? ` — ${themeLabel(filters.theme)}` : "";
  const body = buildCalendar(items, {
    origin,
    name: `Événements Territoires Internet${scope}`,
    description: "Agenda des événements du réseau Territoires Internet.",
  });
  const entry = { key, body, etag: `"${sha256(`${filterKey}|${key}`).slice(0, 32)}"` };
  feedCache.delete(filterKey);
  feedCache.set(filterKey, entry);
  if (feedCache.size > FEED_CACHE_SIZE) feedCache.delete(feedCache.keys().next().value!);
  return entry;
}

const CALENDAR_TOKEN = /^[a-z2-7]{40}$/;

/** A new secret address for the member's calendar; the previous one stops working. */
export async function createCalendarToken(userId: string) {
  const token = randomId(25);
  await db
    .insert(eventCalendarTokens)
    .values({ userId, tokenHash: sha256(token) })
    .onConflictDoUpdate({
      target: eventCalendarTokens.userId,
      set: { tokenHash: sha256(token), createdAt: new Date() },
    });
  return token;
}

export async function revokeCalendarToken(userId: string) {
  await db.delete(eventCalendarTokens).where(eq(eventCalendarTokens.userId, userId));
}

export async function hasCalendarToken(userId: string) {
  const [row] = await db
    .select({ createdAt: eventCalendarTokens.createdAt })
    .from(eventCalendarTokens)
    .where(eq(eventCalendarTokens.userId, userId));
  return row?.createdAt ?? null;
}

/**
 * The events of the member owning a calendar token (null for an unknown or revoked one): those
 * they registered for, ended less than six months ago or to come; online links for confirmed
 * registrations only.
 */
export async function personalCalendar(token: string) {
  if (!CALENDAR_TOKEN.test(token)) return null;
  const [owner] = await db
    .select({ userId: eventCalendarTokens.userId })
    .from(eventCalendarTokens)
    .where(eq(eventCalendarTokens.tokenHash, sha256(token)));
  if (!owner) return null;
  const rows = await selectEvents({
    description: events.description,
    onlineUrl: events.onlineUrl,
    registration: eventRegistrations.status,
  })
    .innerJoin(eventRegistrations, eq(eventRegistrations.eventId, events.id))
    .where(
      and(
        eq(eventRegistrations.userId, owner.userId),
        ne(events.status, "draft"),
        gte(events.endsAt, new Date(Date.now() - SIX_MONTHS_MS)),
      ),
    )
    .orderBy(asc(events.startsAt))
    .limit(1_000);
  type Row = EventSummary & {
    description: string;
    onlineUrl: string | null;
    registration: RegistrationStatus;
  };
  return (rows as Row[]).map(({ registration, ...event }) => ({
    ...event,
    onlineUrl: registration === "confirmed" ? event.onlineUrl : null,
  }));
}

/** The personal calendar behind a secret address, or null when the address is unknown. */
export async function personalIcs(token: string, origin: string) {
  const items = await personalCalendar(token);
  if (!items) return null;
  return buildCalendar(items, {
    origin,
    name: "Mes événements — Territoires Internet",
    description: "Les événements auxquels vous êtes inscrit·e sur Territoires Internet.",
  });
}
