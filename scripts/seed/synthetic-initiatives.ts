import { and, isNotNull, sql } from "drizzle-orm";

import { randomId } from "../../app/utils/ids.server";
import { themeSlugs } from "../../app/utils/themes";
import type { Database } from "../../db/client";
import { budgetBrackets, collectivities, initiatives } from "../../db/schema";

/**
 * Large synthetic corpora for benchmarks: plausible French initiatives (summaries of about 30
 * words, bodies of about 200) over real collectivities, deterministic for a given seed. Rows go
 * straight into PostgreSQL without outbox rows: a reindex builds the search index afterwards.
 */

// Deterministic pseudo-random numbers (mulberry32), so two runs compare the same corpus.
export function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const subjects = [
  "portail citoyen",
  "conseil municipal en direct",
  "médiation numérique",
  "espace numérique de travail",
  "fibre optique",
  "wifi public",
  "budget participatif",
  "données ouvertes",
  "tiers-lieu",
  "fablab",
  "téléconsultation",
  "application mobile",
  "cartographie participative",
  "archives numérisées",
  "visite virtuelle",
  "formation des agents",
  "sauvegarde externalisée",
  "signalement de voirie",
  "inscription scolaire en ligne",
  "billetterie culturelle",
  "covoiturage rural",
  "éclairage intelligent",
  "capteurs de qualité de l'air",
  "accompagnement des seniors",
  "France Services itinérant",
  "plateforme de l'emploi local",
  "marchés publics dématérialisés",
  "parapheur électronique",
  "conseil des jeunes",
  "atelier de réparation",
  "ordinateurs reconditionnés",
  "cantine en circuit court",
];
const verbs = [
  "permet",
  "aide",
  "simplifie",
  "accompagne",
  "facilite",
  "renforce",
  "ouvre",
  "relie",
  "informe",
  "rassemble",
  "modernise",
  "sécurise",
];
const audiences = [
  "les habitants",
  "les familles",
  "les agents municipaux",
  "les élus",
  "les associations",
  "les commerçants",
  "les seniors",
  "les collégiens",
  "les demandeurs d'emploi",
  "les touristes",
  "les entreprises",
  "les aidants",
  "les personnes handicapées",
  "les jeunes",
];
const places = [
  "dans les quartiers",
  "au centre-bourg",
  "dans les villages",
  "à la médiathèque",
  "en mairie annexe",
  "dans les écoles",
  "au marché",
  "dans les maisons de santé",
  "sur tout le territoire",
  "dans les hameaux",
];
const outcomes = [
  "réduire les délais de traitement",
  "limiter les déplacements",
  "mieux partager l'information",
  "lutter contre l'isolement",
  "économiser l'énergie",
  "rendre les démarches accessibles",
  "valoriser le patrimoine local",
  "soutenir le commerce de proximité",
  "protéger les données personnelles",
  "associer la population aux décisions",
];
const connectors = [
  "Depuis son lancement,",
  "Avec l'appui des partenaires,",
  "En lien avec l'intercommunalité,",
  "Grâce à une équipe motivée,",
  "Après une phase de test,",
  "Chaque année,",
  "Pour aller plus loin,",
];

const qualifiers = [
  "pour tous",
  "de proximité",
  "partagé",
  "intercommunal",
  "solidaire",
  "connecté",
  "ouvert",
];

export function syntheticText(next: () => number, words: number) {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const sentences: string[] = [];
  let count = 0;
  while (count < words) {
    const sentence = `${pick(connectors)} le projet de ${pick(subjects)} ${pick(verbs)} ${pick(audiences)} ${pick(places)} afin de ${pick(outcomes)}.`;
    sentences.push(sentence);
    count += sentence.split(" ").length;
  }
  return sentences.join(" ");
}

export async function generateSyntheticInitiatives(
  db: Database,
  count: number,
  options: { seed?: number; batchSize?: number; onProgress?: (done: number) => void } = {},
) {
  const next = random(options.seed ?? 42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const targets = await db
    .select({ code: collectivities.code, name: collectivities.name })
    .from(collectivities)
    .where(and(isNotNull(collectivities.population), sql`${collectivities.population} > 500`))
    .orderBy(collectivities.code);
  const batchSize = options.batchSize ?? 1000;
  const now = Date.now();
  for (let done = 0; done < count; done += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, count - done) }, (_, i) => {
      const place = pick(targets);
      const subject = pick(subjects);
      const title = `${subject.charAt(0).toUpperCase()}${subject.slice(1)} ${pick(qualifiers)} à ${place.name}`;
      const published = new Date(now - Math.floor(next() * 5 * 365) * 86_400_000);
      const themes = [...new Set([pick(themeSlugs), ...(next() < 0.4 ? [pick(themeSlugs)] : [])])];
      return {
        id: randomId(),
        slug: `synthetique-${done + i}-${randomId(3)}`,
        collectivityCode: place.code,
        title,
        summary: syntheticText(next, 30).slice(0, 300),
        body: `## Le projet\n\n${syntheticText(next, 100)}\n\n## Les résultats\n\n${syntheticText(next, 100)}`,
        themes,
        tags: [pick(subjects), pick(audiences).replace(/^les /, "")],
        startYear: 2010 + Math.floor(next() * 16),
        budgetBracket: pick(budgetBrackets),
        status: "published" as const,
        createdAt: published,
        updatedAt: published,
        publishedAt: published,
      };
    });
    await db.insert(initiatives).values(rows);
    options.onProgress?.(done + rows.length);
  }
  return count;
}
