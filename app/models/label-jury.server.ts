import { and, asc, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  labelAnswers,
  labelApplications,
  labelCampaigns,
  labelQuestions,
  labelJuryAssignments,
  labelJuryConflicts,
  labelJuryReviews,
  users,
} from "../../db/schema";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { afterCommit } from "./after-commit.server";
import { ensureRestrictedCategory, leaveTopicRoom, setTopicGrants } from "./forum-grants.server";
import { createTopic } from "./forum-posts.server";
import { topicPath } from "./forums.server";
import { failure, type Result } from "./result.server";

/**
 * The jury's workspace. A jury member sees an application only when an admin assigned it to them
 * and no conflict stands: never their own collectivity, never one of their département, never
 * one they declared a conflict with. The rule is in the WHERE clause of every read.
 */

export const DELIBERATION_CATEGORY = "deliberations-du-label";
export const MIN_JURY = 2;

/**
 * SQL: the application of the current row is in conflict with the jury member `juryUserId` (an
 * id, or a column of the enclosing query).
 */
function inConflict(juryUserId: string | SQL): SQL {
  return sql`(exists (select 1 from memberships m
      join collectivities mc on mc.code = m.collectivity_code
      where m.user_id = ${juryUserId} and m.status <> 'former'
        and (m.collectivity_code = ${labelApplications.collectivityCode}
          or (mc.department_code is not null and mc.department_code = ${collectivities.departmentCode})))
    or exists (select 1 from ${labelJuryConflicts} k
      where k.jury_user_id = ${juryUserId}
        and k.collectivity_code = ${labelApplications.collectivityCode}))`;
}

/** SQL: the viewer may read the application of the current row in the jury workspace. */
function juryMayRead(viewer: Pick<AuthUser, "id" | "roles">): SQL | undefined {
  if (hasRole(viewer, "admin")) return undefined;
  return sql`exists (select 1 from ${labelJuryAssignments} a
      where a.application_id = ${labelApplications.id} and a.jury_user_id = ${viewer.id})
    and not ${inConflict(viewer.id)}`;
}

/** The applications assigned to a jury member, without any in conflict. */
export async function listAssignments(jury: AuthUser) {
  return db
    .select({
      id: labelApplications.id,
      year: labelCampaigns.year,
      collectivityName: collectivities.name,
      category: labelApplications.category,
      validated: sql<boolean>`${labelApplications.validatedAt} is not null`,
      reviewed: sql<boolean>`exists (select 1 from ${labelJuryReviews} r
        where r.application_id = ${labelApplications.id} and r.jury_user_id = ${jury.id}
        and r.proposed_level is not null)`,
    })
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(
      and(
        sql`exists (select 1 from ${labelJuryAssignments} a
          where a.application_id = ${labelApplications.id} and a.jury_user_id = ${jury.id})`,
        sql`not ${inConflict(jury.id)}`,
      ),
    )
    .orderBy(sql`${labelCampaigns.year} desc`, asc(collectivities.name));
}

/** An application as the jury reads it; null when not assigned, in conflict or missing. */
export async function getJuryApplication(viewer: AuthUser, applicationId: string) {
  const [row] = await db
    .select({
      id: labelApplications.id,
      status: labelApplications.status,
      collectivityCode: labelApplications.collectivityCode,
      validatedAt: labelApplications.validatedAt,
      deliberationTopicId: labelApplications.deliberationTopicId,
    })
    .from(labelApplications)
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(
      and(
        eq(labelApplications.id, applicationId),
        eq(labelApplications.status, "submitted"),
        juryMayRead(viewer),
      ),
    );
  return row ?? null;
}

export async function listReviews(applicationId: string) {
  return db
    .select({
      juryUserId: labelJuryReviews.juryUserId,
      juryName: users.name,
      grid: labelJuryReviews.grid,
      proposedLevel: labelJuryReviews.proposedLevel,
      mentions: labelJuryReviews.mentions,
      comment: labelJuryReviews.comment,
      updatedAt: labelJuryReviews.updatedAt,
    })
    .from(labelJuryReviews)
    .innerJoin(users, eq(users.id, labelJuryReviews.juryUserId))
    .where(eq(labelJuryReviews.applicationId, applicationId))
    .orderBy(asc(users.name));
}

