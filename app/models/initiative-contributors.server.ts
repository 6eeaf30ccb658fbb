import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import { initiativeContributors, initiatives, memberships, users } from "../../db/schema";
import { INITIATIVES_INDEX } from "../../search/initiatives";
import { randomId } from "../utils/ids.server";
import { enqueueIndexing } from "./search-outbox.server";

/** The people credited for an initiative: members of its collectivity, or names typed in. */

export type ContributorInput = { userId?: string; name: string; role: string };

export async function listContributors(initiativeId: string) {
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

export async function checkContributors(
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

export async function writeContributors(
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

/**
 * A deleted account stays credited as "ancien membre": the work remains, the name goes, from
 * PostgreSQL now and from the search documents (which index contributors' names) once the
 * indexer has sent the initiatives queued here, in the deletion's own transaction.
 */
export async function forgetInitiativeContributor(tx: Executor, userId: string) {
  const credited = await tx
    .update(initiativeContributors)
    .set({ userId: null, name: "Ancien membre", role: "" })
    .where(eq(initiativeContributors.userId, userId))
    .returning({ initiativeId: initiativeContributors.initiativeId });
  await enqueueIndexing(tx, INITIATIVES_INDEX, [...new Set(credited.map((c) => c.initiativeId))]);
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
