import { and, asc, count, desc, eq, inArray, ne, or, sql, type SQL } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  initiativeAdoptions,
  initiativeContributors,
  initiatives,
  memberships,
  users,
  type BudgetBracket,
  type InitiativeLink,
  type InitiativeStatus,
} from "../../db/schema";
import { indexName, searchIndex } from "../../search/client";
import { normalizeFrench } from "../../search/french";
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  INITIATIVES_INDEX,
  type InitiativeDocument,
} from "../../search/initiatives";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { randomId } from "../utils/ids.server";
import type { InitiativeQuery } from "../utils/initiative-schemas";
import { populationBracket, reservedSlugs } from "../utils/initiatives";
import { renderMarkdown } from "../utils/markdown.server";
import { firstFreeSlug } from "../utils/slugs.server";
import { slugify } from "../utils/text";
import { approvedCollectivityOf } from "./collectivities.server";
import { failure, isUniqueViolation, type Result } from "./result.server";
import { enqueueIndexing } from "./search-outbox.server";

export type Viewer = Pick<AuthUser, "id" | "roles"> | null;

export type ContributorInput = { userId?: string; name: string; role: string };

export type InitiativeInput = {
  title: string;
  summary: string;
  body: string;
  themes: string[];
  tags: string[];
  startYear: number | null;
  budgetBracket: BudgetBracket | null;
  links: InitiativeLink[];
  status: InitiativeStatus;
  /** Slug, id or address of the initiative that inspired this one. */
  inspiredBy: string | null;
  contributors: ContributorInput[];
};

// ——— Who may see and change what ———

/** The collectivity whose drafts this viewer sees, and for which they publish. */
async function viewerScope(viewer: Viewer) {
  if (!viewer) return { admin: false, collectivityCode: null as string | null };
  return {
    admin: hasRole(viewer, "admin"),
    collectivityCode: await approvedCollectivityOf(viewer.id),
  };
}

/** Published and archived initiatives are public; drafts only for their collectivity and admins. */
function visibleTo(scope: Awaited<ReturnType<typeof viewerScope>>): SQL | undefined {
  if (scope.admin) return undefined;
  return scope.collectivityCode
    ? or(ne(initiatives.status, "draft"), eq(initiatives.collectivityCode, scope.collectivityCode))
    : ne(initiatives.status, "draft");
}

function canEdit(scope: Awaited<ReturnType<typeof viewerScope>>, collectivityCode: string) {
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

// ——— Reading ———

const cardColumns = {
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
function selectCards() {
  return db
    .select(cardColumns)
    .from(initiatives)
    .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode));
}

/** What the page of an initiative and the open-data exports show beyond the card. */
const detailColumns = {
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

export type InitiativeCard = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  themes: string[];
  tags: string[];
  startYear: number | null;
  status: InitiativeStatus;
  publishedAt: Date | null;
  updatedAt: Date;
  collectivityCode: string;
  collectivityName: string;
};

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
  const [contributors, adoptions, inspiredBy, inspired] = await Promise.all([
    listContributors(row.id),
    listAdoptions(row.id),
    row.inspiredById
      ? selectCards()
          .where(and(eq(initiatives.id, row.inspiredById), ne(initiatives.status, "draft")))
          .then((rows) => rows[0] ?? null)
      : null,
    selectCards()
      .where(and(eq(initiatives.inspiredById, row.id), ne(initiatives.status, "draft")))
      .orderBy(desc(initiatives.publishedAt))
      .limit(20),
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

async function listContributors(initiativeId: string) {
  return db
    .select({
      id: initiativeContributors.id,
      userId: initiativeContributors.userId,
      // A member's current name and function, so that a change of name shows everywhere.
      name: sql<string>`coalesce(${users.name}, ${initiativeContributors.name})`,
      role: sql<string>`coalesce(nullif(${initiativeContributors.role}, ''), ${users.jobTitle}, '')`,
      profileKind: users.profileKind,
    })
    .from(initiativeContributors)
    .leftJoin(users, eq(users.id, initiativeContributors.userId))
    .where(eq(initiativeContributors.initiativeId, initiativeId))
    .orderBy(asc(initiativeContributors.position));
}

async function listAdoptions(initiativeId: string) {
  return db
    .select({
      collectivityCode: initiativeAdoptions.collectivityCode,
      collectivityName: collectivities.name,
      note: initiativeAdoptions.note,
      createdAt: initiativeAdoptions.createdAt,
      contactName: users.name,
      contactJobTitle: users.jobTitle,
    })
    .from(initiativeAdoptions)
    .innerJoin(collectivities, eq(collectivities.code, initiativeAdoptions.collectivityCode))
    .leftJoin(users, eq(users.id, initiativeAdoptions.userId))
    .where(eq(initiativeAdoptions.initiativeId, initiativeId))
    .orderBy(asc(initiativeAdoptions.createdAt));
}

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

/** Members of a collectivity who can be credited on its initiatives. */
export async function creditableMembers(collectivityCode: string) {
  return db
    .select({ userId: users.id, name: users.name, jobTitle: users.jobTitle })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(eq(memberships.collectivityCode, collectivityCode), ne(memberships.status, "pending")),
    )
    .orderBy(asc(users.name));
}

/** Published initiatives in a stable order, for the open-data exports. */
export async function listPublishedForExport() {
  return db
    .select({
      ...detailColumns,
      adoptions:
        sql<number>`(select count(*) from ${initiativeAdoptions} where ${initiativeAdoptions.initiativeId} = ${initiatives.id})`.mapWith(
          Number,
        ),
    })
    .from(initiatives)
    .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode))
    .where(eq(initiatives.status, "published"))
    .orderBy(asc(initiatives.publishedAt), asc(initiatives.id));
}

