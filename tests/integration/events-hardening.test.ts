import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { updateEvent } from "../../app/models/event-editing.server";
import { cancelRegistration, register } from "../../app/models/event-registrations.server";
import type { EventInput } from "../../app/models/events.server";
import { logger } from "../../app/utils/logger.server";
import { consume } from "../../app/utils/rate-limit.server";
import { db } from "../../db/client";
import { events, notifications } from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { searchEventIds } from "../../search/events";
import { ensureIndexes, processOutboxBatch } from "../../search/indexer";
import "../../search/indexes";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { apiRequest, createTestEvent } from "../helpers/events";
import { apiToken, createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
type TestUser = Awaited<ReturnType<typeof createTestUser>>;
let organiser: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  organiser = await createTestUser({ collectivityCode: "60057", roles: ["organiser"] });
});
afterAll(async () => app.close());

const newEvent = (overrides: Partial<EventInput> = {}, by: TestUser = organiser) =>
  createTestEvent(by, overrides);

/** The page's text as a reader sees it: React's comments and entities undone. */
async function pageText(response: Response) {
  return (await response.text())
    .replaceAll("<!-- -->", "")
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&");
}

const api = (path: string, token: string, init?: RequestInit) => apiRequest(app, path, token, init);

async function storedEvent(id: string) {
  const [row] = await db.select().from(events).where(eq(events.id, id));
  return row!;
}

/**
 * What the rendered page shows, not the serialised loader and action data it also carries:
 * messages in alerts and under fields, a textarea's text.
 */
const shown = {
  errors: (html: string) =>
    [...html.matchAll(/<p(?: class="field-error")?>([^<]*)<\/p>/g)].map((m) => m[1]!),
  alert: (html: string) => /role="alert"[^>]*>(.*?)<\/div>/s.exec(html)?.[1] ?? "",
  textarea: (html: string, name: string) =>
    new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1],
};

const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1];

/** What the edit form of an event made by `newEvent` sends, as typed in the browser. */
const editForm = (version: string, overrides: Record<string, string> = {}) =>
  form({
    title: "Atelier des deux onglets",
    description: "",
    themes: "inclusion-mediation",
    format: "presentiel",
    startsAt: "2027-06-10T14:00",
    endsAt: "2027-06-10T16:00",
    commune: "Beauvais (60057)",
    venue: "Hôtel de ville, 1 rue Desgroux",
    capacity: "10",
    status: "published",
    version,
    ...overrides,
  });

