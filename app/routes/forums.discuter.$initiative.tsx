import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

import { openInitiativeTopic } from "~/models/forums.server";
import { getInitiative } from "~/models/initiatives.server";
import { requireUser } from "~/utils/auth.server";

/**
 * "Discuter de cette initiative": opens (or finds) the initiative's forum topic and goes there.
 * A POST from the initiative page, so it works without JavaScript.
 */
export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const slug = args.params.initiative ?? "";
  const initiative = await getInitiative({ slug, viewer: user });
  if (!initiative || initiative.status !== "published") {
    throw new Response("Initiative introuvable.", { status: 404 });
  }
  const opened = await openInitiativeTopic(user, {
    id: initiative.id,
    title: initiative.title,
    url: `/initiatives/${initiative.slug}`,
  });
  if (!opened.ok) {
    throw new Response(opened.formError ?? "Impossible d'ouvrir la discussion.", {
      status: opened.status,
    });
  }
  return redirect(opened.value.path);
}

export const loader = () => {
  throw new Response("Utilisez le bouton « Discuter de cette initiative ».", { status: 405 });
};
