import { saveAnswers, type AnswerEntry } from "../../app/models/label-answers.server";
import {
  answersOf,
  getApplication,
  registerApplication,
  submitApplication,
} from "../../app/models/label-applications.server";
import { createCampaign } from "../../app/models/label-campaigns.server";
import { currentQuestions, type Question } from "../../app/models/label-questionnaires.server";
import { importDefaultQuestionnaire } from "../../app/models/label-questionnaires.server";
import type { AuthUser } from "../../app/utils/auth.server";
import { localToInstant, PARIS } from "../../app/utils/dates";
import type { LabelAnswerValue } from "../../db/schema";
import { createTestUser } from "./users";

export const paris = (local: string) => localToInstant(local, PARIS)!;

const DAY = 86_400_000;

/**
 * A campaign through the model. By default it is open now: registration and submission close
 * in a month, results are published in three months.
 */
export async function createTestCampaign(
  year: number,
  dates: Partial<{
    opensAt: Date;
    registrationDeadline: Date;
    submissionDeadline: Date;
    juryStartsAt: Date;
    juryEndsAt: Date;
    publishedAt: Date;
  }> = {},
  questionnaireId?: string,
) {
  questionnaireId ??= (await importDefaultQuestionnaire()).id;
  const now = Date.now();
  const submissionDeadline = dates.submissionDeadline ?? new Date(now + 30 * DAY);
  const input = {
    year,
    title: `Label ${year}`,
    opensAt: dates.opensAt ?? new Date(now - 30 * DAY),
    registrationDeadline: dates.registrationDeadline ?? submissionDeadline,
    submissionDeadline,
    juryStartsAt: dates.juryStartsAt ?? new Date(submissionDeadline.getTime() + DAY),
    juryEndsAt: dates.juryEndsAt ?? new Date(submissionDeadline.getTime() + 20 * DAY),
    publishedAt: dates.publishedAt ?? new Date(submissionDeadline.getTime() + 60 * DAY),
    questionnaireId,
  };
  const created = await createCampaign(input);
  if (!created.ok) throw new Error(`createTestCampaign: ${JSON.stringify(created)}`);
  return { id: created.value.id, ...input };
}

/** A plausible answer to any question; `good` picks the best-scoring choices. */
export function answerFor(question: Question, good = true): LabelAnswerValue | null {
  const best = [...question.options].sort((a, b) =>
    good ? b.points - a.points : a.points - b.points,
  )[0];
  switch (question.kind) {
    case "yesno":
      return { kind: "yesno", value: good };
    case "single":
      return { kind: "single", value: best!.value };
    case "multiple":
      return { kind: "multiple", value: [best!.value] };
    case "number":
      return { kind: "number", value: good ? 100 : 0 };
    case "short_text":
    case "long_text":
      return { kind: question.kind, value: "Une réponse de test." };
    case "initiatives":
      return null;
  }
}

/** Answers every question of the application (`which`: all, or the required ones only). */
export async function answerQuestions(
  user: AuthUser,
  applicationId: string,
  {
    which = "required",
    good = true,
    now = new Date(),
  }: { which?: "all" | "required"; good?: boolean; now?: Date } = {},
) {
  const application = (await getApplication(user, applicationId))!;
  const questions = await currentQuestions(
    application.campaign.questionnaireId,
    application.category,
  );
  // Questions a person already answered (in the browser) are left as they are.
  const answered = new Set((await answersOf(applicationId)).map((a) => a.questionId));
  const entries: AnswerEntry[] = questions
    .filter((q) => (which === "all" || q.required) && !answered.has(q.id))
    .flatMap((q) => {
      const value = answerFor(q, good);
      return value
        ? [{ questionId: q.id, value, baseVersion: 0, baseHash: "", confirm: false }]
        : [];
    });
  const saved = await saveAnswers(user, applicationId, entries, now);
  if (!saved.ok) throw new Error(`answerQuestions: ${JSON.stringify(saved)}`);
  return questions;
}

/** A submitted application of `code` for the campaign of `year`, by a new referent. */
export async function submittedApplication(year: number, code: string) {
  const member = await createTestUser({ collectivityCode: code, referent: true });
  const registered = await registerApplication(member, year, { carryOver: false });
  if (!registered.ok) throw new Error(`inscription refusée ${code}`);
  await answerQuestions(member, registered.value.id);
  const done = await submitApplication(member, registered.value.id);
  if (!done.ok) throw new Error(`dépôt refusé ${code}`);
  return registered.value.id;
}
