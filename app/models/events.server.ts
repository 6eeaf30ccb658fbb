import { and, asc, desc, eq, gte, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";

import { db, type Executor, type Transaction } from "../../db/client";
import {
  collectivities,
  eventCalendarTokens,
  eventOrganisers,
  eventRegistrations,
  events,
  initiatives,
  users,
  type EventFormat,
  type EventStatus,
  type NotificationKind,
  type ProgrammeItem,
  type RegistrationStatus,
} from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { rooms, type EventPlaces } from "../../realtime/protocol";
import { indexName, searchIndex } from "../../search/client";
import { hasRole, type AuthUser } from "../utils/auth.server";
import {
  formatInZone,
  formatRange,
  instantToLocal,
  localToInstant,
  zoneForDepartment,
  zoneLabel,
} from "../utils/dates";
import { randomId, sha256 } from "../utils/ids.server";
import { logger } from "../utils/logger.server";
import { firstFreeSlug } from "../utils/slugs.server";
import { escapeLike, slugify } from "../utils/text";
import { approvedCollectivityOf } from "./collectivities.server";
import {
  createNotifications,
  publishNotifications,
  type SavedNotification,
} from "./notifications.server";
import { failure, isUniqueViolation, type Result } from "./result.server";
import { enqueueIndexing } from "./search-outbox.server";

export const EVENTS_INDEX = "events";

type Delivery = SavedNotification;

/** Stores one notification per person inside the transaction; `deliver` pushes them after it. */
async function notify(
  tx: Executor,
  userIds: string[],
  notification: { kind: NotificationKind; title: string; body: string; url: string },
): Promise<Delivery[]> {
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

/** After commit: the notifications reach the open pages of their recipients. */
function deliver(saved: Delivery[]) {
  publishNotifications(saved).catch((error: unknown) =>
    logger().warn(
      { err: error instanceof Error ? error.message : String(error) },
      "notifications non poussées",
    ),
  );
}

const RESERVED_SLUGS = new Set(["nouveau", "calendrier", "mes-evenements"]);
const MAX_DURATION_MS = 31 * 24 * 60 * 60 * 1000;

type Viewer = Pick<AuthUser, "id" | "roles"> | null;

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

// Written out in full: drizzle leaves columns unqualified in single-table queries, where "id"
// would then name the registration's own id inside the subquery.
const confirmedCount = sql<number>`(select count(*)::int from event_registrations r where r.event_id = "events"."id" and r.status = 'confirmed')`;
const waitlistedCount = sql<number>`(select count(*)::int from event_registrations r where r.event_id = "events"."id" and r.status = 'waitlisted')`;

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

export function placesLeft(event: { capacity: number | null; confirmed: number }) {
  return event.capacity === null ? null : Math.max(0, event.capacity - event.confirmed);
}

/** When registrations close: the deadline if set, else the start. */
export function registrationClosesAt(event: { registrationDeadline: Date | null; startsAt: Date }) {
  return event.registrationDeadline ?? event.startsAt;
}

function isAdmin(viewer: Viewer) {
  return hasRole(viewer, "admin");
}

/** Drafts are seen by their organisers and admins only: part of the WHERE, not an if. */
function visibleTo(viewer: Viewer): SQL | undefined {
  if (isAdmin(viewer)) return undefined;
  const organises = viewer
    ? sql`exists (select 1 from event_organisers o where o.event_id = "events"."id" and o.user_id = ${viewer.id})`
    : sql`false`;
  return or(ne(events.status, "draft"), organises);
}

function baseQuery(executor: Executor = db) {
  return executor
    .select(summaryColumns)
    .from(events)
    .innerJoin(host, eq(host.code, events.collectivityCode))
    .leftJoin(commune, eq(commune.code, events.communeCode));
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
export async function listEvents(filters: EventFilters, viewer: Viewer = null) {
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
  if (period === "upcoming") conditions.push(gte(events.endsAt, now));
  if (period === "past") conditions.push(lt(events.endsAt, now));
  const where = and(...conditions);
  const order = period === "past" ? [desc(events.startsAt)] : [asc(events.startsAt)];
  const [items, [total]] = await Promise.all([
    baseQuery()
      .where(where)
      .orderBy(...order, asc(events.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(events)
      .where(where),
  ]);
  return { items: items as EventSummary[], total: total?.total ?? 0, page, pageSize };
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

async function findEvent(where: SQL, viewer: Viewer, executor: Executor = db) {
  const [row] = await executor
    .select({
      ...summaryColumns,
      description: events.description,
      onlineUrl: events.onlineUrl,
      programme: events.programme,
      initiativeIds: events.initiativeIds,
      createdAt: events.createdAt,
      publishedAt: events.publishedAt,
      cancelledAt: events.cancelledAt,
    })
    .from(events)
    .innerJoin(host, eq(host.code, events.collectivityCode))
    .leftJoin(commune, eq(commune.code, events.communeCode))
    .where(and(where, visibleTo(viewer)));
  return (row as EventDetail | undefined) ?? null;
}

/**
 * An event as the viewer may see it, or null (missing and not visible look the same). The
 * online link is only kept for organisers and registered people.
 */
export async function getEvent(
  by: { slug: string } | { id: string },
  viewer: Viewer,
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

/** Admins, and organisers of the event who still hold the organiser role. */
export async function canManage(viewer: Viewer, eventId: string, executor: Executor = db) {
  if (!viewer) return false;
  if (isAdmin(viewer)) return true;
  if (!hasRole(viewer, "organiser")) return false;
  const [row] = await executor
    .select({ userId: eventOrganisers.userId })
    .from(eventOrganisers)
    .where(and(eq(eventOrganisers.eventId, eventId), eq(eventOrganisers.userId, viewer.id)));
  return Boolean(row);
}

export type MyRegistration = {
  status: RegistrationStatus;
  position: number | null;
  showPublicly: boolean;
  createdAt: Date;
};

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

// ——— Writing events ———

type Normalised = {
  values: Omit<typeof events.$inferInsert, "id" | "slug" | "collectivityCode" | "createdBy">;
};

async function collectivityRow(executor: Executor, code: string) {
  const [row] = await executor
    .select({
      code: collectivities.code,
      kind: collectivities.kind,
      name: collectivities.name,
      departmentCode: collectivities.departmentCode,
      regionCode: collectivities.regionCode,
    })
    .from(collectivities)
    .where(eq(collectivities.code, code));
  return row ?? null;
}

function parseWhen(value: string, zone: string): Date | null {
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) && value.includes("T") && value.length > 16) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return localToInstant(value, zone);
}

/** Checks the rules that span fields, and derives the zone and area from the place. */
async function normalise(
  executor: Executor,
  input: EventInput,
  hostCode: string,
): Promise<Result<Normalised>> {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const hostRow = await collectivityRow(executor, hostCode);
  if (!hostRow) return failure(422, { collectivityCode: ["Collectivité introuvable."] });
  let place = hostRow;
  if (input.communeCode) {
    const row = await collectivityRow(executor, input.communeCode);
    if (!row || row.kind !== "commune")
      add("communeCode", "Cette commune est introuvable dans l'annuaire.");
    else place = row;
  }
  const physical = input.format !== "en-ligne";
  if (physical && !input.communeCode && !errors.communeCode) {
    add("communeCode", "Indiquez la commune où se tient l'événement.");
  }
  if (physical && !input.venue.trim()) add("venue", "Indiquez l'adresse du lieu.");
  if (input.format !== "presentiel" && !input.onlineUrl && input.status === "published") {
    add("onlineUrl", "Indiquez le lien de connexion (il ne sera montré qu'aux inscrits).");
  }
  const zone = zoneForDepartment(place.departmentCode);
  const startsAt = parseWhen(input.startsAt, zone);
  const endsAt = parseWhen(input.endsAt, zone);
  const nonexistent =
    "Cette date et heure n'existe pas dans le fuseau du lieu (passage à l'heure d'été) ou est invalide.";
  if (!startsAt) add("startsAt", nonexistent);
  if (!endsAt) add("endsAt", nonexistent);
  if (startsAt && endsAt) {
    if (endsAt.getTime() <= startsAt.getTime()) add("endsAt", "La fin doit être après le début.");
    else if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) {
      add("endsAt", "Un événement dure 31 jours au plus.");
    }
  }
  let deadline: Date | null = null;
  if (input.registrationDeadline) {
    deadline = parseWhen(input.registrationDeadline, zone);
    if (!deadline) add("registrationDeadline", nonexistent);
    else if (endsAt && deadline.getTime() > endsAt.getTime()) {
      add(
        "registrationDeadline",
        "La clôture des inscriptions doit précéder la fin de l'événement.",
      );
    }
  }
  if (Object.keys(errors).length > 0 || !startsAt || !endsAt) return failure(422, errors);
  return {
    ok: true,
    value: {
      values: {
        title: input.title,
        description: input.description,
        themes: [...new Set(input.themes)],
        format: input.format,
        startsAt,
        endsAt,
        timeZone: zone,
        venue: physical ? input.venue.trim() : "",
        communeCode: input.communeCode || null,
        departmentCode: place.departmentCode,
        regionCode: place.regionCode,
        onlineUrl: input.format === "presentiel" ? null : input.onlineUrl,
        capacity: input.capacity,
        registrationDeadline: deadline,
        programme: input.programme,
        initiativeIds: [...new Set(input.initiativeIds)],
        status: input.status,
      },
    },
  };
}

async function uniqueSlug(executor: Executor, title: string, startsAt: Date) {
  const base = slugify(title, 70) || "evenement";
  const dated = `${base}-${startsAt.getUTCFullYear()}`;
  return firstFreeSlug([base, dated], {
    reserved: RESERVED_SLUGS,
    isTaken: async (slug) =>
      (await executor.select({ id: events.id }).from(events).where(eq(events.slug, slug))).length >
      0,
    fallback: `${base}-${randomId(3)}`,
  });
}

/** Creates an event hosted by the organiser's collectivity (or the one an admin names). */
export async function createEvent(
  viewer: AuthUser,
  input: EventInput,
): Promise<Result<{ id: string; slug: string }>> {
  if (!hasRole(viewer, "organiser")) {
    return failure(
      403,
      {},
      "Seuls les organisateurs et organisatrices peuvent créer un événement.",
    );
  }
  let hostCode = await approvedCollectivityOf(viewer.id);
  if (isAdmin(viewer) && input.collectivityCode) hostCode = input.collectivityCode;
  if (!hostCode) {
    return failure(
      403,
      {},
      "Votre adhésion à une collectivité doit être validée avant d'organiser un événement.",
    );
  }
  const checked = await normalise(db, input, hostCode);
  if (!checked.ok) return checked;
  const values = checked.value.values;
  const id = randomId();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const slug = await uniqueSlug(db, input.title, values.startsAt as Date);
      await db.transaction(async (tx) => {
        await tx.insert(events).values({
          ...values,
          id,
          slug,
          collectivityCode: hostCode,
          createdBy: viewer.id,
          publishedAt: values.status === "published" ? new Date() : null,
        });
        await tx.insert(eventOrganisers).values({ eventId: id, userId: viewer.id });
        await enqueueIndexing(tx, EVENTS_INDEX, id);
      });
      return { ok: true, value: { id, slug } };
    } catch (error) {
      // Two events with the same title at once: pick another slug.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return failure(409, { title: ["Un événement porte déjà ce titre ; précisez-le."] });
}

/** The stored event as an input, to merge a partial change (PATCH) into. */
function asInput(event: EventDetail): EventInput {
  return {
    title: event.title,
    description: event.description,
    themes: event.themes,
    format: event.format,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    registrationDeadline: event.registrationDeadline?.toISOString() ?? null,
    venue: event.venue,
    communeCode: event.communeCode,
    onlineUrl: event.onlineUrl,
    capacity: event.capacity,
    status: event.status === "published" ? "published" : "draft",
    programme: event.programme,
    initiativeIds: event.initiativeIds,
  };
}

/**
 * Updates an event. 404 when the viewer cannot see it, 403 when they see it but do not organise
 * it. Lowering the capacity below the confirmed count drops nobody (see `capacityRule`); raising
 * it promotes from the waitlist in order.
 */
export async function updateEvent(
  viewer: AuthUser,
  eventId: string,
  patch: Omit<Partial<EventInput>, "status"> & { status?: EventStatus },
): Promise<Result<{ id: string; slug: string }>> {
  const outcome = await db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ id: events.id })
      .from(events)
      .where(eq(events.id, eventId))
      .for("update");
    const current = locked ? await findEvent(eq(events.id, eventId), viewer, tx) : null;
    if (!current) return { result: failure(404, {}, "Événement introuvable.") };
    if (!(await canManage(viewer, eventId, tx))) {
      return {
        result: failure(403, {}, "Seuls les organisateurs de cet événement peuvent le modifier."),
      };
    }
    if (current.status === "cancelled") {
      return {
        result: failure(409, {}, "Cet événement est annulé : il ne peut plus être modifié."),
      };
    }
    if (patch.status === "cancelled") {
      const deliveries = await cancelLocked(tx, current);
      return {
        result: { ok: true as const, value: { id: current.id, slug: current.slug } },
        deliveries,
        places: true,
      };
    }
    if (
      patch.status === "draft" &&
      current.status === "published" &&
      current.confirmed + current.waitlisted > 0
    ) {
      return {
        result: failure(409, {
          status: [
            "Des personnes sont inscrites : annulez l'événement plutôt que de le dépublier.",
          ],
        }),
      };
    }
    const merged: EventInput = {
      ...asInput(current),
      ...patch,
      status: (patch.status ?? (current.status as "draft" | "published")) as "draft" | "published",
    };
    const checked = await normalise(tx, merged, current.collectivityCode);
    if (!checked.ok) return { result: checked };
    const values = checked.value.values;
    await tx
      .update(events)
      .set({
        ...values,
        sequence: sql`${events.sequence} + 1`,
        updatedAt: new Date(),
        publishedAt: current.publishedAt ?? (values.status === "published" ? new Date() : null),
      })
      .where(eq(events.id, eventId));
    const promoted = await fillFromWaitlist(tx, { ...current, capacity: values.capacity ?? null });
    await enqueueIndexing(tx, EVENTS_INDEX, eventId);
    const capacityChanged = current.capacity !== (values.capacity ?? null);
    // People registered hear about a new date, place or link, as they would from Mobilizon.
    const moved =
      current.status === "published" &&
      ((values.startsAt as Date).getTime() !== current.startsAt.getTime() ||
        (values.endsAt as Date).getTime() !== current.endsAt.getTime() ||
        (values.venue ?? "") !== current.venue ||
        (values.communeCode ?? null) !== current.communeCode ||
        (values.onlineUrl ?? null) !== current.onlineUrl);
    const changed = moved ? await notifyChange(tx, current, values) : [];
    return {
      result: { ok: true as const, value: { id: current.id, slug: current.slug } },
      deliveries: [...promoted, ...changed],
      places: capacityChanged || promoted.length > 0,
    };
  });
  deliver(outcome.deliveries ?? []);
  if ("places" in outcome && outcome.places) scheduleBroadcast(eventId);
  return outcome.result;
}

