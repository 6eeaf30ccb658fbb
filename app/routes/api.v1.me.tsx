import type { LoaderFunctionArgs } from "@remix-run/node";

import { getProfile } from "~/models/accounts.server";
import { unreadNotificationCount } from "~/models/notifications.server";
import { methodNotAllowed, notFound } from "~/utils/api.server";
import { requireUser } from "~/utils/auth.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const [profile, unreadNotifications] = await Promise.all([
    getProfile(user.id),
    unreadNotificationCount(user.id),
  ]);
  if (!profile) return notFound();
  // The page's badge reads it back after a reconnection, when live notifications may have been missed.
  return Response.json({ ...profile, unreadNotifications });
}

export const action = () => methodNotAllowed(["GET"]);
