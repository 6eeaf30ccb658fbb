import type {
  LabelAnswerValue,
  LabelQuestionKind,
  LabelQuestionOption,
  LabelScores,
} from "../../db/schema/label-constants";

/**
 * The indicative score of an application, computed the same way in the browser-free pages, the
 * jury workspace and at submission: each question is worth `weight` points; an enjeu scores the
 * share of its available points obtained, in percent, and so does the whole questionnaire.
 */
export type ScoredQuestion = {
  id: string;
  section: string;
  kind: LabelQuestionKind;
  weight: number;
  options: LabelQuestionOption[];
};

/** Points of the best threshold reached (`value` of an option is its minimum). */
function thresholdPoints(options: LabelQuestionOption[], amount: number) {
  let best = 0;
  for (const option of options) {
    if (amount >= Number(option.value)) best = Math.max(best, option.points);
  }
  return best;
}

export function questionPoints(question: ScoredQuestion, answer: LabelAnswerValue | undefined) {
  if (!answer || question.weight <= 0) return 0;
  const pointsOf = (value: string) => question.options.find((o) => o.value === value)?.points ?? 0;
  let points = 0;
  switch (answer.kind) {
    case "yesno":
      points = answer.value ? question.weight : 0;
      break;
    case "single":
      points = pointsOf(answer.value);
      break;
    case "multiple":
      points = answer.value.reduce((sum, value) => sum + pointsOf(value), 0);
      break;
    case "number":
      points = thresholdPoints(question.options, answer.value);
      break;
    case "initiatives":
      points = thresholdPoints(question.options, answer.value.length);
      break;
    default:
      points = answer.value.trim() === "" ? 0 : question.weight;
  }
  return Math.min(points, question.weight);
}

const percent = (obtained: number, available: number) =>
  available > 0 ? Math.round((obtained / available) * 1000) / 10 : 0;

export function computeScores(
  questions: ScoredQuestion[],
  answers: ReadonlyMap<string, LabelAnswerValue>,
): LabelScores {
  const bySection = new Map<string, { obtained: number; available: number }>();
  let obtained = 0;
  let available = 0;
  for (const question of questions) {
    if (question.weight <= 0) continue;
    const points = questionPoints(question, answers.get(question.id));
    const section = bySection.get(question.section) ?? { obtained: 0, available: 0 };
    section.obtained += points;
    section.available += question.weight;
    bySection.set(question.section, section);
    obtained += points;
    available += question.weight;
  }
  const sections: Record<string, number> = {};
  for (const [slug, figures] of bySection)
    sections[slug] = percent(figures.obtained, figures.available);
  return { sections, overall: percent(obtained, available) };
}

/** Indicative level from the overall score; the jury decides the real one. */
export function indicativeLevel(overall: number) {
  const thresholds = [80, 65, 50, 35, 20];
  const index = thresholds.findIndex((threshold) => overall >= threshold);
  return index === -1 ? 0 : 5 - index;
}

/** Quartiles with linear interpolation between ranks (the spreadsheet's QUARTILE.INC). */
export function quartiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    const rank = (sorted.length - 1) * p;
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    const value = sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
    return Math.round(value * 10) / 10;
  };
  return { q1: at(0.25), median: at(0.5), q3: at(0.75) };
}
