// Plain constants and types without drizzle imports, so the browser bundle can use them.

/** Catégories of the label, derived from the directory (rules in app/data/label/categories.json). */
export const labelCategories = ["village", "ville", "territoire", "departement"] as const;
export type LabelCategory = (typeof labelCategories)[number];

export const labelQuestionKinds = [
  "yesno",
  "single",
  "multiple",
  "number",
  "short_text",
  "long_text",
  "initiatives",
] as const;
export type LabelQuestionKind = (typeof labelQuestionKinds)[number];

/**
 * A choice of a single or multiple choice question, or a threshold of a number question
 * (`value` is then the minimum, as a string) or of an "initiatives" question (the count).
 */
export type LabelQuestionOption = { value: string; label: string; points: number };

export type LabelAnswerValue =
  | { kind: "yesno"; value: boolean }
  | { kind: "single"; value: string }
  | { kind: "multiple"; value: string[] }
  | { kind: "number"; value: number }
  | { kind: "short_text" | "long_text"; value: string }
  | { kind: "initiatives"; value: string[] };

/** Self-evaluation figures, in percent of the points available: per enjeu and overall. */
export type LabelScores = { sections: Record<string, number>; overall: number };

export const labelLevels = [1, 2, 3, 4, 5] as const;
