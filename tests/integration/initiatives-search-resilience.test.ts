import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { freePort } from "../../scripts/ports";
import { startEmbeddedMeilisearch, type EmbeddedMeilisearchHandle } from "../../search/embedded";

/**
 * This file stops and restarts a Meilisearch of its own (never the shared one), so the
 * configuration points at it before any app module is loaded.
 */
const masterKey = "cle-maitresse-de-test-initiatives";
let dataDir: string;
let port: number;
let meili: EmbeddedMeilisearchHandle | null = null;

const startMeili = async () => {
  meili = await startEmbeddedMeilisearch({ dataDir, port, masterKey });
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "meili-initiatives-"));
  port = await freePort();
  await startMeili();
  Object.assign(process.env, { MEILI_URL: meili!.url, MEILI_API_KEY: masterKey });
}, 60_000);

afterAll(async () => {
  await meili?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("synchronisation de l'index initiatives", () => {
  test("Meilisearch arrêté : 20 publications réussissent, puis toutes sont trouvables une seule fois à son retour", async () => {
    const { searchInitiatives } = await import("../../app/models/initiative-search.server");
    const { startIndexer, ensureIndexes } = await import("../../search/indexer");
    const { db } = await import("../../db/client");
    const { outbox } = await import("../../db/schema");
    const { sql } = await import("drizzle-orm");
    const { createTestInitiative } = await import("../helpers/initiatives");
    const { indexName, searchClient } = await import("../../search/client");
    await import("../../search/indexes");

    await ensureIndexes();
    const indexer = startIndexer({ intervalMs: 50 });
    try {
      // The indexer is running and ready (indexes configured) before Meilisearch goes away.
      await indexer.drain();
      await meili!.stop();
      const ids: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        const created = await createTestInitiative("56260", {
          title: `Kiosque numérique rattrapage ${i}`,
          summary: "Une initiative publiée pendant que le moteur de recherche était arrêté.",
        });
        ids.push(created.id);
      }
      // The indexer has tried and failed: the rows wait, with their attempts counted.
      await vi.waitFor(
        async () => {
          const [row] = await db
            .select({
              failed: sql<number>`count(*) filter (where ${outbox.attempts} > 0)`.mapWith(Number),
            })
            .from(outbox);
          expect(row?.failed, "l'indexeur constate l'absence de Meilisearch").toBeGreaterThan(0);
        },
        { timeout: 15_000, interval: 100 },
      );

      await startMeili();
      // Until Meilisearch answers, the search falls back to PostgreSQL (`degraded`): only its
      // own answer counts here.
      await vi.waitFor(
        async () => {
          const result = await searchInitiatives({
            q: "kiosque rattrapage",
            page: 1,
            pageSize: 50,
          });
          expect(result.degraded, "Meilisearch répond").toBe(false);
          expect(result.total, "les 20 initiatives sont trouvables").toBe(20);
        },
        { timeout: 45_000, interval: 100 },
      );
      const result = await searchInitiatives({ q: "kiosque rattrapage", page: 1, pageSize: 50 });
      const found = result.items.map((item) => item.id);
      expect(new Set(found).size).toBe(found.length);
      expect([...found].sort()).toEqual([...ids].sort());
      const stats = await searchClient().index(indexName("initiatives")).getStats();
      const documents = await searchClient()
        .index(indexName("initiatives"))
        .getDocuments({ filter: `collectivityCode = "56260"`, limit: 100, fields: ["id"] });
      expect(documents.results.map((d) => d.id as string).sort()).toEqual([...ids].sort());
      expect(stats.numberOfDocuments).toBe(20);
    } finally {
      await indexer.close();
    }
  }, 120_000);

  test("une réindexation pendant des recherches continues ne renvoie jamais de résultat vide", async () => {
    const { searchInitiatives } = await import("../../app/models/initiative-search.server");
    const { reindex } = await import("../../search/reindex");
    const { drainOutbox, createTestInitiative } = await import("../helpers/initiatives");
    for (let i = 0; i < 150; i += 1) {
      await createTestInitiative("60057", {
        title: `Ludothèque connectée ${i}`,
        summary: "Une ludothèque qui prête des jeux numériques aux familles du quartier.",
        body: "## Le projet\n\nDes jeux, des tablettes et des animations.".repeat(5),
      });
    }
    await drainOutbox();
    let searches = 0;
    const empty: number[] = [];
    // A search Meilisearch failed to answer falls back to PostgreSQL: that is a failure here too.
    const degraded: number[] = [];
    let done = false;
    const loop = (async () => {
      while (!done) {
        const result = await searchInitiatives({ q: "ludotheque connectee", page: 1, pageSize: 5 });
        searches += 1;
        if (result.total === 0) empty.push(searches);
        if (result.degraded) degraded.push(searches);
      }
    })();
    const first = await reindex("initiatives");
    const second = await reindex("initiatives");
    done = true;
    await loop;
    expect(first.documents).toBeGreaterThanOrEqual(170);
    expect(second.documents).toBe(first.documents);
    expect(searches).toBeGreaterThan(10);
    expect(empty).toEqual([]);
    expect(degraded).toEqual([]);
  }, 180_000);
});
