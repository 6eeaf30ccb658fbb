import { and, asc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  eventOrganisers,
  eventSeries,
  eventSeriesHosts,
  eventSeriesStages,
  events,
  type EventSeriesStatus,
  type SeriesHostStatus,
} from "../../db/schema";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { buildCalendar } from "./event-calendar.server";
import { selectEvents, visibleTo, type EventSummary, type EventViewer } from "./events.server";

/**
 * Event series as people see them (the assises territoriales and their stages): who may see a
 * series, its hosts, its stages grouped by place, its calendar feed. Writes live in
 * `event-series-writes`.
 */

export type EventSeriesSummary = {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: EventSeriesStatus;
  createdBy: string | null;
  updatedAt: Date;
  publishedAt: Date | null;
};

const seriesColumns = {
  id: eventSeries.id,
  slug: eventSeries.slug,
  title: eventSeries.title,
  description: eventSeries.description,
  status: eventSeries.status,
  createdBy: eventSeries.createdBy,
  updatedAt: eventSeries.updatedAt,
  publishedAt: eventSeries.publishedAt,
};

/** The collectivity whose approved member the viewer is (one current membership per person). */
const viewerCollectivity = (userId: string) =>
  sql`(select m.collectivity_code from memberships m where m.user_id = ${userId} and m.status = 'approved')`;

/**
 * Published series, and drafts for their organiser, admins and the collectivities invited to
 * host a stage (who prepare it before the programme goes out).
 */
export function seriesVisibleTo(viewer: EventViewer): SQL | undefined {
  if (hasRole(viewer, "admin")) return undefined;
  if (!viewer) return eq(eventSeries.status, "published");
  return or(
    eq(eventSeries.status, "published"),
    eq(eventSeries.createdBy, viewer.id),
    sql`exists (select 1 from event_series_hosts h where h.series_id = ${eventSeries.id}
      and h.status <> 'declined' and h.collectivity_code = ${viewerCollectivity(viewer.id)})`,
  );
}

/** The organiser of the series (still holding the organiser role) and admins. */
export function canManageSeries(
  viewer: Pick<AuthUser, "id" | "roles"> | null,
  series: Pick<EventSeriesSummary, "createdBy">,
) {
  if (hasRole(viewer, "admin")) return true;
  return Boolean(viewer && hasRole(viewer, "organiser") && series.createdBy === viewer.id);
}

export async function findSeries(
  by: { slug: string } | { id: string },
  viewer: EventViewer,
  executor: Executor = db,
) {
  const where = "slug" in by ? eq(eventSeries.slug, by.slug) : eq(eventSeries.id, by.id);
  const [row] = await executor
    .select(seriesColumns)
    .from(eventSeries)
    .where(and(where, seriesVisibleTo(viewer)));
  return (row as EventSeriesSummary | undefined) ?? null;
}

export type SeriesHost = {
  collectivityCode: string;
  collectivityName: string;
  status: SeriesHostStatus;
  invitedAt: Date;
  decidedAt: Date | null;
};

export async function listHosts(seriesId: string): Promise<SeriesHost[]> {
  return db
    .select({
      collectivityCode: eventSeriesHosts.collectivityCode,
      collectivityName: collectivities.name,
      status: eventSeriesHosts.status,
      invitedAt: eventSeriesHosts.invitedAt,
      decidedAt: eventSeriesHosts.decidedAt,
    })
    .from(eventSeriesHosts)
    .innerJoin(collectivities, eq(collectivities.code, eventSeriesHosts.collectivityCode))
    .where(eq(eventSeriesHosts.seriesId, seriesId))
    .orderBy(asc(collectivities.name));
}

const department = alias(collectivities, "stage_department");
const region = alias(collectivities, "stage_region");

export type SeriesStage = EventSummary & {
  hostCode: string;
  departmentName: string | null;
  regionName: string | null;
};

/**
 * The attached stages of a series the viewer may see (drafts for their organisers only), in
 * date order, with the names of their département and région for the list by place.
 */
export async function seriesStages(seriesId: string, viewer: EventViewer) {
  const rows = await selectEvents({
    hostCode: eventSeriesStages.hostCode,
    departmentName: department.name,
    regionName: region.name,
  })
    .innerJoin(eventSeriesStages, eq(eventSeriesStages.eventId, events.id))
    .leftJoin(department, eq(department.code, sql`'dep-' || ${events.departmentCode}`))
    .leftJoin(region, eq(region.code, sql`'reg-' || ${events.regionCode}`))
    .where(
      and(
        eq(eventSeriesStages.seriesId, seriesId),
        isNull(eventSeriesStages.detachedAt),
        visibleTo(viewer),
      ),
    )
    .orderBy(asc(events.startsAt), asc(events.id));
  return rows as SeriesStage[];
}