describe("rien n'est écrasé en silence (version)", () => {
  test("deux onglets modifient le même événement : le second reçoit 409, voit ce qui a changé et garde sa saisie", async () => {
    const event = await newEvent({
      title: "Atelier des deux onglets",
      startsAt: "2027-06-10T14:00",
      endsAt: "2027-06-10T16:00",
    });
    const cookie = await loginCookie(organiser.id);
    const path = `/evenements/${event.slug}/modifier`;
    // Both tabs open the form at the same version.
    const version = versionIn(await pageText(await app.request(path, { cookie })))!;
    expect(version).toBeDefined();

    const first = await app.request(path, { ...editForm(version, { capacity: "25" }), cookie });
    expect(first.status).toBe(302);

    const mine = "Un long texte de présentation que l'organisatrice ne veut pas perdre.";
    const second = await app.request(path, {
      ...editForm(version, { title: "Atelier des deux onglets, salle B", description: mine }),
      cookie,
    });
    expect(second.status).toBe(409);
    const html = await pageText(second);
    expect(shown.alert(html)).toContain(
      "Cet événement a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert (titre, présentation, jauge).",
    );
    expect(shown.errors(html)).toEqual(
      expect.arrayContaining([
        "Version enregistrée entre-temps : 25.",
        "Version enregistrée entre-temps : « Atelier des deux onglets ».",
      ]),
    );
    // What the organiser typed is still in the form, without JavaScript.
    expect(shown.textarea(html, "description")).toBe(mine);
    expect(html).toContain('value="Atelier des deux onglets, salle B"');
    let stored = await storedEvent(event.id);
    expect(stored.title).toBe("Atelier des deux onglets");
    expect(stored.capacity).toBe(25);

    // The form now carries the version the organiser has seen: saving again is deliberate.
    const seen = versionIn(html)!;
    expect(Number(seen)).toBe(Number(version) + 1);
    const third = await app.request(path, {
      ...editForm(seen, { title: "Atelier des deux onglets, salle B", description: mine }),
      cookie,
    });
    expect(third.status).toBe(302);
    stored = await storedEvent(event.id);
    expect(stored.title).toBe("Atelier des deux onglets, salle B");
    expect(stored.description).toBe(mine);
  });

  test("l'API refuse (409) une modification fondée sur une version dépassée, par le corps ou If-Match", async () => {
    const event = await newEvent({ capacity: 10 });
    const token = await apiToken(organiser.id);
    const read = (await (await api(`/api/v1/events/${event.id}`, token)).json()) as {
      version: number;
    };
    const version = read.version;
    const saved = await api(`/api/v1/events/${event.id}`, token, {
      method: "PATCH",
      body: JSON.stringify({ capacity: 30, version }),
    });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { version: number }).version).toBe(version + 1);

    const late = await api(`/api/v1/events/${event.id}`, token, {
      method: "PATCH",
      body: JSON.stringify({ capacity: 12, title: "Titre d'un client en retard", version }),
    });
    expect(late.status).toBe(409);
    const body = (await late.json()) as {
      error: { code: string; message: string; fields: Record<string, string[]> };
    };
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toMatch(/modifié par quelqu'un d'autre.*\(titre, jauge\)/);
    expect(body.error.fields.capacity).toEqual(["Version enregistrée entre-temps : 30."]);

    const ifMatch = await api(`/api/v1/events/${event.id}`, token, {
      method: "PATCH",
      headers: { "if-match": `"${version}"` },
      body: JSON.stringify({ capacity: 12 }),
    });
    expect(ifMatch.status).toBe(409);
    const garbled = await api(`/api/v1/events/${event.id}`, token, {
      method: "PATCH",
      headers: { "if-match": "pas-une-version" },
      body: JSON.stringify({ capacity: 12 }),
    });
    expect(garbled.status).toBe(400);
    expect((await storedEvent(event.id)).capacity).toBe(30);

    const current = await api(`/api/v1/events/${event.id}`, token, {
      method: "PATCH",
      headers: { "if-match": `"${version + 1}"` },
      body: JSON.stringify({ capacity: 12 }),
    });
    expect(current.status).toBe(200);
    expect((await storedEvent(event.id)).capacity).toBe(12);
  });
});

