import type { ActionFunctionArgs } from "@remix-run/node";

import { cancelRegistration } from "~/models/event-registrations.server";
import { apiFailure, methodNotAllowed } from "~/utils/api.server";
import { requireUser } from "~/utils/auth.server";

export const loader = () => methodNotAllowed(["DELETE"]);

/** Cancels the token owner's registration; the first person waiting takes the place. */
export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "DELETE") return methodNotAllowed(["DELETE"]);
  const user = requireUser(args);
  const result = await cancelRegistration(user, args.params.id ?? "");
  if (!result.ok) return apiFailure(result);
  return Response.json({ status: "cancelled", promoted: result.value.promoted });
}