async function notifyChange(
  tx: Transaction,
  event: EventDetail,
  values: Normalised["values"],
): Promise<Delivery[]> {
  const registered = await tx
    .select({ userId: eventRegistrations.userId })
    .from(eventRegistrations)
    .where(eq(eventRegistrations.eventId, event.id));
  const zone = values.timeZone ?? event.timeZone;
  return notify(
    tx,
    registered.map((r) => r.userId),
    {
      kind: "event-changed",
      title: `Événement modifié : ${values.title ?? event.title}`,
      body: `Vérifiez la date, le lieu et le lien : l'événement a lieu ${formatRange(values.startsAt as Date, values.endsAt as Date, zone)} (${zoneLabel(zone)}).`,
      url: `/evenements/${event.slug}`,
    },
  );
}

async function cancelLocked(tx: Transaction, event: EventDetail): Promise<Delivery[]> {
  await tx
    .update(events)
    .set({
      status: "cancelled",
      cancelledAt: new Date(),
      updatedAt: new Date(),
      sequence: sql`${events.sequence} + 1`,
    })
    .where(eq(events.id, event.id));
  await enqueueIndexing(tx, EVENTS_INDEX, event.id);
  const registered = await tx
    .select({ userId: eventRegistrations.userId })
    .from(eventRegistrations)
    .where(eq(eventRegistrations.eventId, event.id));
  return notify(
    tx,
    registered.map((r) => r.userId),
    {
      kind: "event-cancelled",
      title: `Événement annulé : ${event.title}`,
      body: `L'événement prévu le ${formatInZone(event.startsAt, event.timeZone)} est annulé par ses organisateurs.`,
      url: `/evenements/${event.slug}`,
    },
  );
}

