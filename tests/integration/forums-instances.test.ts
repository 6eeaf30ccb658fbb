import { afterAll, beforeAll, expect, test } from "vitest";

import type { PostCreatedEvent } from "../../realtime/protocol";
import type { ClientSocket } from "../../realtime/topic-client";
import { startTestApp, type TestApp } from "../helpers/app";
import { openTopic, prepareForums } from "../helpers/forums";
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
