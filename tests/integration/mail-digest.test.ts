import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createEvent } from "../../app/models/event-editing.server";
import { setFollowLevel } from "../../app/models/forum-reading.server";
import type { DigestPeriod } from "../../app/models/mail-digest-sources.server";
import { runDigestBatch } from "../../app/models/mail-digests.server";
import { preferencesOf, saveMailPreferences } from "../../app/models/mail-preferences.server";
import { db } from "../../db/client";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { createTestInitiative } from "../helpers/initiatives";
import {
  headerOf,
  linkIn,
  sendQueuedMail,
  startSmtpServer,
  type ReceivedMail,
} from "../helpers/smtp";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
type TestUser = Awaited<ReturnType<typeof createTestUser>>;
let alice: TestUser; // Morbihan, theme "inclusion", mentions weekly, events never
let bruno: TestUser; // everything never
let chloe: TestUser; // Oise, initiatives daily, the rest by default
let dan: TestUser; // nothing in his area or themes
let mails: { alice: ReceivedMail; chloe: ReceivedMail };

const allNever = {
  mentions: "never",
  "followed-topics": "never",
  initiatives: "never",
  events: "never",
  label: "never",
  moderation: "never",
} as const;

/** A page's HTML without the markers React puts between text and interpolations. */
const textOf = (html: string) => html.replace(/<!-- -->/g, "");

/** Runs a whole weekly period, two members per batch so that the cursor is used. */
async function runWeekly(period: DigestPeriod) {
  let queued = 0;
  for (;;) {
    const batch = await runDigestBatch(period, 2);
    queued += batch.queued;
    if (batch.state === "done") return queued;
  }
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startTestApp({ SMTP_URL: smtp.url, RATE_LIMITS: "false" });
  await prepareForums();
  const start = new Date(Date.now() - 60_000);
  alice = await createTestUser({ collectivityCode: "56260", name: "Alice Morbihan" });
  bruno = await createTestUser({ collectivityCode: "56260", name: "Bruno Silence" });
  chloe = await createTestUser({ collectivityCode: "60057", name: "Chloé Oise" });
  dan = await createTestUser({ collectivityCode: "01001", name: "Dan Ailleurs" });
  await saveMailPreferences(alice.id, {
    frequencies: {
      ...allNever,
      mentions: "weekly",
      "followed-topics": "weekly",
      initiatives: "weekly",
    },
    themes: ["inclusion-mediation"],
  });
  await saveMailPreferences(bruno.id, { frequencies: allNever, themes: ["inclusion-mediation"] });
  await saveMailPreferences(chloe.id, {
    frequencies: {
      mentions: "immediately",
      "followed-topics": "weekly",
      initiatives: "daily",
      events: "weekly",
      label: "weekly",
      moderation: "weekly",
    },
    themes: [],
  });

  await createTestInitiative("56260", { title: "Guichet numérique de Vannes" });
  await createTestInitiative("60057", {
    title: "Médiateurs numériques à Beauvais",
    themes: ["inclusion-mediation"],
  });
  const organiser = await createTestUser({ collectivityCode: "60057", roles: ["organiser"] });
  await saveMailPreferences(organiser.id, { frequencies: allNever, themes: [] });
  const startsAt = new Date(Math.floor((Date.now() + 10 * 86_400_000) / 60_000) * 60_000);
  const event = await createEvent(organiser, {
    title: "Forum de l'inclusion numérique",
    description: "Une journée.",
    themes: ["inclusion-mediation"],
    format: "presentiel",
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    registrationDeadline: null,
    venue: "Maladrerie",
    communeCode: "60057",
    onlineUrl: null,
    capacity: null,
    status: "published",
    programme: [],
    initiativeIds: [],
  });
  expect(event.ok).toBe(true);

  const followed = await openTopic(dan, { title: "Mutualiser un DPO" });
  expect(await setFollowLevel(alice, { topicId: followed.topicId }, "watching")).toBe(true);
  await reply(organiser, followed.topicId, "Nous avons un DPO partagé.");
  const own = await openTopic(alice, { title: "Question d'Alice" });
  await reply(dan, own.topicId, "Voici ma réponse.");

  const period = { frequency: "weekly" as const, key: "test-semaine", start, end: new Date() };
  expect(await runWeekly(period)).toBe(2);
  // The same period again: every member was done, nothing more is queued.
  expect(await runWeekly(period)).toBe(0);
  await sendQueuedMail();
  const to = (user: TestUser) => smtp.received.filter((m) => m.envelopeTo.includes(user.email));
  // Dan keeps the default "immediately" for replies: he had that mail at once, not a digest.
  expect(to(dan)).toHaveLength(1);
  expect(to(dan)[0]!.parsed.subject).toMatch(/ a répondu dans « Mutualiser un DPO »$/);
  const of = (user: TestUser) =>
    to(user).filter((m) => m.parsed.subject?.startsWith("Votre résumé"));
  expect(of(bruno)).toHaveLength(0);
  expect(of(dan)).toHaveLength(0);
  expect(of(alice)).toHaveLength(1);
  expect(of(chloe)).toHaveLength(1);
  mails = { alice: of(alice)[0]!, chloe: of(chloe)[0]! };
});
afterAll(async () => {
  await app.close();
  await smtp.stop();
});

