import { labelCategories, type LabelCategory } from "../../db/schema/label-constants";
import categoriesData from "../data/label/categories.json";
import mentionsData from "../data/label/mentions.json";

/**
 * The label's reference data, shared by pages and models: catégories (derived from the directory,
 * rules kept as data in app/data/label/categories.json), population brackets, mentions, levels.
 */
type Bracket = { slug: string; label: string; max: number | null };
type CategoryDefinition = {
  slug: LabelCategory;
  label: string;
  description: string;
  kind: string;
  maxPopulation?: number;
  minPopulation?: number;
  brackets: Bracket[];
};

export const categoryDefinitions = categoriesData as CategoryDefinition[];

export const categoryLabels = Object.fromEntries(
  categoryDefinitions.map((c) => [c.slug, c.label]),
) as Record<LabelCategory, string>;

export function isLabelCategory(value: string): value is LabelCategory {
  return (labelCategories as readonly string[]).includes(value);
}

/** The catégorie of a collectivity of the directory; null when it cannot take part (région). */
export function categoryOf(collectivity: {
  kind: string;
  population: number | null;
}): LabelCategory | null {
  const population = collectivity.population ?? 0;
  const found = categoryDefinitions.find(
    (c) =>
      c.kind === collectivity.kind &&
      (c.maxPopulation === undefined || population <= c.maxPopulation) &&
      (c.minPopulation === undefined || population >= c.minPopulation),
  );
  return found?.slug ?? null;
}

/** Why an organisation without a catégorie cannot apply: only communes, EPCI and départements do. */
export function notCandidateReason(kind: string) {
  return kind === "partenaire"
    ? "Les organisations partenaires du conseil ne participent pas au label."
    : "Les régions ne participent pas au label.";
}

/** The population bracket of the comparison ("de 500 à 1 999 habitants"). */
export function bracketOf(category: LabelCategory, population: number | null) {
  const brackets = categoryDefinitions.find((c) => c.slug === category)?.brackets ?? [];
  const value = population ?? 0;
  return brackets.find((b) => b.max === null || value <= b.max) ?? brackets.at(-1)!;
}

/** Population bounds of a bracket, for the comparison query. */
export function bracketBounds(category: LabelCategory, slug: string) {
  const brackets = categoryDefinitions.find((c) => c.slug === category)?.brackets ?? [];
  const index = brackets.findIndex((b) => b.slug === slug);
  const min = index > 0 ? (brackets[index - 1]!.max ?? 0) + 1 : 0;
  return { min, max: brackets[index]?.max ?? null };
}

export type Mention = { slug: string; label: string; validYears: number; description: string };
export const mentions: Mention[] = mentionsData;

export function mentionLabel(slug: string) {
  return mentions.find((m) => m.slug === slug)?.label ?? slug;
}

export const levelValues = [1, 2, 3, 4, 5] as const;

/** "4 @" for a screen, "4 arobases" for a screen reader. */
export function levelText(level: number) {
  return `${level} @`;
}

/** The levels and the mentions as choices of the jury's and the admins' forms. */
export const levelChoices = levelValues.map((level) => ({
  value: String(level),
  label: levelText(level),
}));
export const mentionChoices = mentions.map((m) => ({
  value: m.slug,
  label: m.validYears > 1 ? `${m.label} (valable ${m.validYears} ans)` : m.label,
}));

export function levelSpoken(level: number) {
  return level > 1 ? `${level} arobases` : "1 arobase";
}

/** The longest answers a questionnaire takes, checked by the form and shown by the fields. */
export const SHORT_TEXT_MAX = 300;
export const LONG_TEXT_MAX = 5000;

export type { LabelAnswerValue } from "../../db/schema/label-constants";
