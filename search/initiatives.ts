import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Settings } from "meilisearch";

import { populationBracket } from "../app/utils/initiatives";
import { markdownToText } from "../app/utils/markdown.server";
import { themeLabel } from "../app/utils/themes";
import { db, type Executor } from "../db/client";
import {
  collectivities,
  initiativeAdoptions,
  initiativeContributors,
  initiatives,
  users,
} from "../db/schema";
import { frenchSettings, KIND_ATTRIBUTE, normalizeFrench } from "./french";
import { registerIndex } from "./registry";

export const INITIATIVES_INDEX = "initiatives";

/** Marks wrapping highlighted words; turned into <mark> by React, so no HTML from the index. */
export const HIGHLIGHT_START = "\u0002";
export const HIGHLIGHT_END = "\u0003";

export type InitiativeDocument = {
  id: string;
  type: typeof INITIATIVES_INDEX;
  slug: string;
  title: string;
  summary: string;
  tags: string[];
  body: string;
  collectivityName: string;
  collectivityCode: string;
  /** Names of the people credited ("qui contacter"): a deleted account's name leaves with it. */
  contributors: string[];
  themes: string[];
  themeLabels: string[];
  region: string | null;
  department: string | null;
  collectivityKind: string;
  populationBracket: string | null;
  year: number | null;
  status: "published" | "archived";
  /** Milliseconds since the epoch: Meilisearch sorts numbers, not dates. */
  publishedAt: number;
  /** Milliseconds, compared by `search:check` with PostgreSQL. */
  updatedAt: number;
  updatedAtIso: string;
  adoptions: number;
  /** Unnormalised texts shown in results (the searchable ones are normalised). */
  display: { title: string; summary: string; collectivityName: string };
};

/** The attributes counted beside every search (the filters of the initiatives page). */
export const initiativeFacets = [
  "themes",
  "region",
  "department",
  "collectivityKind",
  "populationBracket",
  "year",
] as const;

export const initiativesSettings: Settings = {
  // Order is ranking: a word in the title outweighs the same word in the body.
  searchableAttributes: [
    "title",
    "summary",
    "tags",
    "body",
    "collectivityName",
    "themeLabels",
    "contributors",
  ],
  // publishedAt: the alerts ask for what was published since their last run.
  filterableAttributes: [
    ...initiativeFacets,
    "status",
    "collectivityCode",
    "publishedAt",
    KIND_ATTRIBUTE,
  ],
  sortableAttributes: ["publishedAt"],
  rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness"],
  ...frenchSettings(),
  // Facet counts come with every search; searching inside facet values is never offered, and
  // its structures cost time on every write (publication → searchable) and on reindexing.
  facetSearch: false,
  // Proximity counted per attribute rather than per word distance: the word-pair database it
  // drops was most of the cost of a write into a large index (up to 2 s for one document in
  // 100,000, 65–150 ms without) and of a reindex (70–83 s, 41 s without). Queries are a few words
  // and the attribute order already ranks title first: the relevance set still passes in full.
  proximityPrecision: "byAttribute",
  pagination: { maxTotalHits: 10_000 },
};

const documentColumns = {
  id: initiatives.id,
  slug: initiatives.slug,
  title: initiatives.title,
  summary: initiatives.summary,
  body: initiatives.body,
  tags: initiatives.tags,
  themes: initiatives.themes,
  startYear: initiatives.startYear,
  status: initiatives.status,
  publishedAt: initiatives.publishedAt,
  updatedAt: initiatives.updatedAt,
  collectivityCode: initiatives.collectivityCode,
  collectivityName: collectivities.name,
  collectivityKind: collectivities.kind,
  region: collectivities.regionCode,
  department: collectivities.departmentCode,
  population: collectivities.population,
  adoptions:
    sql<number>`(select count(*) from ${initiativeAdoptions} where ${initiativeAdoptions.initiativeId} = ${initiatives.id})`.mapWith(
      Number,
    ),
  // A member's current name, as the page shows it.
  contributors: sql<
    string[]
  >`array(select coalesce(${users.name}, ${initiativeContributors.name}) from ${initiativeContributors} left join ${users} on ${users.id} = ${initiativeContributors.userId} where ${initiativeContributors.initiativeId} = ${initiatives.id} order by ${initiativeContributors.position})`,
};

function selectDocumentRows(executor: Executor, ids: string[]) {
  return executor
    .select(documentColumns)
    .from(initiatives)
    .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode))
    .where(and(inArray(initiatives.id, ids), ne(initiatives.status, "draft")));
}

type DocumentRow = Awaited<ReturnType<typeof selectDocumentRows>>[number];

export function toInitiativeDocument(row: DocumentRow): InitiativeDocument | null {
  // Drafts never leave PostgreSQL: the index is public by construction.
  if (row.status === "draft" || !row.publishedAt) return null;
  return {
    id: row.id,
    type: INITIATIVES_INDEX,
    slug: row.slug,
    title: normalizeFrench(row.title),
    summary: normalizeFrench(row.summary),
    tags: row.tags.map(normalizeFrench),
    body: normalizeFrench(markdownToText(row.body)),
    collectivityName: normalizeFrench(row.collectivityName),
    collectivityCode: row.collectivityCode,
    contributors: row.contributors.map(normalizeFrench),
    themes: row.themes,
    themeLabels: row.themes.map(themeLabel),
    region: row.region,
    department: row.department,
    collectivityKind: row.collectivityKind,
    populationBracket: populationBracket(row.population),
    year: row.startYear,
    status: row.status,
    publishedAt: row.publishedAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
    updatedAtIso: row.updatedAt.toISOString(),
    adoptions: row.adoptions,
    display: { title: row.title, summary: row.summary, collectivityName: row.collectivityName },
  };
}

/**
 * The documents of these initiatives as PostgreSQL has them now. Ids that are missing or drafts
 * are absent from the result, which the indexer turns into deletions.
 */
export async function loadInitiativeDocuments(
  ids: string[],
  executor: Executor = db,
): Promise<InitiativeDocument[]> {
  if (ids.length === 0) return [];
  const rows = await selectDocumentRows(executor, ids);
  return rows.map(toInitiativeDocument).filter((d): d is InitiativeDocument => d !== null);
}

/** Every id that belongs in the index, in batches, for the full reindex. */
async function* allIndexableInitiativeIds(batchSize: number) {
  let after = "";
  for (;;) {
    const rows = await db
      .select({ id: initiatives.id })
      .from(initiatives)
      .where(and(ne(initiatives.status, "draft"), sql`${initiatives.id} > ${after}`))
      .orderBy(initiatives.id)
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    after = rows[rows.length - 1]!.id;
  }
}

registerIndex({
  base: INITIATIVES_INDEX,
  documentVersion: 1,
  settings: initiativesSettings,
  load: (ids) => loadInitiativeDocuments(ids),
  loadAll: async function* (batchSize) {
    for await (const ids of allIndexableInitiativeIds(batchSize)) {
      yield await loadInitiativeDocuments(ids);
    }
  },
});
