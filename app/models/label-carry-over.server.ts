import { and, desc, eq, gte, isNull, lt, or } from "drizzle-orm";

import type { Executor } from "../../db/client";
import {
  initiatives,
  labelAnswers,
  labelApplications,
  labelCampaigns,
  labelQuestions,
  type LabelAnswerValue,
} from "../../db/schema";
import { currentQuestions, type Question } from "./label-questionnaires.server";

/**
 * Starts an application from the collectivity's previous one: its answers to questions that
 * still exist (same code and kind) and its current initiatives as evidence, all "à confirmer".
 */
export async function carryOverAnswers(tx: Executor, applicationId: string, userId: string) {
  const [target] = await tx
    .select({
      collectivityCode: labelApplications.collectivityCode,
      category: labelApplications.category,
      questionnaireId: labelCampaigns.questionnaireId,
      year: labelCampaigns.year,
      opensAt: labelCampaigns.opensAt,
    })
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .where(eq(labelApplications.id, applicationId));
  if (!target) return 0;
  const [previous] = await tx
    .select({ id: labelApplications.id })
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .where(
      and(
        eq(labelApplications.collectivityCode, target.collectivityCode),
        lt(labelCampaigns.year, target.year),
      ),
    )
    .orderBy(desc(labelCampaigns.year))
    .limit(1);
  const questions = await currentQuestions(target.questionnaireId, target.category, tx);
  const carried = new Map<string, LabelAnswerValue>();
  if (previous) {
    const old = await tx
      .select({ code: labelQuestions.code, kind: labelQuestions.kind, value: labelAnswers.value })
      .from(labelAnswers)
      .innerJoin(labelQuestions, eq(labelQuestions.id, labelAnswers.questionId))
      .where(eq(labelAnswers.applicationId, previous.id));
    const byCode = new Map(old.map((row) => [row.code, row]));
    for (const question of questions) {
      const match = byCode.get(question.code);
      if (match && match.kind === question.kind) carried.set(question.id, match.value);
    }
  }
  await addCurrentInitiatives(tx, target, questions, carried);
  if (carried.size === 0) return 0;
  await tx.insert(labelAnswers).values(
    [...carried].map(([questionId, value]) => ({
      applicationId,
      questionId,
      value,
      toConfirm: true,
      updatedBy: userId,
    })),
  );
  return carried.size;
}

/**
 * Initiatives started less than two years before the campaign opened (or without a start year)
 * join the evidence.
 */
async function addCurrentInitiatives(
  tx: Executor,
  target: { collectivityCode: string; opensAt: Date },
  questions: Question[],
  carried: Map<string, LabelAnswerValue>,
) {
  const evidenceQuestions = questions.filter((q) => q.kind === "initiatives");
  if (evidenceQuestions.length === 0) return;
  const current = await tx
    .select({ id: initiatives.id, themes: initiatives.themes })
    .from(initiatives)
    .where(
      and(
        eq(initiatives.collectivityCode, target.collectivityCode),
        eq(initiatives.status, "published"),
        or(
          isNull(initiatives.startYear),
          gte(initiatives.startYear, target.opensAt.getFullYear() - 1),
        ),
      ),
    );
  const published = new Set(
    (
      await tx
        .select({ id: initiatives.id })
        .from(initiatives)
        .where(
          and(
            eq(initiatives.collectivityCode, target.collectivityCode),
            eq(initiatives.status, "published"),
          ),
        )
    ).map((row) => row.id),
  );
  for (const question of evidenceQuestions) {
    const before = carried.get(question.id);
    const ids = new Set(
      before?.kind === "initiatives" ? before.value.filter((id) => published.has(id)) : [],
    );
    for (const initiative of current) {
      if (initiative.themes.includes(question.section)) ids.add(initiative.id);
    }
    if (ids.size > 0) carried.set(question.id, { kind: "initiatives", value: [...ids].sort() });
  }
}
