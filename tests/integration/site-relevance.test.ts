import { readFileSync } from "node:fs";

import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createPost, createTopic } from "../../app/models/forum-posts.server";
import { searchSite, withoutMarks } from "../../app/models/site-search.server";
import { searchKinds, type SearchKind } from "../../app/utils/search-kinds";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import { demoSeeds } from "../../scripts/seed/demo";
import { syncDirectoryIndex } from "../../search/directory";
import { deleteSearchIndexes } from "../helpers/forums";
import { drainOutbox } from "../helpers/initiatives";
import { createTestUser } from "../helpers/users";

type Case = { q: string; type: SearchKind; expected: string; kind: string };
type Thread = {
  category: string;
  author: string;
  title: string;
  body: string;
  replies: Array<[string, string]>;
};
const { threads, queries } = JSON.parse(
  readFileSync(new URL("../fixtures/site-relevance.json", import.meta.url), "utf8"),
) as { threads: Thread[]; queries: Case[] };

const THRESHOLD = 0.95;

/** Discussions written by the demo accounts, beside the demo forums: replies to find. */
async function writeThreads() {
  const emails = [...new Set(threads.flatMap((t) => [t.author, ...t.replies.map(([a]) => a)]))];
  const people = await db
    .select({ id: users.id, email: users.email, name: users.name, roles: users.roles })
    .from(users)
    .where(inArray(users.email, emails));
  const as = (email: string) => {
    const person = people.find((p) => p.email === email);
    if (!person) throw new Error(`compte de démonstration absent : ${email}`);
    return { ...person, profileKind: "agent" as const, jobTitle: "" };
  };
  for (const thread of threads) {
    const topic = await createTopic(as(thread.author), {
      categorySlug: thread.category,
      title: thread.title,
      body: thread.body,
    });
    if (!topic.ok) throw new Error(`sujet refusé : ${JSON.stringify(topic)}`);
    for (const [author, body] of thread.replies) {
      const post = await createPost(as(author), { topicId: topic.value.topicId, body });
      if (!post.ok) throw new Error(`réponse refusée : ${JSON.stringify(post)}`);
    }
  }
}

/** The three first hits of each query, as "type: title", searched once for every test below. */
const found = new Map<string, string[]>();

beforeAll(async () => {
  for (const seed of demoSeeds) await seed.run(db);
  await writeThreads();
  // A signed-in member without any role: members' profiles, no restricted category.
  const viewer = await createTestUser();
  await drainOutbox();
  // The whole official directory (about 36,000 collectivities), as in production.
  await syncDirectoryIndex();
  for (const { q } of queries) {
    const result = await searchSite({ q, kinds: searchKinds, viewer, page: 1, pageSize: 3 });
    expect(result.degraded).toBe(false);
    found.set(
      q,
      result.items.map((item) => `${item.type}: ${withoutMarks(item.title)}`),
    );
  }
}, 600_000);
afterAll(async () => {
  await deleteSearchIndexes();
});

const miss = ({ q, type, expected, kind }: Case) =>
  found.get(q)?.includes(`${type}: ${expected}`)
    ? []
    : [`« ${q} » (${kind}, ${type}) → ${found.get(q)?.join(" | ") || "aucun résultat"}`];

describe("pertinence de la recherche fédérée (démonstration et annuaire complet)", () => {
  test(`au moins ${THRESHOLD * 100} % des requêtes trouvent le résultat attendu dans les 3 premiers`, () => {
    const misses = queries.flatMap(miss);
    const passRate = (queries.length - misses.length) / queries.length;
    // The misses are printed so that a regression says which query and what came instead.
    if (misses.length > 0) console.warn(`Requêtes manquées :\n${misses.join("\n")}`);
    expect({ passRate: passRate >= THRESHOLD, misses }).toEqual({
      passRate: true,
      misses: expect.any(Array),
    });
  });

  test("le jeu compte au moins 100 requêtes et couvre chaque index", () => {
    expect(queries.length).toBeGreaterThanOrEqual(100);
    for (const kind of searchKinds) {
      expect(
        queries.filter((query) => query.type === kind).length,
        `requêtes « ${kind} »`,
      ).toBeGreaterThanOrEqual(8);
    }
  });
});
