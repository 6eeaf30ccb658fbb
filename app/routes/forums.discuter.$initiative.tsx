import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { openInitiativeTopic } from "~/models/forum-posts.server";
import { getInitiative } from "~/models/initiatives.server";
import { requirePublisher } from "~/utils/auth.server";
import { keepActionHeaders } from "~/utils/headers";
import { RateLimitedError, unlessRateLimited } from "~/utils/rate-limit.server";
import { invariantResponse, retryAfterHeaders } from "~/utils/replies.server";

/**
 * "Discuter de cette initiative": opens (or finds) the initiative's forum topic and goes there.
 * A POST from the initiative page, so it works without JavaScript.
 */
export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  const slug = args.params.initiative ?? "";
  const initiative = await getInitiative({ slug, viewer: user });
  invariantResponse(initiative?.status === "published", "Initiative introuvable.");
  const opened = await unlessRateLimited(() =>
    openInitiativeTopic(user, {
      id: initiative.id,
      title: initiative.title,
      url: `/initiatives/${initiative.slug}`,
    }),
  );
  if (opened instanceof RateLimitedError) {
    throw new Response(opened.message, { status: 429, headers: retryAfterHeaders(opened) });
  }
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

export const headers = keepActionHeaders;

/**
 * Never rendered (the loader always answers 405, the action redirects or fails), but a route with
 * a component and a boundary shows its failures as the site's French error page, with their
 * `Retry-After`, instead of bare text.
 */
export default function DiscussInitiative() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