/** Cancels an event: registrations close, registered people are notified, calendars follow. */
export async function cancelEvent(viewer: AuthUser, eventId: string) {
  return updateEvent(viewer, eventId, { status: "cancelled" });
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

// ——— Registrations ———

export type RegistrationOutcome = {
  status: RegistrationStatus;
  position?: number;
  created: boolean;
};

type LockedEvent = {
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
async function lockEvent(tx: Transaction, eventId: string): Promise<LockedEvent | null> {
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
  if (result.ok) scheduleBroadcast(eventId);
  return result;
}

/**
 * Confirms waitlisted people, first come first served, while places remain. With a capacity
 * lowered below the confirmed count, nobody is promoted until enough people cancel.
 */
async function fillFromWaitlist(
  tx: Transaction,
  event: { id: string; slug: string; title: string; capacity: number | null },
): Promise<Delivery[]> {
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
    deliver(outcome.deliveries);
    scheduleBroadcast(eventId);
  }
  return outcome.result;
}

export async function setShowPublicly(userId: string, eventId: string, showPublicly: boolean) {
  await db
    .update(eventRegistrations)
    .set({ showPublicly })
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, userId)));
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

const BROADCAST_DELAY_MS = 100;
const pendingBroadcasts = new Map<string, NodeJS.Timeout>();

