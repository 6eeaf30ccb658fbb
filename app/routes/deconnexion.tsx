import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

import { blankSessionCookie, endSession } from "~/utils/auth.server";

export async function loader() {
  // Signing out changes state, so it is a POST only (a GET link could be triggered by any page).
  throw new Response("Utilisez le bouton « Se déconnecter ».", {
    status: 405,
    headers: { Allow: "POST" },
  });
}

export async function action({ context }: ActionFunctionArgs) {
  const session = context.auth.session;
  const cookie = session ? await endSession(session.id) : blankSessionCookie();
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}
