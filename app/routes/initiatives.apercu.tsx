import type { ActionFunctionArgs } from "@remix-run/node";

import { apiError, apiRateLimit } from "~/utils/api.server";
import { getUser } from "~/utils/auth.server";
import { bodySchema } from "~/utils/initiative-schemas";
import { renderMarkdown } from "~/utils/markdown.server";

/** Live preview of the form: the very function that renders published pages. */
export async function action(args: ActionFunctionArgs) {
  // A background request: a redirect to the login page would drag the whole page (and the text
  // being typed) away when the session expired, so the preview just stops.
  const user = getUser(args);
  if (!user) return apiError(401, "unauthorized", "Session expirée : reconnectez-vous.");
  // Rendering costs CPU: a script must not turn the preview into a free markdown service.
  const limited = await apiRateLimit("markdown-preview", user.id);
  if (limited) return limited;
  const body = String((await args.request.formData()).get("body") ?? "");
  const checked = bodySchema.safeParse(body);
  if (!checked.success)
    return apiError(400, "bad_request", checked.error.issues[0]?.message ?? "Texte invalide.");
  return Response.json({ html: renderMarkdown(body) });
}

export const loader = () => new Response("Méthode non autorisée.", { status: 405 });
