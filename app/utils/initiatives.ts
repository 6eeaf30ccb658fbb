/**
 * Vocabulary of initiatives shared by the server and the browser: budget brackets, statuses and
 * population brackets used by the search facets. Themes are in `themes.ts`, shared with events.
 */

export const budgetLabels = {
  aucun: "Sans budget dédié",
  "moins-5k": "Moins de 5 000 €",
  "5k-20k": "De 5 000 à 20 000 €",
  "20k-100k": "De 20 000 à 100 000 €",
  "100k-500k": "De 100 000 à 500 000 €",
  "plus-500k": "Plus de 500 000 €",
} as const;

export const statusLabels = {
  draft: "Brouillon",
  published: "Publiée",
  archived: "Archivée",
} as const;

export const populationBrackets = [
  { slug: "moins-1000", label: "Moins de 1 000 habitants", max: 1_000 },
  { slug: "1000-10000", label: "De 1 000 à 10 000 habitants", max: 10_000 },
  { slug: "10000-50000", label: "De 10 000 à 50 000 habitants", max: 50_000 },
  { slug: "50000-200000", label: "De 50 000 à 200 000 habitants", max: 200_000 },
  { slug: "plus-200000", label: "Plus de 200 000 habitants", max: Infinity },
] as const;

export function populationBracket(population: number | null | undefined) {
  if (population === null || population === undefined) return null;
  return populationBrackets.find((b) => population < b.max)?.slug ?? null;
}

export const populationBracketLabel = (slug: string) =>
  populationBrackets.find((b) => b.slug === slug)?.label ?? slug;

/** Paths under /initiatives that are pages, so no initiative may take them as its slug. */
export const reservedSlugs = new Set(["nouvelle", "brouillons", "apercu", "suggestions"]);

export const SUMMARY_MAX = 300;
