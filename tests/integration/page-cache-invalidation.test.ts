import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { deleteAccount } from "../../app/models/account-lifecycle.server";
import { updateProfile } from "../../app/models/accounts.server";
import { decideMembership } from "../../app/models/collectivities.server";
import { updateEvent } from "../../app/models/event-editing.server";
import { cancelRegistration, register } from "../../app/models/event-registrations.server";
import { moderatePost, moveTopic, setTopicFlags } from "../../app/models/forum-moderation.server";
import { deletePost, editPost } from "../../app/models/forum-posts.server";
import { adoptInitiative } from "../../app/models/initiative-adoptions.server";
import { updateInitiative } from "../../app/models/initiative-writes.server";
import { startServerProcess, type ServerProcess } from "../../bench/lib";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { createTestEvent, inDays, iso } from "../helpers/events";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { createTestInitiative } from "../helpers/initiatives";
import { createTestUser, loginCookie } from "../helpers/users";

/**
 * Every write that changes a kept anonymous page drops it: the next anonymous request shows the
 * change on the instance that wrote (this process) at once, and on another instance (another
 * process on the same database, told through NOTIFY) within moments.
 */

let app: TestApp;
let other: ServerProcess;

const origin = (target: TestApp | string) => (typeof target === "string" ? target : target.origin);

