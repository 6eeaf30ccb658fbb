import { and, desc, eq, inArray } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  initiatives,
  labelAnswers,
  labelApplications,
  labelCampaigns,
  labelQuestionnaires,
  users,
  type LabelAnswerValue,
} from "../../db/schema";
import type { AuthUser } from "../utils/auth.server";
import { sha256 } from "../utils/ids.server";
import { answersOf, getApplication, isEditable, visibleTo } from "./label-applications.server";
import { deadlinePassed } from "./label-campaigns.server";
import {
  currentQuestions,
  questionnaireAtRevision,
  questionnaireSections,
  sectionsOf,
} from "./label-questionnaires.server";
import { failure } from "./result.server";

/**
 * Answers of an application, section by section. Each answer carries a version: a save based on
 * an older version than the stored one is refused (409) and nothing of that save is written, so
 * two colleagues never silently overwrite each other.
 */

/** A short fingerprint of a value, sent with the form to tell "left as it was" from "changed". */
export function answerHash(value: LabelAnswerValue | null | undefined) {
  return sha256(JSON.stringify(value?.value ?? null)).slice(0, 16);
}

/** The collectivity's published initiatives, offered as evidence. */
export async function evidenceInitiatives(collectivityCode: string) {
  return db
    .select({
      id: initiatives.id,
      title: initiatives.title,
      slug: initiatives.slug,
      themes: initiatives.themes,
      startYear: initiatives.startYear,
    })
    .from(initiatives)
    .where(
      and(eq(initiatives.collectivityCode, collectivityCode), eq(initiatives.status, "published")),
    )
    .orderBy(desc(initiatives.publishedAt))
    .limit(200);
}

/** A section of the questionnaire with the application's answers. */
export async function getSection(viewer: AuthUser, applicationId: string, section: string) {
  const application = await getApplication(viewer, applicationId);
  if (!application) return null;
  const { questionnaireId } = application.campaign;
  // Only this enjeu's questions and answers, read side by side.
  const [questions, sections, answers] = await Promise.all([
    currentQuestions(questionnaireId, application.category, db, section),
    questionnaireSections(questionnaireId, application.category),
    answersOf(applicationId, db, section),
  ]);
  if (questions.length === 0) return null;
  const evidence = questions.some((q) => q.kind === "initiatives")
    ? await evidenceInitiatives(application.collectivityCode)
    : [];
  const byQuestion = new Map(answers.map((a) => [a.questionId, a]));
  return {
    application,
    editable: isEditable(application),
    sections,
    questions: questions.map((question) => {
      const answer = byQuestion.get(question.id);
      return {
        ...question,
        answer: answer?.value ?? null,
        toConfirm: answer?.toConfirm ?? false,
        version: answer?.version ?? 0,
        hash: answerHash(answer?.value),
        updatedByName: answer?.updatedByName ?? null,
        updatedAt: answer?.updatedAt ?? null,
      };
    }),
    evidence,
  };
}

/** An application as saving answers needs it (one query), with its questionnaire's revision. */
function applicationToSave(viewer: AuthUser, applicationId: string, executor: Executor) {
  return executor
    .select({
      id: labelApplications.id,
      collectivityCode: labelApplications.collectivityCode,
      category: labelApplications.category,
      status: labelApplications.status,
      submissionDeadline: labelCampaigns.submissionDeadline,
      questionnaireId: labelCampaigns.questionnaireId,
      revision: labelQuestionnaires.revision,
    })
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .innerJoin(labelQuestionnaires, eq(labelQuestionnaires.id, labelCampaigns.questionnaireId))
    .where(and(eq(labelApplications.id, applicationId), visibleTo(viewer)));
}

async function questionsOfCategory(
  application: { questionnaireId: string; revision: number; category: string },
  executor: Executor,
) {
  const questions = await questionnaireAtRevision(
    application.questionnaireId,
    application.revision,
    executor,
  );
  return questions.filter((question) =>
    question.categories.some((c) => c === application.category),
  );
}

/**
 * What saving a section's form is checked against: its questions without the answers, from the
 * questionnaire cached per revision. `formKey` names that revision of the section's form.
 */
export async function sectionToSave(viewer: AuthUser, applicationId: string, section: string) {
  const [application] = await applicationToSave(viewer, applicationId, db);
  if (!application) return null;
  const questions = await questionsOfCategory(application, db);
  const inSection = questions.filter((question) => question.section === section);
  if (inSection.length === 0) return null;
  return {
    applicationId: application.id,
    collectivityCode: application.collectivityCode,
    formKey: [
      application.questionnaireId,
      application.revision,
      application.category,
      section,
    ].join(":"),
    questions: inSection,
    sections: sectionsOf(questions),
  };
}

export type SectionQuestion = NonNullable<
  Awaited<ReturnType<typeof getSection>>
>["questions"][number];

