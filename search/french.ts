import stopWords from "./data/stop-words-fr.json";
import synonymData from "./data/synonyms-fr.json";

/**
 * French text as Meilisearch should see it. Meilisearch splits on the ASCII apostrophe but not on
 * the typographic one (’) that word processors insert, so "l’école" would stay one word; and
 * "St-Malo" / "Ste-Anne" are written out so that they meet "Saint-Malo" without a synonym hop.
 * The same function runs on documents and on queries.
 */
export function normalizeFrench(text: string): string {
  return text
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/(?<![\p{L}\p{N}])(st|ste)(?=[-\s.])\.?/giu, (_match, abbreviation: string) =>
      abbreviation.toLowerCase() === "st" ? "saint" : "sainte",
    );
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
