import { and, eq, isNull, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { parseConfig, setConfig } from "../../app/config.server";
import { composeMail } from "../../app/mail/compose.server";
import { startMailJobs } from "../../app/mail/worker.server";
import { createEvent } from "../../app/models/event-editing.server";
import { cancelRegistration, register } from "../../app/models/event-registrations.server";
import { enqueueEventReminders } from "../../app/models/mail-event-reminders.server";
import { enqueueMail } from "../../app/models/mail-outbox.server";
import { saveMailPreferences } from "../../app/models/mail-preferences.server";
import { defaultFrequencies } from "../../app/utils/notification-preferences";
import { db } from "../../db/client";
import { mailOutbox } from "../../db/schema";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { headerOf, sendQueuedMail, startSmtpServer } from "../helpers/smtp";
import { createTestUser } from "../helpers/users";

const ORIGIN = "http://territoires.test";
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  setConfig(
    parseConfig({ ...process.env, SMTP_URL: smtp.url, APP_ORIGIN: ORIGIN, RATE_LIMITS: "false" }),
  );
  await prepareForums();
});
afterAll(async () => smtp.stop());

/** The mails waiting for a person, queued by createNotifications in its own transaction. */
async function queuedMailsOf(userId: string) {
  const rows = await db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.userId, userId), isNull(mailOutbox.sentAt)));
  return rows.length;
}

const receivedBy = (address: string) =>
  smtp.received.filter((mail) => mail.envelopeTo.includes(address));

