import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  labelAnswers,
  labelApplications,
  labelCampaigns,
  labelCredits,
  labelQuestions,
  memberships,
  users,
  type LabelAnswerValue,
} from "../../db/schema";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { randomId } from "../utils/ids.server";
import { categoryOf, notCandidateReason } from "../utils/label";
import { computeScores } from "../utils/label-scoring";
import { themeLabel } from "../utils/themes";
import {
  deadlinePassed,
  getCampaign,
  getCampaignById,
  registrationOpen,
} from "./label-campaigns.server";
import { carryOverAnswers } from "./label-carry-over.server";
import { currentQuestions, type Question } from "./label-questionnaires.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/**
 * Applications: one per collectivity and campaign, filled together by the collectivity's approved
 * members. Every read is scoped in the query: a member of another collectivity gets nothing, the
 * same as for an id that does not exist.
 */

type Viewer = Pick<AuthUser, "id" | "roles">;

/** SQL: the collectivities where the viewer is an approved member. */
export function memberCollectivities(userId: string) {
  return db
    .select({ code: memberships.collectivityCode })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "approved")));
}

/** SQL: the applications the viewer may read and fill (an admin: all of them). */
export function visibleTo(viewer: Viewer) {
  return hasRole(viewer, "admin")
    ? undefined
    : inArray(labelApplications.collectivityCode, memberCollectivities(viewer.id));
}

const applicationColumns = {
  id: labelApplications.id,
  campaignId: labelApplications.campaignId,
  collectivityCode: labelApplications.collectivityCode,
  collectivityName: collectivities.name,
  category: labelApplications.category,
  population: labelApplications.population,
  regionCode: collectivities.regionCode,
  departmentCode: collectivities.departmentCode,
  status: labelApplications.status,
  registeredAt: labelApplications.registeredAt,
  submittedAt: labelApplications.submittedAt,
  quote: labelApplications.quote,
  finalLevel: labelApplications.finalLevel,
  mentions: labelApplications.mentions,
  feedback: labelApplications.feedback,
  validatedAt: labelApplications.validatedAt,
  deliberationTopicId: labelApplications.deliberationTopicId,
};

/** The application if the viewer is one of its collectivity's members (or an admin), else null. */
export async function getApplication(viewer: Viewer, id: string, executor: Executor = db) {
  const [row] = await executor
    .select(applicationColumns)
    .from(labelApplications)
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(and(eq(labelApplications.id, id), visibleTo(viewer)));
  if (!row) return null;
  const campaign = await getCampaignById(row.campaignId, executor);
  return campaign ? { ...row, campaign } : null;
}

export type Application = NonNullable<Awaited<ReturnType<typeof getApplication>>>;

/** A draft may change until the deadline's minute is over. */
export function isEditable(application: Application, now = new Date()) {
  return (
    application.status === "draft" && !deadlinePassed(application.campaign.submissionDeadline, now)
  );
}

/** The viewer's collectivity applications, newest campaign first. */
export async function applicationsOfViewer(viewer: Viewer) {
  return db
    .select({
      id: labelApplications.id,
      year: labelCampaigns.year,
      status: labelApplications.status,
      collectivityName: collectivities.name,
    })
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(inArray(labelApplications.collectivityCode, memberCollectivities(viewer.id)))
    .orderBy(desc(labelCampaigns.year));
}

/**
 * Registers the viewer's collectivity for the campaign of `year`. An application that already
 * exists is returned (409 with its id), never duplicated.
 */
