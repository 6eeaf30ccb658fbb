import { optionalEmpty, pageNumberSchema, z } from "./validation";

/**
 * The kinds of things the site search finds, their French names, and each kind's own page (the
 * "voir tout" of the grouped results). Shared by the pages, the API and the search request.
 */
export const searchKinds = [
  "initiatives",
  "topics",
  "posts",
  "events",
  "collectivities",
  "members",
] as const;
export type SearchKind = (typeof searchKinds)[number];

/** A hit confirmed against the viewer's rights, as the pages show it. */
export type SiteHit = {
  type: SearchKind;
  id: string;
  /** May hold matches between the engine's markers (never HTML): see `Highlighted`. */
  title: string;
  snippet: string;
  url: string;
  context: string;
};

export const isSearchKind = (value: string): value is SearchKind =>
  (searchKinds as readonly string[]).includes(value);

export const searchKindLabels: Record<SearchKind, { heading: string; one: string; many: string }> =
  {
    initiatives: { heading: "Initiatives", one: "initiative", many: "initiatives" },
    topics: { heading: "Sujets des forums", one: "sujet", many: "sujets" },
    posts: { heading: "Réponses dans les forums", one: "réponse", many: "réponses" },
    events: { heading: "Événements", one: "événement", many: "événements" },
    collectivities: { heading: "Collectivités", one: "collectivité", many: "collectivités" },
    members: { heading: "Membres", one: "membre", many: "membres" },
  };

/** "12 initiatives", "1 réponse". */
export function countLabel(kind: SearchKind, count: number) {
  const label = searchKindLabels[kind];
  return `${count.toLocaleString("fr-FR")} ${count > 1 ? label.many : label.one}`;
}

/** Where all the hits of one kind are listed, with its own filters. */
export function kindPagePath(kind: SearchKind, q: string) {
  const query = new URLSearchParams({ q });
  const pages: Record<SearchKind, string> = {
    initiatives: `/initiatives?${query}`,
    topics: `/forums?${query}`,
    posts: `/recherche?${query}&type=posts`,
    events: `/evenements?${query}`,
    collectivities: `/annuaire?${query}`,
    members: `/membres?${query}`,
  };
  return pages[kind];
}

export const SEARCH_QUERY_MAX_LENGTH = 200;

const querySchema = z
  .string({ error: "Indiquez ce que vous cherchez." })
  .trim()
  .min(1, "Indiquez ce que vous cherchez.")
  .max(
    SEARCH_QUERY_MAX_LENGTH,
    `La recherche ne peut pas dépasser ${SEARCH_QUERY_MAX_LENGTH} caractères.`,
  );

const kindSchema = z.enum(searchKinds, {
  error: `Type inconnu. Acceptés : ${searchKinds.join(", ")}.`,
});

/** `GET /api/v1/search`: q, a comma-separated list of types, and the page. */
export const SiteSearchApiQuerySchema = z.object({
  q: querySchema,
  // Errors name the parameter itself (not "types.1"): API clients read them by field.
  types: optionalEmpty(
    z.string().transform((value, ctx) => {
      const types = [...new Set(value.split(",").map((type) => type.trim()))];
      const unknown = types.filter((type) => !isSearchKind(type));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `Type inconnu : ${unknown.join(", ")}. Acceptés : ${searchKinds.join(", ")}.`,
        });
        return z.NEVER;
      }
      return types.filter(isSearchKind);
    }),
  ),
  page: pageNumberSchema.pipe(z.number().max(50, "Au-delà de la page 50, affinez la recherche.")),
});

/** `/recherche`: the query, an optional single kind (its paged list), and the page. */
export const SiteSearchPageQuerySchema = z.object({
  q: optionalEmpty(querySchema),
  type: optionalEmpty(kindSchema),
  page: pageNumberSchema.pipe(z.number().max(50, "Au-delà de la page 50, affinez la recherche.")),
});

/** Suggestions while typing in the header box. */
export const SuggestionsQuerySchema = z.object({ q: querySchema });
