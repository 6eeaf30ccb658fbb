/**
 * Lower-case, accent-free form used to compare names: "Saint-Étienne", "st etienne" and
 * "SAINT ETIENNE" all become "saint etienne". The directory import stores it
 * (`collectivities.search_name`) and the app applies it to queries and slugs, so it lives here,
 * below both.
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
