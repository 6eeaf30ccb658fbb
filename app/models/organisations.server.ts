import { and, asc, eq, or, sql, type SQL } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  COLLECTIVITIES_COLLEGE,
  memberships,
  partnerOrganisations,
  type CouncilCollege,
} from "../../db/schema";
import { normalizeForSearch } from "../../db/search-name";
import { COLLECTIVITIES_INDEX } from "../../search/collectivities";
import type { PartnerInput } from "../utils/council-schemas";
import { escapeLike, slugify } from "../utils/text";
import { failure, isUniqueViolation, type Result } from "./result.server";
import { enqueueIndexing } from "./search-outbox.server";

/**
 * Member organisations of the council: the partners (companies, associations, schools, State
 * services, networks) and the collectivities. A partner is a row of the directory with kind
 * `partenaire`, so joining it, its référent and approving its people are the collectivities' own
 * functions (accounts, collectivities); this module holds what is particular to partners.
 */

export const PARTNER_CODE_PREFIX = "org-";

const partnerColumns = {
  code: partnerOrganisations.code,
  slug: partnerOrganisations.slug,
  name: collectivities.name,
  kind: partnerOrganisations.kind,
  college: partnerOrganisations.college,
  siren: partnerOrganisations.siren,
  description: partnerOrganisations.description,
  website: partnerOrganisations.website,
};

function uniqueFailure(error: unknown) {
  const constraint =
    (error as { constraint_name?: string; cause?: { constraint_name?: string } }).cause
      ?.constraint_name ?? (error as { constraint_name?: string }).constraint_name;
  return constraint === "partner_organisations_siren"
    ? failure(409, { siren: ["Une organisation partenaire porte déjà ce Siren."] })
    : failure(409, { name: ["Une organisation partenaire porte déjà ce nom."] });
}

/** An admin adds a partner: its directory row and its details, in one transaction. */
export async function createPartner(input: PartnerInput): Promise<Result<{ slug: string }>> {
  const slug = slugify(input.name, 60);
  if (!slug) return failure(400, { name: ["Ce nom ne contient aucune lettre."] });
  const code = `${PARTNER_CODE_PREFIX}${slug}`;
  try {
    await db.transaction(async (tx) => {
      await tx.insert(collectivities).values({
        code,
        kind: "partenaire",
        name: input.name,
        searchName: normalizeForSearch(input.name),
      });
      await tx.insert(partnerOrganisations).values({
        code,
        slug,
        kind: input.kind,
        college: input.college,
        siren: input.siren ?? null,
        description: input.description,
        website: input.website ?? null,
      });
      // The site search finds partners among the directory's entries.
      await enqueueIndexing(tx, COLLECTIVITIES_INDEX, code);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return uniqueFailure(error);
    throw error;
  }
  return { ok: true, value: { slug } };
}

/** An admin edits a partner; its slug and code stay, so links and memberships hold. */
export async function updatePartner(slug: string, input: PartnerInput): Promise<Result<null>> {
  try {
    return await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(partnerOrganisations)
        .set({
          kind: input.kind,
          college: input.college,
          siren: input.siren ?? null,
          description: input.description,
          website: input.website ?? null,
          updatedAt: new Date(),
        })
        .where(eq(partnerOrganisations.slug, slug))
        .returning({ code: partnerOrganisations.code });
      if (!updated) return failure(404, {}, "Organisation introuvable.");
      await tx
        .update(collectivities)
        .set({ name: input.name, searchName: normalizeForSearch(input.name) })
        .where(eq(collectivities.code, updated.code));
      await enqueueIndexing(tx, COLLECTIVITIES_INDEX, updated.code);
      return { ok: true as const, value: null };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return uniqueFailure(error);
    throw error;
  }
}

export async function getPartner(slug: string) {
  const [row] = await db
    .select(partnerColumns)
    .from(partnerOrganisations)
    .innerJoin(collectivities, eq(collectivities.code, partnerOrganisations.code))
    .where(eq(partnerOrganisations.slug, slug));
  return row ?? null;
}

export async function partnerSlugOf(code: string) {
  const [row] = await db
    .select({ slug: partnerOrganisations.slug })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.code, code));
  return row?.slug ?? null;
}

/** Every partner, by name (the sign-up choice and the admin list). */
export async function listPartners() {
  return db
    .select(partnerColumns)
    .from(partnerOrganisations)
    .innerJoin(collectivities, eq(collectivities.code, partnerOrganisations.code))
    .orderBy(asc(collectivities.searchName));
}

/** SQL: the college of the directory row in the current query (partners' own, else collectivities'). */
export const collegeOfRow = sql<CouncilCollege>`coalesce(${partnerOrganisations.college}, ${COLLECTIVITIES_COLLEGE})`;

/** SQL: the directory row has at least one approved member. */
const hasApprovedMember = sql<boolean>`exists (select 1 from ${memberships}
  where ${memberships.collectivityCode} = ${collectivities.code} and ${memberships.status} = 'approved')`;

/**
 * The member organisations: collectivities with at least one approved member, and every partner;
 * by name, filtered by college and by a name query. `executor`: the caller's transaction.
 */
export async function searchOrganisations(
  query: { q?: string; college?: CouncilCollege; page?: number; pageSize?: number },
  executor: Executor = db,
) {
  const pageSize = query.pageSize ?? 50;
  const page = Math.max(1, query.page ?? 1);
  const filters: SQL[] = [or(eq(collectivities.kind, "partenaire"), hasApprovedMember) as SQL];
  if (query.college) filters.push(sql`${collegeOfRow} = ${query.college}`);
  const term = normalizeForSearch(query.q ?? "");
  if (term) filters.push(sql`${collectivities.searchName} like ${`%${escapeLike(term)}%`}`);
  const rows = await executor
    .select({
      code: collectivities.code,
      name: collectivities.name,
      kind: collectivities.kind,
      partnerKind: partnerOrganisations.kind,
      slug: partnerOrganisations.slug,
      college: collegeOfRow,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(collectivities)
    .leftJoin(partnerOrganisations, eq(partnerOrganisations.code, collectivities.code))
    .where(and(...filters))
    .orderBy(asc(collectivities.searchName), asc(collectivities.code))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    items: rows.map(({ total: _total, ...row }) => row),
    total: rows[0]?.total ?? 0,
    page,
    pageSize,
  };
}

/** The organisations that may vote now, with their college (the electorate of a new vote). */
export async function memberOrganisations(executor: Executor) {
  return executor
    .select({ code: collectivities.code, college: collegeOfRow })
    .from(collectivities)
    .leftJoin(partnerOrganisations, eq(partnerOrganisations.code, collectivities.code))
    .where(hasApprovedMember);
}

export async function partnerCodeOf(slug: string) {
  const [row] = await db
    .select({ code: partnerOrganisations.code })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.slug, slug));
  return row?.code ?? null;
}
