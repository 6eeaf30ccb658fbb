import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { logger } from "../../app/utils/logger.server";
import { db } from "../../db/client";
import { forumPosts, sessions } from "../../db/schema";
import {
  emitWithLegacyName,
  realtime,
  registerRealtime,
  type RealtimeServer,
} from "../../realtime/hub";
import type { LivePost, PostCreatedEvent } from "../../realtime/protocol";
import { followTopic, type ClientSocket } from "../../realtime/topic-client";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { connect, joinTopic, nextEvent, socketFor, syncCounter } from "../helpers/sockets";
import { apiToken, createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
const sockets: ClientSocket[] = [];
const track = (socket: ClientSocket) => {
  sockets.push(socket);
  return socket;
};

beforeAll(async () => {
  app = await startTestApp();
  await prepareForums();
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await app.close();
});

async function member(options: Parameters<typeof createTestUser>[0] = {}) {
  const user = await createTestUser(options);
  return { user, cookie: await loginCookie(user.id) };
}

/** Alice's topic, and Alice's and Bruno's sockets, connected but not yet in the topic. */
async function twoReaders() {
  const alice = await member();
  const bruno = await member();
  const topic = await openTopic(alice.user);
  const a = track(await connect(app, { cookie: alice.cookie }));
  const b = track(await connect(app, { cookie: bruno.cookie }));
  return { alice, bruno, topic, a, b };
}

describe("temps réel des forums", () => {
  test("une réponse publiée par l'API arrive en direct à tous les membres présents dans le sujet", async () => {
    const alice = await member();
    const bruno = await member();
    const topic = await openTopic(alice.user);
    const a = track(await connect(app, { cookie: alice.cookie }));
    const b = track(await connect(app, { cookie: bruno.cookie }));
    expect(await joinTopic(a, topic.topicId)).toMatchObject({ ok: true, lastPostId: topic.postId });
    expect((await joinTopic(b, topic.topicId)).ok).toBe(true);
    const received = Promise.all([a, b].map((s) => nextEvent<PostCreatedEvent>(s, "post:created")));
    const token = await apiToken(bruno.user.id);
    const response = await app.request(`/api/v1/topics/${topic.topicId}/posts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ body: "Bonjour **à tous**" }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    for (const event of await received) {
      expect(event).toMatchObject({
        topicId: topic.topicId,
        post: { id, author: { id: bruno.user.id, name: bruno.user.name } },
      });
      expect(event.post.html).toContain("<strong>à tous</strong>");
      expect(typeof event.post.createdAt).toBe("string");
    }
  });

  test("la présence compte les membres qui lisent le sujet", async () => {
    const alice = await member();
    const bruno = await member();
    const topic = await openTopic(alice.user);
    const a = track(await connect(app, { cookie: alice.cookie }));
    await joinTopic(a, topic.topicId);
    const counted = nextEvent<{ count: number }>(a, "topic:presence", (p) => p.count === 2);
    const b = track(await connect(app, { cookie: bruno.cookie }));
    await joinTopic(b, topic.topicId);
    expect((await counted).count).toBe(2);
  });

  test("« topic:typing » est relayé aux autres membres du sujet, pas à l'auteur", async () => {
    const { alice, topic, a, b } = await twoReaders();
    await joinTopic(a, topic.topicId);
    await joinTopic(b, topic.topicId);
    const toAuthor: string[] = [];
    a.onAny((event: string) => {
      if (event === "topic:typing" || event === "typing") toAuthor.push(event);
    });
    const seen = nextEvent<{ topicId: number; user: { id: string } }>(b, "topic:typing");
    a.emit("topic:typing", { topicId: topic.topicId });
    expect(await seen).toEqual({
      topicId: topic.topicId,
      user: { id: alice.user.id, name: alice.user.name },
    });
    // The author's copy, if any, would have been sent before the answer to this later event.
    await new Promise((resolve) => a.emit("session:ping", resolve));
    expect(toAuthor).toEqual([]);
  });

  test("les anciens noms d'événements (typing, presence, notification, resync) restent émis à côté des nouveaux", async () => {
    const { bruno, topic, a, b } = await twoReaders();
    await joinTopic(a, topic.topicId);
    const presence = ["topic:presence", "presence"].map((event) =>
      nextEvent<{ count: number }>(a, event, (p) => p.count === 2),
    );
    await joinTopic(b, topic.topicId);
    expect((await Promise.all(presence)).map((p) => p.count)).toEqual([2, 2]);
    // A client of the previous release still sends `typing`.
    const typing = ["topic:typing", "typing"].map((event) =>
      nextEvent<{ topicId: number }>(a, event),
    );
    b.emit("typing", { topicId: topic.topicId });
    expect(await Promise.all(typing)).toEqual([
      expect.objectContaining({ topicId: topic.topicId }),
      expect.objectContaining({ topicId: topic.topicId }),
    ]);
    const notified = ["notification:created", "notification"].map((event) =>
      nextEvent<{ kind: string; unreadCount: number }>(a, event),
    );
    await reply(bruno.user, topic.topicId, "Une réponse pour Alice");
    for (const event of await Promise.all(notified)) {
      expect(event).toMatchObject({ kind: "reply", unreadCount: 1 });
    }
    const resync = ["session:resync", "resync"].map((event) => nextEvent(a, event));
    emitWithLegacyName(realtime()!.local, "session:resync");
    await Promise.all(resync);
  });

  test("un membre sans le rôle requis ne peut pas rejoindre un sujet réservé et n'en reçoit rien", async () => {
    const juror = await member({ roles: ["jury"] });
    const outsider = await member();
    const topic = await openTopic(juror.user, { category: "jury-du-label" });
    const j = track(await connect(app, { cookie: juror.cookie }));
    const o = track(await connect(app, { cookie: outsider.cookie }));
    const refused = await joinTopic(o, topic.topicId);
    expect(refused).toMatchObject({ ok: false, error: { code: "not_found" } });
    // Same answer as a topic that does not exist.
    expect(await joinTopic(o, 999_999)).toEqual(refused);
    expect((await joinTopic(j, topic.topicId)).ok).toBe(true);
    let leaked = false;
    o.on("post:created", () => {
      leaked = true;
    });
    const delivered = nextEvent<PostCreatedEvent>(j, "post:created");
    await reply(juror.user, topic.topicId, "Délibération confidentielle");
    await delivered;
    // The juror's copy arrived; the outsider's would have been sent at the same moment.
    await new Promise((resolve) => o.emit("session:ping", resolve));
    expect(leaked).toBe(false);
  });

  test("une connexion sans session, avec une session invalide ou depuis une origine étrangère est refusée", async () => {
    await expect(connect(app)).rejects.toThrow(/unauthorized/);
    await expect(
      connect(app, { cookie: "ti_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }),
    ).rejects.toThrow(/unauthorized/);
    const { cookie } = await member();
    await expect(connect(app, { cookie, origin: "https://evil.example" })).rejects.toThrow();
    await expect(connect(app, { cookie, origin: null })).rejects.toThrow();
  });

  test("une session révoquée pendant une coupure ne se reconnecte pas", async () => {
    const { user, cookie } = await member();
    const socket = track(socketFor(app, { cookie }));
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    // The network goes away (not a clean disconnect by the client).
    const cut = () =>
      new Promise<string>((resolve) => {
        socket.once("disconnect", (reason) => resolve(reason));
        socket.io.engine.close();
      });
    const reconnect = () =>
      new Promise<"connecté" | Error>((resolve) => {
        socket.once("connect", () => resolve("connecté"));
        socket.once("connect_error", resolve);
        socket.connect();
      });

    expect(await cut()).toBe("forced close");
    expect(await reconnect()).toBe("connecté");

    // Revoked elsewhere (another instance, an administrator) while this client is offline.
    await cut();
    await db.delete(sessions).where(eq(sessions.userId, user.id));
    const outcome = await reconnect();
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/unauthorized/);
  });

  test("les charges utiles invalides sont refusées sans planter le serveur", async () => {
    const alice = await member();
    const topic = await openTopic(alice.user);
    const a = track(await connect(app, { cookie: alice.cookie }));
    for (const payload of [[topic.topicId], { topicId: topic.topicId }, "12", -1, 1.5, null]) {
      expect(await joinTopic(a, payload)).toMatchObject({
        ok: false,
        error: { code: "bad_request" },
      });
    }
    const polluted = JSON.parse(`{"topicId": ${topic.topicId}, "__proto__": {"admin": true}}`);
    a.emit("typing", polluted);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    const huge = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
      a.emit("topic:join", "x".repeat(10_000) as unknown as number, resolve),
    );
    expect(huge).toMatchObject({ ok: false, error: { code: "payload_too_large" } });
    // Still connected and answering.
    expect((await joinTopic(a, topic.topicId)).ok).toBe(true);
  });

  test("un client qui inonde le serveur d'événements est déconnecté", async () => {
    const alice = await member();
    const a = track(await connect(app, { cookie: alice.cookie }));
    const disconnected = new Promise<string>((resolve) => a.once("disconnect", resolve));
    for (let i = 0; i < 150; i += 1) a.emit("typing", { topicId: 1 });
    expect(await disconnected).toBe("io server disconnect");
  });

  test("après une coupure, le client récupère les messages manqués une seule fois et dans l'ordre", async () => {
    const alice = await member();
    const bruno = await member();
    const topic = await openTopic(alice.user);
    const socket = track(socketFor(app, { cookie: bruno.cookie }));
    const shown: LivePost[] = [];
    const { onSynced, waitSynced } = syncCounter();
    const follower = followTopic(socket, {
      topicId: topic.topicId,
      lastSeenId: topic.postId,
      fetchAfter: async (after) => {
        const response = await app.request(
          `/api/v1/topics/${topic.topicId}/posts?after=${after}&limit=2`,
          { cookie: bruno.cookie },
        );
        expect(response.status).toBe(200);
        return (await response.json()) as { items: LivePost[]; hasMore: boolean };
      },
      onPosts: (posts) => shown.push(...posts),
      onSynced,
    });
    await waitSynced(1);
    const first = await reply(alice.user, topic.topicId, "Avant la coupure");
    await vi.waitFor(() => expect(shown).toHaveLength(1), { timeout: 5000, interval: 10 });
    socket.disconnect();
    const missed = [];
    for (const text of ["Manqué 1", "Manqué 2", "Manqué 3", "Manqué 4", "Manqué 5"]) {
      missed.push(await reply(alice.user, topic.topicId, text));
    }
    socket.connect();
    await waitSynced(2);
    const after = await reply(alice.user, topic.topicId, "Après la reconnexion");
    await vi.waitFor(() => expect(shown.map((p) => p.id)).toContain(after), {
      timeout: 5000,
      interval: 10,
    });
    expect(shown.map((p) => p.id)).toEqual([first, ...missed, after]);
    follower.stop();
  });

  test("une diffusion qui échoue après l'enregistrement est journalisée et ne change pas la réponse", async () => {
    const alice = await member();
    const bruno = await member();
    const topic = await openTopic(alice.user);
    const io = realtime();
    const warn = vi.spyOn(logger(), "warn");
    // Every push now fails: the socket.io server as the models see it throws at once.
    registerRealtime({
      to: () => {
        throw new Error("diffusion en panne");
      },
    } as unknown as RealtimeServer);
    try {
      const response = await app.request(topic.path, {
        ...form({ intent: "reply", body: "Enregistré malgré la panne" }),
        cookie: bruno.cookie,
      });
      expect(response.status).toBe(302);
      const saved = await db
        .select({ id: forumPosts.id })
        .from(forumPosts)
        .where(eq(forumPosts.body, "Enregistré malgré la panne"));
      expect(saved).toHaveLength(1);
      const pushes = warn.mock.calls.map(([context]) => (context as { push?: string }).push);
      expect(pushes).toEqual(expect.arrayContaining(["post:created", "forum notifications"]));
    } finally {
      registerRealtime(io);
      warn.mockRestore();
    }
  });

  test("la limite de messages par personne répond 429 à l'API avec Retry-After", async () => {
    const alice = await member();
    const topic = await openTopic(alice.user);
    const token = await apiToken(alice.user.id);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 11; i += 1) {
      last = await app.request(`/api/v1/topics/${topic.topicId}/posts`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ body: `Message ${i}` }),
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await last?.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/Réessayez/);
  });
});
