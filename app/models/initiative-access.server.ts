import { eq, ne, or, type SQL } from "drizzle-orm";

import { db } from "../../db/client";
import { collectivities, initiatives } from "../../db/schema";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { approvedCollectivityOf } from "./collectivities.server";
import { failure, type Result } from "./result.server";

/**
 * Who may see and change which initiative, and the columns every read selects: the one place the
 * other initiative modules take their WHERE clauses from.
 */

export type Viewer = Pick<AuthUser, "id" | "roles"> | null;

/** The collectivity whose drafts this viewer sees, and for which they publish. */
export async function viewerScope(viewer: Viewer) {
  if (!viewer) return { admin: false, collectivityCode: null as string | null };
  return {
    admin: hasRole(viewer, "admin"),
    collectivityCode: await approvedCollectivityOf(viewer.id),
  };
}
export type ViewerScope = Awaited<ReturnType<typeof viewerScope>>;

/** Published and archived initiatives are public; drafts only for their collectivity and admins. */
export function visibleTo(scope: ViewerScope): SQL | undefined {
  if (scope.admin) return undefined;
  return scope.collectivityCode
    ? or(ne(initiatives.status, "draft"), eq(initiatives.collectivityCode, scope.collectivityCode))
    : ne(initiatives.status, "draft");
}

export function canEdit(scope: ViewerScope, collectivityCode: string) {
  return scope.admin || scope.collectivityCode === collectivityCode;
}

/** Where a viewer publishes: their approved collectivity; admins may name any collectivity. */
export async function publishingCollectivity(
  viewer: Viewer,
  requested?: string,
): Promise<Result<string>> {
  const scope = await viewerScope(viewer);
  if (requested && scope.admin) {
    const [row] = await db
      .select({ code: collectivities.code })
      .from(collectivities)
      .where(eq(collectivities.code, requested));
    return row
      ? { ok: true, value: row.code }
      : failure(422, { collectivityCode: ["Cette collectivité est introuvable."] });
  }
  if (requested && requested !== scope.collectivityCode) {
    return failure(
      403,
      {},
      "Seuls les administrateurs peuvent publier au nom d'une autre collectivité.",
    );
  }
  if (!scope.collectivityCode) {
    return failure(
      403,
      {},
      "Seuls les membres validés d'une collectivité peuvent publier ses initiatives.",
    );
  }
  return { ok: true, value: scope.collectivityCode };
}

export const cardColumns = {
  id: initiatives.id,
  slug: initiatives.slug,
  title: initiatives.title,
  summary: initiatives.summary,
  themes: initiatives.themes,
  tags: initiatives.tags,
  startYear: initiatives.startYear,
  status: initiatives.status,
  publishedAt: initiatives.publishedAt,
  updatedAt: initiatives.updatedAt,
  collectivityCode: initiatives.collectivityCode,
  collectivityName: collectivities.name,
};

/** Initiatives with their collectivity's name, as cards; the caller adds where, order and limit. */
export function selectCards() {
  return db
    .select(cardColumns)
    .from(initiatives)
    .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode));
}

/** What the page of an initiative and the open-data exports show beyond the card. */
export const detailColumns = {
  ...cardColumns,
  body: initiatives.body,
  budgetBracket: initiatives.budgetBracket,
  links: initiatives.links,
  inspiredById: initiatives.inspiredById,
  createdAt: initiatives.createdAt,
  collectivityKind: collectivities.kind,
  regionCode: collectivities.regionCode,
  departmentCode: collectivities.departmentCode,
};

export type InitiativeCard = Awaited<ReturnType<typeof selectCards>>[number];

export const missing = () => failure(404, {}, "Initiative introuvable.");
