/**
 * Lower-case, accent-free form used to compare names: "Saint-Étienne", "st etienne" and
 * "SAINT ETIENNE" all become "saint etienne".
 */
export function normalizeForSearch(value: string): string {
  return value
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[''`´-]/g, " ")
    .replace(/[^\p{L}\p{N} ]+/gu, " ")
    .replace(/\b(st|ste)\b/g, (abbreviation) => (abbreviation === "st" ? "saint" : "sainte"))
    .replace(/\s+/g, " ")
    .trim();
}

/** Escapes `%`, `_` and `\` so that user input matches literally inside a LIKE pattern. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** URL-friendly slug of a French title. */
export function slugify(value: string, maxLength = 80): string {
  return normalizeForSearch(value).replace(/ /g, "-").slice(0, maxLength).replace(/-+$/, "");
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat("fr-FR").format(value);
}
