import type { Index } from "meilisearch";
import { afterAll, beforeAll, expect, test, vi } from "vitest";

import { indexName, searchClient } from "../../search/client";
import { POSTS_INDEX } from "../../search/posts";
import { TOPICS_INDEX } from "../../search/topics";
import { deleteSearchIndexes, openTopic, prepareForums, reply } from "../helpers/forums";
import { drainOutbox } from "../helpers/initiatives";
import { createTestUser } from "../helpers/users";

beforeAll(async () => {
  await prepareForums();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await deleteSearchIndexes();
});

/** Every Meilisearch call of the indexer, in order: a write queued ("ajout <index>"), a wait. */
function recordIndexerCalls() {
  const calls: string[] = [];
  const index = searchClient().index(indexName(POSTS_INDEX));
  const indexes = Object.getPrototypeOf(index) as Index;
  const addDocuments = indexes.addDocuments;
  vi.spyOn(indexes, "addDocuments").mockImplementation(function (this: Index, ...args) {
    calls.push(`ajout ${this.uid}`);
    return addDocuments.apply(this, args);
  });
  const tasks = Object.getPrototypeOf(index.tasks) as Index["tasks"];
  const waitForTask = tasks.waitForTask;
  vi.spyOn(tasks, "waitForTask").mockImplementation(function (this: Index["tasks"], ...args) {
    calls.push("attente");
    return waitForTask.apply(this, args);
  });
  return calls;
}

test("une réponse part vers Meilisearch avant son sujet, et sans attendre la tâche du sujet", async () => {
  const author = await createTestUser();
  const topic = await openTopic(author);
  await drainOutbox();

  const calls = recordIndexerCalls();
  await reply(author, topic.topicId, "Le marché public de la fibre a été relancé en mars.");
  await drainOutbox();

  // On a busy machine one Meilisearch task can take seconds: the reply waits for its own only.
  const writes = calls.filter((call) => call.startsWith("ajout"));
  expect(writes).toEqual([`ajout ${indexName(POSTS_INDEX)}`, `ajout ${indexName(TOPICS_INDEX)}`]);
  expect(calls.indexOf("attente")).toBeGreaterThan(calls.lastIndexOf(writes.at(-1)!));
  const found = await searchClient().index(indexName(POSTS_INDEX)).search("marche fibre relance");
  expect(found.hits).toHaveLength(1);
});
