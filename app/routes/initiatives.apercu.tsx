import type { ActionFunctionArgs } from "@remix-run/node";

import { requireUser } from "~/utils/auth.server";
import { renderMarkdown } from "~/utils/markdown.server";

/** Live preview of the form: the very function that renders published pages. */
export async function action(args: ActionFunctionArgs) {
  requireUser(args);
  const formData = await args.request.formData();
  return Response.json({ html: renderMarkdown(String(formData.get("body") ?? "")) });
}

export const loader = () => new Response("Méthode non autorisée.", { status: 405 });
