import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, expect, test } from "vitest";

import { freePort } from "../../scripts/ports";
import { startEmbeddedMeilisearch, type EmbeddedMeilisearchHandle } from "../../search/embedded";

/** A Meilisearch of this file's own: its CPU time then counts this file's writes alone. */
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

/** User and system CPU time of the process, in ms (fields 14 and 15 of /proc/PID/stat). */
async function cpuMs(processId: number) {
  const stat = await readFile(`/proc/${processId}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Clock ticks of 10 ms on Linux.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

test("le Meilisearch embarqué rend un document seul trouvable sans réserver de mémoire pour rien", async () => {
  const index = new Meilisearch({ host: meili.url, apiKey: masterKey }).index("reponses");
  const write = async (i: number) => {
    const task = await index
      .addDocuments([{ id: String(i), body: `Une réponse écrite pendant la mesure n° ${i}.` }])
      .waitTask({ interval: 50, timeout: 30_000 });
    expect(task.status).toBe("succeeded");
  };
  // The first writes create the index and Meilisearch's threads.
  for (let i = 0; i < 3; i += 1) await write(i);

  const before = await cpuMs(pid);
  for (let i = 3; i < 23; i += 1) await write(i);
  const perWrite = ((await cpuMs(pid)) - before) / 20;

  // About 50 ms on a busy 2-core machine. With Meilisearch's default memory (two thirds of the
  // RAM), each batch first set aside hundreds of MB: 490 ms there, on a 24 GB machine.
  expect(perWrite).toBeLessThan(150);
  const found = await index.search("mesure", { limit: 30 });
  expect(found.estimatedTotalHits).toBe(23);
}, 60_000);
