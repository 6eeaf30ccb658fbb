import { indexName, searchIndex } from "../../search/client";
import { normalizeFrench } from "../../search/french";
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  initiativeFacets,
  INITIATIVES_INDEX,
  type InitiativeDocument,
} from "../../search/initiatives";
import type { InitiativeQuery } from "../utils/initiative-schemas";
import { logger } from "../utils/logger.server";
import { listPublished, publishedCardsByIds } from "./initiatives.server";
import { searchIdsOrFallback } from "./search-fallback.server";

/**
 * Full-text and faceted search of published initiatives. Meilisearch ranks and counts; what is
 * shown comes from PostgreSQL, which confirms each hit is still published. Without Meilisearch
 * the newest published initiatives are listed instead, and `degraded` lets the page say so.
 */

export type FacetName = (typeof initiativeFacets)[number];

type SearchQuery = Partial<InitiativeQuery> & { page: number; pageSize: number };

const quote = (value: string | number) => JSON.stringify(String(value));

/** Meilisearch filter from validated query values (every value is quoted, none is raw). */
export function searchFilter(query: Partial<InitiativeQuery>): string[] {
  const filters = [`status = "published"`];
  for (const theme of query.theme ? [query.theme].flat() : [])
    filters.push(`themes = ${quote(theme)}`);
  if (query.region) filters.push(`region = ${quote(query.region)}`);
  if (query.department) filters.push(`department = ${quote(query.department)}`);
  if (query.kind) filters.push(`collectivityKind = ${quote(query.kind)}`);
  if (query.population) filters.push(`populationBracket = ${quote(query.population)}`);
  if (query.year) filters.push(`year = ${query.year}`);
  return filters;
}

/**
 * The Meilisearch request for a query: exported so that the benchmark sends exactly the same
 * request straight to Meilisearch.
 */
export function initiativeSearchParams(query: SearchQuery, options: { facets?: boolean } = {}) {
  const q = normalizeFrench(query.q ?? "");
  const sortByDate = query.sort === "recent" || q.trim() === "";
  const params = {
    filter: searchFilter(query),
    facets: options.facets === false ? undefined : [...initiativeFacets],
    sort: sortByDate ? ["publishedAt:desc"] : undefined,
    hitsPerPage: query.pageSize,
    page: query.page,
    // The rest of each card is read from PostgreSQL.
    attributesToRetrieve: ["id"],
    attributesToHighlight: ["title"],
    attributesToCrop: ["summary", "body"],
    cropLength: 28,
    cropMarker: "…",
    highlightPreTag: HIGHLIGHT_START,
    highlightPostTag: HIGHLIGHT_END,
    locales: ["fra" as const],
  };
  return { q, params };
}

type Highlight = { title?: string; snippet?: string };
type Found = {
  total: number;
  page: number;
  facets: Partial<Record<FacetName, Record<string, number>>>;
  highlights: Map<string, Highlight>;
  processingTimeMs?: number;
};

/** Title and snippet with the matches of a hit, where the query matched them. */
function highlightOf(q: string, formatted: Partial<Record<string, string>> | undefined) {
  if (!q || !formatted) return {};
  const marked = (text: string | undefined) => (text?.includes(HIGHLIGHT_START) ? text : undefined);
  return {
    title: marked(formatted.title),
    snippet: marked(formatted.summary) ?? marked(formatted.body),
  };
}

export async function searchInitiatives(query: SearchQuery, options: { facets?: boolean } = {}) {
  const { q, params } = initiativeSearchParams(query, options);
  let found: Found = { total: 0, page: query.page, facets: {}, highlights: new Map() };
  const { ids, degraded } = await searchIdsOrFallback(
    "initiatives",
    async () => {
      const result = await searchIndex<InitiativeDocument>(indexName(INITIATIVES_INDEX), q, params);
      found = {
        total: result.totalHits ?? result.hits.length,
        page: result.page ?? query.page,
        facets: (result.facetDistribution ?? {}) as Found["facets"],
        highlights: new Map(
          result.hits.map((hit) => [
            hit.id,
            highlightOf(q, hit._formatted as Partial<Record<string, string>> | undefined),
          ]),
        ),
        processingTimeMs: result.processingTimeMs,
      };
      return result.hits.map((hit) => hit.id);
    },
    async () => {
      // Without ranking or counts: the newest published initiatives matching the filters.
      const newest = await listPublished({ ...query, q: undefined });
      found = { total: newest.total, page: newest.page, facets: {}, highlights: new Map() };
      return newest.items.map((row) => row.id);
    },
  );
  const cards = await publishedCardsByIds(ids);
  const items = cards.map((card) => {
    const highlight = found.highlights.get(card.id) ?? {};
    return {
      ...card,
      year: card.startYear,
      collectivity: { code: card.collectivityCode, name: card.collectivityName },
      highlight: {
        title: highlight.title ?? card.title,
        snippet: highlight.snippet ?? card.summary,
      },
    };
  });
  return {
    items,
    // A hit PostgreSQL no longer confirms is not counted either.
    total: found.total - (ids.length - cards.length),
    page: found.page,
    pageSize: query.pageSize,
    facets: found.facets,
    degraded,
    processingTimeMs: found.processingTimeMs,
  };
}
export type SearchHit = Awaited<ReturnType<typeof searchInitiatives>>["items"][number];

/** Existing initiatives close to a title being typed, to avoid publishing a duplicate. */
export async function similarInitiatives(title: string, limit = 5) {
  const q = normalizeFrench(title.trim());
  if (q.length < 4) return [];
  let ids: string[];
  try {
    const result = await searchIndex<InitiativeDocument>(indexName(INITIATIVES_INDEX), q, {
      filter: [`status = "published"`],
      limit,
      // A few shared words are enough to be worth a look; all words would be too strict.
      matchingStrategy: "frequency",
      attributesToRetrieve: ["id"],
      locales: ["fra"],
    });
    ids = result.hits.map((hit) => hit.id);
  } catch (error) {
    // Suggestions are a convenience: without Meilisearch the form simply shows none.
    logger().warn(
      { err: error instanceof Error ? error.message : String(error), search: "suggestions" },
      "similar initiatives unavailable",
    );
    return [];
  }
  return (await publishedCardsByIds(ids)).map((card) => ({
    id: card.id,
    slug: card.slug,
    title: card.title,
    collectivityName: card.collectivityName,
  }));
}
