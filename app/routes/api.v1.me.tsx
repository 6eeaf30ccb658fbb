import type { LoaderFunctionArgs } from "@remix-run/node";

import { getProfile } from "~/models/accounts.server";
import { methodNotAllowed, notFound } from "~/utils/api.server";
import { requireUser } from "~/utils/auth.server";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const profile = await getProfile(user.id);
  if (!profile) return notFound();
  return Response.json(profile);
}

export const action = () => methodNotAllowed(["GET"]);
