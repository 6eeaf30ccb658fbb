import { createEvent } from "../../app/models/event-editing.server";
import type { EventInput } from "../../app/models/events.server";
import type { AuthUser } from "../../app/utils/auth.server";
import type { TestApp } from "./app";

// Whole minutes, as people enter them (and as iCalendar, to the second, carries them).
export const inDays = (days: number) =>
  new Date(Math.floor((Date.now() + days * 86_400_000) / 60_000) * 60_000);
export const iso = (date: Date) => date.toISOString();

/** A published workshop in Beauvais in ten days, 10 places; `overrides` change any field. */
export function eventInput(overrides: Partial<EventInput> = {}): EventInput {
  return {
    title: `Atelier numérique ${Math.random().toString(36).slice(2, 8)}`,
    description: "Un atelier **pratique**.",
    themes: ["inclusion-mediation"],
    format: "presentiel",
    startsAt: iso(inDays(10)),
    endsAt: iso(new Date(inDays(10).getTime() + 3 * 3_600_000)),
    registrationDeadline: null,
    venue: "Hôtel de ville, 1 rue Desgroux",
    communeCode: "60057",
    onlineUrl: null,
    capacity: 10,
    status: "published",
    programme: [],
    initiativeIds: [],
    ...overrides,
  };
}

/** Creates an event through the model, as an organiser would. */
export async function createTestEvent(by: AuthUser, overrides: Partial<EventInput> = {}) {
  const result = await createEvent(by, eventInput(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.value;
}

/** A request of an API client: bearer token, JSON body, no Origin header. */
export function apiRequest(app: TestApp, path: string, token: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  if (init.body) headers.set("content-type", "application/json");
  return app.request(path, { ...init, headers, origin: null });
}