export type ReviewInput = {
  grid: Record<string, number>;
  proposedLevel: number | null;
  mentions: string[];
  comment: string;
};

/** Saves the viewer's evaluation; closed once an admin validated the result. */
export async function saveReview(
  jury: AuthUser,
  applicationId: string,
  input: ReviewInput,
): Promise<Result<{ applicationId: string }>> {
  const application = await getJuryApplication(jury, applicationId);
  if (!application) return failure(404, {}, "Dossier introuvable.");
  if (application.validatedAt) {
    return failure(409, {}, "Le résultat de ce dossier est validé : l'évaluation est close.");
  }
  const values = { ...input, updatedAt: new Date() };
  await db
    .insert(labelJuryReviews)
    .values({ ...values, applicationId, juryUserId: jury.id })
    .onConflictDoUpdate({
      target: [labelJuryReviews.applicationId, labelJuryReviews.juryUserId],
      set: values,
    });
  return { ok: true, value: { applicationId } };
}

/**
 * What the jury reads of an application it may see (call after `getJuryApplication`): the answers
 * with the wording of the question as answered, the self-evaluation at submission.
 */
export async function juryDossier(applicationId: string) {
  const [application] = await db
    .select({
      id: labelApplications.id,
      collectivityCode: labelApplications.collectivityCode,
      collectivityName: collectivities.name,
      category: labelApplications.category,
      population: labelApplications.population,
      year: labelCampaigns.year,
      submittedAt: labelApplications.submittedAt,
      scores: labelApplications.scores,
      finalLevel: labelApplications.finalLevel,
      validatedAt: labelApplications.validatedAt,
      deliberationTopicId: labelApplications.deliberationTopicId,
    })
    .from(labelApplications)
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .where(eq(labelApplications.id, applicationId));
  if (!application) return null;
  const answers = await db
    .select({
      questionId: labelQuestions.id,
      section: labelQuestions.section,
      prompt: labelQuestions.prompt,
      options: labelQuestions.options,
      weight: labelQuestions.weight,
      value: labelAnswers.value,
    })
    .from(labelAnswers)
    .innerJoin(labelQuestions, eq(labelQuestions.id, labelAnswers.questionId))
    .where(eq(labelAnswers.applicationId, applicationId))
    .orderBy(asc(labelQuestions.section), asc(labelQuestions.position));
  return { application, answers };
}

// ——— Assignments (admins) ———

/** Jury members with, for one application, whether they may be assigned and why not. */
export async function juryCandidates(applicationId: string) {
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      assigned: sql<boolean>`exists (select 1 from ${labelJuryAssignments} a
        where a.application_id = ${applicationId} and a.jury_user_id = ${users.id})`,
      conflict: sql<boolean>`exists (select 1 from ${labelApplications}
        join ${collectivities} on ${collectivities.code} = ${labelApplications.collectivityCode}
        where ${labelApplications.id} = ${applicationId} and ${inConflict(sql`${users.id}`)})`,
    })
    .from(users)
    .where(sql`'jury' = any(${users.roles})`)
    .orderBy(asc(users.name));
  return rows;
}