describe("résumé hebdomadaire", () => {
  test("le résumé regroupe par sorte ce que chacun a choisi de recevoir chaque semaine", () => {
    const text = mails.alice.parsed.text ?? "";
    expect(mails.alice.parsed.subject).toBe("Votre résumé de la semaine : 4 nouveautés");
    expect(text).toContain("MENTIONS ET RÉPONSES");
    expect(text).toContain("Dan Ailleurs a répondu dans « Question d'Alice »");
    expect(text).toContain("DISCUSSIONS QUE VOUS SUIVEZ");
    expect(text).toContain("Mutualiser un DPO (2 nouveaux messages)");
    expect(text).toContain("NOUVELLES INITIATIVES DANS VOS THÈMES OU VOTRE DÉPARTEMENT");
    // One by her département, one by her theme.
    expect(text).toContain("Guichet numérique de Vannes");
    expect(text).toContain("Médiateurs numériques à Beauvais");
    // Events: she chose "never".
    expect(text).not.toContain("Forum de l'inclusion numérique");
    expect(mails.alice.parsed.html).toContain("<h2");
  });

  test("un rythme quotidien ou immédiat reste hors du résumé hebdomadaire", () => {
    const text = mails.chloe.parsed.text ?? "";
    expect(text).toContain("ÉVÉNEMENTS À VENIR PRÈS DE CHEZ VOUS OU SUR VOS THÈMES");
    expect(text).toContain("Forum de l'inclusion numérique");
    expect(text).not.toContain("Médiateurs numériques à Beauvais");
    expect(text).not.toContain("MENTIONS");
  });
});

describe("désabonnement en un clic", () => {
  const tokenOf = (mail: ReceivedMail) => {
    const url = /^<(.+)>$/.exec(headerOf(mail, "List-Unsubscribe") ?? "")?.[1];
    if (!url) throw new Error("pas d'en-tête List-Unsubscribe");
    return new URL(url).pathname;
  };

  test("un jeton modifié pour viser quelqu'un d'autre est refusé, sans rien changer", async () => {
    const path = tokenOf(mails.alice).replace(alice.id, bruno.id);
    expect((await app.request(path)).status).toBe(404);
    const posted = await app.request(path, {
      ...form({ "List-Unsubscribe": "One-Click" }),
      origin: null,
    });
    expect(posted.status).toBe(404);
    expect((await preferencesOf(db, [bruno.id])).get(bruno.id)!.themes).toEqual([
      "inclusion-mediation",
    ]);
  });

  test("un envoi venu d'une autre origine est refusé par la protection CSRF", async () => {
    const response = await app.request(tokenOf(mails.alice), {
      ...form({ "List-Unsubscribe": "One-Click" }),
      origin: "https://evil.example",
    });
    expect(response.status).toBe(403);
    expect((await preferencesOf(db, [alice.id])).get(alice.id)!.frequencies.initiatives).toBe(
      "weekly",
    );
  });

  test("le lien de l'en-tête arrête le résumé de son seul destinataire, sans session (RFC 8058)", async () => {
    const path = tokenOf(mails.alice);
    const page = await app.request(path);
    expect(page.status).toBe(200);
    expect(textOf(await page.text())).toContain(
      "Vous ne souhaitez plus recevoir le résumé hebdomadaire",
    );
    // What a mail provider sends: a POST without Origin nor cookie.
    const posted = await app.request(path, {
      ...form({ "List-Unsubscribe": "One-Click" }),
      origin: null,
    });
    expect(posted.status).toBe(200);
    expect(textOf(await posted.text())).toContain("vous ne recevrez plus le résumé hebdomadaire");
    const after = await preferencesOf(db, [alice.id, chloe.id]);
    expect(after.get(alice.id)!.frequencies).toEqual(allNever);
    expect(after.get(alice.id)!.themes).toEqual(["inclusion-mediation"]);
    expect(after.get(chloe.id)!.frequencies.events).toBe("weekly");
  });

  test("le lien d'une rubrique n'arrête que cette sorte de courriels", async () => {
    const path = new URL(linkIn(mails.chloe, `${app.origin}/desabonnement/`)).pathname;
    expect(path).toContain(`${chloe.id}.events.`);
    // From the confirmation page: our own form, still without a session.
    const posted = await app.request(path, { ...form({}) });
    expect(posted.status).toBe(200);
    const frequencies = (await preferencesOf(db, [chloe.id])).get(chloe.id)!.frequencies;
    expect(frequencies.events).toBe("never");
    expect(frequencies["followed-topics"]).toBe("weekly");
    expect(frequencies.initiatives).toBe("daily");
  });
});

describe("page des préférences", () => {
  test("elle demande une connexion", async () => {
    const response = await app.request("/compte/notifications");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/connexion/);
  });

  test("elle enregistre les choix sans JavaScript et refuse un rythme inconnu", async () => {
    const cookie = await loginCookie(dan.id);
    const page = await app.request("/compte/notifications", { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Résumé hebdomadaire");

    const fields = {
      mentions: "daily",
      "followed-topics": "weekly",
      initiatives: "immediately",
      events: "never",
      label: "weekly",
      moderation: "weekly",
    };
    const refused = await app.request("/compte/notifications", {
      ...form({ ...fields, events: "parfois" }),
      cookie,
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Choisissez un rythme pour ces courriels.");

    const body = new URLSearchParams({ ...fields });
    body.append("themes", "cybersecurite");
    body.append("themes", "culture-patrimoine");
    const saved = await app.request("/compte/notifications", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      cookie,
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe("/compte/notifications?enregistre=1");
    const stored = (await preferencesOf(db, [dan.id])).get(dan.id)!;
    expect(stored.frequencies).toEqual(fields);
    expect(stored.themes).toEqual(["cybersecurite", "culture-patrimoine"]);
  });
});
