import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { deleteAccount } from "../../app/models/account-lifecycle.server";
import { extractMentions } from "../../app/models/forum-mentions.server";
import { moderatePost, reportPost } from "../../app/models/forum-moderation.server";
import { createPost, editPost, openInitiativeTopic } from "../../app/models/forum-posts.server";
import { setFollowLevel } from "../../app/models/forum-reading.server";
import { listNotifications, unreadNotificationCount } from "../../app/models/notifications.server";
import { db } from "../../db/client";
import { forumPosts } from "../../db/schema";
import { ensureIndexes, processOutboxBatch } from "../../search/indexer";
import "../../search/indexes";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { deleteSearchIndexes, openTopic, prepareForums, reply } from "../helpers/forums";
import { createTestInitiative } from "../helpers/initiatives";
import { apiToken, createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await prepareForums();
});
afterAll(async () => {
  await deleteSearchIndexes();
  await app.close();
});

const json = (token: string, body: unknown) => ({
  method: "POST",
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("pages des forums", () => {
  test("la liste des catégories est en français et cache la catégorie réservée au jury", async () => {
    const anonymous = await (await app.request("/forums")).text();
    expect(anonymous).toContain("Démocratie participative");
    expect(anonymous).toContain("Cybersécurité");
    expect(anonymous).not.toContain("Jury du label");
    const juror = await createTestUser({ roles: ["jury"] });
    const page = await app.request("/forums", { cookie: await loginCookie(juror.id) });
    expect(await page.text()).toContain("Jury du label");
  });

  test("un sujet réservé répond 404, exactement comme un sujet inexistant", async () => {
    const juror = await createTestUser({ roles: ["jury"] });
    const topic = await openTopic(juror, { category: "jury-du-label", title: "Grille secrète" });
    const member = await createTestUser();
    const cookie = await loginCookie(member.id);
    const hidden = await app.request(`/forums/jury-du-label/${topic.topicId}`, { cookie });
    const missing = await app.request(`/forums/jury-du-label/999999`, { cookie });
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await hidden.text()).not.toContain("Grille secrète");
    expect((await app.request("/forums/jury-du-label", { cookie })).status).toBe(404);
    const token = await apiToken(member.id);
    const api = await app.request(`/api/v1/topics/${topic.topicId}/posts`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.status).toBe(404);
    const write = await app.request(
      `/api/v1/topics/${topic.topicId}/posts`,
      json(token, { body: "Je force" }),
    );
    expect(write.status).toBe(404);
  });

  test("on répond sans JavaScript ; un double envoi avec la même clé ne crée qu'un message", async () => {
    const alice = await createTestUser();
    const topic = await openTopic(alice);
    const cookie = await loginCookie(alice.id);
    const html = await (await app.request(topic.path, { cookie })).text();
    expect(html).toContain('method="post"');
    const key = /name="idempotencyKey" value="([a-z2-7]+)"/.exec(html)?.[1];
    expect(key).toBeTruthy();
    const values = {
      intent: "reply",
      body: "Réponse envoyée deux fois",
      idempotencyKey: key ?? "",
    };
    const [one, two] = await Promise.all([
      app.request(topic.path, { ...form(values), cookie }),
      app.request(topic.path, { ...form(values), cookie }),
    ]);
    expect(one.status).toBe(302);
    expect(two.status).toBe(302);
    expect(one.headers.get("location")).toBe(two.headers.get("location"));
    const rows = await db.select().from(forumPosts).where(eq(forumPosts.topicId, topic.topicId));
    expect(rows.filter((r) => r.body === "Réponse envoyée deux fois")).toHaveLength(1);
  });

  test("un message vide ou trop long est refusé avec un message en français, sans rien perdre", async () => {
    const alice = await createTestUser();
    const topic = await openTopic(alice);
    const cookie = await loginCookie(alice.id);
    const empty = await app.request(topic.path, {
      ...form({ intent: "reply", body: " " }),
      cookie,
    });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Le message est trop court.");
    const long = await app.request(topic.path, {
      ...form({ intent: "reply", body: "a".repeat(20_001) }),
      cookie,
    });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("ne peut pas dépasser 20000 caractères");
  });

  test("le markdown est assaini : pas de javascript:, pas de HTML brut", async () => {
    const alice = await createTestUser();
    const topic = await openTopic(alice, {
      body: "[clic](javascript:alert(1)) <img src=x onerror=alert(1)> <svg><script>alert(1)</script></svg> **gras**",
    });
    const html = await (await app.request(topic.path)).text();
    expect(html).toContain("<strong>gras</strong>");
    expect(html).not.toContain('href="javascript:');
    expect(html).not.toContain("<img src=x");
    expect(html).not.toMatch(/<svg><script>/);
  });

  test("30 messages par page, et un lien permanent mène à la bonne page", async () => {
    const authors = await Promise.all([1, 2, 3, 4].map(() => createTestUser()));
    const topic = await openTopic(authors[0]!);
    const ids: number[] = [topic.postId];
    for (let i = 0; i < 32; i += 1)
      ids.push(await reply(authors[i % 4]!, topic.topicId, `Message n° ${i + 2}`));
    const first = await (await app.request(topic.path)).text();
    expect(first.match(/<article id="message-/g)).toHaveLength(30);
    const permalink = await app.request(`${topic.path}?message=${ids[31]}`);
    expect(permalink.status).toBe(302);
    expect(permalink.headers.get("location")).toBe(`${topic.path}?page=2#message-${ids[31]}`);
    const second = await (await app.request(`${topic.path}?page=2`)).text();
    expect(second.match(/<article id="message-/g)).toHaveLength(3);
  });

  test("modifier garde l'historique et affiche « modifié » ; supprimer laisse « Message supprimé »", async () => {
    const alice = await createTestUser();
    const other = await createTestUser();
    const topic = await openTopic(alice);
    const postId = await reply(alice, topic.topicId, "Version une");
    expect((await editPost(other, postId, "Piratage")).ok).toBe(false);
    expect((await editPost(alice, postId, "Version deux")).ok).toBe(true);
    const page = await (await app.request(topic.path)).text();
    expect(page).toContain("Version deux");
    expect(page).toContain("modifié");
    const history = await (await app.request(`${topic.path}?historique=${postId}`)).text();
    expect(history).toContain("Version une");
    const cookie = await loginCookie(alice.id);
    const deleted = await app.request(topic.path, {
      ...form({ intent: "delete", postId: String(postId) }),
      cookie,
    });
    expect(deleted.status).toBe(302);
    const after = await (await app.request(topic.path)).text();
    expect(after).toContain("Message supprimé.");
    expect(after).not.toContain("Version deux");
  });

  test("citer ou modifier un message reprend sa source Markdown, qu'une page ordinaire n'envoie pas", async () => {
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const topic = await openTopic(alice);
    const postId = await reply(alice, topic.topicId, "Un **avis** bien tranché");
    const quoting = await (
      await app.request(`${topic.path}?citer=${postId}`, { cookie: await loginCookie(bruno.id) })
    ).text();
    expect(quoting).toContain(`&gt; **${alice.name}** a écrit :\n&gt; Un **avis** bien tranché`);
    const editing = await (
      await app.request(`${topic.path}?modifier=${postId}`, {
        cookie: await loginCookie(alice.id),
      })
    ).text();
    expect(editing).toMatch(/<textarea[^>]*>Un \*\*avis\*\* bien tranché<\/textarea>/);
    const plain = await (
      await app.request(topic.path, { cookie: await loginCookie(bruno.id) })
    ).text();
    expect(plain).toContain("<strong>avis</strong>");
    expect(plain).not.toContain("**avis**");
  });

  test("les messages non lus sont comptés, séparés par « Nouveaux messages » et atteignables d'un lien", async () => {
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const topic = await openTopic(alice, { title: "Sujet pour les non-lus" });
    const cookie = await loginCookie(bruno.id);
    expect(await (await app.request(topic.path, { cookie })).text()).not.toContain(
      "Nouveaux messages",
    );
    const unread = await reply(alice, topic.topicId, "Une nouveauté");
    const rowOf = async () => {
      const html = await (await app.request("/forums/vie-du-reseau", { cookie })).text();
      return html.split("<tr").find((row) => row.includes("Sujet pour les non-lus")) ?? "";
    };
    expect(await rowOf()).toMatch(/1(<!-- -->)? non lu/);
    const jump = await app.request(`${topic.path}?nonlu=1`, { cookie });
    expect(jump.headers.get("location")).toBe(`${topic.path}?message=${unread}`);
    const page = await (await app.request(topic.path, { cookie })).text();
    expect(page.indexOf("Nouveaux messages")).toBeGreaterThan(-1);
    expect(page.indexOf("Nouveaux messages")).toBeLessThan(page.indexOf("Une nouveauté"));
    expect(await rowOf()).not.toContain("non lu");
  });

  test("un membre en attente de validation lit mais ne publie pas", async () => {
    const pending = await createTestUser({ approved: false });
    const alice = await createTestUser();
    const topic = await openTopic(alice);
    const cookie = await loginCookie(pending.id);
    expect((await app.request(topic.path, { cookie })).status).toBe(200);
    const posted = await app.request(topic.path, {
      ...form({ intent: "reply", body: "Coucou" }),
      cookie,
    });
    expect(posted.status).toBe(403);
    const token = await apiToken(pending.id);
    const api = await app.request(
      `/api/v1/forums/vie-du-reseau/topics`,
      json(token, { title: "Un titre correct", body: "Corps" }),
    );
    expect(api.status).toBe(403);
  });

  test("une requête POST venue d'une autre origine est refusée", async () => {
    const alice = await createTestUser();
    const topic = await openTopic(alice);
    const response = await app.request(topic.path, {
      ...form({ intent: "reply", body: "CSRF" }),
      cookie: await loginCookie(alice.id),
      origin: "https://evil.example",
    });
    expect(response.status).toBe(403);
  });
});

describe("discussion d'une initiative", () => {
  test("« Discuter de cette initiative » ouvre un seul sujet, retrouvé ensuite", async () => {
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const initiative = { id: "init-42", title: "Wifi public", url: "/initiatives/wifi-public" };
    const first = await openInitiativeTopic(alice, initiative);
    const again = await openInitiativeTopic(bruno, initiative);
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.value.path).toBe(first.value.path);
    expect(first.value.path).toMatch(/^\/forums\/initiatives\/\d+-discussion-wifi-public$/);
  });
});

test("le bouton « Discuter de cette initiative » ouvre le sujet puis y ramène", async () => {
  const alice = await createTestUser();
  const initiative = await createTestInitiative(alice.collectivityCode, {
    title: "Conseillers numériques itinérants",
  });
  const cookie = await loginCookie(alice.id);
  const page = await (await app.request(`/initiatives/${initiative.slug}`, { cookie })).text();
  expect(page).toContain("Discuter de cette initiative");
  const first = await app.request(`/forums/discuter/${initiative.slug}`, { ...form({}), cookie });
  expect(first.status).toBe(302);
  const path = first.headers.get("location") ?? "";
  expect(path).toMatch(/^\/forums\/initiatives\/\d+-discussion-conseillers-numeriques/);
  const again = await app.request(`/forums/discuter/${initiative.slug}`, { ...form({}), cookie });
  expect(again.headers.get("location")).toBe(path);
  expect(await (await app.request(path)).text()).toContain(`/initiatives/${initiative.slug}`);
  const missing = await app.request("/forums/discuter/inconnue", { ...form({}), cookie });
  expect(missing.status).toBe(404);
});

describe("API des forums", () => {
  test("créer un sujet, le lister, y répondre et lire la suite après un identifiant", async () => {
    const alice = await createTestUser();
    const token = await apiToken(alice.id);
    const created = await app.request(
      "/api/v1/forums/services-en-ligne/topics",
      json(token, { title: "Prise de rendez-vous en ligne", body: "Quel outil utilisez-vous ?" }),
    );
    expect(created.status).toBe(201);
    const topic = (await created.json()) as { id: number; url: string };
    expect(topic.url).toMatch(/\/forums\/services-en-ligne\/\d+-prise-de-rendez-vous-en-ligne$/);
    const list = (await (await app.request("/api/v1/forums/services-en-ligne/topics")).json()) as {
      items: Array<{ id: number; title: string }>;
    };
    expect(list.items.map((t) => t.id)).toContain(topic.id);
    const forums = (await (await app.request("/api/v1/forums")).json()) as {
      items: Array<{ slug: string; topics: number }>;
    };
    expect(forums.items.find((c) => c.slug === "services-en-ligne")?.topics).toBeGreaterThan(0);
    const ids: number[] = [];
    for (const body of ["Un", "Deux", "Trois"]) {
      const response = await app.request(`/api/v1/topics/${topic.id}/posts`, json(token, { body }));
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: number }).id);
    }
    const after = (await (
      await app.request(`/api/v1/topics/${topic.id}/posts?after=${ids[0]}`)
    ).json()) as {
      items: Array<{ id: number; html: string; author: { name: string } }>;
    };
    expect(after.items.map((p) => p.id)).toEqual(ids.slice(1));
    expect(after.items[0]?.author.name).toBe(alice.name);
  });

  test("une clé Idempotency-Key rejouée renvoie le même message", async () => {
    const alice = await createTestUser();
    const topic = await openTopic(alice);
    const token = await apiToken(alice.id);
    const send = () =>
      app.request(`/api/v1/topics/${topic.topicId}/posts`, {
        ...json(token, { body: "Une seule fois" }),
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": "cle-unique-12345",
        },
      });
    const first = (await (await send()).json()) as { id: number };
    const second = (await (await send()).json()) as { id: number };
    expect(second.id).toBe(first.id);
  });

  test("les erreurs de l'API ont la forme commune et nomment le champ", async () => {
    const alice = await createTestUser();
    const token = await apiToken(alice.id);
    const bad = await app.request(
      "/api/v1/forums/vie-du-reseau/topics",
      json(token, { title: "x" }),
    );
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as {
      error: { code: string; fields: Record<string, string[]> };
    };
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(["title", "body"]));
    expect((await app.request("/api/v1/topics/abc/posts")).status).toBe(404);
    expect((await app.request("/api/v1/topics/1/posts?after=-3")).status).toBe(400);
    const anonymous = await app.request("/api/v1/topics/1/posts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(anonymous.status).toBe(401);
  });

  test("la limite d'ouverture de sujets répond 429", async () => {
    const alice = await createTestUser();
    const token = await apiToken(alice.id);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await app.request(
        "/api/v1/forums/vie-du-reseau/topics",
        json(token, { title: `Sujet en rafale ${i}`, body: "Contenu" }),
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});

describe("mentions, notifications et modération", () => {
  test("une mention notifie le membre mentionné, mais jamais quelqu'un qui ne peut pas lire le sujet", async () => {
    const juror = await createTestUser({ roles: ["jury"], name: "Juliette Jurée" });
    const juror2 = await createTestUser({ roles: ["jury"], name: "Élodie Pérès" });
    const outsider = await createTestUser({ name: "Octave Dehors" });
    const topic = await openTopic(juror, { category: "jury-du-label" });
    await reply(juror, topic.topicId, "Avis de @elodie-peres et @octave-dehors ?");
    const notified = await listNotifications(juror2.id);
    expect(notified.items[0]).toMatchObject({ kind: "mention" });
    expect(notified.items[0]?.text).toContain("Juliette Jurée");
    expect(await unreadNotificationCount(outsider.id)).toBe(0);
  });

  test("les mentions sont plafonnées et l'auteur d'un sujet est prévenu des réponses", async () => {
    expect(extractMentions("@a-b @a-b @c-d email@exemple.fr")).toEqual(["a-b", "c-d"]);
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const topic = await openTopic(alice);
    await reply(bruno, topic.topicId, "Je réponds");
    const items = (await listNotifications(alice.id)).items;
    expect(items[0]).toMatchObject({ kind: "reply" });
    const many = Array.from({ length: 500 }, (_, i) => `@personne-${i}`).join(" ");
    expect((await createPost(bruno, { topicId: topic.topicId, body: many })).ok).toBe(true);
  });

  test("« silencieux » coupe les notifications ; « suivre » prévient de chaque message", async () => {
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const chloe = await createTestUser();
    const topic = await openTopic(alice);
    await setFollowLevel(alice, { topicId: topic.topicId }, "muted");
    await setFollowLevel(chloe, { topicId: topic.topicId }, "watching");
    await reply(bruno, topic.topicId, "Nouvelle réponse");
    expect(await unreadNotificationCount(alice.id)).toBe(0);
    expect((await listNotifications(chloe.id)).items[0]).toMatchObject({ kind: "watching" });
  });

  test("un signalement arrive en modération ; masquer prévient l'auteur et cache le message", async () => {
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const moderator = await createTestUser({ roles: ["moderator"] });
    const topic = await openTopic(alice);
    const postId = await reply(bruno, topic.topicId, "Propos déplacés");
    expect((await reportPost(alice, postId, "Insultant")).ok).toBe(true);
    const cookie = await loginCookie(moderator.id);
    const queue = await app.request("/moderation/forums", { cookie });
    expect(await queue.text()).toContain("Insultant");
    expect(
      (await app.request("/moderation/forums", { cookie: await loginCookie(alice.id) })).status,
    ).toBe(403);
    expect((await moderatePost(alice, postId, "hide")).ok).toBe(false);
    const hidden = await app.request("/moderation/forums", {
      ...form({ intent: "hide", postId: String(postId) }),
      cookie,
    });
    expect(hidden.status).toBe(302);
    const page = await (await app.request(topic.path)).text();
    expect(page).toContain("Message masqué par la modération.");
    expect(page).not.toContain("Propos déplacés");
    expect((await listNotifications(bruno.id)).items[0]).toMatchObject({ kind: "moderation" });
    expect((await listNotifications(alice.id)).items.some((n) => n.kind === "moderation")).toBe(
      true,
    );
  });

  test("un modérateur verrouille, épingle et déplace un sujet ; l'ancienne adresse redirige", async () => {
    const alice = await createTestUser();
    const moderator = await createTestUser({ roles: ["moderator"] });
    const topic = await openTopic(alice);
    const cookie = await loginCookie(moderator.id);
    // Moderators' actions go to the topic's action-only route, which redirects back (PRG).
    const moderation = `${topic.path}/moderation`;
    expect((await app.request(moderation, { ...form({ intent: "lock" }), cookie })).status).toBe(
      302,
    );
    const refused = await createPost(alice, { topicId: topic.topicId, body: "Encore un mot" });
    expect(refused).toMatchObject({ ok: false, status: 409 });
    const forbidden = await app.request(moderation, {
      ...form({ intent: "pin" }),
      cookie: await loginCookie(alice.id),
    });
    expect(forbidden.status).toBe(403);
    const moved = await app.request(moderation, {
      ...form({ intent: "move", category: "cybersecurite" }),
      cookie,
    });
    expect(moved.status).toBe(302);
    const newPath = moved.headers.get("location") ?? "";
    expect(newPath).toMatch(/^\/forums\/cybersecurite\//);
    const old = await app.request(topic.path);
    expect(old.status).toBe(301);
    expect(old.headers.get("location")).toBe(newPath);
  });

  test("la page notifications liste les notifications et le badge compte les non lues", async () => {
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const topic = await openTopic(alice);
    await reply(bruno, topic.topicId, "Coucou Alice");
    const cookie = await loginCookie(alice.id);
    const home = await (await app.request("/forums", { cookie })).text();
    expect(home).toMatch(/Notifications<span class="badge badge--count"[^>]*>1/);
    const page = await (await app.request("/notifications", { cookie })).text();
    expect(page).toContain(`${bruno.name} a répondu`);
    expect(
      (await app.request("/notifications", { ...form({ intent: "read-all" }), cookie })).status,
    ).toBe(302);
    expect(await unreadNotificationCount(alice.id)).toBe(0);
  });

  test("un compte supprimé laisse ses messages signés « Ancien membre »", async () => {
    const alice = await createTestUser({ name: "Aline Partie" });
    const topic = await openTopic(alice, { body: "Message qui reste" });
    await deleteAccount(alice.id);
    const html = await (await app.request(topic.path)).text();
    expect(html).toContain("Message qui reste");
    expect(html).toContain("Ancien membre");
    expect(html).not.toContain("Aline Partie");
  });
});

describe("recherche dans les forums", () => {
  test("un sujet est trouvé depuis /forums?q= ; un sujet réservé n'apparaît qu'aux personnes autorisées", async () => {
    await ensureIndexes();
    const alice = await createTestUser();
    const juror = await createTestUser({ roles: ["jury"] });
    await openTopic(alice, {
      title: "Téléphonie IP dans les écoles",
      body: "Migration des standards",
    });
    await openTopic(juror, { category: "jury-du-label", title: "Téléphonie des lauréats" });
    while ((await processOutboxBatch()) > 0) {
      // until the outbox is drained
    }
    const anonymous = await (await app.request("/forums?q=telephonie")).text();
    expect(anonymous).toContain("Téléphonie IP dans les écoles");
    expect(anonymous).not.toContain("Téléphonie des lauréats");
    const asJuror = await (
      await app.request("/forums?q=telephonie", { cookie: await loginCookie(juror.id) })
    ).text();
    expect(asJuror).toContain("Téléphonie des lauréats");
    const tooLong = await app.request(`/forums?q=${"a".repeat(101)}`);
    expect(tooLong.status).toBe(200);
    expect(await tooLong.text()).toContain("ne peut pas dépasser 100 caractères");
  });
});