export async function assignJury(
  admin: AuthUser,
  applicationId: string,
  juryUserId: string,
): Promise<Result<{ assigned: number }>> {
  const [juror] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, juryUserId), sql`'jury' = any(${users.roles})`));
  if (!juror) return failure(400, { juryUserId: ["Cette personne n'est pas membre du jury."] });
  const [application] = await db
    .select({
      id: labelApplications.id,
      status: labelApplications.status,
      name: collectivities.name,
      year: labelCampaigns.year,
      topicId: labelApplications.deliberationTopicId,
      conflict: inConflict(juryUserId).mapWith(Boolean),
    })
    .from(labelApplications)
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .where(eq(labelApplications.id, applicationId));
  if (!application) return failure(404, {}, "Dossier introuvable.");
  if (application.status !== "submitted") {
    return failure(409, {}, "Seul un dossier déposé peut être confié au jury.");
  }
  if (application.conflict) {
    return failure(409, {
      juryUserId: [
        "Conflit d'intérêts : ce membre du jury appartient à cette collectivité ou à son département, ou a déclaré un conflit.",
      ],
    });
  }
  let topicId = application.topicId;
  if (topicId === null) {
    await ensureRestrictedCategory({
      slug: DELIBERATION_CATEGORY,
      title: "Délibérations du label",
      description: "Un fil privé par dossier, lu par les seuls membres du jury qui l'évaluent.",
      requiredRole: "admin",
    });
    const created = await createTopic(admin, {
      categorySlug: DELIBERATION_CATEGORY,
      title: `Délibération : ${application.name} (${application.year})`,
      body: `Fil de délibération du jury pour le dossier de **${application.name}** (label ${application.year}). Seuls les membres du jury assignés à ce dossier et l'équipe du label le lisent.`,
    });
    if (!created.ok) return created;
    topicId = created.value.topicId;
  }
  const removed = await db.transaction(async (tx) => {
    await tx
      .update(labelApplications)
      .set({ deliberationTopicId: topicId })
      .where(
        and(eq(labelApplications.id, applicationId), isNull(labelApplications.deliberationTopicId)),
      );
    await tx
      .insert(labelJuryAssignments)
      .values({ applicationId, juryUserId, assignedBy: admin.id })
      .onConflictDoNothing();
    return syncDeliberationGrants(tx, applicationId);
  });
  await afterCommit("label:jury-room", () => leaveTopicRoom(removed.topicId, removed.userIds));
  return { ok: true, value: { assigned: 1 } };
}

export async function unassignJury(applicationId: string, juryUserId: string) {
  const removed = await db.transaction(async (tx) => {
    await tx
      .delete(labelJuryAssignments)
      .where(
        and(
          eq(labelJuryAssignments.applicationId, applicationId),
          eq(labelJuryAssignments.juryUserId, juryUserId),
        ),
      );
    return syncDeliberationGrants(tx, applicationId);
  });
  await afterCommit("label:jury-room", () => leaveTopicRoom(removed.topicId, removed.userIds));
}

/**
 * The deliberation topic is granted to the assigned jury members without conflict, and to them
 * only. Returns who lost the grant, so their sockets leave the room after commit.
 */
async function syncDeliberationGrants(tx: Executor, applicationId: string) {
  const [application] = await tx
    .select({ topicId: labelApplications.deliberationTopicId })
    .from(labelApplications)
    .where(eq(labelApplications.id, applicationId));
  if (!application?.topicId) return { topicId: 0, userIds: [] };
  const allowed = await tx
    .select({ id: labelJuryAssignments.juryUserId })
    .from(labelJuryAssignments)
    .innerJoin(labelApplications, eq(labelApplications.id, labelJuryAssignments.applicationId))
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(
      and(
        eq(labelJuryAssignments.applicationId, applicationId),
        sql`not ${inConflict(sql`${labelJuryAssignments.juryUserId}`)}`,
      ),
    );
  const userIds = await setTopicGrants(
    tx,
    application.topicId,
    allowed.map((row) => row.id),
  );
  return { topicId: application.topicId, userIds };
}

/**
 * A jury member declares a conflict with a collectivity: its applications leave their workspace
 * and their deliberations at once; an admin assigns someone else.
 */
