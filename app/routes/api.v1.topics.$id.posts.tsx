import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { listPostChanges, listPostsAfter } from "~/models/forum-changes.server";
import { createPost } from "~/models/forum-posts.server";
import { getTopic, postPath } from "~/models/forums.server";
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
import { NewPostSchema, PostsQuerySchema } from "~/utils/forum-schemas";

function topicIdOf(param: string | undefined) {
  return /^\d{1,9}$/.test(param ?? "") ? Number(param) : null;
}

/**
 * What a reconnecting client missed: the visible posts after `after`, in order, and with `since`
 * the changes (edits, hidings, restorations, deletions) to the posts up to `after` made after
 * change `since`, oldest first.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = optionalApiViewer(context);
  const { after, limit, since } = readQuery(request, PostsQuerySchema);
  const topicId = topicIdOf(params.id);
  const topic = topicId ? await getTopic(viewer, topicId) : null;
  if (!topic) return notFound();
  const origin = new URL(request.url).origin;
  const [items, changes] = await Promise.all([
    listPostsAfter(topic.id, after, limit + 1),
    since === undefined
      ? Promise.resolve(null)
      : listPostChanges(topic.id, { upTo: after, since, limit: limit + 1 }),
  ]);
  return Response.json({
    items: items.slice(0, limit).map((post) => ({
      ...post,
      url: `${origin}${postPath(topic.categorySlug, topic, post.id)}`,
    })),
    hasMore: items.length > limit,
    lastPostId: topic.lastPostId,
    lastChangeId: topic.lastChangeId,
    ...(changes
      ? { changes: changes.slice(0, limit), changesHaveMore: changes.length > limit }
      : {}),
  });
}

export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const user = requirePublisher(args);
  const topicId = topicIdOf(args.params.id);
  if (!topicId) return notFound();
  const input = await readJsonBody(args.request, NewPostSchema);
  const idempotencyKey = args.request.headers.get("idempotency-key")?.slice(0, 64) ?? null;
  const result = await withApiRateLimit(() =>
    createPost(user, { topicId, body: input.body, replyToId: input.replyToId, idempotencyKey }),
  );
  if (result instanceof Response) return result;
  if (!result.ok) return apiFailure(result);
  const origin = new URL(args.request.url).origin;
  return Response.json(
    { id: result.value.postId, url: `${origin}${result.value.path}` },
    { status: 201 },
  );
}