/** Newest published initiatives from PostgreSQL, for API listings without a text query. */
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

// ——— Writing ———

async function resolveInspiredBy(tx: Executor, reference: string | null, selfId?: string) {
  if (!reference) return { ok: true as const, id: null };
  const trimmed = reference.trim();
  const slug = /\/initiatives\/([^/?#]+)/.exec(trimmed)?.[1] ?? trimmed;
  const [row] = await tx
    .select({ id: initiatives.id })
    .from(initiatives)
    .where(
      and(
        or(eq(initiatives.slug, decodeURIComponent(slug)), eq(initiatives.id, slug)),
        ne(initiatives.status, "draft"),
      ),
    );
  if (!row || row.id === selfId) return { ok: false as const };
  return { ok: true as const, id: row.id };
}

async function checkContributors(
  tx: Executor,
  contributors: ContributorInput[],
  collectivityCode: string,
) {
  const memberIds = contributors.flatMap((c) => (c.userId ? [c.userId] : []));
  if (memberIds.length === 0) return true;
  // Only people who are (or were) members of the collectivity can be credited as members.
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        inArray(memberships.userId, memberIds),
        eq(memberships.collectivityCode, collectivityCode),
        ne(memberships.status, "pending"),
      ),
    );
  const known = new Set(rows.map((r) => r.userId));
  return memberIds.every((id) => known.has(id));
}

async function writeContributors(
  tx: Executor,
  initiativeId: string,
  contributors: ContributorInput[],
) {
  await tx
    .delete(initiativeContributors)
    .where(eq(initiativeContributors.initiativeId, initiativeId));
  if (contributors.length === 0) return;
  await tx.insert(initiativeContributors).values(
    contributors.map((c, position) => ({
      id: randomId(),
      initiativeId,
      userId: c.userId ?? null,
      name: c.name,
      role: c.role,
      position,
    })),
  );
}

async function uniqueSlug(tx: Executor, title: string, collectivityName: string) {
  const base = slugify(title, 70) || "initiative";
  return firstFreeSlug(
    [
      base,
      `${base}-${slugify(collectivityName, 30)}`,
      ...Array.from({ length: 5 }, () => `${base}-${randomId(3)}`),
    ],
    {
      reserved: reservedSlugs,
      isTaken: async (slug) =>
        (
          await tx
            .select({ id: initiatives.id })
            .from(initiatives)
            .where(eq(initiatives.slug, slug))
        ).length > 0,
      fallback: `${base}-${randomId(8)}`,
    },
  );
}

/**
 * Creates an initiative for a collectivity. Permission is the caller's to check with
 * `publishingCollectivity`; the seed and the corpus generator also come through here.
 */
