import { and, asc, desc, eq, gte, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { alias, type SelectedFields } from "drizzle-orm/pg-core";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  eventOrganisers,
  eventRegistrations,
  events,
  initiatives,
  users,
  type EventFormat,
  type EventStatus,
  type ProgrammeItem,
  type RegistrationStatus,
} from "../../db/schema";
import { searchEventIds } from "../../search/events";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { instantToLocal } from "../utils/dates";
import { pageTags } from "../utils/page-cache.server";
import { escapeLike } from "../utils/text";
import { pagesChanged } from "./after-commit.server";
import {
  confirmedCount,
  myRegistration,
  waitlistedCount,
  type MyRegistration,
} from "./event-places.server";
import { hostsStage } from "./event-series-access.server";
import { failure, type Result } from "./result.server";
import { searchIdsOrFallback } from "./search-fallback.server";

/**
 * Events as people see them: who may see what (`visibleTo`), lists, one event, who may manage
 * it, its organisers, a member's events and the search. Writing an event lives in
 * `event-editing`, registrations in `event-registrations`, places in `event-waitlist`.
 */

export type EventViewer = Pick<AuthUser, "id" | "roles"> | null;

/**
 * What a form or the API sends. Times are either local ("2027-10-30T22:00", read in the event's
 * zone) or ISO 8601 with an offset.
 */
export type EventInput = {
  title: string;
  description: string;
  themes: string[];
  format: EventFormat;
  startsAt: string;
  endsAt: string;
  registrationDeadline: string | null;
  venue: string;
  communeCode: string | null;
  onlineUrl: string | null;
  capacity: number | null;
  status: "draft" | "published";
  programme: ProgrammeItem[];
  initiativeIds: string[];
  /** Admins may host an event for any collectivity; others host for their own. */
  collectivityCode?: string | null;
};

const commune = alias(collectivities, "commune");
const host = alias(collectivities, "host");

const summaryColumns = {
  id: events.id,
  slug: events.slug,
  title: events.title,
  themes: events.themes,
  format: events.format,
  startsAt: events.startsAt,
  endsAt: events.endsAt,
  timeZone: events.timeZone,
  venue: events.venue,
  capacity: events.capacity,
  registrationDeadline: events.registrationDeadline,
  status: events.status,
  updatedAt: events.updatedAt,
  sequence: events.sequence,
  departmentCode: events.departmentCode,
  regionCode: events.regionCode,
  collectivityCode: events.collectivityCode,
  collectivityName: host.name,
  communeCode: events.communeCode,
  communeName: commune.name,
  confirmed: confirmedCount,
  waitlisted: waitlistedCount,
};

export type EventSummary = {
  id: string;
  slug: string;
  title: string;
  themes: string[];
  format: EventFormat;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  venue: string;
  capacity: number | null;
  registrationDeadline: Date | null;
  status: EventStatus;
  updatedAt: Date;
  /** Bumped on every change: the iCalendar SEQUENCE and the version of the edit forms. */
  sequence: number;
  departmentCode: string | null;
  regionCode: string | null;
  collectivityCode: string;
  collectivityName: string;
  communeCode: string | null;
  communeName: string | null;
  confirmed: number;
  waitlisted: number;
};

/**
 * Events with their host and commune joined: the summary columns and `extra` ones (rows are
 * typed by the caller, e.g. `EventDetail`).
 */
export function selectEvents(extra: SelectedFields = {}, executor: Executor = db) {
  return executor
    .select({ ...summaryColumns, ...extra })
    .from(events)
    .innerJoin(host, eq(host.code, events.collectivityCode))
    .leftJoin(commune, eq(commune.code, events.communeCode));
}

/** When registrations close: the deadline if set, else the start. */
export function registrationClosesAt(event: { registrationDeadline: Date | null; startsAt: Date }) {
  return event.registrationDeadline ?? event.startsAt;
}

/** Drafts are seen by their organisers and admins only: part of the WHERE, not an if. */
export function visibleTo(viewer: EventViewer): SQL | undefined {
  if (hasRole(viewer, "admin")) return undefined;
  const organises = viewer
    ? sql`exists (select 1 from event_organisers o where o.event_id = "events"."id" and o.user_id = ${viewer.id})`
    : sql`false`;
  return or(ne(events.status, "draft"), organises);
}

