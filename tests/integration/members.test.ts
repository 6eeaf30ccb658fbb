import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { addAlert, dayOf, runAlertMatching } from "../../app/models/alerts.server";
import { listMemberMessages } from "../../app/models/member-messages.server";
import {
  defaultProfileSettings,
  updateProfileSettings,
} from "../../app/models/member-profiles.server";
import { notificationText } from "../../app/models/notifications.server";
import { db } from "../../db/client";
import { mailOutbox, notifications } from "../../db/schema";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { createTestEvent } from "../helpers/events";
import { deleteSearchIndexes } from "../helpers/forums";
import { createTestInitiative, drainOutbox } from "../helpers/initiatives";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await deleteSearchIndexes();
  await app.close();
});

const notificationsOf = (userId: string, kind: "alert" | "member-message") =>
  db
    .select({ text: notificationText, url: notifications.url })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)));

describe("profils des membres", () => {
  test("un profil réservé aux membres est introuvable pour un visiteur, et aucune page n'affiche l'adresse", async () => {
    const person = await createTestUser({ name: "Maëlys Le Goff" });
    const member = await createTestUser();
    expect((await app.request(`/membres/${person.id}`)).status).toBe(404);

    const seen = await app.request(`/membres/${person.id}`, {
      cookie: await loginCookie(member.id),
    });
    expect(seen.status).toBe(200);
    const page = await seen.text();
    expect(page).toContain("Maëlys Le Goff");
    expect(page).not.toContain(person.email);

    await updateProfileSettings(person.id, { ...defaultProfileSettings, visibility: "public" });
    const open = await app.request(`/membres/${person.id}`);
    expect(open.status).toBe(200);
    expect(await open.text()).not.toContain(person.email);
  });

  test("« contacter » envoie un message par la plateforme sans révéler les adresses, puis est limité", async () => {
    const sender = await createTestUser({ name: "Yannick Sender" });
    const recipient = await createTestUser({ name: "Rozenn Recipient" });
    const cookie = await loginCookie(sender.id);
    const body = "Bonjour, je voudrais échanger sur votre appli de signalement de voirie.";

    const sent = await app.request(`/membres/${recipient.id}`, { ...form({ body }), cookie });
    expect(sent.status).toBe(302);
    expect(sent.headers.get("location")).toBe(`/membres/${recipient.id}?envoye=1#contacter`);

    const [received] = await listMemberMessages(recipient.id);
    expect(received).toMatchObject({ body, received: true, otherName: "Yannick Sender" });
    const [notice] = await notificationsOf(recipient.id, "member-message");
    expect(notice?.text).toContain("Message de Yannick Sender");
    expect(notice?.text).not.toContain(sender.email);
    // The mail goes to the recipient's own address and never carries the sender's.
    const mails = await db
      .select({ recipient: mailOutbox.recipient, text: mailOutbox.text, html: mailOutbox.html })
      .from(mailOutbox)
      .where(eq(mailOutbox.userId, recipient.id));
    expect(mails.map((mail) => mail.recipient)).toEqual([recipient.email]);
    expect(`${mails[0]!.text}${mails[0]!.html}`).not.toContain(sender.email);

    const inbox = await (
      await app.request("/compte/messages", { cookie: await loginCookie(recipient.id) })
    ).text();
    expect(inbox).toContain("Yannick Sender");
    expect(inbox).not.toContain(sender.email);
    const outbox = await (await app.request("/compte/messages", { cookie })).text();
    expect(outbox).not.toContain(recipient.email);

    // Three messages a day to the same person; the fourth is refused, in French, and not saved.
    for (let index = 0; index < 2; index += 1) {
      const again = await app.request(`/membres/${recipient.id}`, { ...form({ body }), cookie });
      expect(again.status).toBe(302);
    }
    const blocked = await app.request(`/membres/${recipient.id}`, { ...form({ body }), cookie });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await listMemberMessages(recipient.id)).toHaveLength(3);
  });

  test("un message trop court répond 400 avec l'erreur sur le champ, et un visiteur ne peut pas écrire", async () => {
    const recipient = await createTestUser();
    const sender = await createTestUser();
    const short = await app.request(`/membres/${recipient.id}`, {
      ...form({ body: "Salut" }),
      cookie: await loginCookie(sender.id),
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("au moins 10 caractères");
    const anonymous = await app.request(`/membres/${recipient.id}`, form({ body: "x".repeat(20) }));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/connexion");
    expect(await listMemberMessages(recipient.id)).toEqual([]);
  });
});

describe("alertes", () => {
  test("les nouveautés qui correspondent aux alertes d'une personne tiennent en une notification par jour", async () => {
    const follower = await createTestUser();
    const organiser = await createTestUser({ collectivityCode: "60057", roles: ["organiser"] });
    expect((await addAlert(follower.id, "theme", "services-en-ligne")).ok).toBe(true);
    expect((await addAlert(follower.id, "department", "60")).ok).toBe(true);
    expect((await addAlert(follower.id, "search", "budget participatif")).ok).toBe(true);
    // A run looks at what was published until a minute before its clock: shifted by that
    // minute, each run sees everything created before it.
    const settled = (days = 0) => new Date(Date.now() + 60_000 + days * 86_400_000);
    // The first run starts the clock: what existed before is not news.
    expect((await runAlertMatching(settled())).status).toBe("started");

    await createTestInitiative("56260", { title: "Démarches en ligne pour tous" });
    await drainOutbox();
    expect(await runAlertMatching(settled())).toMatchObject({ status: "done", matches: 1 });
    let alertsOfFollower = await notificationsOf(follower.id, "alert");
    expect(alertsOfFollower).toEqual([
      {
        text: expect.stringContaining("Démarches en ligne pour tous"),
        url: expect.stringMatching(/^\/initiatives\//),
      },
    ]);

    // Same day: a département match, an event and a saved search rewrite the one notification.
    await createTestInitiative("60057", {
      title: "Tiers-lieu de l'Oise",
      themes: ["inclusion-mediation"],
    });
    // In the Morbihan, on another theme: only the saved search finds it.
    await createTestEvent(organiser, {
      title: "Atelier budget participatif",
      communeCode: "56260",
    });
    await drainOutbox();
    const sameDay = settled();
    expect(await runAlertMatching(sameDay)).toMatchObject({ status: "done", matches: 2 });
    alertsOfFollower = await notificationsOf(follower.id, "alert");
    expect(alertsOfFollower).toHaveLength(1);
    expect(alertsOfFollower[0]!.text).toMatch(/^3 nouveautés aujourd'hui/);
    expect(alertsOfFollower[0]!.url).toBe(`/compte/alertes?jour=${dayOf(sameDay)}`);

    // The next day starts a notification of its own.
    await createTestInitiative("56260", { title: "Guichet numérique de la mairie" });
    await drainOutbox();
    expect(await runAlertMatching(settled(1))).toMatchObject({ status: "done", matches: 1 });
    expect(await notificationsOf(follower.id, "alert")).toHaveLength(2);
    // The organiser follows nothing and is told nothing.
    expect(await notificationsOf(organiser.id, "alert")).toEqual([]);
  });
});