export async function registerApplication(
  user: AuthUser,
  year: number,
  options: { carryOver: boolean; collectivityCode?: string },
  now = new Date(),
): Promise<Result<{ id: string }> | { ok: false; status: 409; existingId: string }> {
  const campaign = await getCampaign(year);
  if (!campaign) return failure(404, {}, "Campagne introuvable.");
  const columns = {
    code: collectivities.code,
    kind: collectivities.kind,
    population: collectivities.population,
  };
  // The network's team registers a collectivity that sent its application another way.
  const [member] =
    options.collectivityCode && hasRole(user, "admin")
      ? await db
          .select(columns)
          .from(collectivities)
          .where(eq(collectivities.code, options.collectivityCode))
      : await db
          .select(columns)
          .from(memberships)
          .innerJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
          .where(and(eq(memberships.userId, user.id), eq(memberships.status, "approved")));
  if (!member) {
    return failure(
      403,
      {},
      "Seul·e un·e membre validé·e d'une collectivité peut l'inscrire au label.",
    );
  }
  const existing = await applicationIdOf(campaign.id, member.code);
  if (existing) return { ok: false, status: 409, existingId: existing };
  if (!registrationOpen(campaign, now)) {
    return failure(409, {}, "Les inscriptions à cette campagne sont closes.");
  }
  const category = categoryOf(member);
  if (!category) return failure(400, {}, notCandidateReason(member.kind));
  const id = randomId();
  try {
    await db.transaction(async (tx) => {
      await tx.insert(labelApplications).values({
        id,
        campaignId: campaign.id,
        collectivityCode: member.code,
        category,
        population: member.population,
        registeredBy: user.id,
      });
      if (options.carryOver) await carryOverAnswers(tx, id, user.id);
    });
  } catch (error) {
    // Two colleagues registering at the same second: the second one joins the first.
    if (isUniqueViolation(error)) {
      const raced = await applicationIdOf(campaign.id, member.code);
      if (raced) return { ok: false, status: 409, existingId: raced };
    }
    throw error;
  }
  return { ok: true, value: { id } };
}

async function applicationIdOf(campaignId: string, collectivityCode: string) {
  const [row] = await db
    .select({ id: labelApplications.id })
    .from(labelApplications)
    .where(
      and(
        eq(labelApplications.campaignId, campaignId),
        eq(labelApplications.collectivityCode, collectivityCode),
      ),
    );
  return row?.id ?? null;
}

export async function answersOf(applicationId: string, executor: Executor = db, section?: string) {
  const query = executor
    .select({
      questionId: labelAnswers.questionId,
      value: labelAnswers.value,
      toConfirm: labelAnswers.toConfirm,
      version: labelAnswers.version,
      updatedAt: labelAnswers.updatedAt,
      updatedByName: users.name,
    })
    .from(labelAnswers)
    .leftJoin(users, eq(users.id, labelAnswers.updatedBy));
  if (!section) return query.where(eq(labelAnswers.applicationId, applicationId));
  // One enjeu's answers only: a section page reads a twelfth of the application.
  return query
    .innerJoin(labelQuestions, eq(labelQuestions.id, labelAnswers.questionId))
    .where(and(eq(labelAnswers.applicationId, applicationId), eq(labelQuestions.section, section)));
}

export type SectionProgress = {
  section: string;
  label: string;
  total: number;
  answered: number;
  toConfirm: number;
  missing: Array<{ id: string; prompt: string }>;
};

/** Progress of each enjeu, and the required questions still without an answer. */
export function progressOf(
  questions: Question[],
  answers: ReadonlyMap<string, { toConfirm: boolean }>,
): SectionProgress[] {
  const sections = new Map<string, SectionProgress>();
  for (const question of questions) {
    const progress = sections.get(question.section) ?? {
      section: question.section,
      label: themeLabel(question.section),
      total: 0,
      answered: 0,
      toConfirm: 0,
      missing: [],
    };
    const answer = answers.get(question.id);
    progress.total += 1;
    if (answer) progress.answered += 1;
    if (answer?.toConfirm) progress.toConfirm += 1;
    if (!answer && question.required) progress.missing.push(question);
    sections.set(question.section, progress);
  }
  return [...sections.values()];
}

/** Everything the application's home page shows. */
export async function applicationOverview(viewer: Viewer, id: string) {
  const application = await getApplication(viewer, id);
  if (!application) return null;
  const [questions, answers, credits] = await Promise.all([
    currentQuestions(application.campaign.questionnaireId, application.category),
    answersOf(id),
    listCredits(id),
  ]);
  const byQuestion = new Map(answers.map((a) => [a.questionId, a]));
  const values = new Map<string, LabelAnswerValue>(answers.map((a) => [a.questionId, a.value]));
  return {
    application,
    progress: progressOf(questions, byQuestion),
    scores: computeScores(questions, values),
    credits,
  };
}

