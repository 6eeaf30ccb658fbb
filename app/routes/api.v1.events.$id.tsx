import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { updateEvent } from "~/models/event-editing.server";
import { getEvent, type EventInput } from "~/models/events.server";
import { apiFailure, methodNotAllowed, notFound, readJsonBody } from "~/utils/api.server";
import { requireUser } from "~/utils/auth.server";
import { eventItem } from "~/utils/event-api.server";
import { EventPatchApiSchema } from "~/utils/event-schemas";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const event = await getEvent({ id: params.id ?? "" }, context.auth.user);
  if (!event) return notFound();
  const origin = new URL(request.url).origin;
  return Response.json({
    ...eventItem(event, origin),
    description: event.description,
    venue: event.venue,
    onlineUrl: event.onlineUrl,
    programme: event.programme,
    initiativeIds: event.initiativeIds,
    registration: event.registration
      ? { status: event.registration.status, position: event.registration.position ?? undefined }
      : null,
  });
}

/** PATCH: organisers of the event (403 for others who can see it, 404 otherwise). */
export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "PATCH") return methodNotAllowed(["GET", "PATCH"]);
  const user = requireUser(args);
  const body = await readJsonBody(args.request, EventPatchApiSchema);
  const patch: Omit<Partial<EventInput>, "status"> & {
    status?: "draft" | "published" | "cancelled";
  } = {};
  for (const [key, value] of Object.entries(body)) {
    if (value !== undefined) (patch as Record<string, unknown>)[key] = value;
  }
  const updated = await updateEvent(user, args.params.id ?? "", patch);
  if (!updated.ok) return apiFailure(updated);
  const origin = new URL(args.request.url).origin;
  return Response.json({
    id: updated.value.id,
    slug: updated.value.slug,
    url: `${origin}/evenements/${updated.value.slug}`,
  });
}
