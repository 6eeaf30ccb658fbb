import { readFileSync } from "node:fs";

import { beforeAll, describe, expect, test } from "vitest";

import { searchInitiatives } from "../../app/models/initiative-search.server";
import { db } from "../../db/client";
import { demoInitiativesSeed } from "../../scripts/seed/initiatives";
import { drainOutbox } from "../helpers/initiatives";

type Case = { q: string; expected: string; kind: string };
const { queries } = JSON.parse(
  readFileSync(new URL("../fixtures/initiatives-relevance.json", import.meta.url), "utf8"),
) as { queries: Case[] };

/**
 * Each kind of query below leans on one piece of the search code: every one of its queries must
 * find its initiative, so that removing that piece fails the test (a 90 % overall rate alone
 * would absorb the loss of a whole mechanism tested by two or three queries).
 */
const mechanisms: Record<string, string> = {
  synonyme: "les synonymes des réglages de l'index",
  "synonyme + collectivité": "les synonymes et le nom de la collectivité",
  sigle: "les synonymes des sigles",
  "Saint/St": "« St- » rejoint « Saint- »",
  "Saint/St + collectivité": "« st » rejoint « Saint- » dans le nom de la collectivité",
  "apostrophe typographique": "l'apostrophe typographique coupe les mots",
  élision: "l'apostrophe droite coupe les mots",
  faute: "la tolérance aux fautes de frappe",
  "sans accent": "l'insensibilité aux accents",
  collectivité: "le nom de la collectivité parmi les attributs cherchés",
};

/** The three first titles found for each query, searched once for every test below. */
const found = new Map<string, string[]>();

beforeAll(async () => {
  await demoInitiativesSeed(db);
  await drainOutbox();
  for (const { q } of queries) {
    const result = await searchInitiatives({ q, page: 1, pageSize: 3 }, { facets: false });
    expect(result.degraded).toBe(false);
    found.set(
      q,
      result.items.map((item) => item.title),
    );
  }
}, 120_000);

const miss = ({ q, expected, kind }: Case) =>
  found.get(q)?.includes(expected)
    ? []
    : [`« ${q} » (${kind}) → ${found.get(q)?.join(" | ") || "aucun résultat"}`];

describe("pertinence de la recherche d'initiatives (contenu de démonstration)", () => {
  test("au moins 90 % des requêtes trouvent l'initiative attendue dans les 3 premiers", () => {
    const misses = queries.flatMap(miss);
    const passRate = (queries.length - misses.length) / queries.length;
    // The misses are printed so that a regression says which query and what came instead.
    expect({ passRate: passRate >= 0.9, misses }).toEqual({
      passRate: true,
      misses: expect.any(Array),
    });
    if (misses.length > 0) console.warn(`Requêtes manquées :\n${misses.join("\n")}`);
  });

  test.each(Object.entries(mechanisms))(
    "chaque requête « %s » trouve son initiative dans les 3 premiers (%s)",
    (kind) => {
      const cases = queries.filter((query) => query.kind === kind);
      expect(cases.length, `aucune requête « ${kind} » dans le jeu`).toBeGreaterThan(0);
      expect(cases.flatMap(miss)).toEqual([]);
    },
  );
});
