import { federatedSearch } from "../../search/client";
import {
  federatedRequest,
  readFederatedResponse,
  type FederatedHit,
  type SearchKind,
} from "../../search/federated";
import { HIGHLIGHT_END, HIGHLIGHT_START } from "../../search/initiatives";
import type { SiteHit } from "../utils/search-kinds";
import { searchViewerOf } from "./forum-grants.server";
import { searchIdsOrFallback } from "./search-fallback.server";
import { searchSources, type SearchViewerUser } from "./site-search-sources.server";

/**
 * The site-wide search: one federated Meilisearch request proposes hits of every kind merged by
 * relevance; PostgreSQL then confirms each one against the viewer's rights, and a hit it does not
 * confirm is neither shown nor counted. Without Meilisearch, each kind falls back to a plain
 * PostgreSQL match and `degraded` says so.
 */

export type SiteSearch = {
  items: SiteHit[];
  totals: Partial<Record<SearchKind, number>>;
  degraded: boolean;
};

type Query = {
  q: string;
  kinds: readonly SearchKind[];
  viewer: SearchViewerUser;
  page: number;
  pageSize: number;
  cropLength?: number;
};

const MARKED = new RegExp(`${HIGHLIGHT_START}([^${HIGHLIGHT_END}]*)${HIGHLIGHT_END}`, "gu");

/** The words a snippet marks (as the text has them: accents, plurals), to highlight them again. */
export function markedWords(text: string | undefined, max = 6) {
  const words = [...(text ?? "").matchAll(MARKED)].map((match) => match[1]!.trim());
  return [...new Set(words.filter((word) => word.length > 1))].slice(0, max);
}

/** A post's link opens its topic at the post, with the words that matched highlighted there. */
function withHighlight(url: string, hit: FederatedHit | undefined) {
  const words = markedWords(hit?.snippet);
  return words.length > 0 ? `${url}&surligner=${encodeURIComponent(words.join(" "))}` : url;
}

const key = (kind: SearchKind, id: string) => `${kind}:${id}`;

export async function searchSite(query: Query): Promise<SiteSearch> {
  const q = query.q.trim();
  let proposed = new Map<string, FederatedHit>();
  let totals: Partial<Record<SearchKind, number>> = {};
  const { ids, degraded } = await searchIdsOrFallback(
    "site",
    async () => {
      const request = federatedRequest({
        q,
        kinds: query.kinds,
        viewer: await searchViewerOf(query.viewer),
        offset: (query.page - 1) * query.pageSize,
        limit: query.pageSize,
        cropLength: query.cropLength,
      });
      const found = readFederatedResponse(await federatedSearch(request), query.kinds);
      totals = found.totals;
      proposed = new Map(found.hits.map((hit) => [key(hit.kind, hit.id), hit]));
      return found.hits.map((hit) => key(hit.kind, hit.id));
    },
    async () => {
      // No ranking across kinds without the engine: each kind's plain matches, one after another.
      const perKind = await Promise.all(
        query.kinds.map(async (kind) => {
          const matched = await searchSources[kind].fallback(q, query.viewer, query.pageSize);
          totals[kind] = matched.length;
          return matched.map((id) => key(kind, id));
        }),
      );
      return query.page === 1 ? perKind.flat() : [];
    },
  );

  const idsByKind = new Map<SearchKind, string[]>();
  for (const id of ids) {
    const [kind, ...rest] = id.split(":") as [SearchKind, ...string[]];
    idsByKind.set(kind, [...(idsByKind.get(kind) ?? []), rest.join(":")]);
  }
  const confirmed = new Map(
    (
      await Promise.all(
        [...idsByKind].map(async ([kind, kindIds]) =>
          (await searchSources[kind].confirm(kindIds, query.viewer)).map(
            (item) => [key(kind, item.id), { kind, item }] as const,
          ),
        ),
      )
    ).flat(),
  );
  const items: SiteHit[] = [];
  for (const id of ids) {
    const found = confirmed.get(id);
    if (!found) {
      // Proposed by the index but not confirmed (stale, moved, unpublished): not counted either.
      const kind = id.split(":")[0] as SearchKind;
      if (totals[kind]) totals[kind] = Math.max(0, totals[kind] - 1);
      continue;
    }
    const hit = proposed.get(id);
    const { kind, item } = found;
    items.push({
      type: kind,
      id: item.id,
      title: hit?.title ?? item.title,
      snippet: hit?.snippet ?? item.text,
      url: kind === "posts" ? withHighlight(item.url, hit) : item.url,
      context: item.context,
    });
  }
  return { items, totals, degraded };
}

/** Text without the engine's match markers (the API and plain-text uses). */
export function withoutMarks(text: string) {
  return text.replaceAll(HIGHLIGHT_START, "").replaceAll(HIGHLIGHT_END, "");
}
