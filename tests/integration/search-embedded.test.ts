import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, expect, test } from "vitest";

import { freePort } from "../../scripts/ports";
import { startEmbeddedMeilisearch, type EmbeddedMeilisearchHandle } from "../../search/embedded";

/** A Meilisearch of this file's own, started as the app starts it. */
const masterKey = "cle-maitresse-de-test-meilisearch-embarque";
let dataDir: string;
let meili: EmbeddedMeilisearchHandle;
let pid: number;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "meili-embarque-"));
  meili = await startEmbeddedMeilisearch({ dataDir, port: await freePort(), masterKey });
  pid = Number(await readFile(path.join(dataDir, "meilisearch.pid"), "utf8"));
}, 60_000);

afterAll(async () => {
  await meili.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The environment the Meilisearch process was started with (NUL-separated in /proc). */
async function environmentOf(processId: number) {
  const raw = await readFile(`/proc/${processId}/environ`, "utf8");
  return new Map(
    raw
      .split("\0")
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
  );
}

// How much a one-document write costs with and without the limit is a benchmark figure
// (`BENCH_VERBOSE=1 npm run bench:search`, README); this test holds the setting that makes it.
test("le Meilisearch embarqué indexe avec une mémoire bornée, et un document seul est trouvé", async () => {
  expect((await environmentOf(pid)).get("MEILI_MAX_INDEXING_MEMORY")).toBe(
    process.env.MEILI_MAX_INDEXING_MEMORY ?? "1GiB",
  );
  const index = new Meilisearch({ host: meili.url, apiKey: masterKey }).index("reponses");
  for (let i = 0; i < 3; i += 1) {
    const task = await index
      .addDocuments([{ id: String(i), body: `Une réponse écrite pendant la mesure n° ${i}.` }])
      .waitTask({ interval: 50, timeout: 30_000 });
    expect(task.status).toBe("succeeded");
  }
  const found = await index.search("mesure", { limit: 30 });
  expect(found.estimatedTotalHits).toBe(3);
}, 60_000);
