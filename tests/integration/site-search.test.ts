import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { getConfig } from "../../app/config.server";
import { moveTopic } from "../../app/models/forum-moderation.server";
import {
  updateProfileSettings,
  defaultProfileSettings,
} from "../../app/models/member-profiles.server";
import { searchSite } from "../../app/models/site-search.server";
import { searchKinds } from "../../app/utils/search-kinds";
import { HIGHLIGHT_END, HIGHLIGHT_START } from "../../search/initiatives";
import { startTestApp, type TestApp } from "../helpers/app";
import { apiRequest, createTestEvent } from "../helpers/events";
import { deleteSearchIndexes, openTopic, prepareForums, reply } from "../helpers/forums";
import { createTestInitiative, drainOutbox } from "../helpers/initiatives";
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

type ApiAnswer = {
  items: Array<{ type: string; id: string; title: string; snippet: string; url: string }>;
  totals: Record<string, number>;
};

const everything = (q: string, viewer: Awaited<ReturnType<typeof createTestUser>> | null) =>
  searchSite({ q, kinds: searchKinds, viewer, page: 1, pageSize: 20 });

describe("recherche fédérée", () => {
  test("un mot qui n'apparaît que dans une réponse trouve cette réponse, qui ouvre le sujet à ce message", async () => {
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const topic = await openTopic(alice, { title: "Délibération type pour un règlement" });
    const postId = await reply(
      bruno,
      topic.topicId,
      "Notre modèle de délibération mentionne le quorum xylophonique.",
    );
    await drainOutbox();

    const found = await everything("xylophonique", bruno);
    const hit = found.items.find((item) => item.type === "posts");
    expect(hit).toMatchObject({ id: String(postId), title: "Délibération type pour un règlement" });
    expect(found.totals.posts).toBe(1);
    expect(hit!.url).toMatch(new RegExp(`\\?message=${postId}&surligner=xylophonique$`));

    // The link opens the topic at that post, with the word highlighted there.
    const opened = await app.request(hit!.url);
    expect(opened.status).toBe(302);
    const target = opened.headers.get("location")!;
    expect(target).toContain(`#message-${postId}`);
    const page = await (await app.request(target)).text();
    expect(page).toContain("<mark>xylophonique</mark>");
  });

  test("une réponse d'une catégorie réservée n'apparaît jamais pour un membre sans le rôle, même juste après le déplacement du sujet", async () => {
    const juror = await createTestUser({ roles: ["jury"] });
    const member = await createTestUser();
    const moderator = await createTestUser({ roles: ["moderator", "jury"] });
    const restricted = await openTopic(juror, {
      category: "jury-du-label",
      title: "Délibération du jury",
    });
    await reply(juror, restricted.topicId, "Le dossier quetzalcoatl est recevable.");
    const open = await openTopic(member, { title: "Un sujet public bientôt déplacé" });
    await reply(member, open.topicId, "Parlons du projet ornithorynque.");
    await drainOutbox();

    expect((await everything("ornithorynque", member)).items.map((i) => i.type)).toContain("posts");
    expect((await moveTopic(moderator, open.topicId, "jury-du-label")).ok).toBe(true);
    // The outbox is not drained: Meilisearch still files the reply as public.
    const cookie = await loginCookie(member.id);
    const token = await apiToken(member.id);
    for (const word of ["quetzalcoatl", "ornithorynque"]) {
      expect((await everything(word, member)).items).toEqual([]);
      expect((await everything(word, null)).items).toEqual([]);
      const page = await (await app.request(`/recherche?q=${word}`, { cookie })).text();
      expect(page).toContain(`Aucun résultat pour « ${word} »`);
      const api = (await (
        await apiRequest(app, `/api/v1/search?q=${word}`, token)
      ).json()) as ApiAnswer;
      expect(api.items).toEqual([]);
      const suggestions = (await (
        await app.request(`/recherche/suggestions?q=${word}`, { cookie })
      ).json()) as { items: unknown[] };
      expect(suggestions.items).toEqual([]);
    }
    // Those who hold the role still find both.
    expect((await everything("ornithorynque", juror)).items.map((i) => i.type)).toContain("posts");
    expect((await everything("quetzalcoatl", juror)).items.map((i) => i.type)).toContain("posts");
  });

  test("un brouillon n'apparaît jamais, ni initiative ni événement", async () => {
    const organiser = await createTestUser({ collectivityCode: "60057", roles: ["organiser"] });
    await createTestInitiative("60057", { title: "Brouillon pangolinesque", status: "draft" });
    await createTestEvent(organiser, { title: "Atelier pangolinesque", status: "draft" });
    await createTestInitiative("60057", { title: "Initiative pangolinesque publiée" });
    await drainOutbox();
    for (const viewer of [null, organiser]) {
      const found = await everything("pangolinesque", viewer);
      expect(found.items.map((item) => item.title)).toEqual([
        expect.stringContaining("Initiative"),
      ]);
    }
  });

  test("un profil réservé aux membres n'apparaît jamais aux visiteurs ; un profil masqué à personne", async () => {
    const person = await createTestUser({ name: "Gwenaëlle Kermarrec-Tanguy" });
    const member = await createTestUser();
    await drainOutbox();
    const names = async (viewer: typeof member | null) =>
      (await everything("Kermarrec-Tanguy", viewer)).items
        .filter((item) => item.type === "members")
        .map((item) => item.id);
    // By default a profile is seen by signed-in members only.
    expect(await names(member)).toEqual([person.id]);
    expect(await names(null)).toEqual([]);
    expect((await app.request(`/membres/${person.id}`)).status).toBe(404);
    const api = (await (
      await app.request("/api/v1/search?q=Kermarrec-Tanguy&types=members")
    ).json()) as ApiAnswer;
    expect(api).toEqual({
      items: [],
      totals: { members: 0 },
      page: 1,
      pageSize: 20,
      degraded: false,
    });

    await updateProfileSettings(person.id, { ...defaultProfileSettings, visibility: "public" });
    await drainOutbox();
    expect(await names(null)).toEqual([person.id]);
    expect((await app.request(`/membres/${person.id}`)).status).toBe(200);

    await updateProfileSettings(person.id, { ...defaultProfileSettings, visibility: "hidden" });
    // Before the index catches up, PostgreSQL already refuses the hit.
    expect(await names(null)).toEqual([]);
    expect(await names(member)).toEqual([]);
    expect(
      (await app.request(`/membres/${person.id}`, { cookie: await loginCookie(member.id) })).status,
    ).toBe(404);
  });

  test("un titre exact, de n'importe quel type, passe avant une correspondance dans le texte d'un autre type", async () => {
    const organiser = await createTestUser({ collectivityCode: "60057", roles: ["organiser"] });
    const author = await createTestUser({ collectivityCode: "60057" });
    await createTestInitiative("60057", {
      title: "Cartographie des usages du quartier",
      body: "Nous avons lancé un marathon de programmation citoyenne pendant un week-end.",
    });
    await createTestEvent(organiser, { title: "Marathon de programmation citoyenne" });
    const topic = await openTopic(author, { title: "Tiers-lieux et jardins partagés" });
    await reply(author, topic.topicId, "Voir aussi le tiers-lieu maraîcher de la commune voisine.");
    await createTestInitiative("60057", { title: "Tiers-lieu maraîcher" });
    await drainOutbox();

    const marathon = await everything("marathon de programmation citoyenne", author);
    expect(marathon.items[0]).toMatchObject({
      type: "events",
      title: expect.stringContaining("Marathon"),
    });
    expect(marathon.items.map((item) => item.type)).toContain("initiatives");
    const tiersLieu = await everything("tiers-lieu maraîcher", author);
    expect(tiersLieu.items[0]).toMatchObject({ type: "initiatives" });
    expect(tiersLieu.items.map((item) => item.type)).toContain("posts");
  });
});

