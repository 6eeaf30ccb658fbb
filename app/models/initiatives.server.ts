import { and, asc, count, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";

import { db } from "../../db/client";
import { collectivities, initiativeAdoptions, initiatives } from "../../db/schema";
import type { InitiativeQuery } from "../utils/initiative-schemas";
import { populationBracket } from "../utils/initiatives";
import { renderMarkdown } from "../utils/markdown.server";
import {
  canEdit,
  cardColumns,
  detailColumns,
  selectCards,
  viewerScope,
  visibleTo,
  type Viewer,
} from "./initiative-access.server";
import { inspirationOf, listAdoptions } from "./initiative-adoptions.server";
import { listContributors } from "./initiative-contributors.server";

/** Reading initiatives, each query scoped by what the viewer may see. */

/** One initiative with everything its page shows, or null if missing or not visible. */
export async function getInitiative({
  slug,
  id,
  viewer,
}: {
  slug?: string;
  id?: string;
  viewer: Viewer;
}) {
  const scope = await viewerScope(viewer);
  const [row] = await db
    .select({
      ...detailColumns,
      population: collectivities.population,
      version: initiatives.version,
    })
    .from(initiatives)
    .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode))
    .where(
      and(
        slug !== undefined ? eq(initiatives.slug, slug) : eq(initiatives.id, id ?? ""),
        visibleTo(scope),
      ),
    );
  if (!row) return null;
  const [contributors, adoptions, { inspiredBy, inspired }] = await Promise.all([
    listContributors(row.id),
    listAdoptions(row.id),
    inspirationOf(row),
  ]);
  return {
    ...row,
    bodyHtml: renderMarkdown(row.body),
    populationBracket: populationBracket(row.population),
    contributors,
    adoptions,
    inspiredBy,
    inspired,
    /** Collectivities that took it up: those who said so, and those who wrote their own. */
    reuseCount: new Set([
      ...adoptions.map((a) => a.collectivityCode),
      ...inspired.map((i) => i.collectivityCode),
    ]).size,
    canEdit: canEdit(scope, row.collectivityCode),
    viewerCollectivityCode: scope.collectivityCode,
  };
}
export type InitiativeDetail = NonNullable<Awaited<ReturnType<typeof getInitiative>>>;

/** Published initiatives sharing the most themes with this one. */
export async function relatedInitiatives(initiative: { id: string; themes: string[] }, limit = 4) {
  if (initiative.themes.length === 0) return [];
  const themes = sql`array[${sql.join(
    initiative.themes.map((t) => sql`${t}`),
    sql`, `,
  )}]::text[]`;
  return selectCards()
    .where(
      and(
        eq(initiatives.status, "published"),
        ne(initiatives.id, initiative.id),
        sql`${initiatives.themes} && ${themes}`,
      ),
    )
    .orderBy(
      sql`cardinality(array(select unnest(${initiatives.themes}) intersect select unnest(${themes}))) desc`,
      desc(initiatives.publishedAt),
    )
    .limit(limit);
}

/** The drafts the viewer may edit: their collectivity's, or every draft for an admin. */
export async function listDrafts(viewer: NonNullable<Viewer>) {
  const scope = await viewerScope(viewer);
  if (!scope.admin && !scope.collectivityCode) return [];
  return selectCards()
    .where(
      and(
        eq(initiatives.status, "draft"),
        scope.admin ? undefined : eq(initiatives.collectivityCode, scope.collectivityCode ?? ""),
      ),
    )
    .orderBy(desc(initiatives.updatedAt))
    .limit(200);
}

/** The initiatives of a collectivity (its drafts too when the viewer may edit them). */
export async function listCollectivityInitiatives(code: string, viewer: Viewer) {
  const scope = await viewerScope(viewer);
  const [own, adopted] = await Promise.all([
    selectCards()
      .where(and(eq(initiatives.collectivityCode, code), visibleTo(scope)))
      .orderBy(sql`${initiatives.publishedAt} desc nulls first`),
    db
      .select(cardColumns)
      .from(initiativeAdoptions)
      .innerJoin(initiatives, eq(initiatives.id, initiativeAdoptions.initiativeId))
      .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode))
      .where(and(eq(initiativeAdoptions.collectivityCode, code), ne(initiatives.status, "draft")))
      .orderBy(desc(initiativeAdoptions.createdAt)),
  ]);
  return { own, adopted, canCreate: canEdit(scope, code) };
}

const adoptionCount =
  sql<number>`(select count(*) from ${initiativeAdoptions} where ${initiativeAdoptions.initiativeId} = ${initiatives.id})`.mapWith(
    Number,
  );

/**
 * The published initiatives among these ids, in the order given: what a search may show once
 * PostgreSQL has confirmed each hit (an initiative unpublished or deleted a moment ago drops out).
 */
export async function publishedCardsByIds(ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await selectCardsWithAdoptions().where(
    and(inArray(initiatives.id, ids), eq(initiatives.status, "published")),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

function selectCardsWithAdoptions() {
  return db
    .select({ ...cardColumns, adoptions: adoptionCount })
    .from(initiatives)
    .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode));
}

/** Newest published initiatives from PostgreSQL, for listings without a text query. */
export async function listPublished(query: InitiativeQuery) {
  const filters: SQL[] = [eq(initiatives.status, "published")];
  const themes = query.theme ? [query.theme].flat() : [];
  if (themes.length > 0)
    filters.push(
      sql`${initiatives.themes} @> array[${sql.join(
        themes.map((t) => sql`${t}`),
        sql`, `,
      )}]::text[]`,
    );
  if (query.region) filters.push(eq(collectivities.regionCode, query.region));
  if (query.department) filters.push(eq(collectivities.departmentCode, query.department));
  if (query.kind) filters.push(eq(collectivities.kind, query.kind));
  if (query.year) filters.push(eq(initiatives.startYear, query.year));
  const where = and(...filters);
  const [items, [total]] = await Promise.all([
    selectCards()
      .where(where)
      .orderBy(desc(initiatives.publishedAt), asc(initiatives.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ total: count() })
      .from(initiatives)
      .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode))
      .where(where),
  ]);
  return { items, total: total?.total ?? 0, page: query.page, pageSize: query.pageSize };
}
