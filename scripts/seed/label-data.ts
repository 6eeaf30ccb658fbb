import { and, desc, eq, gte, inArray, notInArray } from "drizzle-orm";

import type { Database } from "../../db/client";
import { collectivities } from "../../db/schema";

/** The collectivities quoted on the label's "dix bonnes raisons" page, with their words. */
export const quoted: Array<{ code: string; levels: [number, number] }> = [
  { code: "56260", levels: [4, 5] }, // Vannes
  { code: "70299", levels: [2, 3] }, // Lavoncourt
  { code: "13056", levels: [3, 4] }, // Martigues
  { code: "94033", levels: [4, 4] }, // Fontenay-sous-Bois
  { code: "60057", levels: [3, 4] }, // Beauvais
  { code: "94018", levels: [3, 3] }, // Charenton-le-Pont
  { code: "38382", levels: [3, 4] }, // Saint-Égrève
  { code: "95313", levels: [2, 3] }, // L'Isle-Adam
];

export const quotes: Record<string, string> = {
  "56260":
    "Chaque année nous devons revoir nos pratiques pour participer au label : une remise en cause permanente.",
  "70299":
    "Le panneau Villes Internet à l'entrée du village interpelle les passants, les entreprises et les associations.",
  "13056":
    "Le questionnaire nous permet de nous interroger sur des sujets que nous n'abordions pas avant.",
  "94033": "Un lieu d'échange et de mutualisation pour apprendre les bonnes pratiques.",
  "60057": "Des débats d'une grande richesse, au plus près du terrain.",
  "94018": "Des initiatives de plus en plus efficaces, année après année.",
  "38382": "Le label valorise le travail de tous les agents de la collectivité.",
  "95313": "Un excellent outil d'évaluation : j'incite tous les maires à participer.",
};

/**
 * The laureates of a past campaign (`index` 0 for the older one): the quoted collectivities,
 * départements and intercommunalités of every catégorie, and the large towns that Vannes,
 * Beauvais and Fontenay-sous-Bois are compared with.
 */
export async function pastLaureates(db: Database, index: 0 | 1) {
  const named = quoted.map((q) => ({ code: q.code, level: q.levels[index] }));
  const departments = ["dep-56", "dep-79", "dep-38", "dep-95", "dep-70"].map((code, i) => ({
    code,
    level: 2 + ((i + index) % 4),
  }));
  const towns = await db
    .select({ code: collectivities.code })
    .from(collectivities)
    .where(
      and(
        eq(collectivities.kind, "commune"),
        gte(collectivities.population, 50_000),
        notInArray(
          collectivities.code,
          named.map((n) => n.code),
        ),
        inArray(collectivities.regionCode, ["53", "32", "11", "84", "93"]),
      ),
    )
    .orderBy(desc(collectivities.population))
    .limit(6);
  const agglomerations = await db
    .select({ code: collectivities.code })
    .from(collectivities)
    .where(
      and(
        eq(collectivities.kind, "epci"),
        inArray(collectivities.departmentCode, ["56", "60", "38"]),
      ),
    )
    .orderBy(desc(collectivities.population))
    .limit(3);
  return [
    ...named,
    ...departments,
    ...towns.map((t, i) => ({ code: t.code, level: 1 + ((i + index) % 5) })),
    ...agglomerations.map((a, i) => ({ code: a.code, level: 2 + ((i + index) % 3) })),
  ];
}
