import { afterAll, beforeAll, expect, test } from "vitest";

import { getConfig } from "../../app/config.server";
import { moveTopic } from "../../app/models/forum-moderation.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { deleteSearchIndexes, openTopic, prepareForums } from "../helpers/forums";
import { drainOutbox } from "../helpers/initiatives";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await prepareForums();
});
afterAll(async () => {
  await deleteSearchIndexes();
  await app.close();
});

test("un sujet déplacé vers une catégorie réservée disparaît de la recherche aussitôt, avant que l'index ne suive", async () => {
  const alice = await createTestUser();
  const moderator = await createTestUser({ roles: ["moderator", "jury"] });
  const juror = await createTestUser({ roles: ["jury"] });
  const topic = await openTopic(alice, { title: "Vidéoprotection aux abords des écoles" });
  await drainOutbox();
  const search = async (cookie?: string) =>
    (await app.request("/forums?q=videoprotection", cookie ? { cookie } : {})).text();
  expect(await search()).toContain("Vidéoprotection aux abords des écoles");

  const moved = await moveTopic(moderator, topic.topicId, "jury-du-label");
  expect(moved.ok).toBe(true);
  // The outbox is not drained: Meilisearch still files the topic as public.
  const anonymous = await search();
  expect(anonymous).not.toContain("Vidéoprotection aux abords des écoles");
  expect(anonymous).toContain("Aucun sujet ne correspond");
  const member = await search(await loginCookie(alice.id));
  expect(member).not.toContain("Vidéoprotection aux abords des écoles");
  expect(await search(await loginCookie(juror.id))).toContain(
    "Vidéoprotection aux abords des écoles",
  );
});

test("Meilisearch injoignable : la recherche passe par PostgreSQL, le dit, et garde la règle d'accès", async () => {
  const alice = await createTestUser();
  const juror = await createTestUser({ roles: ["jury"] });
  await openTopic(alice, { title: "Hébergement souverain des données" });
  await openTopic(juror, { category: "jury-du-label", title: "Hébergement des dossiers du jury" });
  const meili = getConfig().meili;
  const url = meili.url;
  // The app and this file share one configuration object: searches now go nowhere.
  meili.url = "http://127.0.0.1:9";
  try {
    const page = await (await app.request("/forums?q=hebergement")).text();
    expect(page).toContain("La recherche est momentanément limitée");
    expect(page).toContain("Hébergement souverain des données");
    expect(page).not.toContain("Hébergement des dossiers du jury");
    const asJuror = await (
      await app.request("/forums?q=hebergement", { cookie: await loginCookie(juror.id) })
    ).text();
    expect(asJuror).toContain("Hébergement des dossiers du jury");
  } finally {
    meili.url = url;
  }
});
