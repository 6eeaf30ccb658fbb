import type { LoaderFunctionArgs } from "@remix-run/node";

import { listCategories } from "~/models/forums.server";
import { methodNotAllowed } from "~/utils/api.server";
import { optionalApiViewer } from "~/utils/forum-api.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = optionalApiViewer(context);
  const origin = new URL(request.url).origin;
  const categories = await listCategories(viewer);
  return Response.json({
    items: categories.map((c) => ({
      slug: c.slug,
      title: c.title,
      description: c.description,
      restricted: c.requiredRole !== null,
      topics: c.topics,
      posts: c.posts,
      lastActivityAt: c.lastTopic ? c.lastActivityAt : null,
      url: `${origin}/forums/${c.slug}`,
    })),
  });
}

export const action = () => methodNotAllowed(["GET"]);