export async function insertInitiative(
  tx: Executor,
  input: InitiativeInput & { collectivityCode: string; createdBy: string | null; now?: Date },
): Promise<Result<{ id: string; slug: string }>> {
  const [collectivity] = await tx
    .select({ name: collectivities.name })
    .from(collectivities)
    .where(eq(collectivities.code, input.collectivityCode));
  if (!collectivity) return failure(422, { collectivityCode: ["Collectivité introuvable."] });
  const inspired = await resolveInspiredBy(tx, input.inspiredBy);
  if (!inspired.ok)
    return failure(422, { inspiredBy: ["Cette initiative d'origine est introuvable."] });
  if (!(await checkContributors(tx, input.contributors, input.collectivityCode)))
    return failure(422, {
      contributors: ["Un contributeur crédité n'est pas membre de cette collectivité."],
    });
  const id = randomId();
  const slug = await uniqueSlug(tx, input.title, collectivity.name);
  const now = input.now ?? new Date();
  await tx.insert(initiatives).values({
    id,
    slug,
    collectivityCode: input.collectivityCode,
    title: input.title,
    summary: input.summary,
    body: input.body,
    themes: input.themes,
    tags: input.tags,
    startYear: input.startYear,
    budgetBracket: input.budgetBracket,
    links: input.links,
    status: input.status,
    inspiredById: inspired.id,
    createdBy: input.createdBy,
    createdAt: now,
    updatedAt: now,
    publishedAt: input.status === "draft" ? null : now,
  });
  await writeContributors(tx, id, input.contributors);
  await enqueueIndexing(tx, INITIATIVES_INDEX, id);
  return { ok: true, value: { id, slug } };
}

export async function createInitiative(
  viewer: NonNullable<Viewer>,
  input: InitiativeInput & { collectivityCode?: string },
): Promise<Result<{ id: string; slug: string }>> {
  const where = await publishingCollectivity(viewer, input.collectivityCode);
  if (!where.ok) return where;
  try {
    return await db.transaction(async (tx) => {
      const created = await insertInitiative(tx, {
        ...input,
        collectivityCode: where.value,
        createdBy: viewer.id,
      });
      if (!created.ok) return created;
      return created;
    });
  } catch (error) {
    // Two authors racing for the same slug: the loser gets a clear message, not a 500.
    if (isUniqueViolation(error))
      return failure(409, { title: ["Une initiative porte déjà ce titre : réessayez."] });
    throw error;
  }
}

type Lookup = { id?: string; slug?: string };

function lookupWhere(lookup: Lookup) {
  return lookup.slug !== undefined
    ? eq(initiatives.slug, lookup.slug)
    : eq(initiatives.id, lookup.id ?? "");
}

/**
 * Loads an initiative for a change: 404 when missing or not visible (a draft of another
 * collectivity looks missing), 403 when visible but not the viewer's to change.
 */
async function lockForChange(tx: Executor, viewer: NonNullable<Viewer>, lookup: Lookup) {
  const scope = await viewerScope(viewer);
  const [row] = await tx
    .select({
      id: initiatives.id,
      slug: initiatives.slug,
      status: initiatives.status,
      collectivityCode: initiatives.collectivityCode,
      publishedAt: initiatives.publishedAt,
    })
    .from(initiatives)
    .where(and(lookupWhere(lookup), visibleTo(scope)))
    .for("update");
  if (!row) return { ok: false as const, status: 404 };
  if (!canEdit(scope, row.collectivityCode)) return { ok: false as const, status: 403 };
  return { ok: true as const, row };
}

const forbidden = () =>
  failure(
    403,
    {},
    "Seuls les membres validés de cette collectivité peuvent modifier cette initiative.",
  );
const missing = () => failure(404, {}, "Initiative introuvable.");

export async function updateInitiative(
  viewer: NonNullable<Viewer>,
  lookup: Lookup,
  changes: Partial<InitiativeInput>,
): Promise<Result<{ id: string; slug: string }>> {
  return db.transaction(async (tx) => {
    const locked = await lockForChange(tx, viewer, lookup);
    if (!locked.ok) return locked.status === 404 ? missing() : forbidden();
    const { row } = locked;
    let inspiredById: string | null | undefined;
    if (changes.inspiredBy !== undefined) {
      const inspired = await resolveInspiredBy(tx, changes.inspiredBy, row.id);
      if (!inspired.ok)
        return failure(422, { inspiredBy: ["Cette initiative d'origine est introuvable."] });
      inspiredById = inspired.id;
    }
    if (changes.contributors) {
      if (!(await checkContributors(tx, changes.contributors, row.collectivityCode)))
        return failure(422, {
          contributors: ["Un contributeur crédité n'est pas membre de cette collectivité."],
        });
      await writeContributors(tx, row.id, changes.contributors);
    }
    const now = new Date();
    const status = changes.status ?? row.status;
    await tx
      .update(initiatives)
      .set({
        title: changes.title,
        summary: changes.summary,
        body: changes.body,
        themes: changes.themes,
        tags: changes.tags,
        startYear: changes.startYear,
        budgetBracket: changes.budgetBracket,
        links: changes.links,
        status,
        inspiredById,
        updatedAt: now,
        // First publication sets the date; archiving or editing later keeps it.
        publishedAt: status === "draft" ? null : (row.publishedAt ?? now),
      })
      .where(eq(initiatives.id, row.id));
    await enqueueIndexing(tx, INITIATIVES_INDEX, row.id);
    return { ok: true, value: { id: row.id, slug: row.slug } };
  });
}

