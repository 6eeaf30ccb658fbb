import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { moderatePost, reportPost } from "../../app/models/forum-moderation.server";
import { getTopic } from "../../app/models/forums.server";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await prepareForums();
});
afterAll(async () => app.close());

describe("file de modération", () => {
  test("un modérateur sans le rôle jury ne lit à /moderation/forums ni les signalements ni les messages masqués du jury", async () => {
    const juror = await createTestUser({ roles: ["jury"] });
    const juryModerator = await createTestUser({ roles: ["moderator", "jury"] });
    const moderator = await createTestUser({ roles: ["moderator"] });
    const topic = await openTopic(juror, { category: "jury-du-label" });
    const reported = await reply(juror, topic.topicId, "Délibération signalée du jury");
    const hidden = await reply(juror, topic.topicId, "Délibération masquée du jury");
    expect((await reportPost(juror, reported, "Motif confidentiel du jury")).ok).toBe(true);
    expect((await moderatePost(juryModerator, hidden, "hide")).ok).toBe(true);

    const seenBy = async (userId: string) => {
      const response = await app.request("/moderation/forums", {
        cookie: await loginCookie(userId),
      });
      expect(response.status).toBe(200);
      return response.text();
    };
    const outsider = await seenBy(moderator.id);
    for (const secret of ["Délibération signalée", "Motif confidentiel", "Délibération masquée"]) {
      expect(outsider).not.toContain(secret);
    }
    const insider = await seenBy(juryModerator.id);
    for (const secret of ["Délibération signalée", "Motif confidentiel", "Délibération masquée"]) {
      expect(insider).toContain(secret);
    }
  });
});

describe("route de modération d'un sujet", () => {
  test("verrouiller passe par la route de modération, qui revient au sujet et dit ce qui a été fait", async () => {
    const alice = await createTestUser();
    const moderator = await createTestUser({ roles: ["moderator"] });
    const topic = await openTopic(alice);
    const cookie = await loginCookie(moderator.id);
    const moderation = `${topic.path}/moderation`;
    const locked = await app.request(moderation, { ...form({ intent: "lock" }), cookie });
    expect(locked.status).toBe(302);
    const back = locked.headers.get("location") ?? "";
    expect(back).toBe(`${topic.path}?moderation=lock`);
    expect(await (await app.request(back, { cookie })).text()).toContain("Sujet verrouillé.");
    expect((await getTopic(null, topic.topicId))?.locked).toBe(true);
    // The topic page itself no longer takes moderators' actions.
    const old = await app.request(topic.path, { ...form({ intent: "unlock" }), cookie });
    expect(old.status).toBe(400);
    expect((await getTopic(null, topic.topicId))?.locked).toBe(true);
    const member = await app.request(moderation, {
      ...form({ intent: "unlock" }),
      cookie: await loginCookie(alice.id),
    });
    expect(member.status).toBe(403);
  });

  test("masquer un message depuis le sujet ramène à ce message", async () => {
    const alice = await createTestUser();
    const moderator = await createTestUser({ roles: ["moderator"] });
    const topic = await openTopic(alice);
    const postId = await reply(alice, topic.topicId, "Message à masquer depuis le sujet");
    const hidden = await app.request(`${topic.path}/moderation`, {
      ...form({ intent: "hide", postId: String(postId) }),
      cookie: await loginCookie(moderator.id),
    });
    expect(hidden.status).toBe(302);
    expect(hidden.headers.get("location")).toBe(
      `${topic.path}?page=1&moderation=hide#message-${postId}`,
    );
    expect(await (await app.request(topic.path)).text()).not.toContain(
      "Message à masquer depuis le sujet",
    );
  });

  test("déplacer vers une catégorie invalide ou inconnue répond 400 sur le champ, sans rien déplacer", async () => {
    const alice = await createTestUser();
    const moderator = await createTestUser({ roles: ["moderator"] });
    const topic = await openTopic(alice);
    const cookie = await loginCookie(moderator.id);
    for (const category of ["../../admin", "", "categorie-inconnue"]) {
      const response = await app.request(`${topic.path}/moderation`, {
        ...form({ intent: "move", category }),
        cookie,
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { result: { error: Record<string, string[]> } };
      expect(body.result.error.category?.[0]).toMatch(/^Choisissez une catégorie/);
    }
    expect((await getTopic(null, topic.topicId))?.categorySlug).toBe("vie-du-reseau");
  });
});

describe("formulaires de modification et de signalement", () => {
  test("une modification vide et un signalement sans motif répondent 400 avec le message sur le champ", async () => {
    const alice = await createTestUser();
    const bruno = await createTestUser();
    const topic = await openTopic(alice);
    const postId = await reply(alice, topic.topicId, "Message d'Alice");
    const edit = await app.request(`${topic.path}?modifier=${postId}`, {
      ...form({ intent: "edit", postId: String(postId), body: " " }),
      cookie: await loginCookie(alice.id),
    });
    expect(edit.status).toBe(400);
    const editPage = await edit.text();
    expect(editPage).toContain("Le message est trop court.");
    expect(editPage).toMatch(/<textarea[^>]*aria-invalid="true"/);
    const report = await app.request(`${topic.path}?signaler=${postId}`, {
      ...form({ intent: "report", postId: String(postId), reason: "" }),
      cookie: await loginCookie(bruno.id),
    });
    expect(report.status).toBe(400);
    const reportPage = await report.text();
    expect(reportPage).toContain("Dites en quelques mots pourquoi ce message pose problème.");
    expect(reportPage).toMatch(/<textarea[^>]*aria-invalid="true"/);
  });
});
