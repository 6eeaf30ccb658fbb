import { and, desc, eq, gte, isNotNull, lt, lte, sql } from "drizzle-orm";

import { db } from "../../db/client";
import {
  collectivities,
  labelApplications,
  labelCampaigns,
  type LabelAnswerValue,
  type LabelCategory,
} from "../../db/schema";
import type { AuthUser } from "../utils/auth.server";
import { bracketBounds, bracketOf, categoryLabels } from "../utils/label";
import { computeScores, indicativeLevel, quartiles } from "../utils/label-scoring";
import { themeLabel } from "../utils/themes";
import { answersOf, getApplication } from "./label-applications.server";
import { currentQuestions } from "./label-questionnaires.server";

/**
 * The "mosaïque des enjeux": the team's indicative score per enjeu, beside the median and
 * quartiles of comparable collectivities in the previous campaign. Only aggregates of at least
 * MIN_GROUP collectivities are shown, so nobody's answers can be inferred.
 */
export const MIN_GROUP = 5;

export type SectionFigure = {
  section: string;
  label: string;
  score: number;
  q1: number | null;
  median: number | null;
  q3: number | null;
};

export type Comparison =
  { shown: true; year: number; size: number; group: string } | { shown: false; reason: string };

type Comparable = {
  year: number;
  category: LabelCategory;
  population: number | null;
  regionCode: string | null;
};

/**
 * Scores at submission of the comparable collectivities of the campaign before `year`: same
 * catégorie and population bracket, same région when it has enough of them, else all of France.
 */
export async function comparableScores(target: Comparable) {
  const [previous] = await db
    .select({ id: labelCampaigns.id, year: labelCampaigns.year })
    .from(labelCampaigns)
    .where(lt(labelCampaigns.year, target.year))
    .orderBy(desc(labelCampaigns.year))
    .limit(1);
  const bracket = bracketOf(target.category, target.population);
  const groupName = `${categoryLabels[target.category].toLowerCase()}s ${bracket.label}`;
  if (!previous) {
    return {
      comparison: {
        shown: false,
        reason: "Aucune campagne précédente : la comparaison sera possible l'an prochain.",
      } as Comparison,
      scores: [],
    };
  }
  const { min, max } = bracketBounds(target.category, bracket.slug);
  const rows = await db
    .select({ scores: labelApplications.scores, regionCode: collectivities.regionCode })
    .from(labelApplications)
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(
      and(
        eq(labelApplications.campaignId, previous.id),
        eq(labelApplications.status, "submitted"),
        isNotNull(labelApplications.scores),
        eq(labelApplications.category, target.category),
        gte(sql`coalesce(${labelApplications.population}, 0)`, min),
        max === null ? undefined : lte(sql`coalesce(${labelApplications.population}, 0)`, max),
      ),
    );
  const inRegion = rows.filter((row) => row.regionCode === target.regionCode);
  const useRegion = target.regionCode !== null && inRegion.length >= MIN_GROUP;
  const group = useRegion ? inRegion : rows;
  if (group.length < MIN_GROUP) {
    return {
      comparison: {
        shown: false,
        reason: `Comparaison masquée : ${group.length === 0 ? "aucune collectivité comparable" : `seulement ${group.length} collectivité${group.length > 1 ? "s" : ""} comparable${group.length > 1 ? "s" : ""}`} (${groupName}) en ${previous.year}. Il en faut au moins ${MIN_GROUP} pour qu'aucune ne puisse être reconnue.`,
      } as Comparison,
      scores: [],
    };
  }
  return {
    comparison: {
      shown: true,
      year: previous.year,
      size: group.length,
      group: `${groupName}${useRegion ? ", même région" : ", toute la France"}`,
    } as Comparison,
    scores: group.map((row) => row.scores!),
  };
}

/** The mosaïque of an application the viewer may see (members, admins). */
export async function selfEvaluation(
  viewer: Pick<AuthUser, "id" | "roles">,
  applicationId: string,
) {
  const application = await getApplication(viewer, applicationId);
  if (!application) return null;
  const [questions, answers, reference] = await Promise.all([
    currentQuestions(application.campaign.questionnaireId, application.category),
    answersOf(applicationId),
    comparableScores({
      year: application.campaign.year,
      category: application.category,
      population: application.population,
      regionCode: application.regionCode,
    }),
  ]);
  const scores = computeScores(
    questions,
    new Map<string, LabelAnswerValue>(answers.map((a) => [a.questionId, a.value])),
  );
  const spread = (pick: (s: (typeof reference.scores)[number]) => number | undefined) => {
    const values = reference.scores.map(pick).filter((v): v is number => v !== undefined);
    return values.length >= MIN_GROUP ? quartiles(values) : null;
  };
  const sections: SectionFigure[] = Object.entries(scores.sections).map(([section, score]) => {
    const figures = spread((s) => s.sections[section]);
    return {
      section,
      label: themeLabel(section),
      score,
      q1: figures?.q1 ?? null,
      median: figures?.median ?? null,
      q3: figures?.q3 ?? null,
    };
  });
  const overall = spread((s) => s.overall);
  return {
    application,
    sections,
    overall: { score: scores.overall, ...(overall ?? { q1: null, median: null, q3: null }) },
    indicativeLevel: indicativeLevel(scores.overall),
    comparison: reference.comparison,
  };
}
