import { normalizeForSearch } from "../../db/search-name";

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