describe("l'API de recherche", () => {
  test("répond { items: [{ type, id, title, snippet, url }], totals } et refuse les paramètres inconnus", async () => {
    const author = await createTestUser({ collectivityCode: "60057" });
    await createTestInitiative("60057", { title: "Borne interactive wombatesque" });
    const topic = await openTopic(author, { title: "La borne wombatesque du hall" });
    await reply(author, topic.topicId, "Une borne wombatesque de plus à l'accueil.");
    await drainOutbox();

    const response = await app.request(
      "/api/v1/search?q=wombatesque&types=initiatives,topics,posts",
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as ApiAnswer;
    expect(Object.keys(body.totals).sort()).toEqual(["initiatives", "posts", "topics"]);
    // A public category: a visitor sees the initiative, the topic and its reply.
    expect(body.totals).toEqual({ initiatives: 1, topics: 1, posts: 1 });
    for (const item of body.items) {
      expect(Object.keys(item).sort()).toEqual(["id", "snippet", "title", "type", "url"]);
      expect(item.url.startsWith(app.origin)).toBe(true);
      // The internal highlight markers never leave the API.
      for (const marker of [HIGHLIGHT_START, HIGHLIGHT_END]) {
        expect(`${item.title}${item.snippet}`).not.toContain(marker);
      }
    }

    const unknown = await app.request("/api/v1/search?q=borne&filter=email%20EXISTS");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      error: { code: "bad_request", fields: { filter: [expect.any(String)] } },
    });
    const badType = await app.request("/api/v1/search?q=borne&types=initiatives,emails");
    expect(badType.status).toBe(400);
    expect(await badType.json()).toMatchObject({
      error: { fields: { types: [expect.stringContaining("Type inconnu")] } },
    });
    const pageTwo = (await (
      await app.request("/api/v1/search?q=wombatesque&types=initiatives,topics,posts&page=2")
    ).json()) as ApiAnswer;
    expect(pageTwo.items).toEqual([]);
    expect(pageTwo.totals).toEqual({ initiatives: 1, topics: 1, posts: 1 });

    const openApi = (await (await app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, { get?: { parameters: Array<{ name: string }> } }>;
    };
    expect(openApi.paths["/api/v1/search"]?.get?.parameters.map((p) => p.name)).toEqual([
      "q",
      "types",
      "page",
    ]);
    const empty = await app.request("/api/v1/search?q=%20");
    expect(empty.status).toBe(400);
  });
});

describe("Meilisearch injoignable", () => {
  test("la page de recherche le dit et cherche les titres dans PostgreSQL, avec les mêmes droits", async () => {
    const juror = await createTestUser({ roles: ["jury"] });
    await createTestInitiative("56260", { title: "Hébergement capybara des données" });
    await openTopic(juror, { category: "jury-du-label", title: "Hébergement capybara du jury" });
    const meili = getConfig().meili;
    const url = meili.url;
    meili.url = "http://127.0.0.1:9";
    try {
      const page = await (await app.request("/recherche?q=capybara")).text();
      expect(page).toContain("La recherche est momentanément limitée");
      expect(page).toContain("Hébergement capybara des données");
      expect(page).not.toContain("Hébergement capybara du jury");
    } finally {
      meili.url = url;
    }
  });
});