async function get(target: TestApp | string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin(target)}${path}`, {
    headers: { "accept-encoding": "gzip", ...headers },
  });
  return { cache: response.headers.get("x-page-cache"), html: await response.text() };
}

/** Asks both instances until each answers `paths` from its cache. */
async function warm(...paths: string[]) {
  for (const target of [app, other.origin]) {
    for (const path of paths) {
      await vi.waitFor(async () => expect((await get(target, path)).cache).toBe("hit"), {
        timeout: 10_000,
        interval: 50,
      });
    }
  }
}

/**
 * After a write: the writer's instance renders the pages afresh on the very next request, and
 * the other instance shows the change as soon as the notification arrived.
 */
async function expectEverywhere(paths: string[], check: (html: string) => void) {
  for (const path of paths) {
    const here = await get(app, path);
    expect(here.cache, path).not.toBe("hit");
    check(here.html);
  }
  for (const path of paths) {
    await vi.waitFor(async () => check((await get(other.origin, path)).html), {
      timeout: 5_000,
      interval: 50,
    });
  }
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

beforeAll(async () => {
  await prepareForums();
  app = await startTestApp();
  other = await startServerProcess(
    "bench/app-server.ts",
    { ...process.env, NODE_ENV: "production", SEARCH_INDEXER: "false" },
    "/tmp",
  );
}, 60_000);
afterAll(async () => {
  await other?.stop();
  await app?.close();
});

describe("forums : chaque écriture apparaît à la requête anonyme suivante, sur les deux instances", () => {
  test("une réponse envoyée par le formulaire apparaît sur le sujet, la catégorie et /forums", async () => {
    const author = await createTestUser({ name: "Aurélie Réponse" });
    const topic = await openTopic(author, { title: "Sujet des réponses gardées" });
    const category = "/forums/vie-du-reseau";
    await warm(topic.path, category, "/forums");
    const response = await app.request(topic.path, {
      ...form({
        intent: "reply",
        body: "Une réponse toute neuve",
        idempotencyKey: "cle-de-reponse-1",
      }),
      cookie: await loginCookie(author.id),
    });
    expect(response.status).toBe(302);
    await expectEverywhere([topic.path], (html) =>
      expect(html).toContain("Une réponse toute neuve"),
    );
    // The category counts the posts of each topic: 2 now.
    await expectEverywhere([category], (html) =>
      expect(text(html)).toMatch(/Sujet des réponses gardées.*?\b2\b/),
    );
    await expectEverywhere(["/forums"], (html) =>
      expect(html).toContain("Sujet des réponses gardées"),
    );
  });

  test("une modification, un masquage, un rétablissement et une suppression apparaissent sur le sujet", async () => {
    const author = await createTestUser();
    const moderator = await createTestUser({ roles: ["moderator"] });
    const topic = await openTopic(author);
    const postId = await reply(author, topic.topicId, "Texte d'origine du message");
    await warm(topic.path);
    expect((await editPost(author, postId, "Texte corrigé du message")).ok).toBe(true);
    await expectEverywhere([topic.path], (html) => {
      expect(html).toContain("Texte corrigé du message");
      expect(html).not.toContain("Texte d'origine du message");
    });

    await warm(topic.path);
    expect((await moderatePost(moderator, postId, "hide")).ok).toBe(true);
    await expectEverywhere([topic.path], (html) => {
      expect(html).toContain("Message masqué par la modération.");
      expect(html).not.toContain("Texte corrigé du message");
    });

    await warm(topic.path);
    expect((await moderatePost(moderator, postId, "restore")).ok).toBe(true);
    await expectEverywhere([topic.path], (html) =>
      expect(html).toContain("Texte corrigé du message"),
    );

    await warm(topic.path);
    expect((await deletePost(author, postId)).ok).toBe(true);
    await expectEverywhere([topic.path], (html) =>
      expect(html).not.toContain("Texte corrigé du message"),
    );
  });

  test("un sujet ouvert, épinglé puis déplacé apparaît sur les bonnes catégories", async () => {
    const author = await createTestUser();
    const moderator = await createTestUser({ roles: ["moderator"] });
    const from = "/forums/vie-du-reseau";
    const to = "/forums/cybersecurite";
    await warm(from, to, "/forums");
    const topic = await openTopic(author, { title: "Sujet qui voyage" });
    await expectEverywhere([from, "/forums"], (html) => expect(html).toContain("Sujet qui voyage"));

    await warm(from, topic.path);
    expect((await setTopicFlags(moderator, topic.topicId, { locked: true })).ok).toBe(true);
    await expectEverywhere([topic.path], (html) =>
      expect(html).toContain('<span class="badge">Verrouillé</span>'),
    );

    await warm(from, to);
    expect((await moveTopic(moderator, topic.topicId, "cybersecurite")).ok).toBe(true);
    await expectEverywhere([from], (html) => expect(html).not.toContain("Sujet qui voyage"));
    await expectEverywhere([to], (html) => expect(html).toContain("Sujet qui voyage"));
  });
});

describe("événements : inscriptions, liste d'attente et modifications", () => {
  test("une inscription, puis une annulation qui promeut la liste d'attente, changent les places partout", async () => {
    const organiser = await createTestUser({ roles: ["organiser"] });
    // Soon, so that it is among the next three events on the home page.
    const { slug, id } = await createTestEvent(organiser, {
      title: "Atelier aux places comptées",
      capacity: 1,
      startsAt: iso(inDays(1)),
      endsAt: iso(inDays(1.1)),
    });
    const page = `/evenements/${slug}`;
    await warm(page, "/evenements", "/");
    const first = await createTestUser({ name: "Bérénice Inscrite" });
    expect((await register(first, id, { showPublicly: true })).ok).toBe(true);
    await expectEverywhere([page], (html) => {
      expect(text(html)).toContain("1 personne inscrite");
      expect(html).toContain("Bérénice Inscrite");
    });
    await expectEverywhere(["/evenements", "/"], (html) =>
      expect(text(html)).toMatch(/Atelier aux places comptées.*?Complet/),
    );

    const second = await createTestUser({ name: "Clément Enattente" });
    expect((await register(second, id, { showPublicly: true })).ok).toBe(true);
    await warm(page, "/evenements");
    expect((await cancelRegistration(first, id)).ok).toBe(true);
    // The place freed went to the person waiting (places restantes: still none).
    await expectEverywhere([page], (html) => {
      expect(html).toContain("Clément Enattente");
      expect(html).not.toContain("Bérénice Inscrite");
    });
  });

  test("une modification puis une annulation de l'événement apparaissent sur sa page et les listes", async () => {
    const organiser = await createTestUser({ roles: ["organiser"] });
    const { slug, id } = await createTestEvent(organiser, {
      title: "Webinaire ancien titre",
      startsAt: iso(inDays(2)),
      endsAt: iso(inDays(2.1)),
    });
    const page = `/evenements/${slug}`;
    await warm(page, "/evenements", "/");
    expect((await updateEvent(organiser, id, { title: "Webinaire nouveau titre" })).ok).toBe(true);
    await expectEverywhere([page, "/evenements", "/"], (html) => {
      expect(html).toContain("Webinaire nouveau titre");
      expect(html).not.toContain("Webinaire ancien titre");
    });
    await warm(page);
    expect((await updateEvent(organiser, id, { status: "cancelled" })).ok).toBe(true);
    await expectEverywhere([page], (html) => expect(html).toContain("Cet événement est annulé."));
  });

  test("une page dont les inscriptions ferment d'elles-mêmes n'est gardée que jusque-là", async () => {
    const organiser = await createTestUser({ roles: ["organiser"] });
    const closes = new Date(Math.ceil((Date.now() + 4_000) / 1000) * 1000);
    const { slug } = await createTestEvent(organiser, {
      registrationDeadline: closes.toISOString(),
    });
    const page = `/evenements/${slug}`;
    await warm(page);
    const open = await get(app, page);
    expect(open.cache).toBe("hit");
    expect(text(open.html)).toMatch(/Inscriptions Jusqu/);
    await vi.waitFor(
      async () => expect(text((await get(app, page)).html)).toMatch(/Inscriptions Closes/),
      { timeout: 15_000, interval: 200 },
    );
  });
});

describe("initiatives et personnes", () => {
  test("une initiative modifiée puis reprise par une autre collectivité apparaît sur sa page et l'accueil", async () => {
    const editor = await createTestUser({ collectivityCode: "56260" });
    const adopter = await createTestUser({ collectivityCode: "60057", name: "Denis Repreneur" });
    const { id, slug } = await createTestInitiative("56260", { title: "Guichet d'origine" });
    const page = `/initiatives/${slug}`;
    await warm(page, "/");
    const updated = await updateInitiative(editor, { id }, { title: "Guichet renommé" });
    expect(updated.ok).toBe(true);
    await expectEverywhere([page, "/"], (html) => expect(html).toContain("Guichet renommé"));
    await warm(page);
    expect((await adoptInitiative(adopter, id, "Repris chez nous")).ok).toBe(true);
    await expectEverywhere([page], (html) => expect(html).toContain("Denis Repreneur"));
  });

  test("un membre renommé, puis son compte supprimé, apparaissent sur les pages qui le nomment", async () => {
    const author = await createTestUser({ name: "Étienne Avant" });
    const topic = await openTopic(author, { title: "Sujet d'un membre qui change" });
    await warm(topic.path, "/forums/vie-du-reseau");
    const renamed = await updateProfile(
      author.id,
      { name: "Étienne Après", email: author.email, jobTitle: "DSI", profileKind: "agent" },
      { currentPassword: undefined, keepApiTokens: false },
    );
    expect(renamed.ok).toBe(true);
    await expectEverywhere([topic.path, "/forums/vie-du-reseau"], (html) => {
      expect(html).toContain("Étienne Après");
      expect(html).not.toContain("Étienne Avant");
    });
    await warm(topic.path, "/");
    const before = (await get(app, "/")).html;
    await deleteAccount(author.id);
    await expectEverywhere([topic.path], (html) => {
      expect(html).toContain("Ancien membre");
      expect(html).not.toContain("Étienne Après");
    });
    // The network's figures count one member less.
    await expectEverywhere(["/"], (html) => expect(html).not.toBe(before));
  });

  test("une adhésion validée change les chiffres du réseau et la collectivité affichée sous le nom", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const member = await createTestUser({ approved: false, name: "Fanny Encours" });
    await warm("/");
    const before = /<strong>([\d\s  ]+)<\/strong> membres/.exec((await get(app, "/")).html)?.[1];
    expect(await decideMembership(admin, "56260", member.id, "approve")).toBe(true);
    await expectEverywhere(["/"], (html) => {
      const now = /<strong>([\d\s  ]+)<\/strong> membres/.exec(html)?.[1];
      expect(now).not.toBe(before);
    });
  });
});

describe("ce qu'une page gardée montre, et à qui", () => {
  test("un membre ne reçoit jamais la page anonyme gardée d'un sujet, et la sienne n'est gardée pour personne", async () => {
    const member = await createTestUser({ name: "Gaëlle Lectrice" });
    const topic = await openTopic(await createTestUser());
    await warm(topic.path);
    const cookie = await loginCookie(member.id);
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(`${app.origin}${topic.path}`, { headers: { cookie } });
      expect(response.headers.get("x-page-cache")).toBeNull();
      expect(response.headers.get("cache-control")).toBe("private, no-cache");
      const html = await response.text();
      expect(html).toContain('name="idempotencyKey"');
      expect(html).toContain("Gaëlle Lectrice");
    }
    const anonymous = await fetch(`${app.origin}${topic.path}`);
    const html = await anonymous.text();
    expect(anonymous.headers.get("x-page-cache")).toBe("hit");
    // Nothing of a visitor: no name, no reply form with its key; the scripts allowed by their
    // hashes, never by the nonce of the response the page was rendered for.
    expect(html).not.toContain("Gaëlle Lectrice");
    expect(html).not.toContain("Se déconnecter");
    expect(html).not.toContain('name="idempotencyKey"');
    expect(html).toContain('"idempotencyKey":null');
    expect(anonymous.headers.get("content-security-policy")).not.toContain("nonce-");
  });
});
