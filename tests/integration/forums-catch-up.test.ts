import { afterAll, beforeAll, expect, test } from "vitest";

import { moderatePost } from "../../app/models/forum-moderation.server";
import { deletePost, editPost } from "../../app/models/forum-posts.server";
import { getTopic } from "../../app/models/forums.server";
import type { PostChange, PostDeletedEvent } from "../../realtime/protocol";
import { followTopic, type ClientSocket, type PostsPage } from "../../realtime/topic-client";
import { startTestApp, type TestApp } from "../helpers/app";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { socketFor, syncCounter } from "../helpers/sockets";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
let socket: ClientSocket | undefined;

beforeAll(async () => {
  app = await startTestApp();
  await prepareForums();
});
afterAll(async () => {
  socket?.close();
  await app.close();
});

type CatchUp = PostsPage & { lastPostId: number | null; lastChangeId: number };

/** A topic of three replies by Bruno, and where it stands once they are written. */
async function topicWithReplies() {
  const alice = await createTestUser();
  const bruno = await createTestUser();
  const topic = await openTopic(alice);
  const ids = [];
  for (const text of ["À corriger", "À masquer", "À supprimer"]) {
    ids.push(await reply(bruno, topic.topicId, text));
  }
  const position = await getTopic(null, topic.topicId);
  if (!position) throw new Error("sujet introuvable");
  return { alice, bruno, topic, ids, position };
}

test("l'API de rattrapage rend, avec since, l'état actuel des messages modifiés, masqués ou supprimés depuis", async () => {
  const { bruno, topic, ids, position } = await topicWithReplies();
  const [edited, hidden, deleted] = ids as [number, number, number];
  const moderator = await createTestUser({ roles: ["moderator"] });
  expect((await editPost(bruno, edited, "Corrigé **pendant l'absence**")).ok).toBe(true);
  expect((await moderatePost(moderator, hidden, "hide")).ok).toBe(true);
  expect((await deletePost(bruno, deleted)).ok).toBe(true);
  const cookie = await loginCookie(bruno.id);
  const url = `/api/v1/topics/${topic.topicId}/posts?after=${position.lastPostId}`;

  // Without `since`, the answer is what it always was: new posts only.
  const plain = (await (await app.request(url, { cookie })).json()) as CatchUp;
  expect(plain).toMatchObject({ items: [], hasMore: false, lastPostId: position.lastPostId });
  expect(plain.changes).toBeUndefined();

  const response = await app.request(`${url}&since=${position.lastChangeId}`, { cookie });
  expect(response.status).toBe(200);
  const body = (await response.json()) as CatchUp & { changes: PostChange[] };
  expect(body.lastChangeId).toBe(position.lastChangeId + 3);
  expect(body.changesHaveMore).toBe(false);
  expect(body.changes.map(({ id, state }) => ({ id, state }))).toEqual([
    { id: edited, state: "visible" },
    { id: hidden, state: "hidden" },
    { id: deleted, state: "deleted" },
  ]);
  expect(body.changes[0]?.post?.html).toContain("<strong>pendant l'absence</strong>");
  // What may not be shown is not sent: a hidden or deleted post comes without its text.
  expect(body.changes.slice(1).map((change) => change.post)).toEqual([null, null]);
  expect(JSON.stringify(body)).not.toContain("À masquer");

  const paged = (await (
    await app.request(`${url}&since=${position.lastChangeId}&limit=2`, { cookie })
  ).json()) as CatchUp;
  expect(paged.changes?.map((change) => change.id)).toEqual([edited, hidden]);
  expect(paged.changesHaveMore).toBe(true);
  expect((await app.request(`${url}&since=-1`, { cookie })).status).toBe(400);
});

test("après une coupure, le client reçoit les modifications, masquages et suppressions faits pendant son absence", async () => {
  const { bruno, topic, ids, position } = await topicWithReplies();
  const [edited, hidden, deleted] = ids as [number, number, number];
  const moderator = await createTestUser({ roles: ["moderator"] });
  const cookie = await loginCookie(bruno.id);
  socket = socketFor(app, { cookie });
  const updated = new Map<number, string>();
  const gone: Array<Pick<PostDeletedEvent, "postId" | "reason">> = [];
  const newPosts: number[] = [];
  const { onSynced, waitSynced } = syncCounter();
  const follower = followTopic(socket, {
    topicId: topic.topicId,
    lastSeenId: position.lastPostId ?? 0,
    lastChangeId: position.lastChangeId,
    fetchAfter: async (after, since) => {
      const query = since === undefined ? "" : `&since=${since}`;
      const response = await app.request(
        `/api/v1/topics/${topic.topicId}/posts?after=${after}&limit=2${query}`,
        { cookie },
      );
      expect(response.status).toBe(200);
      return (await response.json()) as PostsPage;
    },
    onPosts: (posts) => newPosts.push(...posts.map((post) => post.id)),
    onUpdated: ({ post }) => updated.set(post.id, post.html),
    onDeleted: ({ postId, reason }) => gone.push({ postId, reason }),
    onSynced,
  });
  await waitSynced(1);
  socket.disconnect();
  expect((await editPost(bruno, edited, "Corrigé pendant la coupure")).ok).toBe(true);
  expect((await moderatePost(moderator, hidden, "hide")).ok).toBe(true);
  expect((await deletePost(bruno, deleted)).ok).toBe(true);
  const written = await reply(bruno, topic.topicId, "Nouveau pendant la coupure");
  socket.connect();
  await waitSynced(2);

  expect(updated.get(edited)).toContain("Corrigé pendant la coupure");
  expect(gone).toEqual([
    { postId: hidden, reason: "hidden" },
    { postId: deleted, reason: "deleted" },
  ]);
  expect(newPosts).toEqual([written]);

  // The next cut brings back only what changed after the last sync.
  socket.disconnect();
  expect((await moderatePost(moderator, hidden, "restore")).ok).toBe(true);
  socket.connect();
  await waitSynced(3);
  expect(updated.get(hidden)).toContain("À masquer");
  expect(gone).toHaveLength(2);
  expect(newPosts).toEqual([written]);
  follower.stop();
});
