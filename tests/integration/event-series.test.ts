import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { updateEvent } from "../../app/models/event-editing.server";
import {
  createSeries,
  createStage,
  decideInvitation,
  detachStage,
  inviteHost,
  updateSeries,
} from "../../app/models/event-series-writes.server";
import { canManage } from "../../app/models/events.server";
import { db } from "../../db/client";
import { eventRegistrations, mailOutbox, notifications } from "../../db/schema";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { apiRequest, eventInput } from "../helpers/events";
import { connect, nextEvent } from "../helpers/sockets";
import { apiToken, createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
type TestUser = Awaited<ReturnType<typeof createTestUser>>;
let seriesOrganiser: TestUser;
let admin: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  seriesOrganiser = await createTestUser({ collectivityCode: "70299", roles: ["organiser"] });
  admin = await createTestUser({ roles: ["admin"] });
});
afterAll(async () => app.close());

let seriesCount = 0;
async function newSeries(status: "draft" | "published" = "published") {
  seriesCount += 1;
  const created = await createSeries(seriesOrganiser, {
    title: `Assises territoriales de l'identité numérique ${seriesCount} ${Date.now()}`,
    description: "Des étapes dans **toute la France**.",
    status,
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.value;
}

/** A host collectivity whose référent accepted, and one of its members (no organiser role). */
async function acceptedHost(seriesId: string, collectivityCode: string) {
  const referent = await createTestUser({ collectivityCode, referent: true });
  const member = await createTestUser({ collectivityCode });
  expect((await inviteHost(seriesOrganiser, seriesId, collectivityCode)).ok).toBe(true);
  expect((await decideInvitation(referent, seriesId, collectivityCode, "accept")).ok).toBe(true);
  return { referent, member };
}

async function stageOf(member: TestUser, seriesId: string, overrides = {}) {
  const created = await createStage(member, seriesId, eventInput(overrides));
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.value;
}

function parseIcs(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  return calendar.getAllSubcomponents("vevent").map((component) => new ICAL.Event(component));
}

describe("cycles d'événements (assises territoriales)", () => {
  test("le flux iCal d'un cycle contient toutes ses étapes, chacune dans le fuseau de son lieu", async () => {
    const series = await newSeries();
    const beauvais = await acceptedHost(series.id, "60057");
    const vannes = await acceptedHost(series.id, "56260");
    const abymes = await acceptedHost(series.id, "97101");
    const stages = [
      await stageOf(beauvais.member, series.id, {
        communeCode: "60057",
        startsAt: "2027-03-12T09:00",
        endsAt: "2027-03-12T17:30",
      }),
      await stageOf(vannes.member, series.id, {
        communeCode: "56260",
        startsAt: "2027-04-02T14:00",
        endsAt: "2027-04-02T18:00",
      }),
      await stageOf(abymes.member, series.id, {
        communeCode: "97101",
        venue: "Mairie des Abymes",
        startsAt: "2027-05-20T09:00",
        endsAt: "2027-05-20T12:00",
      }),
    ];
    // A loose event of the same host is not part of the series.
    const response = await app.request(`/evenements/series/${series.slug}.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/calendar");
    const text = await response.text();
    const parsed = parseIcs(text);
    expect(parsed.map((event) => event.uid).sort()).toEqual(
      stages.map((stage) => `${stage.id}@territoires-internet`).sort(),
    );
    const byUid = new Map(parsed.map((event) => [event.uid, event]));
    const local = (stageId: string) => byUid.get(`${stageId}@territoires-internet`)!.startDate;
    expect(local(stages[0]!.id).zone.tzid).toBe("Europe/Paris");
    expect(local(stages[0]!.id).toString()).toBe("2027-03-12T09:00:00");
    expect(local(stages[2]!.id).zone.tzid).toBe("America/Guadeloupe");
    expect(local(stages[2]!.id).toString()).toBe("2027-05-20T09:00:00");
    // 09:00 in Guadeloupe (UTC-4) is 13:00 UTC: the VTIMEZONE of the file says so.
    expect(local(stages[2]!.id).toJSDate().toISOString()).toBe("2027-05-20T13:00:00.000Z");
    expect(text).toMatch(/^DTSTART;TZID=America\/Guadeloupe:20270520T090000/m);
    expect(text).toMatch(/^BEGIN:VTIMEZONE\r?\nTZID:America\/Guadeloupe/m);

    // A detached stage leaves the feed; the event itself stays.
    expect((await detachStage(seriesOrganiser, series.id, stages[1]!.id)).ok).toBe(true);
    const after = parseIcs(
      await (await app.request(`/evenements/series/${series.slug}.ics`)).text(),
    );
    expect(after).toHaveLength(2);
    expect(after.map((event) => event.uid)).not.toContain(`${stages[1]!.id}@territoires-internet`);
    expect((await app.request(`/api/v1/events/${stages[1]!.id}`)).status).toBe(200);
  });

  test("une invitation acceptée par le référent permet à ses membres d'ajouter une étape ; une collectivité non invitée ne le peut pas", async () => {
    const series = await newSeries();
    const referent = await createTestUser({ collectivityCode: "60057", referent: true });
    const member = await createTestUser({ collectivityCode: "60057" });
    const outsider = await createTestUser({ collectivityCode: "56260", roles: ["organiser"] });

    // Not invited: nobody of the collectivity may add a stage, even an organiser.
    const refused = await createStage(outsider, series.id, eventInput());
    expect(refused).toMatchObject({ ok: false, status: 403 });

    const invite = await app.request(`/evenements/series/${series.slug}/gestion`, {
      ...form({ intent: "invite", collectivity: "Beauvais (60057)" }),
      cookie: await loginCookie(seriesOrganiser.id),
    });
    expect(invite.status).toBe(302);

    // Invited but not yet accepted: the member waits; only the référent may answer.
    const early = await createStage(member, series.id, eventInput());
    expect(early).toMatchObject({ ok: false, status: 403 });
    const byMember = await app.request(`/evenements/series/${series.slug}`, {
      ...form({ intent: "accept", collectivityCode: "60057" }),
      cookie: await loginCookie(member.id),
    });
    expect(byMember.status).toBe(403);
    const byOutsider = await decideInvitation(outsider, series.id, "60057", "accept");
    expect(byOutsider).toMatchObject({ ok: false, status: 403 });

    const accepted = await app.request(`/evenements/series/${series.slug}`, {
      ...form({ intent: "accept", collectivityCode: "60057" }),
      cookie: await loginCookie(referent.id),
    });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toContain("invitation=accepted");

    // The member (without the organiser role) creates the stage through the page, without JS.
    const memberCookie = await loginCookie(member.id);
    const page = await app.request(`/evenements/series/${series.slug}/etape`, {
      cookie: memberCookie,
    });
    expect(await page.text()).toContain("Enregistrer l&#x27;étape");
    const created = await app.request(`/evenements/series/${series.slug}/etape`, {
      ...form({
        title: "Étape de Beauvais",
        description: "",
        themes: "inclusion-mediation",
        format: "presentiel",
        startsAt: "2027-03-12T09:00",
        endsAt: "2027-03-12T17:00",
        commune: "Beauvais (60057)",
        venue: "Hôtel de ville",
        capacity: "40",
        status: "published",
      }),
      cookie: memberCookie,
    });
    expect(created.status).toBe(302);
    expect(created.headers.get("location")).toMatch(/^\/evenements\/etape-de-beauvais/);

    // Bad input: French errors on the fields, 400, nothing created.
    const invalid = await app.request(`/evenements/series/${series.slug}/etape`, {
      ...form({ title: "Ét", format: "presentiel", startsAt: "demain", status: "published" }),
      cookie: await loginCookie(referent.id),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain("Le titre doit compter au moins 5 caractères.");

    // One stage per host: a colleague finds the first one instead of making a twin.
    const twin = await createStage(referent, series.id, eventInput());
    expect(twin).toMatchObject({ ok: false, status: 409 });
    // The outsider's collectivity was never invited.
    const outsiderPage = await app.request(`/evenements/series/${series.slug}/etape`, {
      ...form({
        title: "Étape de Vannes",
        themes: "inclusion-mediation",
        format: "presentiel",
        startsAt: "2027-04-02T14:00",
        endsAt: "2027-04-02T18:00",
        commune: "Vannes (56260)",
        venue: "Mairie",
        status: "published",
      }),
      cookie: await loginCookie(outsider.id),
    });
    expect(outsiderPage.status).toBe(403);

    const api = (await (await app.request(`/api/v1/event-series/${series.slug}`)).json()) as {
      stages: Array<{ title: string }>;
    };
    expect(api.stages.map((stage) => stage.title)).toEqual(["Étape de Beauvais"]);
  });

  test("le référent d'une collectivité invitée à accueillir une étape est notifié, dans le site et par courriel", async () => {
    const series = await newSeries("draft");
    const referent = await createTestUser({ collectivityCode: "56260", referent: true });
    const member = await createTestUser({ collectivityCode: "56260" });
    const socket = await connect(app, { cookie: await loginCookie(referent.id) });
    const pushed = nextEvent<{ kind: string; url: string }>(socket, "notification:created");
    const invite = await app.request(`/evenements/series/${series.slug}/gestion`, {
      ...form({ intent: "invite", collectivity: "Vannes (56260)" }),
      cookie: await loginCookie(seriesOrganiser.id),
    });
    expect(invite.status).toBe(302);
    const url = `/evenements/series/${series.slug}`;
    expect(await pushed).toMatchObject({ kind: "series-invitation", url });
    socket.close();

    const received = await db
      .select({ userId: notifications.userId, text: notifications.text, url: notifications.url })
      .from(notifications)
      .where(eq(notifications.kind, "series-invitation"));
    // Only the référent answers: the other members are not bothered.
    expect(received.filter((row) => row.url === url)).toEqual([
      { userId: referent.id, text: expect.stringContaining("Vannes"), url },
    ]);
    expect(received.some((row) => row.userId === member.id)).toBe(false);
    const [mail] = await db
      .select({ subject: mailOutbox.subject, text: mailOutbox.text })
      .from(mailOutbox)
      .where(eq(mailOutbox.userId, referent.id));
    expect(mail?.subject).toContain("Invitation à accueillir une étape");
    expect(mail?.text).toContain(`${app.origin}${url}`);
    expect(mail?.text).toContain("référent·e d'une collectivité invitée");

    // The link leads the référent (the series is still a draft) to the answer form.
    const page = await app.request(url, { cookie: await loginCookie(referent.id) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Accepter l&#x27;invitation");
  });

  test("la page et l'API d'une étape nomment son cycle, avec le lien vers le programme, tant qu'elle y est rattachée", async () => {
    const series = await newSeries();
    const host = await acceptedHost(series.id, "60057");
    const stage = await stageOf(host.member, series.id, { communeCode: "60057" });
    const programme = `/evenements/series/${series.slug}`;
    const named = (title: string) =>
      new RegExp(`Étape de la série «\u00a0<a [^>]*href="${programme}">${title}</a>\u00a0»`);
    const pageOf = async () =>
      (await (await app.request(`/evenements/${stage.slug}`)).text()).replaceAll("<!-- -->", "");

    await updateSeries(seriesOrganiser, series.id, {
      title: "Assises du numérique 2027",
      description: "",
      status: "published",
    });
    expect(await pageOf()).toMatch(named("Assises du numérique 2027"));
    const api = (await (await app.request(`/api/v1/events/${stage.id}`)).json()) as {
      series: unknown;
    };
    expect(api.series).toEqual({
      slug: series.slug,
      title: "Assises du numérique 2027",
      url: `${app.origin}${programme}`,
    });

    // The page, kept in the cache for visitors, follows a new title, then the detachment.
    await updateSeries(seriesOrganiser, series.id, {
      title: "Assises territoriales 2027",
      description: "",
      status: "published",
    });
    expect(await pageOf()).toMatch(named("Assises territoriales 2027"));
    expect((await detachStage(seriesOrganiser, series.id, stage.id)).ok).toBe(true);
    expect(await pageOf()).not.toContain("Étape de la série");
    const detached = (await (await app.request(`/api/v1/events/${stage.id}`)).json()) as {
      series: unknown;
    };
    expect(detached.series).toBeNull();
  });

  test("les avis en tête de page du cycle et de l'étape : action faite, brouillon, annulation", async () => {
    const series = await newSeries("draft");
    const host = await acceptedHost(series.id, "60057");
    const stage = await stageOf(host.member, series.id, { communeCode: "60057" });
    const text = async (path: string, userId: string) =>
      (await (await app.request(path, { cookie: await loginCookie(userId) })).text()).replaceAll(
        "<!-- -->",
        "",
      );
    const seriesPage = await text(
      `/evenements/series/${series.slug}?invitation=accepted`,
      seriesOrganiser.id,
    );
    expect(seriesPage).toMatch(
      /<div class="alert alert--success" role="status">Invitation acceptée : les membres/,
    );
    expect(seriesPage).toMatch(
      /<div class="alert alert--info" role="status">Brouillon : la page sera publique/,
    );

    expect((await updateEvent(host.member, stage.id, { status: "cancelled" })).ok).toBe(true);
    const stagePage = await text(`/evenements/${stage.slug}?inscription=annulee`, host.member.id);
    expect(stagePage).toMatch(
      /<div class="alert alert--success" role="status">Votre inscription est annulée.<\/div>/,
    );
    expect(stagePage).toMatch(
      /<div class="alert alert--error" role="alert">Cet événement est annulé. Les inscriptions sont fermées.<\/div>/,
    );
    expect(stagePage).not.toContain("alert--info");
  });

  test("l'organisateur d'une étape gère la sienne mais ne peut pas modifier une autre étape", async () => {
    const series = await newSeries();
    const beauvais = await acceptedHost(series.id, "60057");
    const vannes = await acceptedHost(series.id, "56260");
    const mine = await stageOf(beauvais.member, series.id, { communeCode: "60057" });
    const theirs = await stageOf(vannes.member, series.id, { communeCode: "56260" });

    expect(await canManage(beauvais.member, mine.id)).toBe(true);
    expect((await updateEvent(beauvais.member, mine.id, { capacity: 30 })).ok).toBe(true);
    expect(await updateEvent(beauvais.member, theirs.id, { capacity: 1 })).toMatchObject({
      ok: false,
      status: 403,
    });
    const token = await apiToken(beauvais.member.id);
    const patched = await apiRequest(app, `/api/v1/events/${theirs.id}`, token, {
      method: "PATCH",
      body: JSON.stringify({ title: "Étape détournée" }),
    });
    expect(patched.status).toBe(403);
    const page = await app.request(`/evenements/${theirs.slug}/gestion`, {
      cookie: await loginCookie(beauvais.member.id),
    });
    expect(page.status).toBe(403);

    // Only the organiser of the series detaches a stage; a host's member cannot.
    const detachByHost = await app.request(`/evenements/series/${series.slug}/gestion`, {
      ...form({ intent: "detach", eventId: theirs.id }),
      cookie: await loginCookie(beauvais.member.id),
    });
    expect(detachByHost.status).toBe(403);
    const detached = await app.request(`/evenements/series/${series.slug}/gestion`, {
      ...form({ intent: "detach", eventId: theirs.id }),
      cookie: await loginCookie(seriesOrganiser.id),
    });
    expect(detached.status).toBe(302);
    // Detached, the stage stays its host's: its members keep managing it.
    expect(await canManage(vannes.member, theirs.id)).toBe(true);
    // Leaving the host collectivity ends the right to manage the stage.
    const { decideMembership } = await import("../../app/models/collectivities.server");
    await decideMembership(admin, "60057", beauvais.member.id, "remove");
    expect(await canManage(beauvais.member, mine.id)).toBe(false);
  });

  test("l'inscription à une étape tient sa jauge", async () => {
    const series = await newSeries();
    const host = await acceptedHost(series.id, "60057");
    const stage = await stageOf(host.member, series.id, { capacity: 2 });
    const people = await Promise.all(
      Array.from({ length: 6 }, () => createTestUser({ collectivityCode: "70299" })),
    );
    const tokens = await Promise.all(people.map((person) => apiToken(person.id)));
    const responses = await Promise.all(
      tokens.map((token) =>
        apiRequest(app, `/api/v1/events/${stage.id}/registrations`, token, { method: "POST" }),
      ),
    );
    expect(responses.every((response) => response.status === 201)).toBe(true);
    const rows = await db
      .select({ status: eventRegistrations.status })
      .from(eventRegistrations)
      .where(eq(eventRegistrations.eventId, stage.id));
    expect(rows.filter((row) => row.status === "confirmed")).toHaveLength(2);
    expect(rows.filter((row) => row.status === "waitlisted")).toHaveLength(4);
    const api = (await (await app.request(`/api/v1/event-series/${series.slug}`)).json()) as {
      stages: Array<{ id: string; placesLeft: number }>;
    };
    expect(api.stages.find((item) => item.id === stage.id)?.placesLeft).toBe(0);
  });

  test("l'API décrit le cycle et ses étapes ; un brouillon n'est visible que de ceux qui le préparent", async () => {
    const series = await newSeries("draft");
    const host = await acceptedHost(series.id, "97101");
    const stage = await stageOf(host.member, series.id, {
      communeCode: "97101",
      venue: "Mairie des Abymes",
      startsAt: "2027-05-20T09:00",
      endsAt: "2027-05-20T12:00",
      capacity: 50,
    });
    const path = `/api/v1/event-series/${series.slug}`;
    expect((await app.request(path)).status).toBe(404);
    expect((await app.request(`/evenements/series/${series.slug}`)).status).toBe(404);
    expect((await app.request(`/evenements/series/${series.slug}.ics`)).status).toBe(404);
    const stranger = await createTestUser({ collectivityCode: "56260" });
    expect((await apiRequest(app, path, await apiToken(stranger.id))).status).toBe(404);
    // The host's members prepare their stage before the programme goes out.
    expect((await apiRequest(app, path, await apiToken(host.member.id))).status).toBe(200);

    const publish = await app.request(`/evenements/series/${series.slug}/gestion`, {
      ...form({
        intent: "edit",
        title: "Assises de l'API 2027",
        description: "",
        status: "published",
      }),
      cookie: await loginCookie(seriesOrganiser.id),
    });
    expect(publish.status).toBe(302);
    const response = await app.request(path);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown> & {
      stages: Array<Record<string, unknown>>;
    };
    expect(body).toMatchObject({
      id: series.id,
      slug: series.slug,
      title: "Assises de l'API 2027",
      status: "published",
      url: `${app.origin}/evenements/series/${series.slug}`,
      calendarUrl: `${app.origin}/evenements/series/${series.slug}.ics`,
      hosts: [{ code: "97101", name: "Les Abymes" }],
    });
    expect(body.stages).toHaveLength(1);
    expect(body.stages[0]).toMatchObject({
      id: stage.id,
      slug: stage.slug,
      startsAt: "2027-05-20T13:00:00.000Z",
      endsAt: "2027-05-20T16:00:00.000Z",
      timeZone: "America/Guadeloupe",
      capacity: 50,
      placesLeft: 50,
      place: {
        venue: "Mairie des Abymes",
        commune: { code: "97101", name: "Les Abymes" },
        department: { code: "971", name: "Guadeloupe" },
        region: { code: "01", name: "Guadeloupe" },
      },
      host: { code: "97101", name: "Les Abymes" },
      links: {
        page: `${app.origin}/evenements/${stage.slug}`,
        calendar: `${app.origin}/evenements/${stage.slug}.ics`,
        registrations: `${app.origin}/api/v1/events/${stage.id}/registrations`,
      },
    });
    expect((await app.request(path, { method: "POST" })).status).toBe(405);
    expect((await app.request("/api/v1/event-series/inconnu")).status).toBe(404);

    const openapi = (await (await app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    expect(openapi.paths).toHaveProperty("/api/v1/event-series/{slug}");

    const page = await app.request(`/evenements/series/${series.slug}`);
    expect(page.status).toBe(200);
    const html = (await page.text()).replaceAll("<!-- -->", "");
    expect(html).toContain("Guadeloupe (971)");
    expect(html).toContain("heure de la Guadeloupe");
    const map = await app.request(`/evenements/series/${series.slug}/carte.svg`);
    expect(map.headers.get("content-type")).toContain("image/svg+xml");
  });

  test("la gestion d'un cycle est réservée à son organisation et refuse une collectivité inconnue en français", async () => {
    const series = await newSeries();
    const other = await createTestUser({ collectivityCode: "56260", roles: ["organiser"] });
    const forbidden = await app.request(`/evenements/series/${series.slug}/gestion`, {
      ...form({ intent: "invite", collectivity: "Vannes (56260)" }),
      cookie: await loginCookie(other.id),
    });
    expect(forbidden.status).toBe(403);
    const unknown = await app.request(`/evenements/series/${series.slug}/gestion`, {
      ...form({ intent: "invite", collectivity: "Commune qui n'existe pas" }),
      cookie: await loginCookie(seriesOrganiser.id),
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Collectivité introuvable dans l&#x27;annuaire.");
    const notOrganiser = await createSeries(await createTestUser({ collectivityCode: "56260" }), {
      title: "Cycle sans rôle",
      description: "",
      status: "draft",
    });
    expect(notOrganiser).toMatchObject({ ok: false, status: 403 });
    const anonymous = await app.request(`/evenements/series/${series.slug}`, {
      ...form({ intent: "accept", collectivityCode: "60057" }),
    });
    expect([302, 401, 403]).toContain(anonymous.status);
  });

  test("la démonstration charge un cycle de trois étapes dans trois départements, dont une outre-mer", async () => {
    const { demoAccounts } = await import("../../scripts/seed/demo-accounts");
    const { demoEventSeries } = await import("../../scripts/seed/event-series");
    await demoAccounts(db);
    expect(await demoEventSeries(db)).toBe("1 cycle, 3 étapes");
    const body = (await (
      await app.request("/api/v1/event-series/assises-territoriales-de-l-identite-numerique-2027")
    ).json()) as {
      stages: Array<{ timeZone: string; place: { department: { code: string } } }>;
    };
    expect(body.stages.map((stage) => stage.place.department.code).sort()).toEqual([
      "56",
      "70",
      "971",
    ]);
    expect(body.stages.map((stage) => stage.timeZone)).toContain("America/Guadeloupe");
  });
});