export type AnswerEntry = {
  questionId: string;
  value: LabelAnswerValue | null;
  /** Version and fingerprint of the answer the form was filled from. */
  baseVersion: number;
  baseHash: string;
  /** "Je confirme" on an answer carried over from last year. */
  confirm: boolean;
};

export type AnswerConflict = {
  questionId: string;
  theirs: LabelAnswerValue | null;
  version: number;
  hash: string;
  byName: string | null;
  at: Date | null;
};

export type SaveOutcome =
  | {
      ok: true;
      value: { saved: number; answers: Record<string, { version: number; hash: string }> };
    }
  | { ok: false; status: 409; conflicts: AnswerConflict[]; formError: string }
  | { ok: false; status: number; fieldErrors: Record<string, string[]>; formError?: string };

/**
 * Saves the answers of one section. Answers left as the form received them are not written;
 * a changed answer whose stored version moved since is a conflict, and then nothing is written.
 */
export async function saveAnswers(
  user: AuthUser,
  applicationId: string,
  entries: AnswerEntry[],
  now = new Date(),
): Promise<SaveOutcome> {
  return db.transaction(async (tx) => {
    // Shared lock: saves of a team run side by side, a submission waits for them (and they for it).
    const [application] = await applicationToSave(user, applicationId, tx).for("share", {
      of: labelApplications,
    });
    if (!application) return failure(404, {}, "Dossier introuvable.");
    if (application.status !== "draft") {
      return failure(409, {}, "Ce dossier a été déposé : il n'est plus modifiable.");
    }
    if (deadlinePassed(application.submissionDeadline, now)) {
      return failure(
        409,
        {},
        "La date limite est passée : le dossier n'est plus modifiable. Votre brouillon est conservé.",
      );
    }
    const ids = entries.map((e) => e.questionId);
    if (ids.length === 0) return { ok: true, value: { saved: 0, answers: {} } };
    const allowed = new Set((await questionsOfCategory(application, tx)).map((q) => q.id));
    if (!ids.every((id) => allowed.has(id))) return failure(400, {}, "Question inconnue.");
    const stored = await tx
      .select({
        questionId: labelAnswers.questionId,
        value: labelAnswers.value,
        toConfirm: labelAnswers.toConfirm,
        version: labelAnswers.version,
        updatedAt: labelAnswers.updatedAt,
        byName: users.name,
      })
      .from(labelAnswers)
      .leftJoin(users, eq(users.id, labelAnswers.updatedBy))
      .where(
        and(eq(labelAnswers.applicationId, applicationId), inArray(labelAnswers.questionId, ids)),
      )
      .for("update", { of: labelAnswers });
    const current = new Map(stored.map((row) => [row.questionId, row]));
    const conflicts: AnswerConflict[] = [];
    const writes: Array<{ entry: AnswerEntry; version: number }> = [];
    for (const entry of entries) {
      const existing = current.get(entry.questionId);
      const storedVersion = existing?.version ?? 0;
      const changedByUser = answerHash(entry.value) !== entry.baseHash;
      const sameAsStored = answerHash(entry.value) === answerHash(existing?.value);
      if (!changedByUser && !(entry.confirm && existing?.toConfirm)) continue;
      if (sameAsStored && !(entry.confirm && existing?.toConfirm)) continue;
      if (storedVersion !== entry.baseVersion) {
        conflicts.push({
          questionId: entry.questionId,
          theirs: existing?.value ?? null,
          version: storedVersion,
          hash: answerHash(existing?.value),
          byName: existing?.byName ?? null,
          at: existing?.updatedAt ?? null,
        });
        continue;
      }
      writes.push({ entry, version: storedVersion + 1 });
    }
    if (conflicts.length > 0) {
      return {
        ok: false,
        status: 409,
        conflicts,
        formError:
          "Une autre personne a modifié ces réponses pendant que vous les remplissiez. Rien n'a été enregistré : comparez les deux versions, puis enregistrez à nouveau.",
      } as const;
    }
    const answers: Record<string, { version: number; hash: string }> = {};
    for (const { entry, version } of writes) {
      if (entry.value === null) {
        await tx
          .delete(labelAnswers)
          .where(
            and(
              eq(labelAnswers.applicationId, applicationId),
              eq(labelAnswers.questionId, entry.questionId),
            ),
          );
        answers[entry.questionId] = { version: 0, hash: answerHash(null) };
        continue;
      }
      const values = {
        value: entry.value,
        toConfirm: false,
        version,
        updatedAt: now,
        updatedBy: user.id,
      };
      await tx
        .insert(labelAnswers)
        .values({ ...values, applicationId, questionId: entry.questionId })
        .onConflictDoUpdate({
          target: [labelAnswers.applicationId, labelAnswers.questionId],
          set: values,
        });
      answers[entry.questionId] = { version, hash: answerHash(entry.value) };
    }
    return { ok: true, value: { saved: writes.length, answers } } as const;
  });
}