export type EventFilters = {
  ids?: string[];
  theme?: string;
  region?: string;
  department?: string;
  format?: EventFormat;
  from?: Date;
  to?: Date;
  period?: "upcoming" | "past" | "all";
  collectivityCode?: string;
  page?: number;
  pageSize?: number;
};

/** Published and cancelled events (and the viewer's drafts), upcoming first or past archive. */
export async function listEvents(filters: EventFilters, viewer: EventViewer = null) {
  const pageSize = Math.min(filters.pageSize ?? 20, 2_000);
  const page = Math.max(1, filters.page ?? 1);
  const now = new Date();
  const conditions: Array<SQL | undefined> = [
    filters.collectivityCode ? undefined : ne(events.status, "draft"),
    visibleTo(viewer),
  ];
  if (filters.ids)
    conditions.push(filters.ids.length > 0 ? inArray(events.id, filters.ids) : sql`false`);
  if (filters.theme) conditions.push(sql`${events.themes} @> array[${filters.theme}]::text[]`);
  if (filters.region) conditions.push(eq(events.regionCode, filters.region));
  if (filters.department) conditions.push(eq(events.departmentCode, filters.department));
  if (filters.format) conditions.push(eq(events.format, filters.format));
  if (filters.collectivityCode)
    conditions.push(eq(events.collectivityCode, filters.collectivityCode));
  // An event is "upcoming" until it ends, so a running multi-day event stays on top.
  if (filters.from) conditions.push(gte(events.endsAt, filters.from));
  if (filters.to) conditions.push(lt(events.startsAt, filters.to));
  const period = filters.period ?? "upcoming";
  const running = gte(events.endsAt, now);
  const where = and(
    ...conditions,
    period === "upcoming" ? running : period === "past" ? lt(events.endsAt, now) : undefined,
  );
  const order = period === "past" ? [desc(events.startsAt)] : [asc(events.startsAt)];
  // The list changes by itself when the first of its running events ends: it leaves the
  // upcoming list, and joins the past one.
  const firstEnd = sql<Date | null>`min(${events.endsAt})`.mapWith(events.endsAt);
  const [items, [total], [past]] = await Promise.all([
    selectEvents()
      .where(where)
      .orderBy(...order, asc(events.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ total: sql<number>`count(*)::int`, firstEnd })
      .from(events)
      .where(where),
    period === "past"
      ? db
          .select({ firstEnd })
          .from(events)
          .where(and(...conditions, running))
      : [],
  ]);
  return {
    items: items as EventSummary[],
    total: total?.total ?? 0,
    page,
    pageSize,
    /** When the list would change with no write: null when the clock cannot change it. */
    changesAt: period === "all" ? null : ((period === "past" ? past : total)?.firstEnd ?? null),
  };
}

export type EventDetail = EventSummary & {
  description: string;
  onlineUrl: string | null;
  programme: ProgrammeItem[];
  initiativeIds: string[];
  createdAt: Date;
  publishedAt: Date | null;
  cancelledAt: Date | null;
};

/** The whole event if the viewer may see it (links included: callers decide who sees them). */
export async function findEvent(where: SQL, viewer: EventViewer, executor: Executor = db) {
  const [row] = await selectEvents(
    {
      description: events.description,
      onlineUrl: events.onlineUrl,
      programme: events.programme,
      initiativeIds: events.initiativeIds,
      createdAt: events.createdAt,
      publishedAt: events.publishedAt,
      cancelledAt: events.cancelledAt,
    },
    executor,
  ).where(and(where, visibleTo(viewer)));
  return (row as EventDetail | undefined) ?? null;
}

/**
 * An event as the viewer may see it, or null (missing and not visible look the same). The
 * online link is only kept for organisers and registered people.
 */
export async function getEvent(
  by: { slug: string } | { id: string },
  viewer: EventViewer,
): Promise<(EventDetail & { canManage: boolean; registration: MyRegistration | null }) | null> {
  const where = "slug" in by ? eq(events.slug, by.slug) : eq(events.id, by.id);
  const event = await findEvent(where, viewer);
  if (!event) return null;
  const [manage, registration] = viewer
    ? await Promise.all([canManage(viewer, event.id), myRegistration(event.id, viewer.id)])
    : [false, null];
  const seesLink = manage || registration?.status === "confirmed";
  return {
    ...event,
    onlineUrl: seesLink ? event.onlineUrl : null,
    canManage: manage,
    registration,
  };
}

/**
 * Admins, and organisers of the event who still hold the organiser role or, for a stage of a
 * series, who are still approved members of its host collectivity.
 */