/**
 * Submits the application: every required question answered, every carried-over answer
 * confirmed, before the deadline's minute is over. A refusal keeps the draft as it is.
 */
export async function submitApplication(
  user: AuthUser,
  id: string,
  now = new Date(),
): Promise<Result<{ id: string }>> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ id: labelApplications.id })
      .from(labelApplications)
      .where(and(eq(labelApplications.id, id), visibleTo(user)))
      .for("update");
    if (!locked) return failure(404, {}, "Dossier introuvable.");
    const application = await getApplication(user, id, tx);
    if (!application) return failure(404, {}, "Dossier introuvable.");
    if (application.status === "submitted") {
      return failure(409, {}, "Ce dossier a déjà été déposé.");
    }
    if (deadlinePassed(application.campaign.submissionDeadline, now)) {
      return failure(
        409,
        {},
        "La date limite de dépôt est passée : le dossier ne peut plus être déposé. Votre brouillon est conservé.",
      );
    }
    const questions = await currentQuestions(
      application.campaign.questionnaireId,
      application.category,
      tx,
    );
    const answers = await answersOf(id, tx);
    const byQuestion = new Map(answers.map((a) => [a.questionId, a]));
    const incomplete = progressOf(questions, byQuestion).filter(
      (p) => p.missing.length > 0 || p.toConfirm > 0,
    );
    if (incomplete.length > 0) {
      return failure(
        400,
        Object.fromEntries(
          incomplete.map((p) => [
            p.section,
            [
              ...p.missing.map((q) => `Réponse requise : ${q.prompt}`),
              ...(p.toConfirm > 0
                ? [`${p.toConfirm} réponse(s) reprise(s) de l'an dernier à confirmer.`]
                : []),
            ],
          ]),
        ),
        "Le dossier n'est pas complet : complétez les réponses signalées puis déposez-le.",
      );
    }
    const scores = computeScores(
      questions,
      new Map(answers.map((a) => [a.questionId, a.value] as const)),
    );
    await tx
      .update(labelApplications)
      .set({ status: "submitted", submittedAt: now, submittedBy: user.id, scores })
      .where(eq(labelApplications.id, id));
    return { ok: true, value: { id } };
  });
}

/** Back to draft before the deadline, as long as no jury member has started. */
export async function reopenApplication(user: AuthUser, id: string, now = new Date()) {
  const application = await getApplication(user, id);
  if (!application) return failure(404, {}, "Dossier introuvable.");
  if (application.status !== "submitted") return failure(409, {}, "Ce dossier est un brouillon.");
  if (deadlinePassed(application.campaign.submissionDeadline, now)) {
    return failure(409, {}, "La date limite est passée : le dossier ne peut plus être rouvert.");
  }
  await db
    .update(labelApplications)
    .set({ status: "draft", submittedAt: null, submittedBy: null })
    .where(and(eq(labelApplications.id, id), eq(labelApplications.status, "submitted")));
  return { ok: true, value: { id } } as const;
}

// ——— Credits and the ceremony quote ———

export async function listCredits(applicationId: string) {
  return db
    .select({
      id: labelCredits.id,
      name: labelCredits.name,
      role: labelCredits.role,
      publicConsent: labelCredits.publicConsent,
      userId: labelCredits.userId,
    })
    .from(labelCredits)
    .where(eq(labelCredits.applicationId, applicationId))
    .orderBy(asc(labelCredits.createdAt));
}

export type CreditInput = {
  name: string;
  role: string;
  publicConsent: boolean;
  userId: string | null;
};

