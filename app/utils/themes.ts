/**
 * The themes of the network, shared by initiatives and events. Slugs are stable identifiers
 * (stored, indexed, in URLs); labels may be reworded.
 */
export const themes = [
  { slug: "democratie-citoyennete", label: "Démocratie et citoyenneté" },
  { slug: "services-en-ligne", label: "Services en ligne" },
  { slug: "inclusion-mediation", label: "Inclusion et médiation numérique" },
  { slug: "education-jeunesse", label: "Éducation et jeunesse" },
  { slug: "culture-patrimoine", label: "Culture et patrimoine" },
  { slug: "sante-solidarites", label: "Santé et solidarités" },
  { slug: "economie-emploi", label: "Économie et emploi" },
  { slug: "environnement-mobilite", label: "Environnement et mobilité" },
  { slug: "territoire-intelligent-donnees", label: "Territoire intelligent et données" },
  { slug: "cybersecurite", label: "Cybersécurité" },
  { slug: "infrastructures-thd", label: "Infrastructures et très haut débit" },
  { slug: "administration-agents", label: "Administration et agents" },
] as const satisfies ReadonlyArray<{ slug: string; label: string }>;

export type ThemeSlug = (typeof themes)[number]["slug"];

export const themeSlugs = themes.map((t) => t.slug) as [ThemeSlug, ...ThemeSlug[]];

export function themeLabel(slug: string): string {
  return themes.find((t) => t.slug === slug)?.label ?? slug;
}
