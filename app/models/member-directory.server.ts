import { indexName, searchIndex } from "../../search/client";
import { normalizeFrench } from "../../search/french";
import { MEMBERS_INDEX, memberVisibilityFilter, type MemberDocument } from "../../search/members";
import {
  matchProfileIds,
  visibleProfilesByIds,
  type ProfileViewer,
} from "./member-profiles.server";
import { searchIdsOrFallback } from "./search-fallback.server";

/**
 * The directory of members (`/membres`): who to contact, by name, function, collectivity or
 * theme of expertise, with facets. Meilisearch proposes and counts; PostgreSQL confirms.
 */

export type MemberQuery = {
  q?: string;
  theme?: string;
  department?: string;
  profileKind?: "elu" | "agent" | "partenaire";
  page: number;
  pageSize: number;
};

export const memberFacets = ["themes", "departmentCode", "profileKind"] as const;
type Facets = Partial<Record<(typeof memberFacets)[number], Record<string, number>>>;

export async function searchMembers(query: MemberQuery, viewer: ProfileViewer) {
  const filter = [memberVisibilityFilter(viewer !== null)];
  if (query.theme) filter.push(`themes = ${JSON.stringify(query.theme)}`);
  if (query.department) filter.push(`departmentCode = ${JSON.stringify(query.department)}`);
  if (query.profileKind) filter.push(`profileKind = ${JSON.stringify(query.profileKind)}`);
  let total = 0;
  let facets: Facets = {};
  const { ids, degraded } = await searchIdsOrFallback(
    "members",
    async () => {
      const q = normalizeFrench(query.q?.trim() ?? "");
      const result = await searchIndex<MemberDocument>(indexName(MEMBERS_INDEX), q, {
        filter,
        facets: [...memberFacets],
        sort: q ? undefined : ["name:asc"],
        page: query.page,
        hitsPerPage: query.pageSize,
        attributesToRetrieve: ["id"],
      });
      total = result.totalHits ?? result.hits.length;
      facets = (result.facetDistribution ?? {}) as Facets;
      return result.hits.map((hit) => hit.id);
    },
    async () => {
      const matched = await matchProfileIds(query.q ?? "", viewer, query.pageSize);
      total = matched.length;
      return query.page === 1 ? matched : [];
    },
  );
  const items = await visibleProfilesByIds(ids, viewer);
  return { items, total: total - (ids.length - items.length), facets, degraded };
}
