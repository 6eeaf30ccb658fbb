import { eq, inArray, isNull } from "drizzle-orm";
import { describe, expect, test, vi } from "vitest";

import { enqueueIndexing } from "../../app/models/search-outbox.server";
import { logger } from "../../app/utils/logger.server";
import { db } from "../../db/client";
import { collectivities, outbox } from "../../db/schema";
import { checkIndex } from "../../search/check";
import { indexName, searchClient } from "../../search/client";
import { ensureIndexes, processOutboxBatch } from "../../search/indexer";
import { registerIndex, type SearchDocument } from "../../search/registry";
import { reindex } from "../../search/reindex";

// A throw-away index over real rows (communes of Haute-Saône) exercises the framework alone.
const hidden = new Set<string>();
async function load(ids: string[]): Promise<SearchDocument[]> {
  const rows = await db
    .select({ id: collectivities.code, name: collectivities.name })
    .from(collectivities)
    .where(inArray(collectivities.code, ids));
  return rows.filter((row) => !hidden.has(row.id)).map((row) => ({ ...row, updatedAt: 1 }));
}
registerIndex({
  base: "communes_test",
  settings: { searchableAttributes: ["name"] },
  load,
  loadAll: async function* (batchSize) {
    const rows = await db
      .select({ id: collectivities.code })
      .from(collectivities)
      .where(eq(collectivities.departmentCode, "70"));
    for (let i = 0; i < rows.length; i += batchSize) {
      yield load(rows.slice(i, i + batchSize).map((row) => row.id));
    }
  },
});

const index = () => searchClient().index(indexName("communes_test"));

// An index whose documents Meilisearch refuses (an id may not hold spaces) until told otherwise.
let brokenIds = true;
registerIndex({
  base: "refus_test",
  settings: { searchableAttributes: ["name"] },
  load: async (ids) =>
    ids.map((id) => ({
      id: brokenIds ? `${id} invalide !` : id,
      name: "Lavoncourt",
      updatedAt: 1,
    })),
  loadAll: async function* () {},
});

async function drain() {
  while ((await processOutboxBatch()) > 0) {
    // until empty
  }
}

describe("file d'attente d'indexation (outbox)", () => {
  test("un document mis en file est indexé, puis retiré quand il n'est plus visible", async () => {
    await ensureIndexes();
    await db.transaction((tx) => enqueueIndexing(tx, "communes_test", ["70299", "56260"]));
    await drain();
    expect((await index().search("Lavoncourt")).hits.map((hit) => hit.id)).toEqual(["70299"]);

    hidden.add("70299");
    await db.transaction((tx) => enqueueIndexing(tx, "communes_test", "70299"));
    await drain();
    expect((await index().search("Lavoncourt")).hits).toHaveLength(0);
    const pending = await db.select().from(outbox).where(isNull(outbox.processedAt));
    expect(pending).toHaveLength(0);
    hidden.delete("70299");
  });

  test("une tâche Meilisearch en échec garde sa ligne, le note, le signale, puis réussit plus tard", async () => {
    await ensureIndexes();
    const alert = vi.spyOn(logger(), "error");
    await db.transaction((tx) => enqueueIndexing(tx, "refus_test", "70299"));
    await drain();
    const [failed] = await db.select().from(outbox).where(eq(outbox.indexBase, "refus_test"));
    expect(failed).toMatchObject({ processedAt: null, attempts: 1 });
    expect(failed!.lastError).toMatch(/invalid|identifiant|id/i);
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(alert).toHaveBeenCalledWith(
      expect.objectContaining({ index: "refus_test", attempts: 1 }),
      expect.stringContaining("échec"),
    );
    alert.mockRestore();

    // Once the cause is gone and the back-off has passed, the same row goes through.
    brokenIds = false;
    await db.update(outbox).set({ nextAttemptAt: new Date() }).where(eq(outbox.id, failed!.id));
    await drain();
    const [done] = await db.select().from(outbox).where(eq(outbox.id, failed!.id));
    expect(done!.processedAt).not.toBeNull();
    const refus = searchClient().index(indexName("refus_test"));
    expect((await refus.search("Lavoncourt")).hits.map((hit) => hit.id)).toEqual(["70299"]);
  });

  test("une transaction annulée n'indexe rien", async () => {
    await db
      .transaction(async (tx) => {
        await enqueueIndexing(tx, "communes_test", "75056");
        throw new Error("annulée");
      })
      .catch(() => {});
    const rows = await db.select().from(outbox).where(eq(outbox.documentId, "75056"));
    expect(rows).toHaveLength(0);
  });

  test("la réindexation échange l'index sans moment vide, et search:check voit les écarts", async () => {
    await reindex("communes_test");
    const report = await checkIndex("communes_test");
    expect(report.missing).toEqual([]);
    expect(report.expected).toBeGreaterThan(500);
    // Vannes, indexed earlier through the outbox, is gone: the new index holds what loadAll gives.
    expect(report.extra).toEqual([]);
    await index().deleteDocument("70299").waitTask();
    expect((await checkIndex("communes_test")).missing).toEqual(["70299"]);
  });
});