export async function addCredit(viewer: Viewer, applicationId: string, input: CreditInput) {
  const application = await getApplication(viewer, applicationId);
  if (!application) return failure(404, {}, "Dossier introuvable.");
  // A member may only be linked when they belong to the collectivity.
  const userId =
    input.userId &&
    (
      await db
        .select({ id: memberships.userId })
        .from(memberships)
        .where(
          and(
            eq(memberships.userId, input.userId),
            eq(memberships.collectivityCode, application.collectivityCode),
          ),
        )
    ).length > 0
      ? input.userId
      : null;
  await db.insert(labelCredits).values({ ...input, userId, id: randomId(), applicationId });
  return { ok: true, value: { applicationId } } as const;
}

export async function removeCredit(viewer: Viewer, applicationId: string, creditId: string) {
  const application = await getApplication(viewer, applicationId);
  if (!application) return false;
  const removed = await db
    .delete(labelCredits)
    .where(and(eq(labelCredits.id, creditId), eq(labelCredits.applicationId, applicationId)))
    .returning({ id: labelCredits.id });
  return removed.length > 0;
}

export async function setQuote(viewer: Viewer, applicationId: string, quote: string) {
  const updated = await db
    .update(labelApplications)
    .set({ quote })
    .where(and(eq(labelApplications.id, applicationId), visibleTo(viewer)))
    .returning({ id: labelApplications.id });
  return updated.length > 0;
}

/** RGPD: the credits that name a deleted account go with it. */
export async function forgetLabelCredits(tx: Executor, userId: string) {
  await tx.delete(labelCredits).where(eq(labelCredits.userId, userId));
}

export async function labelCreditsOfAccount(userId: string) {
  return db
    .select({
      year: labelCampaigns.year,
      collectivity: collectivities.name,
      name: labelCredits.name,
      role: labelCredits.role,
      publicConsent: labelCredits.publicConsent,
    })
    .from(labelCredits)
    .innerJoin(labelApplications, eq(labelApplications.id, labelCredits.applicationId))
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(eq(labelCredits.userId, userId));
}

/** How many applications a campaign has, by status (admin dashboards). */
export async function countApplications(campaignId: string) {
  const rows = await db
    .select({ status: labelApplications.status, count: sql<number>`count(*)`.mapWith(Number) })
    .from(labelApplications)
    .where(eq(labelApplications.campaignId, campaignId))
    .groupBy(labelApplications.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.count])) as Record<string, number>;
}

/** Every application of a campaign, for the admins' table. */
export async function listCampaignApplications(campaignId: string) {
  return db
    .select({
      id: labelApplications.id,
      collectivityCode: labelApplications.collectivityCode,
      collectivityName: collectivities.name,
      departmentCode: collectivities.departmentCode,
      category: labelApplications.category,
      status: labelApplications.status,
      submittedAt: labelApplications.submittedAt,
      scores: labelApplications.scores,
      finalLevel: labelApplications.finalLevel,
      mentions: labelApplications.mentions,
      feedback: labelApplications.feedback,
      validatedAt: labelApplications.validatedAt,
    })
    .from(labelApplications)
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(eq(labelApplications.campaignId, campaignId))
    .orderBy(asc(collectivities.name));
}

/**
 * What a person did on label applications, for the RGPD export: the applications they registered
 * or submitted and the answers they last wrote (the collectivity's file itself stays its own).
 */
export async function labelActsOfAccount(userId: string) {
  const applicationOf = {
    applicationId: labelApplications.id,
    year: labelCampaigns.year,
    collectivity: collectivities.name,
  };
  const applications = (column: AnyPgColumn) =>
    db
      .select(applicationOf)
      .from(labelApplications)
      .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
      .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
      .where(eq(column, userId));
  const [registered, submitted, answers] = await Promise.all([
    applications(labelApplications.registeredBy),
    applications(labelApplications.submittedBy),
    db
      .select({
        applicationId: labelAnswers.applicationId,
        questionId: labelAnswers.questionId,
        value: labelAnswers.value,
        updatedAt: labelAnswers.updatedAt,
      })
      .from(labelAnswers)
      .where(eq(labelAnswers.updatedBy, userId)),
  ]);
  return { registered, submitted, answers };
}
