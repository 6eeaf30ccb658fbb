import { and, eq } from "drizzle-orm";
import ICAL from "ical.js";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createEvent, updateEvent } from "../../app/models/event-editing.server";
import { register } from "../../app/models/event-registrations.server";
import type { EventInput } from "../../app/models/events.server";
import { db } from "../../db/client";
import { eventRegistrations, events, notifications } from "../../db/schema";
import { ensureIndexes, processOutboxBatch } from "../../search/indexer";
import "../../search/indexes";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { apiRequest, createTestEvent, eventInput, inDays, iso } from "../helpers/events";
import { apiToken, createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
type TestUser = Awaited<ReturnType<typeof createTestUser>>;
let organiser: TestUser;
let otherOrganiser: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  organiser = await createTestUser({
    collectivityCode: "60057",
    roles: ["organiser"],
    name: "Sofiane Organisateur",
  });
  otherOrganiser = await createTestUser({ collectivityCode: "56260", roles: ["organiser"] });
});
afterAll(async () => app.close());

const input = eventInput;
const newEvent = (overrides: Partial<EventInput> = {}, by: TestUser = organiser) =>
  createTestEvent(by, overrides);

const api = (path: string, token: string, init?: RequestInit) => apiRequest(app, path, token, init);

async function registrations(eventId: string) {
  return db
    .select()
    .from(eventRegistrations)
    .where(eq(eventRegistrations.eventId, eventId))
    .orderBy(eventRegistrations.arrival);
}

function parseIcs(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  // ical.js resolves TZIDs through the VTIMEZONEs of the file itself.
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  return calendar.getAllSubcomponents("vevent").map((component) => new ICAL.Event(component));
}

