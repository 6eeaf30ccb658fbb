import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { createTopic } from "~/models/forum-posts.server";
import { getCategory, listTopics, topicPath } from "~/models/forums.server";
import {
  methodNotAllowed,
  apiFailure,
  notFound,
  readJsonBody,
  readQuery,
  withApiRateLimit,
} from "~/utils/api.server";
import { requirePublisher } from "~/utils/auth.server";
import { optionalApiViewer } from "~/utils/forum-api.server";
import { NewTopicSchema, TopicsQuerySchema } from "~/utils/forum-schemas";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = optionalApiViewer(context);
  const { page } = readQuery(request, TopicsQuerySchema);
  const category = await getCategory(viewer, params.category ?? "");
  if (!category) return notFound();
  const origin = new URL(request.url).origin;
  const { items, total } = await listTopics(viewer, category.id, page);
  return Response.json({
    items: items.map((t) => ({
      id: t.id,
      title: t.title,
      author: { name: t.authorName },
      pinned: t.pinned,
      locked: t.locked,
      posts: t.postCount,
      unread: t.unread,
      lastActivityAt: t.lastActivityAt,
      url: `${origin}${topicPath(category.slug, t)}`,
    })),
    total,
    page,
  });
}

export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const user = requirePublisher(args);
  const input = await readJsonBody(args.request, NewTopicSchema);
  const idempotencyKey = args.request.headers.get("idempotency-key")?.slice(0, 64) ?? null;
  const result = await withApiRateLimit(() =>
    createTopic(user, { ...input, categorySlug: args.params.category ?? "", idempotencyKey }),
  );
  if (result instanceof Response) return result;
  if (!result.ok) return apiFailure(result);
  const origin = new URL(args.request.url).origin;
  return Response.json(
    { id: result.value.topicId, url: `${origin}${result.value.path}` },
    { status: 201 },
  );
}
