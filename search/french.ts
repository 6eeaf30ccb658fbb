import type { Settings } from "meilisearch";

import stopWords from "./data/stop-words-fr.json";
import synonymData from "./data/synonyms-fr.json";

/**
 * French text as Meilisearch should see it. Meilisearch splits on the ASCII apostrophe but not on
 * the typographic one (’) that word processors insert, so "l’école" would stay one word; and
 * "St-Malo" / "Ste-Anne" are written out so that they meet "Saint-Malo" without a synonym hop
 * (keeping the capital, since snippets show this text). The same function runs on documents and
 * on queries.
 */
export function normalizeFrench(text: string): string {
  return text
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/(?<![\p{L}\p{N}])(st|ste)(?=[-\s.])\.?/giu, (_match, abbreviation: string) => {
      const word = abbreviation.toLowerCase() === "st" ? "saint" : "sainte";
      return abbreviation[0] === "S" ? `S${word.slice(1)}` : word;
    });
}

export const frenchStopWords: string[] = stopWords;

/** The synonym groups (data) as Meilisearch wants them: each word maps to the rest of its group. */
export function synonymsMap(): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const group of synonymData.groups) {
    for (const word of group) {
      map[word] = [...new Set([...(map[word] ?? []), ...group.filter((other) => other !== word)])];
    }
  }
  return map;
}

/**
 * The settings every index shares (French stop words, synonyms, typo tolerance, the `fra`
 * locale, facet order), so that a query means the same in the federated search whatever the
 * index.
 */
export function frenchSettings() {
  return {
    stopWords: frenchStopWords,
    synonyms: synonymsMap(),
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 },
      disableOnAttributes: [],
      disableOnWords: [],
    },
    localizedAttributes: [{ attributePatterns: ["*"], locales: ["fra" as const] }],
    // The same facet order everywhere: the federated search merges the facets of every index.
    faceting: { maxValuesPerFacet: 200, sortFacetValuesBy: { "*": "count" as const } },
  } satisfies Settings;
}

/**
 * The attribute every document carries with its index's kind ("initiatives", "posts"…): a facet
 * on it gives, in the one federated request, how many hits each kind has.
 */
export const KIND_ATTRIBUTE = "type";
