import { and, eq, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  initiatives,
  type BudgetBracket,
  type InitiativeLink,
  type InitiativeStatus,
} from "../../db/schema";
import { INITIATIVES_INDEX } from "../../search/initiatives";
import { randomId } from "../utils/ids.server";
import { reservedSlugs } from "../utils/initiatives";
import { pageTags } from "../utils/page-cache.server";
import { firstFreeSlug } from "../utils/slugs.server";
import { slugify } from "../utils/text";
import { pagesChanged } from "./after-commit.server";
import {
  canEdit,
  missing,
  publishingCollectivity,
  viewerScope,
  visibleTo,
  type Viewer,
} from "./initiative-access.server";
import { resolveInspiredBy } from "./initiative-adoptions.server";
import { versionConflict, type VersionConflict } from "./initiative-conflicts.server";
import {
  checkContributors,
  writeContributors,
  type ContributorInput,
} from "./initiative-contributors.server";
import { failure, isUniqueViolation, type Result } from "./result.server";
import { enqueueIndexing } from "./search-outbox.server";

/** Creating, changing and deleting initiatives: each write queues its search update in its transaction. */

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

const uncreditable = () =>
  failure(422, {
    contributors: ["Un contributeur crédité n'est pas membre de cette collectivité."],
  });
const unknownOrigin = () =>
  failure(422, { inspiredBy: ["Cette initiative d'origine est introuvable."] });

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
  if (!inspired.ok) return unknownOrigin();
  if (!(await checkContributors(tx, input.contributors, input.collectivityCode)))
    return uncreditable();
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
    const created = await db.transaction((tx) =>
      insertInitiative(tx, { ...input, collectivityCode: where.value, createdBy: viewer.id }),
    );
    if (created.ok) await pagesChanged(initiativePages(created.value.id, true));
    return created;
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
      title: initiatives.title,
      summary: initiatives.summary,
      body: initiatives.body,
      themes: initiatives.themes,
      tags: initiatives.tags,
      startYear: initiatives.startYear,
      budgetBracket: initiatives.budgetBracket,
      links: initiatives.links,
      status: initiatives.status,
      inspiredById: initiatives.inspiredById,
      collectivityCode: initiatives.collectivityCode,
      publishedAt: initiatives.publishedAt,
      updatedAt: initiatives.updatedAt,
      version: initiatives.version,
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

/**
 * Changes the fields given (the others stay). With `expectedVersion`, the version the person
 * started from, a save made meanwhile by someone else is never overwritten: 409 instead.
 */
export async function updateInitiative(
  viewer: NonNullable<Viewer>,
  lookup: Lookup,
  changes: Partial<InitiativeInput>,
  expectedVersion?: number,
): Promise<Result<{ id: string; slug: string; version: number }> | VersionConflict> {
  let pages: string[] = [];
  const result = await db.transaction(async (tx) => {
    const locked = await lockForChange(tx, viewer, lookup);
    if (!locked.ok) return locked.status === 404 ? missing() : forbidden();
    const { row } = locked;
    if (expectedVersion !== undefined && expectedVersion !== row.version)
      return versionConflict(tx, row, changes);
    let inspiredById: string | null | undefined;
    if (changes.inspiredBy !== undefined) {
      const inspired = await resolveInspiredBy(tx, changes.inspiredBy, row.id);
      if (!inspired.ok) return unknownOrigin();
      inspiredById = inspired.id;
    }
    if (changes.contributors) {
      if (!(await checkContributors(tx, changes.contributors, row.collectivityCode)))
        return uncreditable();
      await writeContributors(tx, row.id, changes.contributors);
    }
    const now = new Date();
    const status = changes.status ?? row.status;
    const [saved] = await tx
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
        version: sql`${initiatives.version} + 1`,
        // First publication sets the date; archiving or editing later keeps it.
        publishedAt: status === "draft" ? null : (row.publishedAt ?? now),
      })
      .where(eq(initiatives.id, row.id))
      .returning({ version: initiatives.version });
    await enqueueIndexing(tx, INITIATIVES_INDEX, row.id);
    const listed =
      status !== row.status ||
      (changes.themes !== undefined && changes.themes.join() !== row.themes.join()) ||
      (inspiredById !== undefined && inspiredById !== row.inspiredById);
    pages = initiativePages(row.id, listed);
    return {
      ok: true as const,
      value: { id: row.id, slug: row.slug, version: saved?.version ?? row.version + 1 },
    };
  });
  if (result.ok) await pagesChanged(pages);
  return result;
}

/**
 * The pages a change to an initiative shows on: its own and those carrying its card, and, when
 * which initiatives are published, their themes or their origins changed (`listed`), every list
 * and every "related" and "inspired" block.
 */
export function initiativePages(id: string, listed: boolean) {
  return listed ? [pageTags.initiative(id), pageTags.initiatives] : [pageTags.initiative(id)];
}

export async function deleteInitiative(
  viewer: NonNullable<Viewer>,
  lookup: Lookup,
): Promise<Result<null>> {
  let deletedId = "";
  const result = await db.transaction(async (tx) => {
    const locked = await lockForChange(tx, viewer, lookup);
    if (!locked.ok) return locked.status === 404 ? missing() : forbidden();
    deletedId = locked.row.id;
    // Initiatives inspired by this one lose the link (FK set null): reindex them too.
    const children = await tx
      .select({ id: initiatives.id })
      .from(initiatives)
      .where(eq(initiatives.inspiredById, locked.row.id));
    await tx.delete(initiatives).where(eq(initiatives.id, locked.row.id));
    await enqueueIndexing(tx, INITIATIVES_INDEX, [locked.row.id, ...children.map((c) => c.id)]);
    return { ok: true as const, value: null };
  });
  if (result.ok) await pagesChanged(initiativePages(deletedId, true));
  return result;
}