describe("inscriptions aux événements", () => {
  test("50 inscriptions simultanées pour 10 places : 10 confirmées, 40 en attente dans l'ordre d'arrivée", async () => {
    const event = await newEvent({ capacity: 10 });
    const people = await Promise.all(
      Array.from({ length: 50 }, () => createTestUser({ collectivityCode: "70299" })),
    );
    const tokens = await Promise.all(people.map((p) => apiToken(p.id)));
    const responses = await Promise.all(
      tokens.map((token) =>
        api(`/api/v1/events/${event.id}/registrations`, token, { method: "POST" }),
      ),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{
      status: string;
      position?: number;
    }>;
    expect(responses.every((r) => r.status === 201)).toBe(true);
    expect(bodies.filter((b) => b.status === "confirmed")).toHaveLength(10);
    const waitlisted = bodies.filter((b) => b.status === "waitlisted");
    expect(waitlisted).toHaveLength(40);
    expect(waitlisted.map((b) => b.position).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );

    const rows = await registrations(event.id);
    // Arrival order (the order requests obtained the event's lock): the first ten are confirmed.
    expect(rows.slice(0, 10).every((r) => r.status === "confirmed")).toBe(true);
    expect(rows.slice(10).every((r) => r.status === "waitlisted")).toBe(true);
    // Each person's announced position is their rank in arrival order.
    const positionOf = new Map(people.map((p, i) => [p.id, bodies[i]?.position] as const));
    rows.slice(10).forEach((row, index) => expect(positionOf.get(row.userId)).toBe(index + 1));

    const listed = (await (await app.request(`/api/v1/events/${event.id}`)).json()) as {
      placesLeft: number;
    };
    expect(listed.placesLeft).toBe(0);

    // A cancellation promotes exactly one person: the first on the waitlist, who is notified.
    const firstConfirmed = rows[0]!;
    const firstWaiting = rows[10]!;
    const token = tokens[people.findIndex((p) => p.id === firstConfirmed.userId)]!;
    const cancelled = await api(`/api/v1/events/${event.id}/registrations/me`, token, {
      method: "DELETE",
    });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { promoted: number }).promoted).toBe(1);
    const after = await registrations(event.id);
    expect(after.filter((r) => r.status === "confirmed")).toHaveLength(10);
    expect(after.filter((r) => r.status === "waitlisted")).toHaveLength(39);
    expect(after.find((r) => r.userId === firstWaiting.userId)?.status).toBe("confirmed");
    const notes = await db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, firstWaiting.userId),
          eq(notifications.kind, "event-promoted"),
        ),
      );
    expect(notes).toHaveLength(1);
  }, 120_000);

  test("des annulations en même temps que de nouvelles inscriptions : jauge tenue, ordre d'attente gardé", async () => {
    const { cancelRegistration } = await import("../../app/models/event-registrations.server");
    const event = await newEvent({ capacity: 5 });
    const first = await Promise.all(Array.from({ length: 10 }, () => createTestUser()));
    for (const person of first) expect((await register(person, event.id)).ok).toBe(true);
    const late = await Promise.all(Array.from({ length: 10 }, () => createTestUser()));
    await Promise.all([
      ...first.slice(0, 3).map((person) => cancelRegistration(person, event.id)),
      ...late.map((person) => register(person, event.id)),
    ]);
    const rows = await registrations(event.id);
    expect(rows).toHaveLength(17);
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(5);
    // The three freed places went to the first three who were waiting before the rush.
    const confirmed = new Set(rows.filter((r) => r.status === "confirmed").map((r) => r.userId));
    for (const person of first.slice(3, 8)) expect(confirmed.has(person.id)).toBe(true);
    const waiting = rows.filter((r) => r.status === "waitlisted").map((r) => r.userId);
    expect(waiting.slice(0, 2)).toEqual(first.slice(8).map((p) => p.id));
  });

  test("s'inscrire deux fois ou après la clôture répond 409 avec un message en français", async () => {
    const member = await createTestUser();
    const token = await apiToken(member.id);
    const event = await newEvent({ capacity: null });
    const first = await api(`/api/v1/events/${event.id}/registrations`, token, { method: "POST" });
    expect(first.status).toBe(201);
    const twice = await api(`/api/v1/events/${event.id}/registrations`, token, { method: "POST" });
    expect(twice.status).toBe(409);
    const body = (await twice.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toMatch(/déjà inscrit/);
    expect(await registrations(event.id)).toHaveLength(1);

    // A retry with an idempotency key gets the registration it already made.
    const retried = await api(`/api/v1/events/${event.id}/registrations`, token, {
      method: "POST",
      headers: { "idempotency-key": "abc" },
    });
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { status: string }).status).toBe("confirmed");

    const closed = await newEvent({
      registrationDeadline: iso(inDays(-1)),
      startsAt: iso(inDays(3)),
      endsAt: iso(inDays(4)),
    });
    const late = await api(`/api/v1/events/${closed.id}/registrations`, token, { method: "POST" });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(
      /Les inscriptions sont closes depuis le/,
    );
  });

  test("un double envoi du formulaire ne crée qu'une inscription", async () => {
    const member = await createTestUser();
    const cookie = await loginCookie(member.id);
    const event = await newEvent({ capacity: 5 });
    const slug = (
      await db.select({ slug: events.slug }).from(events).where(eq(events.id, event.id))
    )[0]!.slug;
    const [a, b] = await Promise.all([
      app.request(`/evenements/${slug}`, { ...form({ intent: "register" }), cookie }),
      app.request(`/evenements/${slug}`, { ...form({ intent: "register" }), cookie }),
    ]);
    expect(a.status).toBe(302);
    expect(b.status).toBe(302);
    expect(await registrations(event.id)).toHaveLength(1);
  });

  test("un événement annulé ferme les inscriptions et prévient les inscrits", async () => {
    const member = await createTestUser();
    const event = await newEvent();
    expect((await register(member, event.id)).ok).toBe(true);
    const cancelled = await updateEvent(organiser, event.id, { status: "cancelled" });
    expect(cancelled.ok).toBe(true);
    const other = await createTestUser();
    const response = await api(
      `/api/v1/events/${event.id}/registrations`,
      await apiToken(other.id),
      {
        method: "POST",
      },
    );
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /annulé/,
    );
    const notes = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, member.id), eq(notifications.kind, "event-cancelled")));
    expect(notes).toHaveLength(1);
  });

  test("un changement de date prévient les inscrits et fait avancer la SEQUENCE du calendrier", async () => {
    const member = await createTestUser();
    const event = await newEvent({ startsAt: "2027-06-10T14:00", endsAt: "2027-06-10T16:00" });
    expect((await register(member, event.id)).ok).toBe(true);
    const [before] = await db.select().from(events).where(eq(events.id, event.id));
    expect(
      (
        await updateEvent(organiser, event.id, {
          startsAt: "2027-06-11T14:00",
          endsAt: "2027-06-11T16:00",
        })
      ).ok,
    ).toBe(true);
    const [after] = await db.select().from(events).where(eq(events.id, event.id));
    expect(after!.sequence).toBeGreaterThan(before!.sequence);
    const notes = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, member.id), eq(notifications.kind, "event-changed")));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toContain("vendredi 11 juin 2027, de 14 h 00 à 16 h 00");
  });

  test("baisser la jauge sous le nombre de confirmés ne désinscrit personne ; la remonter promeut dans l'ordre", async () => {
    const event = await newEvent({ capacity: 3 });
    const people = await Promise.all(Array.from({ length: 5 }, () => createTestUser()));
    for (const person of people) expect((await register(person, event.id)).ok).toBe(true);
    expect((await updateEvent(organiser, event.id, { capacity: 1 })).ok).toBe(true);
    let rows = await registrations(event.id);
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(3);
    // One confirmed person leaves: 2 confirmed for 1 place, so nobody is promoted.
    const { cancelRegistration } = await import("../../app/models/event-registrations.server");
    expect((await cancelRegistration(people[0]!, event.id)).ok).toBe(true);
    rows = await registrations(event.id);
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(2);
    expect((await updateEvent(organiser, event.id, { capacity: 3 })).ok).toBe(true);
    rows = await registrations(event.id);
    expect(rows.filter((r) => r.status === "confirmed").map((r) => r.userId)).toContain(
      people[3]!.id,
    );
    expect(rows.find((r) => r.userId === people[4]!.id)?.status).toBe("waitlisted");
  });
});