export async function deleteInitiative(
  viewer: NonNullable<Viewer>,
  lookup: Lookup,
): Promise<Result<null>> {
  return db.transaction(async (tx) => {
    const locked = await lockForChange(tx, viewer, lookup);
    if (!locked.ok) return locked.status === 404 ? missing() : forbidden();
    // Initiatives inspired by this one lose the link (FK set null): reindex them too.
    const children = await tx
      .select({ id: initiatives.id })
      .from(initiatives)
      .where(eq(initiatives.inspiredById, locked.row.id));
    await tx.delete(initiatives).where(eq(initiatives.id, locked.row.id));
    await enqueueIndexing(tx, INITIATIVES_INDEX, [locked.row.id, ...children.map((c) => c.id)]);
    return { ok: true, value: null };
  });
}

/** "Nous l'avons fait aussi": the viewer's collectivity took up a published initiative. */
export async function adoptInitiative(
  viewer: NonNullable<Viewer>,
  initiativeId: string,
  note: string,
): Promise<Result<null>> {
  const collectivityCode = await approvedCollectivityOf(viewer.id);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: initiatives.id, collectivityCode: initiatives.collectivityCode })
      .from(initiatives)
      .where(and(eq(initiatives.id, initiativeId), eq(initiatives.status, "published")));
    if (!row) return missing();
    if (!collectivityCode)
      return failure(403, {}, "Seuls les membres validés d'une collectivité peuvent le signaler.");
    if (row.collectivityCode === collectivityCode)
      return failure(422, { note: ["C'est déjà une initiative de votre collectivité."] });
    await tx
      .insert(initiativeAdoptions)
      .values({ initiativeId, collectivityCode, userId: viewer.id, note })
      .onConflictDoUpdate({
        target: [initiativeAdoptions.initiativeId, initiativeAdoptions.collectivityCode],
        set: { note, userId: viewer.id },
      });
    await enqueueIndexing(tx, INITIATIVES_INDEX, initiativeId);
    return { ok: true, value: null };
  });
}

export async function withdrawAdoption(viewer: NonNullable<Viewer>, initiativeId: string) {
  const collectivityCode = await approvedCollectivityOf(viewer.id);
  if (!collectivityCode) return false;
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(initiativeAdoptions)
      .where(
        and(
          eq(initiativeAdoptions.initiativeId, initiativeId),
          eq(initiativeAdoptions.collectivityCode, collectivityCode),
        ),
      )
      .returning({ id: initiativeAdoptions.initiativeId });
    if (removed.length > 0) await enqueueIndexing(tx, INITIATIVES_INDEX, initiativeId);
    return removed.length > 0;
  });
}

/** A deleted account stays credited as "ancien membre": the work remains, the name goes. */
export async function forgetInitiativeContributor(tx: Executor, userId: string) {
  await tx
    .update(initiativeContributors)
    .set({ userId: null, name: "Ancien membre", role: "" })
    .where(eq(initiativeContributors.userId, userId));
}

/** What the initiatives hold about a person, for the RGPD export. */
export async function initiativesOfAccount(userId: string) {
  return {
    created: await db
      .select({
        id: initiatives.id,
        slug: initiatives.slug,
        title: initiatives.title,
        status: initiatives.status,
        createdAt: initiatives.createdAt,
      })
      .from(initiatives)
      .where(eq(initiatives.createdBy, userId)),
    credited: await db
      .select({
        initiativeId: initiativeContributors.initiativeId,
        role: initiativeContributors.role,
      })
      .from(initiativeContributors)
      .where(eq(initiativeContributors.userId, userId)),
  };
}

