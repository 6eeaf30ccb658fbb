import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import type { ClientSocket } from "../../realtime/topic-client";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { createTestInitiative } from "../helpers/initiatives";
import { connect, joinTopic } from "../helpers/sockets";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  app = await startTestApp();
  await prepareForums();
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await app.close();
});

/** Posts the same form `times` times; returns the statuses and the last response. */
async function submitRepeatedly(
  path: string,
  values: () => Record<string, string>,
  times: number,
  cookie: string,
) {
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < times; i += 1) {
    last = await app.request(path, { ...form(values()), cookie });
    statuses.push(last.status);
  }
  return { statuses, last: last! };
}

async function expectFrench429(response: Response) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await response.text()).toMatch(/Trop de tentatives\. Réessayez dans/);
}

describe("limites de débit des pages des forums : 429, jamais 500", () => {
  test("ouvrir une sixième discussion d'initiative dans l'heure répond 429", async () => {
    const alice = await createTestUser();
    const cookie = await loginCookie(alice.id);
    const initiatives = [];
    for (let i = 0; i < 6; i += 1) {
      initiatives.push(await createTestInitiative(alice.collectivityCode));
    }
    const statuses: number[] = [];
    let last: Response | undefined;
    for (const initiative of initiatives) {
      last = await app.request(`/forums/discuter/${initiative.slug}`, { ...form({}), cookie });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([302, 302, 302, 302, 302, 429]);
    await expectFrench429(last!);
  });

  test("un sixième sujet dans l'heure depuis la page « Ouvrir un sujet » répond 429 et garde le texte", async () => {
    const alice = await createTestUser();
    let n = 0;
    const { statuses, last } = await submitRepeatedly(
      "/forums/vie-du-reseau/nouveau",
      () => ({ title: `Sujet en rafale numéro ${(n += 1)}`, body: "Texte à ne pas perdre" }),
      6,
      await loginCookie(alice.id),
    );
    expect(statuses).toEqual([302, 302, 302, 302, 302, 429]);
    const page = await last.clone().text();
    expect(page).toContain("Texte à ne pas perdre");
    await expectFrench429(last);
  });

  test("une onzième réponse dans la minute depuis la page du sujet répond 429 et garde le texte", async () => {
    const alice = await createTestUser();
    const topic = await openTopic(alice);
    let n = 0;
    const { statuses, last } = await submitRepeatedly(
      topic.path,
      () => ({ intent: "reply", body: `Réponse en rafale ${(n += 1)}` }),
      11,
      await loginCookie(alice.id),
    );
    expect(statuses.slice(0, 10).every((status) => status === 302)).toBe(true);
    expect(await last.clone().text()).toContain("Réponse en rafale 11");
    await expectFrench429(last);
  });

  test("un vingt-et-unième signalement dans l'heure répond 429", async () => {
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const topic = await openTopic(alice);
    const postId = await reply(alice, topic.topicId, "Message signalé en rafale");
    const { statuses, last } = await submitRepeatedly(
      topic.path,
      () => ({ intent: "report", postId: String(postId), reason: "Signalement répété" }),
      21,
      await loginCookie(bruno.id),
    );
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    await expectFrench429(last);
  });
});

describe("limites des sockets", () => {
  test("une personne ouvre au plus 20 sockets à la fois ; la suivante est refusée, puis acceptée quand une se ferme", async () => {
    const alice = await createTestUser();
    const cookie = await loginCookie(alice.id);
    const open: ClientSocket[] = [];
    for (let i = 0; i < 20; i += 1) open.push(await connect(app, { cookie }));
    sockets.push(...open);
    await expect(connect(app, { cookie })).rejects.toThrow(/too_many_connections/);
    // Someone else is not affected.
    const bruno = await createTestUser();
    sockets.push(await connect(app, { cookie: await loginCookie(bruno.id) }));
    open[0]!.close();
    const again = await vi.waitFor(() => connect(app, { cookie }), { timeout: 5000, interval: 50 });
    sockets.push(again);
  });

  test("une socket suit au plus 20 sujets ; rejoindre un sujet déjà suivi reste possible", async () => {
    // Five authors: one person opens at most five topics an hour.
    const authors = await Promise.all([1, 2, 3, 4, 5].map(() => createTestUser()));
    const topics = [];
    for (let i = 0; i < 21; i += 1) topics.push(await openTopic(authors[i % 5]!));
    const socket = await connect(app, { cookie: await loginCookie(authors[0]!.id) });
    sockets.push(socket);
    for (const topic of topics.slice(0, 20)) {
      expect((await joinTopic(socket, topic.topicId)).ok).toBe(true);
    }
    expect(await joinTopic(socket, topics[20]!.topicId)).toMatchObject({
      ok: false,
      error: { code: "too_many_rooms" },
    });
    expect((await joinTopic(socket, topics[0]!.topicId)).ok).toBe(true);
  });
});