/** Which of these stages the viewer organises (to offer the management links). */
export async function organisedAmong(viewer: EventViewer, eventIds: string[]) {
  if (!viewer || eventIds.length === 0) return new Set<string>();
  const rows = await db
    .select({ eventId: eventOrganisers.eventId })
    .from(eventOrganisers)
    .where(and(eq(eventOrganisers.userId, viewer.id), inArray(eventOrganisers.eventId, eventIds)));
  return new Set(rows.map((row) => row.eventId));
}

export type PlaceGroup = {
  regionName: string;
  departments: Array<{ code: string; name: string; stages: SeriesStage[] }>;
};

/** Stages by région then département (online-only stages under "En ligne"), for the list. */
export function groupByPlace(stages: SeriesStage[]): PlaceGroup[] {
  const regions = new Map<
    string,
    Map<string, { code: string; name: string; stages: SeriesStage[] }>
  >();
  for (const stage of stages) {
    const regionName = stage.regionName ?? "En ligne";
    const code = stage.departmentCode ?? "";
    const departments = regions.get(regionName) ?? new Map();
    regions.set(regionName, departments);
    const entry = departments.get(code) ?? {
      code,
      name: stage.departmentName ?? "En ligne",
      stages: [],
    };
    entry.stages.push(stage);
    departments.set(code, entry);
  }
  return [...regions.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "fr"))
    .map(([regionName, departments]) => ({
      regionName,
      departments: [...departments.values()].sort((a, b) => a.code.localeCompare(b.code)),
    }));
}

/** Stages per département, for the map. */
export function stagesPerDepartment(stages: SeriesStage[]) {
  const counts = new Map<string, number>();
  for (const stage of stages) {
    if (stage.departmentCode)
      counts.set(stage.departmentCode, (counts.get(stage.departmentCode) ?? 0) + 1);
  }
  return counts;
}

/** What the viewer's collectivity may do in the series: decide the invitation, add its stage. */
export async function hostOfViewer(series: EventSeriesSummary, viewer: AuthUser | null) {
  if (!viewer) return null;
  const [row] = await db
    .select({
      collectivityCode: eventSeriesHosts.collectivityCode,
      collectivityName: collectivities.name,
      status: eventSeriesHosts.status,
      isReferent: sql<boolean>`exists (select 1 from memberships m where m.user_id = ${viewer.id}
        and m.collectivity_code = ${eventSeriesHosts.collectivityCode}
        and m.status = 'approved' and m.is_referent)`,
      stageSlug: sql<
        string | null
      >`(select e.slug from event_series_stages s join events e on e.id = s.event_id
        where s.series_id = ${series.id} and s.host_code = ${eventSeriesHosts.collectivityCode}
        and s.detached_at is null)`,
    })
    .from(eventSeriesHosts)
    .innerJoin(collectivities, eq(collectivities.code, eventSeriesHosts.collectivityCode))
    .where(
      and(
        eq(eventSeriesHosts.seriesId, series.id),
        eq(eventSeriesHosts.collectivityCode, viewerCollectivity(viewer.id)),
      ),
    );
  return row ?? null;
}

/** The series a stage belongs to (while attached and if the viewer may see the series). */
export async function seriesOfStage(eventId: string, viewer: EventViewer) {
  const [row] = await db
    .select({ slug: eventSeries.slug, title: eventSeries.title })
    .from(eventSeriesStages)
    .innerJoin(eventSeries, eq(eventSeries.id, eventSeriesStages.seriesId))
    .where(
      and(
        eq(eventSeriesStages.eventId, eventId),
        isNull(eventSeriesStages.detachedAt),
        seriesVisibleTo(viewer),
      ),
    );
  return row ?? null;
}

/** The series listed on the events page: published ones, and those the viewer prepares. */
export async function listSeries(viewer: EventViewer) {
  return db
    .select({ slug: eventSeries.slug, title: eventSeries.title, status: eventSeries.status })
    .from(eventSeries)
    .where(seriesVisibleTo(viewer))
    .orderBy(asc(eventSeries.title))
    .limit(100);
}

/**
 * The combined calendar of a series: every stage that is not a draft, each with its own TZID
 * and VTIMEZONE (a stage in Guadeloupe keeps its local hours), cancelled ones included so that
 * subscribers see the cancellation.
 */
export async function seriesIcs(series: EventSeriesSummary, origin: string) {
  // Read as an anonymous visitor: drafts are left out whoever asks.
  const stages = await seriesStages(series.id, null);
  return buildCalendar(stages, {
    origin,
    name: series.title,
    description: `Les étapes de « ${series.title} ».`,
  });
}

/** The series a person created, for the RGPD export. */
export async function eventSeriesOfAccount(userId: string) {
  return db
    .select({
      id: eventSeries.id,
      slug: eventSeries.slug,
      title: eventSeries.title,
      createdAt: eventSeries.createdAt,
    })
    .from(eventSeries)
    .where(eq(eventSeries.createdBy, userId));
}
