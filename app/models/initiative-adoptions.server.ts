import { and, asc, desc, eq, ne, or } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import { collectivities, initiativeAdoptions, initiatives, users } from "../../db/schema";
import { INITIATIVES_INDEX } from "../../search/initiatives";
import { pageTags } from "../utils/page-cache.server";
import { pagesChanged } from "./after-commit.server";
import { approvedCollectivityOf } from "./collectivities.server";
import { missing, selectCards, type Viewer } from "./initiative-access.server";
import { failure, type Result } from "./result.server";
import { enqueueIndexing } from "./search-outbox.server";

/**
 * Essaimage: collectivities that say "nous l'avons fait aussi" (adoptions), and initiatives
 * written "inspirée de" another one.
 */

export async function listAdoptions(initiativeId: string) {
  return db
    .select({
      collectivityCode: initiativeAdoptions.collectivityCode,
      collectivityName: collectivities.name,
      note: initiativeAdoptions.note,
      createdAt: initiativeAdoptions.createdAt,
      contactId: initiativeAdoptions.userId,
      contactName: users.name,
      contactJobTitle: users.jobTitle,
    })
    .from(initiativeAdoptions)
    .innerJoin(collectivities, eq(collectivities.code, initiativeAdoptions.collectivityCode))
    .leftJoin(users, eq(users.id, initiativeAdoptions.userId))
    .where(eq(initiativeAdoptions.initiativeId, initiativeId))
    .orderBy(asc(initiativeAdoptions.createdAt));
}

/** The published initiative this one was inspired by, and the published ones it inspired. */
export async function inspirationOf(initiative: { id: string; inspiredById: string | null }) {
  const [inspiredBy, inspired] = await Promise.all([
    initiative.inspiredById
      ? selectCards()
          .where(and(eq(initiatives.id, initiative.inspiredById), ne(initiatives.status, "draft")))
          .then((rows) => rows[0] ?? null)
      : null,
    selectCards()
      .where(and(eq(initiatives.inspiredById, initiative.id), ne(initiatives.status, "draft")))
      .orderBy(desc(initiatives.publishedAt))
      .limit(20),
  ]);
  return { inspiredBy, inspired };
}

/** An "inspirée de" reference (slug, id or address) to a published or archived initiative. */
export async function resolveInspiredBy(tx: Executor, reference: string | null, selfId?: string) {
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

/** "Nous l'avons fait aussi": the viewer's collectivity took up a published initiative. */
export async function adoptInitiative(
  viewer: NonNullable<Viewer>,
  initiativeId: string,
  note: string,
): Promise<Result<null>> {
  const collectivityCode = await approvedCollectivityOf(viewer.id);
  const result = await db.transaction(async (tx) => {
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
    return { ok: true as const, value: null };
  });
  // Its page lists the adoptions and counts the collectivities that took it up.
  if (result.ok) await pagesChanged([pageTags.initiative(initiativeId)]);
  return result;
}

export async function withdrawAdoption(viewer: NonNullable<Viewer>, initiativeId: string) {
  const collectivityCode = await approvedCollectivityOf(viewer.id);
  if (!collectivityCode) return false;
  const withdrawn = await db.transaction(async (tx) => {
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
  if (withdrawn) await pagesChanged([pageTags.initiative(initiativeId)]);
  return withdrawn;
}
