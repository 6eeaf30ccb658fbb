import { afterAll, beforeAll, expect, test, vi } from "vitest";

import { checkIndex } from "../../search/check";
import { indexName, searchClient } from "../../search/client";
import { recordDocumentVersion, storedDocumentVersion } from "../../search/index-state";
import { ensureIndexes, startIndexer } from "../../search/indexer";
import { indexDefinitions } from "../../search/indexes";
import { TOPICS_INDEX } from "../../search/topics";
import { deleteSearchIndexes, openTopic, prepareForums } from "../helpers/forums";
import { drainOutbox } from "../helpers/initiatives";
import { createTestUser } from "../helpers/users";

const uid = () => indexName(TOPICS_INDEX);
const currentVersion = () =>
  indexDefinitions().find((definition) => definition.base === TOPICS_INDEX)!.documentVersion;
const topics = () => searchClient().index(uid());
const WAIT = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
  await prepareForums();
});
afterAll(async () => {
  await deleteSearchIndexes();
});

test("des documents d'une version antérieure sont reconstruits au démarrage de l'indexeur, search:check le signalait", async () => {
  const author = await createTestUser();
  const { topicId } = await openTopic(author);
  await drainOutbox();
  // The document as the release before gave it, without topicId, and the version it recorded.
  const { topicId: _dropped, ...previous } = await topics().getDocument<Record<string, unknown>>(
    String(topicId),
  );
  await topics().addDocuments([previous]).waitTask();
  await recordDocumentVersion(uid(), currentVersion() - 1);
  const granted = async () =>
    (await topics().search("", { filter: `topicId IN [${topicId}]` })).hits.map((hit) => hit.id);
  expect(await granted()).toEqual([]);
  expect((await checkIndex(TOPICS_INDEX)).outdatedVersion).toEqual({
    stored: currentVersion() - 1,
    expected: currentVersion(),
  });

  const indexer = startIndexer({ intervalMs: 50 });
  try {
    await vi.waitFor(async () => expect(await granted()).toEqual([String(topicId)]), WAIT);
  } finally {
    await indexer.close();
  }
  expect(await topics().getDocument(String(topicId))).toMatchObject({ topicId });
  expect(await storedDocumentVersion(uid())).toBe(currentVersion());
  expect((await checkIndex(TOPICS_INDEX)).outdatedVersion).toBeNull();
});

test("deux indexeurs démarrés ensemble ne reconstruisent l'index qu'une fois", async () => {
  await ensureIndexes();
  await recordDocumentVersion(uid(), currentVersion() - 1);
  const since = new Date().toISOString();
  const indexers = [startIndexer({ intervalMs: 50 }), startIndexer({ intervalMs: 50 })];
  try {
    await vi.waitFor(
      async () => expect(await storedDocumentVersion(uid())).toBe(currentVersion()),
      WAIT,
    );
  } finally {
    // Each waits for a rebuild it would have under way.
    await Promise.all(indexers.map((indexer) => indexer.close()));
  }
  const swaps = await searchClient().tasks.getTasks({
    types: ["indexSwap"],
    afterEnqueuedAt: since,
    limit: 1000,
  });
  // By prefix: a later swap renames the indexes named in earlier tasks' details.
  const ofTopics = swaps.results.filter((task) => JSON.stringify(task.details).includes(uid()));
  expect(ofTopics).toHaveLength(1);
});
