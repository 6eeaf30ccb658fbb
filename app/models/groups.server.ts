import { and, asc, count, desc, eq, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  councilTopics,
  forumCategories,
  memberships,
  users,
  workingGroupMembers,
  workingGroups,
} from "../../db/schema";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { randomId } from "../utils/ids.server";
import { slugify } from "../utils/text";
import { afterCommit } from "./after-commit.server";
import { councilMembershipOf } from "./council-topics.server";
import {
  ensureRestrictedCategory,
  leaveCategoryRooms,
  setCategoryGrant,
} from "./forum-grants.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/**
 * The council's working groups: who is in, who coordinates, opening and closing. A group's
 * discussions are a forum category restricted to its members (a category grant each), so the
 * forums' pages, search, notifications and sockets apply their own rules unchanged.
 */

export type GroupViewer = Pick<AuthUser, "id" | "roles"> | null;

const notFound = () => failure(404, {}, "Groupe de travail introuvable.");
const closedGroup = () => failure(409, {}, "Ce groupe de travail est clos.");

const groupColumns = {
  id: workingGroups.id,
  topicId: workingGroups.topicId,
  topicTitle: councilTopics.title,
  title: workingGroups.title,
  mandate: workingGroups.mandate,
  status: workingGroups.status,
  coordinatorId: workingGroups.coordinatorId,
  coordinatorName: users.name,
  forumCategoryId: workingGroups.forumCategoryId,
  forumCategorySlug: forumCategories.slug,
  summary: workingGroups.summary,
  closedAt: workingGroups.closedAt,
  createdAt: workingGroups.createdAt,
  members: sql<number>`(select count(*)::int from ${workingGroupMembers}
    where ${workingGroupMembers.groupId} = ${workingGroups.id})`,
};

function groupsQuery() {
  return db
    .select(groupColumns)
    .from(workingGroups)
    .innerJoin(forumCategories, eq(forumCategories.id, workingGroups.forumCategoryId))
    .leftJoin(councilTopics, eq(councilTopics.id, workingGroups.topicId))
    .leftJoin(users, eq(users.id, workingGroups.coordinatorId));
}

/** Groups are public: the network sees what is worked on, by whom, and what came out. */
export async function listWorkingGroups() {
  return groupsQuery().orderBy(asc(workingGroups.status), desc(workingGroups.createdAt));
}

export async function getWorkingGroup(id: string) {
  const [row] = await groupsQuery().where(eq(workingGroups.id, id));
  return row ?? null;
}

export type WorkingGroup = NonNullable<Awaited<ReturnType<typeof getWorkingGroup>>>;

/** The group of a council topic, if one was opened for it. */
export async function groupOfTopic(topicId: string) {
  const [row] = await db
    .select({ id: workingGroups.id, title: workingGroups.title })
    .from(workingGroups)
    .where(eq(workingGroups.topicId, topicId));
  return row ?? null;
}

export async function isGroupMember(groupId: string, userId: string, executor: Executor = db) {
  const [row] = await executor
    .select({ userId: workingGroupMembers.userId })
    .from(workingGroupMembers)
    .where(and(eq(workingGroupMembers.groupId, groupId), eq(workingGroupMembers.userId, userId)));
  return Boolean(row);
}

/** The coordinator and admins run a group: meetings, removals, outputs, closing. */
export function mayRunGroup(viewer: GroupViewer, group: { coordinatorId: string | null }) {
  return Boolean(viewer && (hasRole(viewer, "admin") || group.coordinatorId === viewer.id));
}

export async function listGroupMembers(groupId: string) {
  return db
    .select({
      userId: users.id,
      name: users.name,
      jobTitle: users.jobTitle,
      organisationName: collectivities.name,
      joinedAt: workingGroupMembers.joinedAt,
    })
    .from(workingGroupMembers)
    .innerJoin(users, eq(users.id, workingGroupMembers.userId))
    .leftJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.status, "approved")),
    )
    .leftJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
    .where(eq(workingGroupMembers.groupId, groupId))
    .orderBy(asc(workingGroupMembers.joinedAt));
}

