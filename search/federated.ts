import type { FederatedMultiSearchParams, MultiSearchQueryWithFederation } from "meilisearch";

import type { SearchKind } from "../app/utils/search-kinds";
import { federatedSearch, indexName } from "./client";
import { COLLECTIVITIES_INDEX } from "./collectivities";
import { EVENTS_INDEX } from "./events";
import { KIND_ATTRIBUTE, normalizeFrench } from "./french";
import { HIGHLIGHT_END, HIGHLIGHT_START, INITIATIVES_INDEX } from "./initiatives";
import { MEMBERS_INDEX, memberVisibilityFilter } from "./members";
import { POSTS_INDEX } from "./posts";
import { readableForumFilter, TOPICS_INDEX, type SearchViewer } from "./topics";

/**
 * The one search box of the site: a single federated multi-search over every index, merged by
 * relevance with a weight per kind, and a facet on each document's kind for the per-kind counts.
 * Filters here only narrow what is proposed; the app confirms each hit in PostgreSQL.
 */

export type { SearchKind } from "../app/utils/search-kinds";

type KindSettings = {
  base: string;
  /**
   * Multiplies the kind's ranking scores in the merged list. Scores of a title match and of a
   * match deep in a body differ by a few hundredths only, so weights stay close to 1: a reply
   * slightly below any title, so that the page a reply belongs to comes first.
   */
  weight: number;
  /** The attribute shown as the hit's title (whole, with its matches marked), if any. */
  title?: string;
  /** Attributes cropped around the matches for the snippet, in order of preference. */
  snippet: string[];
  filter?: (viewer: SearchViewer) => string | undefined;
};

export const kindSettings: Record<SearchKind, KindSettings> = {
  initiatives: {
    base: INITIATIVES_INDEX,
    weight: 1,
    title: "title",
    snippet: ["summary", "body"],
    filter: () => `status = "published"`,
  },
  topics: {
    base: TOPICS_INDEX,
    weight: 1,
    title: "title",
    snippet: ["excerpt"],
    filter: readableForumFilter,
  },
  posts: { base: POSTS_INDEX, weight: 0.97, snippet: ["body"], filter: readableForumFilter },
  events: { base: EVENTS_INDEX, weight: 1, title: "title", snippet: ["description", "venue"] },
  collectivities: { base: COLLECTIVITIES_INDEX, weight: 1, title: "name", snippet: [] },
  members: {
    base: MEMBERS_INDEX,
    weight: 1,
    title: "name",
    snippet: ["jobTitle", "collectivityName", "themeLabels"],
    filter: (viewer) => memberVisibilityFilter(viewer !== null),
  },
};

export type FederatedQuery = {
  q: string;
  kinds: readonly SearchKind[];
  viewer: SearchViewer;
  offset: number;
  limit: number;
  /** Words around the matches in a snippet. */
  cropLength?: number;
};

/** The request body: exported so that the benchmark sends exactly the same one to Meilisearch. */
export function federatedRequest(query: FederatedQuery): FederatedMultiSearchParams {
  const q = normalizeFrench(query.q.trim());
  const queries: MultiSearchQueryWithFederation[] = query.kinds.map((kind) => {
    const settings = kindSettings[kind];
    const filter = settings.filter?.(query.viewer);
    return {
      indexUid: indexName(settings.base),
      q,
      ...(filter ? { filter } : {}),
      attributesToRetrieve: ["id"],
      // The snippet's matches are marked too: the page shows them, a reply's link highlights them.
      attributesToHighlight: settings.title
        ? [settings.title, ...settings.snippet]
        : settings.snippet,
      attributesToCrop: settings.snippet,
      cropLength: query.cropLength ?? 24,
      cropMarker: "…",
      highlightPreTag: HIGHLIGHT_START,
      highlightPostTag: HIGHLIGHT_END,
      locales: ["fra"],
      federationOptions: { weight: settings.weight },
    };
  });
  return {
    federation: {
      offset: query.offset,
      limit: query.limit,
      facetsByIndex: Object.fromEntries(
        query.kinds.map((kind) => [indexName(kindSettings[kind].base), [KIND_ATTRIBUTE]]),
      ),
      mergeFacets: {},
    },
    queries,
  };
}

export type FederatedHit = {
  kind: SearchKind;
  id: string;
  /** The title with its matches between HIGHLIGHT_START and HIGHLIGHT_END, when it matched. */
  title?: string;
  snippet?: string;
};

export type FederatedResult = {
  hits: FederatedHit[];
  /** Hits per kind (before PostgreSQL confirms them). */
  totals: Partial<Record<SearchKind, number>>;
};

const marked = (text: unknown) =>
  typeof text === "string" && text.includes(HIGHLIGHT_START) ? text : undefined;

const asText = (value: unknown) =>
  Array.isArray(value) ? value.join(", ") : typeof value === "string" ? value : undefined;

/** Reads a federated answer back into kinds, ids, marked titles and snippets. */
export function readFederatedResponse(
  response: {
    hits: Array<Record<string, unknown>>;
    facetDistribution?: Record<string, Record<string, number>>;
  },
  kinds: readonly SearchKind[],
): FederatedResult {
  const kindOfIndex = new Map(kinds.map((kind) => [indexName(kindSettings[kind].base), kind]));
  const hits: FederatedHit[] = [];
  for (const hit of response.hits) {
    const federation = hit._federation as { indexUid: string } | undefined;
    const kind = federation && kindOfIndex.get(federation.indexUid);
    if (!kind) continue;
    const settings = kindSettings[kind];
    const formatted = (hit._formatted ?? {}) as Record<string, unknown>;
    const snippets = settings.snippet.map((attribute) => asText(formatted[attribute]));
    hits.push({
      kind,
      id: String(hit.id),
      title: settings.title ? marked(formatted[settings.title]) : undefined,
      snippet: snippets.find(marked) ?? snippets.find((text) => text),
    });
  }
  const counts = response.facetDistribution?.[KIND_ATTRIBUTE] ?? {};
  const totals: Partial<Record<SearchKind, number>> = {};
  for (const kind of kinds) totals[kind] = counts[kind] ?? 0;
  return { hits, totals };
}

/**
 * Ids of the initiatives and events published in (sinceMs, untilMs] that a saved search finds:
 * what the alerts tell people about. One federated request over both indexes.
 */
export async function publishedMatching(q: string, sinceMs: number, untilMs: number) {
  const filter = `publishedAt > ${Math.floor(sinceMs)} AND publishedAt <= ${Math.floor(untilMs)}`;
  const kinds = ["initiatives", "events"] as const;
  const response = await federatedSearch({
    federation: { limit: 200 },
    queries: kinds.map((kind) => ({
      indexUid: indexName(kindSettings[kind].base),
      q: normalizeFrench(q),
      filter: [filter, `status = "published"`],
      attributesToRetrieve: ["id"],
      locales: ["fra" as const],
    })),
  });
  const found = readFederatedResponse(response, kinds);
  return {
    initiatives: found.hits.filter((hit) => hit.kind === "initiatives").map((hit) => hit.id),
    events: found.hits.filter((hit) => hit.kind === "events").map((hit) => hit.id),
  };
}
