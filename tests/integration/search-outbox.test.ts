import { and, eq, inArray, isNull, like } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, test, vi } from "vitest";

import { enqueueIndexing } from "../../app/models/search-outbox.server";
import { logger } from "../../app/utils/logger.server";
import { db } from "../../db/client";
import { appMeta, collectivities, outbox } from "../../db/schema";
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
  documentVersion: 1,
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
  documentVersion: 1,
  settings: { searchableAttributes: ["name"] },
  load: async (ids) =>
    ids.map((id) => ({
      id: brokenIds ? `${id} invalide !` : id,
      name: "Lavoncourt",
      updatedAt: 1,
    })),
  loadAll: async function* () {},
});

/**
 * Indexes over rows of app_meta ("<index>:<id>" → title), so that a test changes a document by
 * changing a row. `beforeLoad` lets a test act between reading a document and sending it.
 */
const hooks: { beforeLoad?: () => Promise<void> } = {};
function metaIndex(base: string, loadAll?: () => AsyncIterable<SearchDocument[]>) {
  const readDocuments = async (ids: string[]) => {
    const rows = await db
      .select({ key: appMeta.key, value: appMeta.value })
      .from(appMeta)
      .where(
        inArray(
          appMeta.key,
          ids.map((id) => `${base}:${id}`),
        ),
      );
    return rows.map((row) => ({
      id: row.key.slice(base.length + 1),
      title: row.value,
      updatedAt: 1,
    }));
  };
  registerIndex({
    base,
    documentVersion: 1,
    settings: { searchableAttributes: ["title"] },
    load: async (ids) => {
      const documents = await readDocuments(ids);
      const pause = hooks.beforeLoad;
      hooks.beforeLoad = undefined;
      await pause?.();
      return documents;
    },
    loadAll:
      loadAll ??
      async function* () {
        const rows = await db
          .select({ key: appMeta.key })
          .from(appMeta)
          .where(like(appMeta.key, `${base}:%`));
        yield readDocuments(rows.map((row) => row.key.slice(base.length + 1)));
      },
  });
  return {
    write: (id: string, title: string) =>
      db.transaction(async (tx) => {
        await tx
          .insert(appMeta)
          .values({ key: `${base}:${id}`, value: title })
          .onConflictDoUpdate({ target: appMeta.key, set: { value: title } });
        await enqueueIndexing(tx, base, id);
      }),
    titleOf: async (id: string) => {
      const document = await searchClient()
        .index(indexName(base))
        .getDocument(id)
        .catch(() => null);
      return (document as { title?: string } | null)?.title ?? null;
    },
  };
}

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

describe("outbox : un document refusé, une réindexation pendant une écriture, deux indexeurs", () => {
  test("un document refusé par Meilisearch n'arrête pas les autres : il garde seul sa ligne et son erreur", async () => {
    const isolated = metaIndex("isole_test");
    for (const id of ["a1", "a2", "a3", "a4", "a5"]) await isolated.write(id, `Titre ${id}`);
    // An id with a space is refused by Meilisearch: the whole task fails.
    await isolated.write("refusé !", "Titre refusé");
    await drain();
    for (const id of ["a1", "a2", "a3", "a4", "a5"]) {
      expect(await isolated.titleOf(id)).toBe(`Titre ${id}`);
    }
    const pending = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.indexBase, "isole_test"), isNull(outbox.processedAt)));
    expect(pending.map((row) => row.documentId)).toEqual(["refusé !"]);
    expect(pending[0]!.attempts).toBe(1);
    expect(pending[0]!.lastError).toMatch(/invalid|id/i);
  });

  test("une transaction commencée avant la réindexation et validée pendant n'est pas perdue", async () => {
    const rebuilt = metaIndex("reindex_test", async function* () {
      const documents = await db
        .select({ key: appMeta.key, value: appMeta.value })
        .from(appMeta)
        .where(like(appMeta.key, "reindex_test:%"));
      // The long transaction commits once the documents are read, and an indexer sends it to
      // the index that is about to be swapped out.
      await commitLongTransaction();
      await drain();
      yield documents.map((row) => ({ id: row.key.slice(13), title: row.value, updatedAt: 1 }));
    });
    await rebuilt.write("doc", "ancien titre");
    await drain();

    // A transaction that began a minute ago (its outbox row says so) and is still open.
    const client = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    let release!: () => void;
    const committed = new Promise<void>((resolve) => (release = resolve));
    const opened = new Promise<void>((resolve) => {
      void client.begin(async (tx) => {
        await tx`update app_meta set value = 'nouveau titre' where key = 'reindex_test:doc'`;
        await tx`insert into outbox (index_base, document_id, created_at)
                 values ('reindex_test', 'doc', now() - interval '1 minute')`;
        resolve();
        await committed;
      });
    });
    await opened;
    let done = false;
    const commitLongTransaction = async () => {
      if (done) return;
      done = true;
      release();
      await vi.waitFor(async () => {
        const [row] = await db.select().from(appMeta).where(eq(appMeta.key, "reindex_test:doc"));
        expect(row?.value).toBe("nouveau titre");
      });
    };

    await reindex("reindex_test");
    await drain();
    expect(await rebuilt.titleOf("doc")).toBe("nouveau titre");
    await client.end();
  });

  test("avec deux indexeurs, le plus lent ne renvoie pas un état plus ancien après le plus récent", async () => {
    const ordered = metaIndex("ordre_test");
    await ordered.write("doc", "version 1");
    // Indexer A reads version 1, then stalls before sending it.
    let resume!: () => void;
    let read!: () => void;
    const stalled = new Promise<void>((resolve) => (resume = resolve));
    const readByA = new Promise<void>((resolve) => (read = resolve));
    hooks.beforeLoad = () => {
      read();
      return stalled;
    };
    const indexerA = processOutboxBatch();
    await readByA;
    // Meanwhile the document changes and indexer B runs.
    await ordered.write("doc", "version 2");
    await processOutboxBatch();
    resume();
    await indexerA;
    await drain();
    expect(await ordered.titleOf("doc")).toBe("version 2");
    const pending = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.indexBase, "ordre_test"), isNull(outbox.processedAt)));
    expect(pending).toEqual([]);
  });
});