export type GroupInput = {
  topicId: string | null;
  title: string;
  mandate: string;
  coordinatorId: string | null;
};

/** Someone who may take part: an approved member of a member organisation, or an admin. */
async function mayTakePart(userId: string) {
  const [person] = await db.select({ roles: users.roles }).from(users).where(eq(users.id, userId));
  if (!person) return false;
  return hasRole(person, "admin") || (await councilMembershipOf(userId)) !== null;
}

/** Adds a member and their grant on the group's category, in the caller's transaction. */
async function addMember(
  tx: Executor,
  group: { id: string; forumCategoryId: number },
  userId: string,
) {
  await tx.insert(workingGroupMembers).values({ groupId: group.id, userId }).onConflictDoNothing();
  await setCategoryGrant(tx, group.forumCategoryId, userId, true);
}

/**
 * An admin opens a group, from a topic the vote chose or directly. Its forum category is created
 * restricted (to admins by role, to members by grant); the coordinator is its first member.
 */
export async function createWorkingGroup(
  admin: AuthUser,
  input: GroupInput,
): Promise<Result<{ id: string }>> {
  if (!hasRole(admin, "admin")) return failure(403, {}, "Réservé à l'administration.");
  if (input.topicId) {
    const [topic] = await db
      .select({ status: councilTopics.status })
      .from(councilTopics)
      .where(eq(councilTopics.id, input.topicId));
    if (topic?.status !== "selected") {
      return failure(400, { topicId: ["Choisissez un sujet retenu par le vote."] });
    }
  }
  if (input.coordinatorId && !(await mayTakePart(input.coordinatorId))) {
    return failure(400, {
      coordinatorId: ["La coordination revient à un membre validé d'une organisation membre."],
    });
  }
  const id = randomId();
  const categoryId = await ensureRestrictedCategory({
    slug: `groupe-${slugify(input.title, 40) || "travail"}-${id.slice(0, 6).toLowerCase()}`,
    title: `Groupe de travail : ${input.title}`,
    description: `Les échanges du groupe de travail « ${input.title} », lus par ses seuls membres.`,
    requiredRole: "admin",
  });
  try {
    await db.transaction(async (tx) => {
      await tx.insert(workingGroups).values({
        id,
        topicId: input.topicId,
        title: input.title,
        mandate: input.mandate,
        coordinatorId: input.coordinatorId,
        forumCategoryId: categoryId,
      });
      if (input.coordinatorId) {
        await addMember(tx, { id, forumCategoryId: categoryId }, input.coordinatorId);
      }
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await db.delete(forumCategories).where(eq(forumCategories.id, categoryId));
    return failure(409, { topicId: ["Ce sujet a déjà son groupe de travail."] });
  }
  return { ok: true, value: { id } };
}

/** Any approved member of a member organisation joins an open group. */
export async function joinGroup(user: AuthUser, groupId: string): Promise<Result<null>> {
  const group = await getWorkingGroup(groupId);
  if (!group) return notFound();
  if (group.status === "closed") return closedGroup();
  if (!(await mayTakePart(user.id))) {
    return failure(
      403,
      {},
      "Rejoignez d'abord une collectivité ou une organisation partenaire : votre adhésion doit être validée.",
    );
  }
  await db.transaction((tx) => addMember(tx, group, user.id));
  return { ok: true, value: null };
}

/** A member leaves, or the coordinator (or an admin) removes someone; never the coordinator. */
export async function removeFromGroup(
  actor: AuthUser,
  groupId: string,
  userId: string,
): Promise<Result<null>> {
  const group = await getWorkingGroup(groupId);
  if (!group) return notFound();
  if (actor.id !== userId && !mayRunGroup(actor, group)) {
    return failure(403, {}, "Seule la coordination du groupe retire un membre.");
  }
  if (group.coordinatorId === userId) {
    return failure(
      409,
      {},
      "La personne qui coordonne reste membre : l'administration nomme d'abord une autre coordination.",
    );
  }
  const removed = await db.transaction(async (tx) => {
    const rows = await tx
      .delete(workingGroupMembers)
      .where(and(eq(workingGroupMembers.groupId, groupId), eq(workingGroupMembers.userId, userId)))
      .returning({ userId: workingGroupMembers.userId });
    await setCategoryGrant(tx, group.forumCategoryId, userId, false);
    return rows.length > 0;
  });
  if (!removed) return failure(404, {}, "Cette personne n'est pas membre du groupe.");
  // Their open topic pages stop receiving the group's messages at once.
  await afterCommit("groups:leave-rooms", () => leaveCategoryRooms(group.forumCategoryId, userId));
  return { ok: true, value: null };
}

/** An admin names (or changes) the coordinator, who becomes a member if not one already. */
export async function setCoordinator(
  admin: AuthUser,
  groupId: string,
  userId: string,
): Promise<Result<null>> {
  if (!hasRole(admin, "admin")) return failure(403, {}, "Réservé à l'administration.");
  const group = await getWorkingGroup(groupId);
  if (!group) return notFound();
  if (!(await mayTakePart(userId))) {
    return failure(400, {
      coordinatorId: ["La coordination revient à un membre validé d'une organisation membre."],
    });
  }
  await db.transaction(async (tx) => {
    await tx
      .update(workingGroups)
      .set({ coordinatorId: userId })
      .where(eq(workingGroups.id, groupId));
    await addMember(tx, group, userId);
  });
  return { ok: true, value: null };
}

/**
 * The coordinator or an admin closes the group with a summary: no more joins, and its category
 * becomes read-only (members still read what was said).
 */
export async function closeGroup(
  actor: AuthUser,
  groupId: string,
  summary: string,
): Promise<Result<null>> {
  const group = await getWorkingGroup(groupId);
  if (!group) return notFound();
  if (!mayRunGroup(actor, group)) {
    return failure(403, {}, "Seule la coordination du groupe ou l'administration le clôt.");
  }
  const closed = await db.transaction(async (tx) => {
    const rows = await tx
      .update(workingGroups)
      .set({ status: "closed", summary, closedAt: new Date() })
      .where(and(eq(workingGroups.id, groupId), eq(workingGroups.status, "open")))
      .returning({ id: workingGroups.id });
    if (rows.length === 0) return false;
    await tx
      .update(forumCategories)
      .set({ locked: true })
      .where(eq(forumCategories.id, group.forumCategoryId));
    return true;
  });
  return closed ? { ok: true, value: null } : closedGroup();
}

/** Groups a person belongs to (their council page shows them). */
export async function groupsOfMember(userId: string) {
  return db
    .select({ id: workingGroups.id, title: workingGroups.title, status: workingGroups.status })
    .from(workingGroupMembers)
    .innerJoin(workingGroups, eq(workingGroups.id, workingGroupMembers.groupId))
    .where(eq(workingGroupMembers.userId, userId));
}

/** What the RGPD export holds of a person's part in working groups. */
export async function workingGroupsOfAccount(userId: string) {
  const [joined, coordinated] = await Promise.all([
    groupsOfMember(userId),
    db
      .select({ id: workingGroups.id, title: workingGroups.title })
      .from(workingGroups)
      .where(eq(workingGroups.coordinatorId, userId)),
  ]);
  return { joined, coordinated };
}

/** How many groups are open (for the council's index). */
export async function openGroupCount() {
  const [row] = await db
    .select({ total: count() })
    .from(workingGroups)
    .where(eq(workingGroups.status, "open"));
  return row?.total ?? 0;
}
