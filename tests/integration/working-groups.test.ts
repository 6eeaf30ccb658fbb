import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { openCall, proposeTopic, setTopicSelected } from "../../app/models/council-topics.server";
import { createTopic } from "../../app/models/forum-posts.server";
import { readablePostsByIds } from "../../app/models/forums.server";
import { createWorkingGroup, getWorkingGroup } from "../../app/models/groups.server";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { apiRequest } from "../helpers/events";
import { deleteSearchIndexes, openTopic, prepareForums, reply } from "../helpers/forums";
import { drainOutbox } from "../helpers/initiatives";
import { connect, joinTopic } from "../helpers/sockets";
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

const hour = 60 * 60 * 1000;
let year = 2040;
type Person = Awaited<ReturnType<typeof createTestUser>>;

/** A topic chosen by the vote, and a group opened on it by an admin with its coordinator. */
async function groupWithCoordinator(title: string) {
  const admin = await createTestUser({ roles: ["admin"], collectivityCode: "29019" });
  const coordinator = await createTestUser({ collectivityCode: "35238" });
  year += 1;
  const call = await openCall({
    year,
    title: `Appel ${year}`,
    opensAt: new Date(Date.now() - hour),
    closesAt: new Date(Date.now() + hour),
  });
  if (!call.ok) throw new Error(JSON.stringify(call));
  const topic = await proposeTopic(
    coordinator,
    call.value.id,
    {
      title,
      why: "Les territoires en ont besoin, et vite.",
      expectedOutcome: "Un guide partagé.",
      themes: ["services-en-ligne"],
    },
    (id) => `${app.origin}/conseil/sujets/${id}`,
  );
  if (!topic.ok) throw new Error(JSON.stringify(topic));
  await setTopicSelected(topic.value.id, true);
  const created = await createWorkingGroup(admin, {
    topicId: topic.value.id,
    title,
    mandate: "Rédiger un guide de la sobriété numérique pour les communes.",
    coordinatorId: coordinator.id,
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  const group = await getWorkingGroup(created.value.id);
  if (!group) throw new Error("group missing");
  return { admin, coordinator, group, topicId: topic.value.id };
}

async function act(person: Person, groupId: string, values: Record<string, string>) {
  return app.request(`/conseil/groupes/${groupId}`, {
    ...form(values),
    cookie: await loginCookie(person.id),
  });
}

async function get(path: string, person: Person | null) {
  return app.request(path, person ? { cookie: await loginCookie(person.id) } : {});
}

describe("groupes de travail : le forum réservé", () => {
  test("la catégorie du groupe, ses sujets et ses messages sont invisibles aux non-membres, visibles aux membres", async () => {
    const { coordinator, group, admin } = await groupWithCoordinator("Sobriété numérique");
    const categoryPath = `/forums/${group.forumCategorySlug}`;
    const topic = await openTopic(coordinator, {
      category: group.forumCategorySlug,
      title: "Plan du guide capybaresque",
    });
    await reply(coordinator, topic.topicId, "Une réponse sur le chapitre axolotlesque.");
    await drainOutbox();
    const outsider = await createTestUser({ collectivityCode: "44109" });
    const outsiderToken = await apiToken(outsider.id);

    // Someone who may read finds it: the negative answers below are not an empty index.
    const adminToken = await apiToken(admin.id);
    await vi.waitFor(async () => {
      const found = (await (
        await apiRequest(app, "/api/v1/search?q=axolotlesque&types=posts", adminToken)
      ).json()) as { items: unknown[] };
      expect(found.items).toHaveLength(1);
    });

    for (const viewer of [outsider, null]) {
      expect((await get(categoryPath, viewer)).status).toBe(404);
      expect((await get(topic.path, viewer)).status).toBe(404);
      expect(await (await get("/forums", viewer)).text()).not.toContain(group.forumCategorySlug);
      expect(await (await get("/recherche?q=capybaresque", viewer)).text()).not.toContain(
        "Plan du guide",
      );
    }
    const api = async (path: string) => apiRequest(app, path, outsiderToken);
    expect(JSON.stringify(await (await api("/api/v1/forums")).json())).not.toContain(
      group.forumCategorySlug,
    );
    expect((await api(`/api/v1/forums/${group.forumCategorySlug}/topics`)).status).toBe(404);
    expect((await api(`/api/v1/topics/${topic.topicId}/posts`)).status).toBe(404);
    for (const q of ["capybaresque", "axolotlesque"]) {
      const found = (await (await api(`/api/v1/search?q=${q}`)).json()) as { items: unknown[] };
      expect(found.items).toEqual([]);
    }
    const socket = await connect(app, { cookie: await loginCookie(outsider.id) });
    expect((await joinTopic(socket, topic.topicId)).ok).toBe(false);
    // Nor may an outsider open a topic there.
    expect(
      (
        await createTopic(outsider, {
          categorySlug: group.forumCategorySlug,
          title: "Intrusion",
          body: "Je passe.",
        })
      ).ok,
    ).toBe(false);

    expect((await act(outsider, group.id, { intent: "join" })).status).toBe(302);
    expect((await get(categoryPath, outsider)).status).toBe(200);
    expect(await (await get(topic.path, outsider)).text()).toContain("axolotlesque");
    expect(await (await get("/forums", outsider)).text()).toContain(group.forumCategorySlug);
    expect((await joinTopic(socket, topic.topicId)).ok).toBe(true);

    // Leaving closes the door again, sockets included.
    expect((await act(outsider, group.id, { intent: "leave" })).status).toBe(302);
    expect((await get(topic.path, outsider)).status).toBe(404);
    expect((await joinTopic(socket, topic.topicId)).ok).toBe(false);
    socket.close();
    // The first drain creates the search indexes: slow on a busy machine.
  }, 90_000);
});

describe("groupes de travail : la recherche", () => {
  test("un membre trouve les sujets et les réponses de son groupe ; un non-membre, un visiteur et un ancien membre non", async () => {
    const { coordinator, group, admin } = await groupWithCoordinator("Archives électroniques");
    const member = await createTestUser({ collectivityCode: "56260" });
    expect((await act(member, group.id, { intent: "join" })).status).toBe(302);
    const outsider = await createTestUser({ collectivityCode: "44109" });
    const topic = await openTopic(coordinator, {
      category: group.forumCategorySlug,
      title: "Calendrier ornithorynquesque",
    });
    const postId = await reply(
      coordinator,
      topic.topicId,
      "Le versement tatouesque des archives commence en mars.",
    );
    await drainOutbox();
    const adminToken = await apiToken(admin.id);
    await vi.waitFor(async () => {
      const found = (await (
        await apiRequest(app, "/api/v1/search?q=tatouesque", adminToken)
      ).json()) as { items: unknown[] };
      expect(found.items).toHaveLength(1);
    });

    /** What each search path shows this person of the group's reply and topic. */
    const found = async (person: Person | null) => {
      const api = (await (
        person
          ? await apiRequest(app, "/api/v1/search?q=tatouesque", await apiToken(person.id))
          : await app.request("/api/v1/search?q=tatouesque")
      ).json()) as { items: Array<{ type: string; id: string }> };
      const suggestions = (await (
        await get("/recherche/suggestions?q=ornithorynquesque", person)
      ).json()) as { items: Array<{ type: string; id: string }> };
      return {
        api: api.items.map((item) => `${item.type}:${item.id}`),
        page: (await (await get("/recherche?q=tatouesque", person)).text()).includes(
          `${topic.path}?message=${postId}`,
        ),
        suggestions: suggestions.items.map((item) => `${item.type}:${item.id}`),
        forums: (await (await get("/forums?q=ornithorynquesque", person)).text()).includes(
          "1 sujet pour",
        ),
      };
    };
    const nothing = { api: [], page: false, suggestions: [], forums: false };

    expect(await found(member)).toEqual({
      api: [`posts:${postId}`],
      page: true,
      suggestions: [`topics:${topic.topicId}`],
      forums: true,
    });
    expect(await found(outsider)).toEqual(nothing);
    expect(await found(null)).toEqual(nothing);

    // Leaving takes the group's content out of their search at once, before any reindexing:
    // PostgreSQL no longer confirms the reply, even if the index proposed it.
    expect(await readablePostsByIds([String(postId)], member)).toHaveLength(1);
    expect((await act(member, group.id, { intent: "leave" })).status).toBe(302);
    expect(await readablePostsByIds([String(postId)], member)).toEqual([]);
    expect(await found(member)).toEqual(nothing);
  }, 90_000);
});

describe("groupes de travail : qui fait quoi", () => {
  test("un membre validé rejoint, la coordination retire, un inconnu ne retire personne", async () => {
    const { coordinator, group, admin } = await groupWithCoordinator("Données ouvertes locales");
    const member = await createTestUser({ collectivityCode: "56260" });
    const other = await createTestUser({ collectivityCode: "56260" });
    const pending = await createTestUser({ collectivityCode: "56260", approved: false });

    const refused = await act(pending, group.id, { intent: "join" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("votre adhésion doit être validée");
    expect((await act(member, group.id, { intent: "join" })).status).toBe(302);
    expect((await act(other, group.id, { intent: "join" })).status).toBe(302);

    expect((await act(other, group.id, { intent: "remove", userId: member.id })).status).toBe(403);
    const coordinatorLeaves = await act(coordinator, group.id, { intent: "leave" });
    expect(coordinatorLeaves.status).toBe(409);
    expect((await act(coordinator, group.id, { intent: "remove", userId: member.id })).status).toBe(
      302,
    );
    const page = await (await get(`/conseil/groupes/${group.id}`, null)).text();
    expect(page).not.toContain(member.name + "<");
    expect(page).toContain(other.name);

    // Only an admin names the coordinator; the new one becomes a member.
    const byMember = await act(other, group.id, {
      intent: "coordinator",
      coordinatorEmail: other.email,
    });
    expect(byMember.status).toBe(403);
    const badEmail = await act(admin, group.id, {
      intent: "coordinator",
      coordinatorEmail: "pas-une-adresse",
    });
    expect(badEmail.status).toBe(400);
    expect(await badEmail.text()).toContain("L&#x27;adresse électronique n&#x27;est pas valide");
    expect(
      (await act(admin, group.id, { intent: "coordinator", coordinatorEmail: member.email }))
        .status,
    ).toBe(302);
    expect((await getWorkingGroup(group.id))?.coordinatorId).toBe(member.id);
    // The former coordinator is a plain member now, and may leave.
    expect((await act(coordinator, group.id, { intent: "leave" })).status).toBe(302);
  });
});

describe("groupes de travail : la page partagée", () => {
  test("chaque enregistrement crée une version ; deux écritures depuis la même version : la seconde reçoit un 409 et garde son texte", async () => {
    const { coordinator, group } = await groupWithCoordinator("Mutualisation des logiciels");
    const member = await createTestUser({ collectivityCode: "35238" });
    expect((await act(member, group.id, { intent: "join" })).status).toBe(302);
    const save = async (person: Person, body: string, baseVersion: string) =>
      app.request(`/conseil/groupes/${group.id}/page`, {
        ...form({ body, baseVersion }),
        cookie: await loginCookie(person.id),
      });

    const first = await save(coordinator, "# Décisions\n\n- Réunion mensuelle", "0");
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`/conseil/groupes/${group.id}/historique/1`);
    expect(
      (await save(member, "# Décisions\n\n- Réunion mensuelle\n- Guide en mai", "1")).status,
    ).toBe(302);
    const late = await save(coordinator, "# Décisions\n\n- Réunion trimestrielle", "1");
    expect(late.status).toBe(409);
    const lateText = await late.text();
    expect(lateText).toContain("a enregistré la version 2 pendant que vous écriviez");
    expect(lateText).toContain("Réunion trimestrielle");

    const empty = await save(member, "   ", "2");
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("La page ne peut pas être vide.");
    const outsider = await createTestUser({ collectivityCode: "44109" });
    expect((await save(outsider, "Je réécris tout.", "2")).status).toBe(403);

    const history = await (await get(`/conseil/groupes/${group.id}/historique`, null)).text();
    expect(history).toContain("Version 2");
    expect(history).toContain("Version 1");
    const second = await (await get(`/conseil/groupes/${group.id}/historique/2`, null)).text();
    expect(second).toContain("<ins>- Guide en mai</ins>");
    expect(second).toContain("Texte de la version précédente (1");
    const groupPage = await (await get(`/conseil/groupes/${group.id}`, null)).text();
    // Rendered through the forums' markdown path, where a page title becomes a second level.
    expect(groupPage).toContain("<h2>Décisions</h2>");
    expect((await get(`/conseil/groupes/${group.id}/historique/9`, null)).status).toBe(404);
  });
});

describe("groupes de travail : la clôture et les productions", () => {
  test("clos avec une synthèse : plus d'adhésion, forum en lecture seule, synthèse affichée", async () => {
    const { coordinator, group } = await groupWithCoordinator("Inclusion numérique rurale");
    const topic = await openTopic(coordinator, { category: group.forumCategorySlug });
    const tooShort = await act(coordinator, group.id, { intent: "close", summary: "Fini." });
    expect(tooShort.status).toBe(400);
    expect(await tooShort.text()).toContain("Fini.");
    const outsider = await createTestUser({ collectivityCode: "44109" });
    expect(
      (await act(outsider, group.id, { intent: "close", summary: "Une synthèse assez longue." }))
        .status,
    ).toBe(403);
    const summary = "Le groupe a publié son guide et recommande une suite en 2042.";
    expect((await act(coordinator, group.id, { intent: "close", summary })).status).toBe(302);

    const page = await (await get(`/conseil/groupes/${group.id}`, null)).text();
    expect(page).toContain(summary);
    expect((await act(outsider, group.id, { intent: "join" })).status).toBe(409);
    const replyRefused = await app.request(`${topic.path}`, {
      ...form({ intent: "reply", body: "Encore un mot." }),
      cookie: await loginCookie(coordinator.id),
    });
    expect(replyRefused.status).toBeGreaterThanOrEqual(400);
    const newTopic = await createTopic(coordinator, {
      categorySlug: group.forumCategorySlug,
      title: "Un sujet de plus",
      body: "Après la clôture.",
    });
    expect(newTopic.ok ? 200 : newTopic.status).toBe(409);
    // Members still read what was said.
    expect((await get(topic.path, coordinator)).status).toBe(200);
  });

  test("la coordination publie une production créditée aux membres, trouvée par la recherche des initiatives", async () => {
    const { coordinator, group } = await groupWithCoordinator("Guide des tiers-lieux");
    const member = await createTestUser({ collectivityCode: "44109", name: "Zoé Kerbrat" });
    expect((await act(member, group.id, { intent: "join" })).status).toBe(302);
    const publish = async (person: Person, values: Record<string, string>) =>
      app.request(`/conseil/groupes/${group.id}/production`, {
        ...form(values),
        cookie: await loginCookie(person.id),
      });
    const values = {
      title: "Guide pangolinesque des tiers-lieux",
      summary: "Un guide pour ouvrir un tiers-lieu numérique dans une petite commune.",
      body: "## Étapes\n\n1. Réunir les habitants",
      themes: "services-en-ligne",
    };
    expect((await publish(member, values)).status).toBe(403);
    const invalid = await publish(coordinator, { ...values, summary: "Court." });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain("au moins 20 caractères");
    const published = await publish(coordinator, values);
    expect(published.status).toBe(302);
    const location = published.headers.get("location") ?? "";
    expect(location).toMatch(/^\/initiatives\//);

    const initiativePage = await (await get(location, null)).text();
    expect(initiativePage).toContain("Production du groupe de travail");
    expect(initiativePage).toContain("Zoé Kerbrat");
    expect(initiativePage).toContain(coordinator.name);
    await drainOutbox();
    await vi.waitFor(async () => {
      const found = (await (await app.request("/api/v1/initiatives?q=pangolinesque")).json()) as {
        items: Array<{ title: string }>;
      };
      expect(found.items.map((i) => i.title)).toContain(values.title);
    });
    const groupPage = await (await get(`/conseil/groupes/${group.id}`, null)).text();
    expect(groupPage).toContain(values.title);
  });
});
