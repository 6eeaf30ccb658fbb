import { and, asc, eq, isNotNull } from "drizzle-orm";

import { db } from "../../db/client";
import {
  initiatives,
  users,
  workingGroupMeetings,
  workingGroupMembers,
  workingGroupOutputs,
  workingGroupPageVersions,
  workingGroups,
} from "../../db/schema";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { pagesChanged } from "./after-commit.server";
import { approvedCollectivityOf } from "./collectivities.server";
import { insertEvent } from "./event-editing.server";
import { listEvents, type EventInput, type EventViewer } from "./events.server";
import { getWorkingGroup, mayRunGroup, type WorkingGroup } from "./groups.server";
import { writeContributors } from "./initiative-contributors.server";
import { initiativePages, insertInitiative } from "./initiative-writes.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/**
 * What a working group does in the open: its meetings (events of the events domain, linked to
 * the group) and its outputs (initiatives credited to its contributors, searchable like any).
 */

/** The collectivity or partner organisation that hosts or publishes in the group's name. */
async function actingOrganisation(actor: AuthUser, group: WorkingGroup, chosen?: string | null) {
  if (hasRole(actor, "admin") && chosen) return chosen;
  return (
    (await approvedCollectivityOf(actor.id)) ??
    (group.coordinatorId ? await approvedCollectivityOf(group.coordinatorId) : null)
  );
}

async function runnableGroup(actor: AuthUser, groupId: string) {
  const group = await getWorkingGroup(groupId);
  if (!group) return failure(404, {}, "Groupe de travail introuvable.");
  if (!mayRunGroup(actor, group)) {
    return failure(403, {}, "Réservé à la coordination du groupe et à l'administration.");
  }
  return { ok: true as const, value: group };
}

/** The coordinator plans a meeting (online or on site): an event linked to the group. */
export async function scheduleMeeting(
  actor: AuthUser,
  groupId: string,
  input: EventInput,
): Promise<Result<{ id: string; slug: string }>> {
  const group = await runnableGroup(actor, groupId);
  if (!group.ok) return group;
  if (group.value.status === "closed") return failure(409, {}, "Ce groupe de travail est clos.");
  const hostCode = await actingOrganisation(actor, group.value, input.collectivityCode);
  if (!hostCode) {
    return failure(403, {}, "Votre adhésion à une organisation doit être validée.");
  }
  return insertEvent(actor, input, hostCode, async (tx, eventId) => {
    await tx.insert(workingGroupMeetings).values({ eventId, groupId });
  });
}

/** The group's meetings the viewer may see, upcoming and past, in time order. */
export async function listMeetings(groupId: string, viewer: EventViewer) {
  const linked = await db
    .select({ eventId: workingGroupMeetings.eventId })
    .from(workingGroupMeetings)
    .where(eq(workingGroupMeetings.groupId, groupId));
  if (linked.length === 0) return [];
  const { items } = await listEvents(
    { ids: linked.map((row) => row.eventId), period: "all", pageSize: 200 },
    viewer,
  );
  return items;
}

/**
 * Who the group credits: its members and everyone who wrote a version of its page (while their
 * account exists), the coordinator first.
 */
async function groupContributors(group: WorkingGroup) {
  const [members, authors] = await Promise.all([
    db
      .select({ userId: users.id, name: users.name })
      .from(workingGroupMembers)
      .innerJoin(users, eq(users.id, workingGroupMembers.userId))
      .where(eq(workingGroupMembers.groupId, group.id))
      .orderBy(asc(workingGroupMembers.joinedAt)),
    db
      .selectDistinct({ userId: users.id, name: users.name })
      .from(workingGroupPageVersions)
      .innerJoin(users, eq(users.id, workingGroupPageVersions.authorId))
      .where(
        and(
          eq(workingGroupPageVersions.groupId, group.id),
          isNotNull(workingGroupPageVersions.authorId),
        ),
      ),
  ]);
  const people = new Map<string, string>();
  for (const person of [...members, ...authors]) people.set(person.userId, person.name);
  const ordered = [...people].sort(([a], [b]) =>
    a === group.coordinatorId ? -1 : b === group.coordinatorId ? 1 : 0,
  );
  return ordered.map(([userId, name]) => ({
    userId,
    name,
    role:
      userId === group.coordinatorId
        ? `Coordination du groupe de travail « ${group.title} »`
        : `Groupe de travail « ${group.title} »`,
  }));
}

export type OutputInput = { title: string; summary: string; body: string; themes: string[] };

/**
 * The coordinator (or an admin) publishes what the group produced as an initiative of their
 * organisation, credited to the group's contributors and linked to the group; the search
 * outbox row is written in the same transaction, as for any initiative.
 */
export async function publishOutput(
  actor: AuthUser,
  groupId: string,
  input: OutputInput,
): Promise<Result<{ id: string; slug: string }>> {
  const group = await runnableGroup(actor, groupId);
  if (!group.ok) return group;
  const publisher = await actingOrganisation(actor, group.value);
  if (!publisher) return failure(403, {}, "Votre adhésion à une organisation doit être validée.");
  const contributors = await groupContributors(group.value);
  try {
    const created = await db.transaction(async (tx) => {
      const inserted = await insertInitiative(tx, {
        ...input,
        tags: ["groupe de travail"],
        startYear: new Date().getFullYear(),
        budgetBracket: null,
        links: [],
        status: "published",
        inspiredBy: null,
        contributors: [],
        collectivityCode: publisher,
        createdBy: actor.id,
      });
      if (!inserted.ok) return inserted;
      // Members of other organisations are credited too: the group's work is theirs together.
      await writeContributors(tx, inserted.value.id, contributors);
      await tx.insert(workingGroupOutputs).values({ initiativeId: inserted.value.id, groupId });
      return inserted;
    });
    if (created.ok) await pagesChanged(initiativePages(created.value.id, true));
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) {
      return failure(409, { title: ["Une initiative porte déjà ce titre : réessayez."] });
    }
    throw error;
  }
}

/** The group's published outputs, newest first. */
export async function listOutputs(groupId: string) {
  return db
    .select({
      id: initiatives.id,
      slug: initiatives.slug,
      title: initiatives.title,
      summary: initiatives.summary,
      publishedAt: workingGroupOutputs.publishedAt,
    })
    .from(workingGroupOutputs)
    .innerJoin(initiatives, eq(initiatives.id, workingGroupOutputs.initiativeId))
    .where(and(eq(workingGroupOutputs.groupId, groupId), eq(initiatives.status, "published")))
    .orderBy(asc(workingGroupOutputs.publishedAt));
}

/** The group an initiative came out of, for the initiative's page. */
export async function outputGroupOf(initiativeId: string) {
  const [row] = await db
    .select({ id: workingGroups.id, title: workingGroups.title })
    .from(workingGroupOutputs)
    .innerJoin(workingGroups, eq(workingGroups.id, workingGroupOutputs.groupId))
    .where(eq(workingGroupOutputs.initiativeId, initiativeId));
  return row ?? null;
}