export async function declareConflict(jury: AuthUser, collectivityCode: string, reason: string) {
  const [exists] = await db
    .select({ code: collectivities.code })
    .from(collectivities)
    .where(eq(collectivities.code, collectivityCode));
  if (!exists) return failure(400, { collectivity: ["Collectivité introuvable."] });
  const lost = await db.transaction(async (tx) => {
    await tx
      .insert(labelJuryConflicts)
      .values({ juryUserId: jury.id, collectivityCode, reason })
      .onConflictDoUpdate({
        target: [labelJuryConflicts.juryUserId, labelJuryConflicts.collectivityCode],
        set: { reason },
      });
    const affected = await tx
      .delete(labelJuryAssignments)
      .where(
        and(
          eq(labelJuryAssignments.juryUserId, jury.id),
          inArray(
            labelJuryAssignments.applicationId,
            tx
              .select({ id: labelApplications.id })
              .from(labelApplications)
              .where(eq(labelApplications.collectivityCode, collectivityCode)),
          ),
        ),
      )
      .returning({ applicationId: labelJuryAssignments.applicationId });
    const results = [];
    for (const row of affected) results.push(await syncDeliberationGrants(tx, row.applicationId));
    return results;
  });
  for (const removed of lost) {
    await afterCommit("label:jury-room", () => leaveTopicRoom(removed.topicId, removed.userIds));
  }
  return { ok: true, value: { removedAssignments: lost.length } } as const;
}

export async function listConflicts(jury: AuthUser) {
  return db
    .select({
      collectivityCode: labelJuryConflicts.collectivityCode,
      name: collectivities.name,
      reason: labelJuryConflicts.reason,
      declaredAt: labelJuryConflicts.declaredAt,
    })
    .from(labelJuryConflicts)
    .innerJoin(collectivities, eq(collectivities.code, labelJuryConflicts.collectivityCode))
    .where(eq(labelJuryConflicts.juryUserId, jury.id))
    .orderBy(asc(collectivities.name));
}

/** Assignments of every application of a campaign, for the admins' table. */
export async function assignmentsOfCampaign(campaignId: string) {
  return db
    .select({
      applicationId: labelJuryAssignments.applicationId,
      juryUserId: labelJuryAssignments.juryUserId,
      juryName: users.name,
      proposedLevel: labelJuryReviews.proposedLevel,
    })
    .from(labelJuryAssignments)
    .innerJoin(users, eq(users.id, labelJuryAssignments.juryUserId))
    .innerJoin(labelApplications, eq(labelApplications.id, labelJuryAssignments.applicationId))
    .leftJoin(
      labelJuryReviews,
      and(
        eq(labelJuryReviews.applicationId, labelJuryAssignments.applicationId),
        eq(labelJuryReviews.juryUserId, labelJuryAssignments.juryUserId),
      ),
    )
    .where(
      and(eq(labelApplications.campaignId, campaignId), ne(labelApplications.status, "draft")),
    );
}

export function deliberationPath(topic: { id: number; slug: string }) {
  return topicPath(DELIBERATION_CATEGORY, topic);
}

/** RGPD export: a jury member's evaluations and declared conflicts. */
export async function juryWorkOfAccount(userId: string) {
  const [assignments, reviews, conflicts] = await Promise.all([
    db
      .select({
        applicationId: labelJuryAssignments.applicationId,
        assignedAt: labelJuryAssignments.assignedAt,
      })
      .from(labelJuryAssignments)
      .where(eq(labelJuryAssignments.juryUserId, userId)),
    db
      .select({
        applicationId: labelJuryReviews.applicationId,
        grid: labelJuryReviews.grid,
        proposedLevel: labelJuryReviews.proposedLevel,
        mentions: labelJuryReviews.mentions,
        comment: labelJuryReviews.comment,
        updatedAt: labelJuryReviews.updatedAt,
      })
      .from(labelJuryReviews)
      .where(eq(labelJuryReviews.juryUserId, userId)),
    db
      .select({
        collectivityCode: labelJuryConflicts.collectivityCode,
        reason: labelJuryConflicts.reason,
        declaredAt: labelJuryConflicts.declaredAt,
      })
      .from(labelJuryConflicts)
      .where(eq(labelJuryConflicts.juryUserId, userId)),
  ]);
  return { assignments, reviews, conflicts };
}
