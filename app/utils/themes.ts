import themesData from "../data/initiative-themes.json";

/**
 * The themes of the network, shared by initiatives and events: one list, kept as data in
 * app/data/initiative-themes.json. Slugs are stable identifiers (stored, indexed, in URLs);
 * labels may be reworded.
 */
export const themes: ReadonlyArray<{ slug: string; label: string }> = themesData;

export type ThemeSlug = string;

export const themeSlugs = themes.map((t) => t.slug) as [string, ...string[]];

export function themeLabel(slug: string): string {
  return themes.find((t) => t.slug === slug)?.label ?? slug;
}
