import type { Index } from "meilisearch";
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";

import { editPost } from "../../app/models/forum-posts.server";
import { indexName, searchClient } from "../../search/client";
import { POSTS_INDEX } from "../../search/posts";
import { TOPICS_INDEX } from "../../search/topics";
import { deleteSearchIndexes, openTopic, prepareForums, reply } from "../helpers/forums";
import { drainOutbox } from "../helpers/initiatives";
import { createTestUser } from "../helpers/users";

beforeAll(async () => {
  await prepareForums();
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
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

test("une réponse est une seule écriture Meilisearch : le document de son sujet n'est pas renvoyé", async () => {
  const author = await createTestUser();
  const topic = await openTopic(author);
  await drainOutbox();

  const calls = recordIndexerCalls();
  await reply(author, topic.topicId, "Le marché public de la fibre a été relancé en mars.");
  await drainOutbox();

  // Its topic's task would stand in Meilisearch's queue in front of the next reply's.
  expect(calls.filter((call) => call.startsWith("ajout"))).toEqual([
    `ajout ${indexName(POSTS_INDEX)}`,
  ]);
  const found = await searchClient().index(indexName(POSTS_INDEX)).search("marche fibre relance");
  expect(found.hits).toHaveLength(1);
});

test("le premier message modifié renvoie le sujet, trouvé par ses nouveaux mots", async () => {
  const author = await createTestUser();
  const topic = await openTopic(author, { body: "Un tiers-lieu ouvre ses portes." });
  await drainOutbox();

  const edited = await editPost(author, topic.postId, "Une ressourcerie ouvre ses portes.");
  expect(edited.ok).toBe(true);
  await drainOutbox();

  const found = await searchClient().index(indexName(TOPICS_INDEX)).search("ressourcerie");
  expect(found.hits.map((hit) => hit.id)).toEqual([String(topic.topicId)]);
});

test("les tâches de tous les index d'un lot partent avant qu'on en attende une", async () => {
  const author = await createTestUser();
  const first = await openTopic(author);
  await drainOutbox();

  const calls = recordIndexerCalls();
  await reply(author, first.topicId, "Une réponse écrite dans le même lot qu'un nouveau sujet.");
  await openTopic(author);
  await drainOutbox();

  // On a busy machine one Meilisearch task can take seconds: none waits for another's.
  const writes = calls.filter((call) => call.startsWith("ajout"));
  expect(writes).toEqual([`ajout ${indexName(POSTS_INDEX)}`, `ajout ${indexName(TOPICS_INDEX)}`]);
  expect(calls.indexOf("attente")).toBeGreaterThan(calls.lastIndexOf(writes.at(-1)!));
});
