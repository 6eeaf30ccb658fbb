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

beforeAll(async () => {
  await demoInitiativesSeed(db);
  await drainOutbox();
}, 120_000);

describe("pertinence de la recherche d'initiatives (contenu de démonstration)", () => {
  test("le jeu compte au moins 30 requêtes françaises", () => {
    expect(queries.length).toBeGreaterThanOrEqual(30);
  });

  test("au moins 90 % des requêtes trouvent l'initiative attendue dans les 3 premiers", async () => {
    const misses: string[] = [];
    for (const { q, expected, kind } of queries) {
      const result = await searchInitiatives({ q, page: 1, pageSize: 3 }, { facets: false });
      const titles = result.items.map((item) => item.title);
      if (!titles.includes(expected))
        misses.push(`« ${q} » (${kind}) → ${titles.join(" | ") || "aucun résultat"}`);
    }
    const passRate = (queries.length - misses.length) / queries.length;
    // The misses are printed so that a regression says which query and what came instead.
    expect({ passRate: passRate >= 0.9, misses }).toEqual({
      passRate: true,
      misses: expect.any(Array),
    });
    if (misses.length > 0) console.warn(`Requêtes manquées :\n${misses.join("\n")}`);
  });
});