describe("page de gestion : formulaires validés, saisie gardée sans JavaScript", () => {
  test("un message invalide revient en 400 avec l'erreur sous le champ et le texte conservé", async () => {
    const event = await newEvent();
    const cookie = await loginCookie(organiser.id);
    const body = "Bonjour à toutes et à tous : le lieu change, rendez-vous salle B à 14 h.";
    const response = await app.request(`/evenements/${event.slug}/gestion`, {
      ...form({ intent: "message", subject: "Ok", body, audience: "all" }),
      cookie,
    });
    expect(response.status).toBe(400);
    const html = await pageText(response);
    expect(shown.errors(html)).toContain("L'objet doit compter au moins 3 caractères.");
    expect(shown.textarea(html, "body")).toBe(body);
    expect(html).toContain('name="audience" checked="" value="all"');

    const organiserForm = await app.request(`/evenements/${event.slug}/gestion`, {
      ...form({ intent: "add-organiser", email: "pas-une-adresse" }),
      cookie,
    });
    expect(organiserForm.status).toBe(400);
    const organiserHtml = await pageText(organiserForm);
    expect(shown.errors(organiserHtml)).toContain("Adresse électronique invalide.");
    expect(organiserHtml).toContain('value="pas-une-adresse"');

    const unconfirmed = await app.request(`/evenements/${event.slug}/gestion`, {
      ...form({ intent: "cancel-event" }),
      cookie,
    });
    expect(unconfirmed.status).toBe(400);
    expect(shown.errors(await pageText(unconfirmed))).toContain(
      "Cochez la case pour confirmer l'annulation.",
    );
    expect((await storedEvent(event.id)).status).toBe("published");
  });

  test("la jauge se modifie depuis la gestion, avec la même vérification de version", async () => {
    const event = await newEvent({ capacity: 10 });
    const cookie = await loginCookie(organiser.id);
    const path = `/evenements/${event.slug}/gestion`;
    const version = versionIn(await pageText(await app.request(path, { cookie })))!;
    const saved = await app.request(path, {
      ...form({ intent: "capacity", capacity: "40", version }),
      cookie,
    });
    expect(saved.status).toBe(302);
    const stale = await app.request(path, {
      ...form({ intent: "capacity", capacity: "15", version }),
      cookie,
    });
    expect(stale.status).toBe(409);
    const html = await pageText(stale);
    expect(shown.errors(html)).toContain("Version enregistrée entre-temps : 40.");
    expect(html).toContain('value="15"');
    expect((await storedEvent(event.id)).capacity).toBe(40);
  });
});

