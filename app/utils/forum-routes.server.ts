import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { getTopic, parseTopicParam, type Topic } from "../models/forums.server";
import { getUser } from "./auth.server";
import { invariantResponse } from "./replies.server";
import { z } from "./validation";

/** A positive id in a query parameter or a form field. */
export const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The topic of a `/forums/:category/:topic` URL, if the viewer may read it; 404 otherwise. */
export async function loadTopic(args: LoaderFunctionArgs | ActionFunctionArgs): Promise<Topic> {
  const topicId = parseTopicParam(args.params.topic);
  const topic = topicId ? await getTopic(getUser(args), topicId) : null;
  invariantResponse(topic, "Sujet introuvable.");
  return topic;
}

/** The moderation route of a topic page (action only). */
export const moderationPathOf = (topicPath: string) => `${topicPath}/moderation`;

/**
 * The words a search hit asks to highlight (`surligner`) and in which post (`repere`, or the
 * `message` being opened); anything malformed highlights nothing.
 */
export function highlightParam(search: URLSearchParams) {
  const words = (search.get("surligner") ?? "")
    .slice(0, 200)
    .split(/\s+/)
    .filter((word) => word.length > 1);
  const post = idParam.safeParse(search.get("repere") ?? search.get("message"));
  return { words, postId: post.success && words.length > 0 ? post.data : null };
}
