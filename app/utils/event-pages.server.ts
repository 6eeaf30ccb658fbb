import type { LoaderFunctionArgs } from "@remix-run/node";

import { getEvent } from "../models/events.server";
import { requireUser } from "./auth.server";
import { invariantResponse } from "./replies.server";

/**
 * The event of an organiser's page (`/evenements/:slug/…`): 404 when the viewer cannot see it
 * (the same answer as a missing one), 403 with `forbidden` when they see it but do not manage it.
 */
export async function requireManagedEvent(args: LoaderFunctionArgs, forbidden: string) {
  const user = requireUser(args);
  const event = await getEvent({ slug: args.params.slug ?? "" }, user);
  invariantResponse(event, "Événement introuvable.");
  invariantResponse(event.canManage, forbidden, 403);
  return { user, event };
}