describe("courriels immédiats", () => {
  test("une réponse part aussitôt par SMTP, en texte et en HTML, avec le désabonnement en un clic", async () => {
    const author = await createTestUser({ name: "Awa Répondante" });
    const reader = await createTestUser({ name: "Bertrand Lecteur" });
    const quiet = await createTestUser({ name: "Chantal Discrète" });
    await saveMailPreferences(quiet.id, {
      frequencies: { ...defaultFrequencies, mentions: "weekly" },
      themes: [],
    });
    const topic = await openTopic(reader, { title: "Ouvrir les données de la voirie" });
    const other = await openTopic(quiet, { title: "Un sujet tranquille" });
    await reply(author, topic.topicId, "Bonne idée, nous l'avons fait à Vannes.");
    await reply(author, other.topicId, "Et ici aussi.");

    expect(await queuedMailsOf(reader.id)).toBe(1);
    expect(await queuedMailsOf(quiet.id)).toBe(0);
    await sendQueuedMail();

    const [mail] = receivedBy(reader.email);
    expect(mail).toBeDefined();
    const { parsed } = mail!;
    expect(parsed.subject).toBe(
      "Awa Répondante a répondu dans « Ouvrir les données de la voirie »",
    );
    expect(parsed.text).toContain(`${ORIGIN}/forums/`);
    expect(parsed.html).toContain('<html lang="fr">');
    expect(parsed.html).toContain("Voir sur Territoires Internet");
    expect(headerOf(mail!, "List-Unsubscribe")).toMatch(
      new RegExp(`^<${ORIGIN}/desabonnement/${reader.id}\\.mentions\\.[\\w-]+>$`),
    );
    expect(headerOf(mail!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(receivedBy(quiet.email)).toHaveLength(0);
  });

  test("un nom « Jean\\r\\nBcc: x@evil » et un titre « <img onerror> » arrivent inertes", async () => {
    const jean = await createTestUser({ name: "Jean\r\nBcc: x@evil.example" });
    const target = await createTestUser({ name: "<img src=x onerror=alert(1)>" });
    const topic = await openTopic(target, { title: "<img src=x onerror=alert(2)>" });
    await reply(jean, topic.topicId, "Réponse piégée.");
    await queuedMailsOf(target.id);
    await sendQueuedMail();

    const [mail] = receivedBy(target.email);
    expect(mail).toBeDefined();
    expect(mail!.envelopeTo).toEqual([target.email]);
    expect(smtp.received.some((m) => m.envelopeTo.includes("x@evil.example"))).toBe(false);
    expect(mail!.parsed.headers.has("bcc")).toBe(false);
    expect(mail!.parsed.subject).toBe(
      "Jean Bcc: x@evil.example a répondu dans « <img src=x onerror=alert(2)> »",
    );
    // No header line of the raw message starts with what the name tried to add.
    expect(headerOf(mail!, "Bcc")).toBeUndefined();
    expect(mail!.parsed.html).not.toContain("<img");
    expect(mail!.parsed.html).toContain("&lt;img src=x onerror=alert(2)&gt;");
    expect(mail!.parsed.html).toContain("Bonjour &lt;img src=x onerror=alert(1)&gt;,");
  });
});

describe("événements", () => {
  const inDays = (days: number) =>
    new Date(Math.floor((Date.now() + days * 86_400_000) / 60_000) * 60_000);

  async function smallEvent(title: string, days: number) {
    const organiser = await createTestUser({ collectivityCode: "60057", roles: ["organiser"] });
    const startsAt = inDays(days);
    const created = await createEvent(organiser, {
      title,
      description: "Un atelier.",
      themes: ["inclusion-mediation"],
      format: "presentiel",
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      registrationDeadline: null,
      venue: "Salle du conseil",
      communeCode: "60057",
      onlineUrl: null,
      capacity: 1,
      status: "published",
      programme: [],
      initiativeIds: [],
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    return { ...created.value, startsAt };
  }

  test("la personne promue depuis la liste d'attente reçoit aussitôt un courriel avec l'.ics", async () => {
    const event = await smallEvent("Atelier promotion", 10);
    const first = await createTestUser();
    const waiting = await createTestUser();
    expect((await register(first, event.id)).ok).toBe(true);
    expect((await register(waiting, event.id)).ok).toBe(true);
    expect((await cancelRegistration(first, event.id)).ok).toBe(true);
    expect(await queuedMailsOf(waiting.id)).toBe(1);
    await sendQueuedMail();

    const [mail] = receivedBy(waiting.email);
    expect(mail!.parsed.subject).toContain("Place confirmée : Atelier promotion");
    // Part of the registration: no unsubscribe header.
    expect(headerOf(mail!, "List-Unsubscribe")).toBeUndefined();
    const ics = mail!.parsed.attachments.find((a) => a.filename === "evenement.ics");
    const vevent = new ICAL.Component(
      ICAL.parse(ics!.content.toString("utf8")),
    ).getFirstSubcomponent("vevent");
    expect(vevent?.getFirstPropertyValue("uid")).toBe(`${event.id}@territoires-internet`);
  });

  test("le rappel de la veille part une seule fois, avec l'.ics, aux seuls inscrits confirmés", async () => {
    const event = await smallEvent("Atelier rappel", 20);
    const confirmed = await createTestUser();
    const waitlisted = await createTestUser();
    await register(confirmed, event.id);
    await register(waitlisted, event.id);
    const eve = new Date(event.startsAt.getTime() - 12 * 3_600_000);
    expect(await enqueueEventReminders(new Date(event.startsAt.getTime() - 30 * 3_600_000))).toBe(
      0,
    );
    expect(await enqueueEventReminders(eve)).toBe(1);
    expect(await enqueueEventReminders(eve)).toBe(0);
    await sendQueuedMail();

    const [mail] = receivedBy(confirmed.email);
    expect(mail!.parsed.subject).toMatch(/^Rappel : Atelier rappel, /);
    expect(mail!.parsed.text).toContain("Lieu : Salle du conseil");
    expect(mail!.parsed.attachments.map((a) => a.contentType)).toEqual(["text/calendar"]);
    expect(receivedBy(waitlisted.email)).toHaveLength(0);
  });
});

describe("panne SMTP", () => {
  async function waitingTestMails() {
    const [row] = await db
      .select({ waiting: sql<number>`count(*)::int` })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.category, "test"), isNull(mailOutbox.sentAt)));
    return row?.waiting ?? 0;
  }

  test("avec le serveur arrêté pendant que 20 courriels attendent, les 20 arrivent une seule fois à son retour", async () => {
    await smtp.stop();
    const before = smtp.received.length;
    const recipients = Array.from({ length: 20 }, (_, i) => `panne-${i}@exemple.fr`);
    await db.transaction((tx) =>
      enqueueMail(
        tx,
        recipients.map((recipient, i) =>
          composeMail({
            userId: null,
            recipient,
            category: "test",
            subject: `Message ${i}`,
            heading: `Message ${i}`,
            blocks: [{ type: "paragraph", text: "Bonjour." }],
            reason: "Test de panne.",
            preferencesUrl: `${ORIGIN}/compte/notifications`,
          }),
        ),
      ),
    );
    const jobs = startMailJobs({ intervalMs: 50, retryBaseMs: 50, scheduleMs: 3_600_000 });
    try {
      // Every mail was tried, and failed, while the server was away.
      await vi.waitFor(
        async () => {
          const [row] = await db
            .select({ untried: sql<number>`count(*)::int` })
            .from(mailOutbox)
            .where(and(eq(mailOutbox.category, "test"), eq(mailOutbox.attempts, 0)));
          expect(row?.untried).toBe(0);
        },
        { timeout: 15_000, interval: 50 },
      );
      expect(smtp.received.length).toBe(before);
      expect(await waitingTestMails()).toBe(20);

      await smtp.restart();
      await vi.waitFor(() => expect(smtp.received.length - before).toBe(20), {
        timeout: 20_000,
        interval: 100,
      });
    } finally {
      await jobs.close();
    }
    await sendQueuedMail();
    const arrived = smtp.received.slice(before);
    expect(arrived).toHaveLength(20);
    expect(arrived.flatMap((m) => m.envelopeTo).sort()).toEqual([...recipients].sort());
    expect(new Set(arrived.map((m) => m.parsed.messageId)).size).toBe(20);
    expect(await waitingTestMails()).toBe(0);
  });
});
