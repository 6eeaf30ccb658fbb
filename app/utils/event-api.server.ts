import type { z } from "zod";

import type { EventPatch } from "../models/event-input.server";
import { placesLeft } from "../models/event-places.server";
import type { EventInput, EventSummary } from "../models/events.server";
import { apiError } from "./api.server";
import type { EventCreateApiSchema, EventPatchApiSchema } from "./event-schemas";

/** The API's view of an event in lists (a public contract: fields may be added, never renamed). */
export function eventItem(event: EventSummary, origin: string) {
  return {
    id: event.id,
    slug: event.slug,
    title: event.title,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    timeZone: event.timeZone,
    format: event.format,
    status: event.status,
    themes: event.themes,
    collectivity: { code: event.collectivityCode, name: event.collectivityName },
    commune: event.communeCode ? { code: event.communeCode, name: event.communeName } : null,
    capacity: event.capacity,
    placesLeft: placesLeft(event),
    registrationDeadline: event.registrationDeadline?.toISOString() ?? null,
    url: `${origin}/evenements/${event.slug}`,
  };
}

export function inputFromApi(body: z.output<typeof EventCreateApiSchema>): EventInput {
  return {
    title: body.title,
    description: body.description,
    themes: body.themes,
    format: body.format,
    startsAt: body.startsAt,
    endsAt: body.endsAt,
    registrationDeadline: body.registrationDeadline ?? null,
    venue: body.venue ?? "",
    communeCode: body.communeCode ?? null,
    onlineUrl: body.onlineUrl ?? null,
    capacity: body.capacity ?? null,
    status: body.status,
    programme: body.programme ?? [],
    initiativeIds: body.initiativeIds ?? [],
    collectivityCode: body.collectivityCode ?? null,
  };
}

/** The fields a PATCH body sets (absent ones stay as they are), without its `version`. */
export function patchFromApi(body: z.output<typeof EventPatchApiSchema>): EventPatch {
  const { version: _version, ...fields } = body;
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) patch[key] = value;
  }
  return patch as EventPatch;
}

/**
 * The version an API client based its change on: the body's `version`, else `If-Match` holding
 * it (`"3"`, `W/"3"` or `3`; `*` means any); a 400 answer when If-Match says something else.
 */
export function expectedVersion(
  request: Request,
  bodyVersion?: number,
): number | undefined | Response {
  if (bodyVersion !== undefined) return bodyVersion;
  const header = request.headers.get("if-match")?.trim();
  if (!header || header === "*") return undefined;
  const match = /^(?:W\/)?"?(\d{1,10})"?$/.exec(header);
  if (!match) {
    return apiError(
      400,
      "bad_request",
      'En-tête If-Match invalide : indiquez la version lue avec GET, par exemple If-Match: "3".',
    );
  }
  return Number(match[1]);
}