export async function canManage(viewer: EventViewer, eventId: string, executor: Executor = db) {
  if (!viewer) return false;
  if (hasRole(viewer, "admin")) return true;
  const [row] = await executor
    .select({ userId: eventOrganisers.userId })
    .from(eventOrganisers)
    .where(
      and(
        eq(eventOrganisers.eventId, eventId),
        eq(eventOrganisers.userId, viewer.id),
        hasRole(viewer, "organiser") ? undefined : hostsStage(viewer.id, eventId),
      ),
    );
  return Boolean(row);
}

/** Adds a co-organiser (who must hold the organiser role) by email. */
export async function addOrganiser(
  viewer: AuthUser,
  eventId: string,
  email: string,
): Promise<Result<{ name: string }>> {
  if (!(await canManage(viewer, eventId)))
    return failure(403, {}, "Action réservée aux organisateurs.");
  const [person] = await db
    .select({ id: users.id, name: users.name, roles: users.roles })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()));
  if (!person || !hasRole(person, "organiser")) {
    return failure(422, {
      email: [
        "Aucun compte organisateur ne correspond à cette adresse : l'équipe du réseau attribue ce rôle.",
      ],
    });
  }
  await db.insert(eventOrganisers).values({ eventId, userId: person.id }).onConflictDoNothing();
  await pagesChanged([pageTags.event(eventId)]);
  return { ok: true, value: { name: person.name } };
}

export async function listOrganisers(eventId: string) {
  return db
    .select({
      id: users.id,
      name: users.name,
      jobTitle: users.jobTitle,
      profileKind: users.profileKind,
    })
    .from(eventOrganisers)
    .innerJoin(users, eq(users.id, eventOrganisers.userId))
    .where(eq(eventOrganisers.eventId, eventId))
    .orderBy(asc(eventOrganisers.addedAt));
}

/** The events a member registered for and that are not over, soonest first. */
export async function myEvents(userId: string) {
  const rows = await selectEvents({ myStatus: eventRegistrations.status })
    .innerJoin(eventRegistrations, eq(eventRegistrations.eventId, events.id))
    .where(
      and(
        eq(eventRegistrations.userId, userId),
        ne(events.status, "draft"),
        gte(events.endsAt, new Date()),
      ),
    )
    .orderBy(asc(events.startsAt))
    .limit(100);
  return rows as Array<EventSummary & { myStatus: RegistrationStatus }>;
}

/** The events a person organises (drafts included). */
export async function organisedEvents(userId: string) {
  return selectEvents()
    .innerJoin(eventOrganisers, eq(eventOrganisers.eventId, events.id))
    .where(eq(eventOrganisers.userId, userId))
    .orderBy(desc(events.startsAt))
    .limit(100) as Promise<EventSummary[]>;
}

export function toLocalInputs(event: EventDetail) {
  return {
    startsAt: instantToLocal(event.startsAt, event.timeZone),
    endsAt: instantToLocal(event.endsAt, event.timeZone),
    registrationDeadline: event.registrationDeadline
      ? instantToLocal(event.registrationDeadline, event.timeZone)
      : "",
  };
}

/**
 * Ids of the public events matching `q`, best first, from Meilisearch; when it cannot answer,
 * from title words in PostgreSQL, with `degraded` set so that the page says so. The caller
 * re-reads the ids through `listEvents`, whose `visibleTo` decides what the viewer may see.
 */
export async function searchEvents(q: string) {
  return searchIdsOrFallback(
    "events",
    () => searchEventIds(q),
    async () => {
      const rows = await db
        .select({ id: events.id })
        .from(events)
        .where(and(ne(events.status, "draft"), sql`${events.title} ilike ${`%${escapeLike(q)}%`}`))
        .limit(1_000);
      return rows.map((row) => row.id);
    },
  );
}

/**
 * The published initiatives an event presents (ids or slugs as the organiser gave them); drafts
 * and unknown ones are left out. Read-only use of the initiatives table.
 */
export async function presentedInitiatives(keys: string[]) {
  if (keys.length === 0) return [];
  return db
    .select({ id: initiatives.id, slug: initiatives.slug, title: initiatives.title })
    .from(initiatives)
    .where(
      and(
        eq(initiatives.status, "published"),
        or(inArray(initiatives.id, keys), inArray(initiatives.slug, keys)),
      ),
    )
    .limit(20);
}