/**
 * Tells the pages following the event how many places are left, shortly after the commit: a
 * rush of 500 registrations becomes a few messages carrying the latest count, not 500.
 */
function scheduleBroadcast(eventId: string) {
  if (!realtime() || pendingBroadcasts.has(eventId)) return;
  const timer = setTimeout(() => {
    pendingBroadcasts.delete(eventId);
    broadcastPlaces(eventId).catch((error: unknown) =>
      logger().warn(
        { err: error instanceof Error ? error.message : String(error) },
        "places non diffusées",
      ),
    );
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

/** Public, published events only, for the socket room. */
export async function watchablePlaces(eventId: string) {
  const [row] = await db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.id, eventId), ne(events.status, "draft")));
  return row ? placesOf(eventId) : null;
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
  const event = await findEvent(eq(events.id, eventId), viewer);
  if (!event) return failure(404, {}, "Événement introuvable.");
  if (!(await canManage(viewer, eventId)))
    return failure(403, {}, "Action réservée aux organisateurs.");
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
  deliver(deliveries);
  return { ok: true, value: { sent: deliveries.length } };
}

/** The events a member registered for and that are not over, soonest first. */
export async function myEvents(userId: string) {
  const rows = await db
    .select({ ...summaryColumns, myStatus: eventRegistrations.status })
    .from(events)
    .innerJoin(host, eq(host.code, events.collectivityCode))
    .leftJoin(commune, eq(commune.code, events.communeCode))
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
  return baseQuery()
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

/** An account deleted: its registrations go, and each freed place goes to the next person waiting. */
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

/**
 * Ids of the public events matching `q`, best first, from Meilisearch; null when the search
 * engine is unreachable (the page then falls back to titles in PostgreSQL and says so).
 */
export async function searchEventIds(q: string): Promise<string[] | null> {
  try {
    const result = await searchIndex(indexName(EVENTS_INDEX), q, {
      limit: 1_000,
      attributesToRetrieve: ["id"],
    });
    return result.hits.map((hit) => String(hit.id));
  } catch {
    return null;
  }
}

/** The degraded search: title words in PostgreSQL. */
export async function searchEventIdsInDatabase(q: string) {
  const term = `%${escapeLike(q)}%`;
  const rows = await db
    .select({ id: events.id })
    .from(events)
    .where(and(ne(events.status, "draft"), sql`${events.title} ilike ${term}`))
    .limit(1_000);
  return rows.map((row) => row.id);
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

// ——— Personal calendar ———

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
  const rows = await db
    .select({
      ...summaryColumns,
      description: events.description,
      onlineUrl: events.onlineUrl,
      registration: eventRegistrations.status,
    })
    .from(events)
    .innerJoin(host, eq(host.code, events.collectivityCode))
    .leftJoin(commune, eq(commune.code, events.communeCode))
    .innerJoin(eventRegistrations, eq(eventRegistrations.eventId, events.id))
    .where(
      and(
        eq(eventRegistrations.userId, owner.userId),
        ne(events.status, "draft"),
        gte(events.endsAt, new Date(Date.now() - 183 * 24 * 60 * 60 * 1000)),
      ),
    )
    .orderBy(asc(events.startsAt))
    .limit(1_000);
  return rows.map(({ registration, ...event }) => ({
    ...(event as EventSummary & { description: string; onlineUrl: string | null }),
    onlineUrl: registration === "confirmed" ? event.onlineUrl : null,
  }));
}