describe("limites de débit des événements (429, jamais 500)", () => {
  test("le sixième message aux inscrits en une heure répond 429 et garde le texte", async () => {
    const event = await newEvent();
    const cookie = await loginCookie(organiser.id);
    const message = (index: number) =>
      form({
        intent: "message",
        subject: `Point pratique ${index}`,
        body: `Rappel n° ${index} : accueil à 9 h.`,
        audience: "all",
      });
    for (let index = 1; index <= 5; index += 1) {
      const sent = await app.request(`/evenements/${event.slug}/gestion`, {
        ...message(index),
        cookie,
      });
      expect(sent.status).toBe(302);
    }
    const blocked = await app.request(`/evenements/${event.slug}/gestion`, {
      ...message(6),
      cookie,
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    const html = await pageText(blocked);
    expect(shown.alert(html)).toContain("Trop de tentatives");
    expect(shown.textarea(html, "body")).toBe("Rappel n° 6 : accueil à 9 h.");
  });

  test("au-delà de la limite, créer ou modifier un événement répond 429 (pages et API)", async () => {
    const busy = await createTestUser({ collectivityCode: "60057", roles: ["organiser"] });
    const event = await newEvent({}, busy);
    for (let index = 0; index < 30; index += 1) await consume("event-write", busy.id);
    const cookie = await loginCookie(busy.id);
    const token = await apiToken(busy.id);

    const created = await app.request("/evenements/nouveau", {
      ...form({
        title: "Atelier de trop",
        themes: "cybersecurite",
        format: "presentiel",
        startsAt: "2027-04-02T14:00",
        endsAt: "2027-04-02T17:00",
        commune: "Beauvais (60057)",
        venue: "Mairie",
        status: "published",
      }),
      cookie,
    });
    expect(created.status).toBe(429);
    expect(Number(created.headers.get("retry-after"))).toBeGreaterThan(0);
    const createdHtml = await pageText(created);
    expect(shown.alert(createdHtml)).toContain("Trop de tentatives");
    expect(createdHtml).toContain('value="Atelier de trop"');

    const page = await app.request(`/evenements/${event.slug}/modifier`, { cookie });
    const edited = await app.request(`/evenements/${event.slug}/modifier`, {
      ...editForm(versionIn(await pageText(page))!, { title: "Titre modifié de trop" }),
      cookie,
    });
    expect(edited.status).toBe(429);

    const posted = await api("/api/v1/events", token, {
      method: "POST",
      body: JSON.stringify({
        title: "Webinaire de trop",
        themes: ["cybersecurite"],
        format: "en-ligne",
        startsAt: "2027-03-12T18:00:00+01:00",
        endsAt: "2027-03-12T19:30:00+01:00",
        onlineUrl: "https://visio.exemple.fr/trop",
      }),
    });
    expect(posted.status).toBe(429);
    const patched = await api(`/api/v1/events/${event.id}`, token, {
      method: "PATCH",
      body: JSON.stringify({ capacity: 99 }),
    });
    expect(patched.status).toBe(429);
    expect(patched.headers.get("retry-after")).toBeTruthy();
    expect((await storedEvent(event.id)).capacity).toBe(10);
  });

  test("au-delà de la limite d'inscriptions, le formulaire de la page répond 429 en français", async () => {
    const event = await newEvent();
    const member = await createTestUser();
    for (let index = 0; index < 30; index += 1) await consume("event-registration", member.id);
    const response = await app.request(`/evenements/${event.slug}`, {
      ...form({ intent: "register" }),
      cookie: await loginCookie(member.id),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(shown.alert(await pageText(response))).toContain("Trop de tentatives");
  });
});

describe("exports, poussées après validation et recherche", () => {
  test("l'export CSV des inscrits neutralise aussi les formules en caractères pleine largeur", async () => {
    const event = await newEvent();
    const member = await createTestUser({ name: '＝HYPERLINK("https://exemple.fr")' });
    expect((await register(member, event.id)).ok).toBe(true);
    const csv = await app.request(`/evenements/${event.slug}/participants.csv`, {
      cookie: await loginCookie(organiser.id),
    });
    expect(csv.status).toBe(200);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // The BOM, so that spreadsheets read the accents (TextDecoder would hide it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(`"'＝HYPERLINK(""https://exemple.fr"")"`);
  });

  test("une poussée qui échoue est consignée après la validation, sans faire échouer l'écriture", async () => {
    const io = realtime()!;
    const warn = vi.spyOn(logger(), "warn");
    const broken = vi.spyOn(io, "to").mockImplementation(() => {
      throw new Error("adaptateur indisponible");
    });
    try {
      const event = await newEvent({ capacity: 1 });
      const [leaving, waiting] = await Promise.all([createTestUser(), createTestUser()]);
      expect((await register(leaving, event.id)).ok).toBe(true);
      expect((await register(waiting, event.id)).ok).toBe(true);
      // The promotion is saved and its notification push failed before the call returned.
      expect(await cancelRegistration(leaving, event.id)).toEqual({
        ok: true,
        value: { promoted: 1 },
      });
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ push: "notification", err: "adaptateur indisponible" }),
        "post-commit push failed",
      );
      const saved = await db
        .select()
        .from(notifications)
        .where(eq(notifications.userId, waiting.id));
      expect(saved.map((n) => n.kind)).toEqual(["event-promoted"]);
      // The places count, debounced, is pushed a moment later: its failure is logged too.
      await vi.waitFor(() =>
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({ push: "event:places", err: "adaptateur indisponible" }),
          "post-commit push failed",
        ),
      );
    } finally {
      broken.mockRestore();
      warn.mockRestore();
    }
  });

  test("un événement repassé en brouillon n'est plus trouvé, même tant que l'index le contient", async () => {
    await ensureIndexes();
    const event = await newEvent({ title: "Forum des tiers-lieux numériques de l'Oise" });
    while ((await processOutboxBatch()) > 0) {
      // drain the outbox into Meilisearch
    }
    const search = "/evenements?q=forum%20tiers-lieux";
    expect(await pageText(await app.request(search))).toContain(
      "Forum des tiers-lieux numériques de l'Oise",
    );
    expect((await updateEvent(organiser, event.id, { status: "draft" })).ok).toBe(true);
    // The index has not heard of it yet: PostgreSQL decides what is shown.
    expect(await searchEventIds("forum tiers-lieux")).toContain(event.id);
    const html = await pageText(
      await app.request(search, { cookie: await loginCookie(organiser.id) }),
    );
    expect(html).not.toContain("Forum des tiers-lieux numériques de l'Oise");
  });
});
