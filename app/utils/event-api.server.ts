import type { z } from "zod";

import { placesLeft } from "../models/event-waitlist.server";
import type { EventInput, EventSummary } from "../models/events.server";
import type { EventCreateApiSchema } from "./event-schemas";

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