describe("droits des organisateurs", () => {
  test("un membre ne peut pas modifier l'événement d'un autre organisateur (403)", async () => {
    const event = await newEvent();
    const member = await createTestUser();
    const patch = await api(`/api/v1/events/${event.id}`, await apiToken(member.id), {
      method: "PATCH",
      body: JSON.stringify({ title: "Titre détourné par un membre" }),
    });
    expect(patch.status).toBe(403);
    const other = await api(`/api/v1/events/${event.id}`, await apiToken(otherOrganiser.id), {
      method: "PATCH",
      body: JSON.stringify({ capacity: 1000 }),
    });
    expect(other.status).toBe(403);
    const slug = (
      await db.select({ slug: events.slug }).from(events).where(eq(events.id, event.id))
    )[0]!.slug;
    const page = await app.request(`/evenements/${slug}/modifier`, {
      cookie: await loginCookie(member.id),
    });
    expect(page.status).toBe(403);
    const csv = await app.request(`/evenements/${slug}/participants.csv`, {
      cookie: await loginCookie(otherOrganiser.id),
    });
    expect(csv.status).toBe(403);
    const [row] = await db
      .select({ title: events.title })
      .from(events)
      .where(eq(events.id, event.id));
    expect(row?.title).not.toBe("Titre détourné par un membre");
  });

  test("le brouillon d'un autre répond 404, comme un événement inexistant", async () => {
    const draft = await newEvent({ status: "draft" });
    const token = await apiToken(otherOrganiser.id);
    expect((await api(`/api/v1/events/${draft.id}`, token)).status).toBe(404);
    const patch = await api(`/api/v1/events/${draft.id}`, token, {
      method: "PATCH",
      body: JSON.stringify({ title: "Autre titre" }),
    });
    expect(patch.status).toBe(404);
    expect((await app.request(`/evenements/${draft.slug}`)).status).toBe(404);
  });

  test("l'organisateur crée par l'API (201) et reçoit des erreurs par champ (422)", async () => {
    const token = await apiToken(organiser.id);
    const created = await api("/api/v1/events", token, {
      method: "POST",
      body: JSON.stringify({
        title: "Webinaire cybersécurité des communes",
        description: "Les bons réflexes.",
        themes: ["cybersecurite"],
        format: "en-ligne",
        startsAt: "2027-03-12T18:00:00+01:00",
        endsAt: "2027-03-12T19:30:00+01:00",
        onlineUrl: "https://visio.exemple.fr/cyber",
        capacity: 100,
      }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; slug: string; url: string };
    expect(body.url).toBe(`${app.origin}/evenements/${body.slug}`);

    const bad = await api("/api/v1/events", token, {
      method: "POST",
      body: JSON.stringify({
        title: "Lien piégé",
        themes: ["cybersecurite"],
        format: "en-ligne",
        startsAt: "2027-03-12T18:00:00+01:00",
        endsAt: "2027-03-12T17:00:00+01:00",
        onlineUrl: "javascript:alert(1)",
      }),
    });
    expect(bad.status).toBe(422);
    const error = (await bad.json()) as { error: { fields: Record<string, string[]> } };
    expect(error.error.fields.onlineUrl?.[0]).toMatch(/https/);
    const order = await api("/api/v1/events", token, {
      method: "POST",
      body: JSON.stringify({
        title: "Fin avant le début",
        themes: ["cybersecurite"],
        format: "en-ligne",
        startsAt: "2027-03-12T18:00:00+01:00",
        endsAt: "2027-03-12T17:00:00+01:00",
        onlineUrl: "https://visio.exemple.fr/x",
      }),
    });
    expect(order.status).toBe(422);
    expect(
      ((await order.json()) as { error: { fields: Record<string, string[]> } }).error.fields
        .endsAt?.[0],
    ).toMatch(/après le début/);
    // A member without the organiser role cannot create.
    const member = await createTestUser();
    const forbidden = await api("/api/v1/events", await apiToken(member.id), {
      method: "POST",
      body: JSON.stringify({}),
    });
    expect(forbidden.status).toBe(403);
  });

  test("le formulaire de création renvoie 400 avec une erreur sur chaque champ fautif", async () => {
    const cookie = await loginCookie(organiser.id);
    const response = await app.request("/evenements/nouveau", {
      ...form({
        title: "Ok",
        format: "presentiel",
        startsAt: "2027-03-28T02:30",
        endsAt: "2027-03-28T04:00",
        onlineUrl: "javascript:alert(1)",
        status: "published",
      }),
      cookie,
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Le titre doit compter au moins 5 caractères.");
    expect(html).toContain("Choisissez au moins un thème.");
    expect(html).toContain("Le lien doit être une adresse https://");

    // The hour skipped by the spring change does not exist.
    const skipped = await app.request("/evenements/nouveau", {
      ...form({
        title: "Atelier de nuit au printemps",
        themes: "cybersecurite",
        format: "presentiel",
        startsAt: "2027-03-28T02:30",
        endsAt: "2027-03-28T04:00",
        commune: "Beauvais (60057)",
        venue: "Mairie",
        status: "published",
      }),
      cookie,
    });
    expect(skipped.status).toBe(400);
    const skippedHtml = await skipped.text();
    expect(skippedHtml).toContain("passage à l&#x27;heure d&#x27;été");

    const ok = await app.request("/evenements/nouveau", {
      ...form({
        title: "Atelier créé par le formulaire",
        themes: "cybersecurite",
        format: "presentiel",
        startsAt: "2027-04-02T14:00",
        endsAt: "2027-04-02T17:00",
        commune: "Beauvais (60057)",
        venue: "Mairie",
        capacity: "12",
        programme: "14:00 | Accueil | Équipe\n15:00 | Atelier",
        status: "published",
      }),
      cookie,
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toMatch(/^\/evenements\/atelier-cree-par-le-formulaire/);
  });
});

describe("lien de connexion", () => {
  test("le lien en ligne n'apparaît jamais à qui n'est pas inscrit", async () => {
    const link = "https://visio.exemple.fr/salle-secrete-42";
    const event = await newEvent({ format: "hybride", onlineUrl: link, capacity: 1 });
    const [row] = await db
      .select({ slug: events.slug })
      .from(events)
      .where(eq(events.id, event.id));
    const slug = row!.slug;
    const confirmed = await createTestUser();
    const waiting = await createTestUser();
    const stranger = await createTestUser();
    expect((await register(confirmed, event.id)).ok).toBe(true);
    expect((await register(waiting, event.id)).ok).toBe(true);

    const seen = async (cookie?: string) => {
      const bodies = await Promise.all(
        [
          `/evenements/${slug}`,
          `/evenements/${slug}.ics`,
          `/api/v1/events/${event.id}`,
          "/evenements/calendrier.ics",
          "/api/v1/events",
        ].map(async (path) => (await app.request(path, cookie ? { cookie } : {})).text()),
      );
      return bodies.some((body) => body.includes("salle-secrete-42"));
    };
    expect(await seen()).toBe(false);
    expect(await seen(await loginCookie(stranger.id))).toBe(false);
    expect(await seen(await loginCookie(waiting.id))).toBe(false);
    expect(await seen(await loginCookie(confirmed.id))).toBe(true);
    const token = await apiToken(stranger.id);
    expect(await (await api(`/api/v1/events/${event.id}`, token)).text()).not.toContain(
      "salle-secrete-42",
    );
  });
});

describe("agenda personnel", () => {
  test("l'adresse secrète donne les inscriptions du membre et cesse de fonctionner une fois révoquée", async () => {
    const member = await createTestUser();
    const cookie = await loginCookie(member.id);
    const mine = await newEvent({
      title: "Webinaire de mon agenda personnel",
      format: "en-ligne",
      communeCode: null,
      venue: "",
      onlineUrl: "https://visio.exemple.fr/agenda-perso-77",
    });
    await newEvent({ title: "Événement où je ne suis pas inscrit" });
    expect((await register(member, mine.id)).ok).toBe(true);

    const created = await app.request("/evenements/mes-evenements", {
      ...form({ intent: "create-calendar" }),
      cookie,
    });
    expect(created.status).toBe(200);
    const address = /calendrier\.ics\?jeton=([a-z2-7]{40})/.exec(await created.text())?.[1];
    expect(address).toBeDefined();
    const feed = await app.request(`/evenements/calendrier.ics?jeton=${address}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("cache-control")).toBe("private, no-store");
    const parsed = parseIcs(await feed.text());
    expect(parsed.map((e) => e.summary)).toEqual(["Webinaire de mon agenda personnel"]);
    expect(parsed[0]!.description).toContain("agenda-perso-77");

    const revoked = await app.request("/evenements/mes-evenements", {
      ...form({ intent: "revoke-calendar" }),
      cookie,
    });
    expect(revoked.status).toBe(302);
    expect((await app.request(`/evenements/calendrier.ics?jeton=${address}`)).status).toBe(404);
    expect((await app.request("/evenements/calendrier.ics?jeton=nimportequoi")).status).toBe(404);
  });
});

describe("fuseaux horaires et calendriers", () => {
  test("un événement la nuit du passage à l'heure d'hiver affiche les bonnes heures, dans la page et le .ics", async () => {
    // 30 → 31 octobre 2027: at 03:00 (summer) clocks go back to 02:00.
    const event = await newEvent({
      title: "Nuit du numérique au changement d'heure",
      startsAt: "2027-10-30T22:00",
      endsAt: "2027-10-31T04:00",
      capacity: null,
    });
    const [row] = await db.select().from(events).where(eq(events.id, event.id));
    expect(row!.startsAt.toISOString()).toBe("2027-10-30T20:00:00.000Z");
    expect(row!.endsAt.toISOString()).toBe("2027-10-31T03:00:00.000Z");

    const html = await (await app.request(`/evenements/${event.slug}`)).text();
    expect(html).toContain(
      "du samedi 30 octobre 2027, 22 h 00 au dimanche 31 octobre 2027, 4 h 00",
    );

    const ics = await (await app.request(`/evenements/${event.slug}.ics`)).text();
    expect(ics).toContain("DTSTART;TZID=Europe/Paris:20271030T220000");
    expect(ics).toContain("DTEND;TZID=Europe/Paris:20271031T040000");
    expect(ics).toContain("BEGIN:VTIMEZONE");
    const [parsed] = parseIcs(ics);
    expect(parsed!.startDate.toJSDate().toISOString()).toBe("2027-10-30T20:00:00.000Z");
    expect(parsed!.endDate.toJSDate().toISOString()).toBe("2027-10-31T03:00:00.000Z");
    expect(parsed!.uid).toBe(`${event.id}@territoires-internet`);

    // 02:30 happens twice that night: it is the first one (as RFC 5545 reads it), and the file
    // gives it in UTC, since calendar apps disagree on such times.
    const ambiguous = await newEvent({ startsAt: "2027-10-31T02:30", endsAt: "2027-10-31T05:00" });
    const text = await (await app.request(`/evenements/${ambiguous.slug}.ics`)).text();
    expect(text).toContain("DTSTART:20271031T003000Z");
    const [second] = parseIcs(text);
    const [stored] = await db.select().from(events).where(eq(events.id, ambiguous.id));
    expect(stored!.startsAt.toISOString()).toBe("2027-10-31T00:30:00.000Z");
    expect(second!.startDate.toJSDate().toISOString()).toBe(stored!.startsAt.toISOString());
  });

  test("un événement en Guadeloupe est saisi à l'heure locale et montre l'heure de Paris à côté", async () => {
    const admin = await createTestUser({ roles: ["admin", "organiser"] });
    const result = await createEvent(admin, {
      ...input({ communeCode: "97101", venue: "Mairie des Abymes" }),
      startsAt: "2027-02-10T18:00",
      endsAt: "2027-02-10T20:00",
      collectivityCode: "97101",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    const [row] = await db.select().from(events).where(eq(events.id, result.value.id));
    expect(row!.timeZone).toBe("America/Guadeloupe");
    expect(row!.startsAt.toISOString()).toBe("2027-02-10T22:00:00.000Z");
    const page = await (await app.request(`/evenements/${result.value.slug}`)).text();
    const html = page.replaceAll("<!-- -->", "");
    expect(html).toContain("mercredi 10 février 2027, de 18 h 00 à 20 h 00");
    expect(html).toContain("heure de la Guadeloupe");
    expect(html).toContain(
      "Soit du mercredi 10 février 2027, 23 h 00 au jeudi 11 février 2027, 1 h 00 à Paris",
    );
  });

  test("le flux iCal s'analyse avec un autre outil, échappe les titres et suit modifications et annulations", async () => {
    const title = "Titre piégé\r\nATTENDEE:mailto:pirate@exemple.fr";
    const event = await newEvent({ title, communeCode: "60057" });
    const feed1 = await app.request("/evenements/calendrier.ics?departement=60");
    expect(feed1.status).toBe(200);
    expect(feed1.headers.get("content-type")).toContain("text/calendar");
    const text1 = await feed1.text();
    expect(text1).not.toMatch(/^ATTENDEE/m);
    const parsed1 = parseIcs(text1);
    const mine1 = parsed1.find((e) => e.uid === `${event.id}@territoires-internet`)!;
    expect(mine1.summary).toBe("Titre piégé\nATTENDEE:mailto:pirate@exemple.fr");
    expect(mine1.component.getAllProperties("attendee")).toHaveLength(0);
    const [row] = await db.select().from(events).where(eq(events.id, event.id));
    expect(mine1.startDate.toJSDate().toISOString()).toBe(row!.startsAt.toISOString());
    expect(mine1.endDate.toJSDate().toISOString()).toBe(row!.endsAt.toISOString());
    const sequence1 = mine1.sequence;

    expect((await updateEvent(organiser, event.id, { status: "cancelled" })).ok).toBe(true);
    const text2 = await (await app.request("/evenements/calendrier.ics?departement=60")).text();
    const mine2 = parseIcs(text2).find((e) => e.uid === `${event.id}@territoires-internet`)!;
    expect(mine2.sequence).toBeGreaterThan(sequence1);
    expect(mine2.component.getFirstPropertyValue("status")).toBe("CANCELLED");

    // Filters narrow the feed; a bad one is a 400 in French.
    const other = await (await app.request("/evenements/calendrier.ics?departement=56")).text();
    expect(other).not.toContain(event.id);
    const bad = await app.request("/evenements/calendrier.ics?theme=inconnu");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Thème inconnu");
  });
});

describe("liste, recherche et temps réel", () => {
  test("la liste montre les événements à venir d'abord, filtre par thème et archive le passé", async () => {
    const soon = await newEvent({
      title: "Rencontre très proche",
      themes: ["culture-patrimoine"],
      startsAt: iso(inDays(2)),
      endsAt: iso(inDays(2.1)),
    });
    const later = await newEvent({
      title: "Rencontre plus lointaine",
      themes: ["culture-patrimoine"],
      startsAt: iso(inDays(40)),
      endsAt: iso(inDays(40.1)),
    });
    const past = await newEvent({
      title: "Rencontre déjà passée",
      themes: ["culture-patrimoine"],
      startsAt: iso(inDays(-5)),
      endsAt: iso(inDays(-4.9)),
    });
    const html = await (await app.request("/evenements?theme=culture-patrimoine")).text();
    expect(html.indexOf("Rencontre très proche")).toBeGreaterThan(-1);
    expect(html.indexOf("Rencontre très proche")).toBeLessThan(
      html.indexOf("Rencontre plus lointaine"),
    );
    expect(html).not.toContain("Rencontre déjà passée");
    const archive = await (
      await app.request("/evenements?theme=culture-patrimoine&periode=passes")
    ).text();
    expect(archive).toContain("Rencontre déjà passée");
    const api = (await (await app.request("/api/v1/events?theme=culture-patrimoine")).json()) as {
      items: Array<{
        id: string;
        collectivity: { code: string; name: string };
        placesLeft: number;
      }>;
      total: number;
    };
    expect(api.items.map((i) => i.id)).toEqual([soon.id, later.id]);
    expect(api.items[0]!.collectivity).toEqual({ code: "60057", name: "Beauvais" });
    expect(api.items[0]!.placesLeft).toBe(10);
    expect(past.id).toBeTruthy();
    const bad = await app.request("/api/v1/events?department=xx&page=abc");
    expect(bad.status).toBe(400);
    const month = await app.request("/evenements?vue=mois&mois=2027-10");
    expect(month.status).toBe(200);
  });

  test("les événements publiés sont trouvés par /evenements?q=, pas les brouillons", async () => {
    await ensureIndexes();
    await newEvent({ title: "Hackathon des données ouvertes picardes" });
    await newEvent({ title: "Brouillon secret des données", status: "draft" });
    while ((await processOutboxBatch()) > 0) {
      // drain the outbox into Meilisearch
    }
    const html = await (await app.request("/evenements?q=hackaton%20picardes")).text();
    expect(html).toContain("Hackathon des données ouvertes picardes");
    const drafts = await (await app.request("/evenements?q=brouillon%20secret")).text();
    expect(drafts).not.toContain("Brouillon secret des données");
  });

  test("les places restantes sont poussées aux pages ouvertes après chaque inscription", async () => {
    const event = await newEvent({ capacity: 4 });
    const watcher = await createTestUser();
    const cookie = await loginCookie(watcher.id);
    const socket: Socket = connect(app.origin, {
      transports: ["websocket"],
      extraHeaders: { cookie, origin: app.origin },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.on("connect", resolve);
        socket.on("connect_error", reject);
      });
      const ack = (await socket.emitWithAck("event:watch", { eventId: event.id })) as {
        ok: boolean;
        placesLeft: number;
      };
      expect(ack).toMatchObject({ ok: true, placesLeft: 4 });
      const refused = (await socket.emitWithAck("event:watch", { eventId: "__proto__" })) as {
        ok: boolean;
      };
      expect(refused.ok).toBe(false);
      const pushed = new Promise<{ eventId: string; placesLeft: number }>((resolve) =>
        socket.on("event:places", resolve),
      );
      const member = await createTestUser();
      expect((await register(member, event.id)).ok).toBe(true);
      expect(await pushed).toMatchObject({ eventId: event.id, placesLeft: 3 });
    } finally {
      socket.disconnect();
    }
  });

  test("l'organisateur exporte les inscrits en CSV et la fiche de la collectivité liste l'événement", async () => {
    const event = await newEvent({
      title: "Atelier exporté en CSV",
      startsAt: iso(inDays(0.5)),
      endsAt: iso(inDays(0.6)),
    });
    const member = await createTestUser({ name: '=HYPERLINK("x")' });
    expect((await register(member, event.id)).ok).toBe(true);
    const csv = await app.request(`/evenements/${event.slug}/participants.csv`, {
      cookie: await loginCookie(organiser.id),
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    const text = await csv.text();
    expect(text).toContain("Nom;Adresse électronique");
    expect(text).toContain(`'=HYPERLINK`);
    const profile = await (await app.request("/collectivites/60057")).text();
    expect(profile).toContain("Atelier exporté en CSV");
  });
});

describe("contenu de démonstration, comptes supprimés et API ouverte", () => {
  test("la démonstration charge une douzaine d'événements, dont l'étape des assises à Beauvais", async () => {
    const { demoAccounts } = await import("../../scripts/seed/demo-accounts");
    const { demoEvents } = await import("../../scripts/seed/demo-events");
    await demoAccounts(db);
    expect(await demoEvents(db)).toBe("12 événements");
    const [assises] = await db
      .select()
      .from(events)
      .where(
        eq(events.title, "Étape des assises territoriales de l'identité numérique — Beauvais"),
      );
    expect(assises?.communeCode).toBe("60057");
    expect(assises?.status).toBe("published");
    const [reunion] = await db
      .select({ timeZone: events.timeZone })
      .from(events)
      .where(eq(events.communeCode, "97411"));
    expect(reunion?.timeZone).toBe("Indian/Reunion");
    const html = await (await app.request("/evenements")).text();
    expect(html).toContain("Étape des assises territoriales de l&#x27;identité numérique");
  });

  test("un compte supprimé libère sa place pour la première personne en attente", async () => {
    const { deleteAccount } = await import("../../app/models/account-lifecycle.server");
    const event = await newEvent({ capacity: 1 });
    const leaving = await createTestUser();
    const waiting = await createTestUser();
    expect((await register(leaving, event.id)).ok).toBe(true);
    expect((await register(waiting, event.id)).ok).toBe(true);
    await deleteAccount(leaving.id);
    const rows = await registrations(event.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: waiting.id, status: "confirmed" });
  });

  test("la page d'un événement cite les initiatives publiées qu'il présente, pas les brouillons", async () => {
    const { createInitiative } = await import("../../app/models/initiative-writes.server");
    const base = {
      summary: "Un guichet numérique pour toutes les démarches de la commune.",
      body: "Détails.",
      themes: ["services-en-ligne"],
      tags: [],
      startYear: 2024,
      budgetBracket: null,
      links: [],
      inspiredBy: null,
      contributors: [],
    };
    const published = await createInitiative(organiser, {
      ...base,
      title: "Guichet numérique unique de Beauvais",
      status: "published",
    });
    const draft = await createInitiative(organiser, {
      ...base,
      title: "Brouillon d'initiative confidentielle",
      status: "draft",
    });
    if (!published.ok || !draft.ok) throw new Error("initiatives non créées");
    const event = await newEvent({
      initiativeIds: [published.value.slug, draft.value.id],
    });
    const html = await (await app.request(`/evenements/${event.slug}`)).text();
    expect(html).toContain(`href="/initiatives/${published.value.slug}"`);
    expect(html).toContain("Guichet numérique unique de Beauvais");
    expect(html).not.toContain("Brouillon d&#x27;initiative confidentielle");
  });

  test("le document OpenAPI décrit les opérations des événements", async () => {
    const document = (await (await app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths["/api/v1/events"] ?? {})).toEqual(["get", "post"]);
    expect(document.paths["/api/v1/events/{id}/registrations"]?.post).toBeDefined();
    expect(document.paths["/api/v1/events/{id}/registrations/me"]?.delete).toBeDefined();
  });
});