// ——— Search (Meilisearch) ———

export class SearchUnavailableError extends Error {}

export type SearchHit = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  themes: string[];
  tags: string[];
  year: number | null;
  collectivity: { code: string; name: string };
  publishedAt: string;
  updatedAt: string;
  adoptions: number;
  /** Title and snippet with matches wrapped in HIGHLIGHT_START / HIGHLIGHT_END. */
  highlight: { title: string; snippet: string };
};

export type FacetName =
  "themes" | "region" | "department" | "collectivityKind" | "populationBracket" | "year";
const facetNames: FacetName[] = [
  "themes",
  "region",
  "department",
  "collectivityKind",
  "populationBracket",
  "year",
];

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
export function initiativeSearchParams(
  query: Partial<InitiativeQuery> & { page: number; pageSize: number },
  options: { facets?: boolean } = {},
) {
  const q = normalizeFrench(query.q ?? "");
  const sortByDate = query.sort === "recent" || q.trim() === "";
  const params = {
    filter: searchFilter(query),
    facets: options.facets === false ? undefined : facetNames,
    sort: sortByDate ? ["publishedAt:desc"] : undefined,
    hitsPerPage: query.pageSize,
    page: query.page,
    attributesToRetrieve: [
      "id",
      "slug",
      "display",
      "themes",
      "tags",
      "year",
      "collectivityCode",
      "publishedAt",
      "updatedAtIso",
      "adoptions",
    ],
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

/**
 * Full-text and faceted search. The query goes through the same French normalisation as the
 * documents (typographic apostrophes, "St-"), the rest is Meilisearch's work.
 */
export async function searchInitiatives(
  query: Partial<InitiativeQuery> & { page: number; pageSize: number },
  options: { facets?: boolean } = {},
) {
  const { q, params } = initiativeSearchParams(query, options);
  try {
    const result = await searchIndex<InitiativeDocument>(indexName(INITIATIVES_INDEX), q, params);
    const items: SearchHit[] = result.hits.map((hit) => {
      const formatted = hit._formatted as
        Partial<Record<"title" | "summary" | "body", string>> | undefined;
      const summaryHasMatch = formatted?.summary?.includes(HIGHLIGHT_START);
      const bodyHasMatch = formatted?.body?.includes(HIGHLIGHT_START);
      return {
        id: hit.id,
        slug: hit.slug,
        title: hit.display.title,
        summary: hit.display.summary,
        themes: hit.themes,
        tags: hit.tags,
        year: hit.year,
        collectivity: { code: hit.collectivityCode, name: hit.display.collectivityName },
        publishedAt: new Date(hit.publishedAt).toISOString(),
        updatedAt: hit.updatedAtIso,
        adoptions: hit.adoptions,
        highlight: {
          title:
            q && formatted?.title?.includes(HIGHLIGHT_START) ? formatted.title : hit.display.title,
          snippet:
            q && !summaryHasMatch && bodyHasMatch
              ? (formatted?.body ?? hit.display.summary)
              : q && summaryHasMatch
                ? (formatted?.summary ?? hit.display.summary)
                : hit.display.summary,
        },
      };
    });
    return {
      items,
      total: result.totalHits ?? items.length,
      page: result.page ?? query.page,
      pageSize: query.pageSize,
      facets: (result.facetDistribution ?? {}) as Partial<
        Record<FacetName, Record<string, number>>
      >,
      processingTimeMs: result.processingTimeMs,
    };
  } catch (error) {
    throw new SearchUnavailableError(error instanceof Error ? error.message : String(error));
  }
}

/** Existing initiatives close to a title being typed, to avoid publishing a duplicate. */
export async function similarInitiatives(title: string, limit = 5) {
  const q = normalizeFrench(title.trim());
  if (q.length < 4) return [];
  try {
    const result = await searchIndex<InitiativeDocument>(indexName(INITIATIVES_INDEX), q, {
      filter: [`status = "published"`],
      limit,
      // A few shared words are enough to be worth a look; all words would be too strict.
      matchingStrategy: "frequency",
      attributesToRetrieve: ["id", "slug", "display"],
      locales: ["fra"],
    });
    return result.hits.map((hit) => ({
      id: hit.id,
      slug: hit.slug,
      title: hit.display.title,
      collectivityName: hit.display.collectivityName,
    }));
  } catch {
    // Suggestions are a convenience: without Meilisearch the form simply shows none.
    return [];
  }
}
