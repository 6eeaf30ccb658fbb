import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { updateEvent } from "~/models/event-editing.server";
import { seriesOfStage } from "~/models/event-series.server";
import { getEvent } from "~/models/events.server";
import {
  apiFailure,
  apiRateLimit,
  methodNotAllowed,
  notFound,
  readJsonBody,
} from "~/utils/api.server";
import { requirePublisher } from "~/utils/auth.server";
import { eventItem, expectedVersion, patchFromApi } from "~/utils/event-api.server";
import { EventPatchApiSchema } from "~/utils/event-schemas";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const event = await getEvent({ id: params.id ?? "" }, viewer);
  if (!event) return notFound();
  const origin = new URL(request.url).origin;
  const series = await seriesOfStage(event.id, viewer);
  return Response.json({
    ...eventItem(event, origin),
    description: event.description,
    venue: event.venue,
    onlineUrl: event.onlineUrl,
    programme: event.programme,
    initiativeIds: event.initiativeIds,
    version: event.sequence,
    registration: event.registration
      ? { status: event.registration.status, position: event.registration.position ?? undefined }
      : null,
    // A stage of a series names it, with the link to its programme.
    series: series
      ? {
          slug: series.slug,
          title: series.title,
          url: `${origin}/evenements/series/${series.slug}`,
        }
      : null,
  });
}

/**
 * PATCH: organisers of the event (403 for others who can see it, 404 otherwise). With the
 * `version` read by GET (in the body or as `If-Match: "3"`), a save made since gives a 409.
 */
export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "PATCH") return methodNotAllowed(["GET", "PATCH"]);
  const user = requirePublisher(args);
  const body = await readJsonBody(args.request, EventPatchApiSchema);
  const version = expectedVersion(args.request, body.version);
  if (version instanceof Response) return version;
  const limited = await apiRateLimit("event-write", user.id);
  if (limited) return limited;
  const updated = await updateEvent(user, args.params.id ?? "", patchFromApi(body), { version });
  if (!updated.ok) return apiFailure(updated);
  const origin = new URL(args.request.url).origin;
  return Response.json({
    id: updated.value.id,
    slug: updated.value.slug,
    url: `${origin}/evenements/${updated.value.slug}`,
    version: updated.value.version,
  });
}
