import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test, vi } from "vitest";

import { db } from "../../db/client";
import type { LivePost, PostCreatedEvent } from "../../realtime/protocol";
import { followTopic, type ClientSocket } from "../../realtime/topic-client";
import { startTestApp, type TestApp } from "../helpers/app";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { connect, joinTopic, nextEvent } from "../helpers/sockets";
import { createTestUser, loginCookie } from "../helpers/users";

let first: TestApp;
let second: TestApp;
let socket: ClientSocket | undefined;

beforeAll(async () => {
  first = await startTestApp();
  second = await startTestApp();
  await prepareForums();
});
afterAll(async () => {
  socket?.close();
  await first.close();
  await second.close();
});

test("un client connecté à l'instance A reçoit une réponse publiée par l'instance B", async () => {
  const alice = await createTestUser();
  const bruno = await createTestUser();
  const topic = await openTopic(alice);
  socket = await connect(first, { cookie: await loginCookie(alice.id) });
  expect((await joinTopic(socket, topic.topicId)).ok).toBe(true);
  // The model emits through the socket.io server registered last (B's): only the postgres
  // adapter can carry the event to A, where the client is connected.
  expect(second.port).not.toBe(first.port);
  const received = nextEvent<PostCreatedEvent>(socket, "post:created");
  const response = await second.request(`/forums/vie-du-reseau/${topic.topicId}-sujet?index`, {
    method: "POST",
    cookie: await loginCookie(bruno.id),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "reply", body: "Réponse écrite sur l'instance B" }),
  });
  expect(response.status).toBe(302);
  const event = await received;
  expect(event.topicId).toBe(topic.topicId);
  expect(event.post.author.id).toBe(bruno.id);
  expect(event.post.html).toContain("instance B");
});

test("quand la connexion LISTEN tombe, les clients de l'instance rattrapent ce qu'ils ont manqué à son retour", async () => {
  const alice = await createTestUser();
  const bruno = await createTestUser();
  const topic = await openTopic(alice);
  const cookie = await loginCookie(alice.id);
  socket?.close();
  socket = await connect(first, { cookie });
  const shown: number[] = [];
  let synced = 0;
  const follower = followTopic(socket, {
    topicId: topic.topicId,
    lastSeenId: topic.postId,
    fetchAfter: async (after) =>
      (await (
        await first.request(`/api/v1/topics/${topic.topicId}/posts?after=${after}&limit=100`, {
          cookie,
        })
      ).json()) as { items: LivePost[]; hasMore: boolean },
    onPosts: (posts) => shown.push(...posts.map((post) => post.id)),
    onSynced: () => (synced += 1),
  });
  await vi.waitFor(() => expect(synced).toBe(1), { timeout: 5000, interval: 20 });

  const dropped = await db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity
    where datname = current_database() and application_name like 'territoires-realtime-%'
      and query like 'LISTEN %'`);
  expect(dropped.length).toBeGreaterThan(0);
  // Written through B while A does not listen: A's client cannot get it live.
  const missed = await reply(bruno, topic.topicId, "Écrit pendant la coupure");
  await vi.waitFor(() => expect(shown).toContain(missed), { timeout: 15_000, interval: 20 });
  expect(synced).toBeGreaterThan(1);
  const live = await reply(bruno, topic.topicId, "Écrit après le retour");
  await vi.waitFor(() => expect(shown).toContain(live), { timeout: 5000, interval: 20 });
  expect(shown).toEqual([missed, live]);
  follower.stop();
});
