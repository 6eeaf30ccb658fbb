import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";

import { moderatePost, moveTopic, setTopicFlags } from "~/models/forum-moderation.server";
import { pageOfPost, topicPath } from "~/models/forums.server";
import { requireRole } from "~/utils/auth.server";
import { loadTopic } from "~/utils/forum-routes.server";
import { TopicModerationSchema } from "~/utils/forum-schemas";
import { invariantResponse } from "~/utils/replies.server";

const flags = {
  lock: { locked: true },
  unlock: { locked: false },
  pin: { pinned: true },
  unpin: { pinned: false },
} as const;

/**
 * The moderators' actions on a topic page (hide or restore a post, lock, pin, move), posted from
 * its moderation panel. Action only: success goes back to the topic, which says what was done.
 */
export async function action(args: ActionFunctionArgs) {
  const moderator = requireRole(args, "moderator");
  const topic = await loadTopic(args);
  const submission = parseWithZod(await args.request.formData(), {
    schema: TopicModerationSchema,
  });
  if (submission.status !== "success") {
    return json({ result: submission.reply() }, { status: 400 });
  }
  const canonical = topicPath(topic.categorySlug, topic);
  const form = submission.value;
  if (form.intent === "move") {
    const moved = await moveTopic(moderator, topic.id, form.category);
    if (moved.ok) return redirect(moved.value.path);
    invariantResponse(moved.status !== 404, "Sujet introuvable.");
    return json(
      { result: submission.reply({ fieldErrors: moved.fieldErrors }) },
      { status: moved.status },
    );
  }
  if (form.intent === "hide" || form.intent === "restore") {
    const done = await moderatePost(moderator, form.postId, form.intent);
    invariantResponse(done.ok, "Message introuvable.");
    const page = await pageOfPost(topic.id, form.postId);
    return redirect(`${canonical}?page=${page}&moderation=${form.intent}#message-${form.postId}`);
  }
  const done = await setTopicFlags(moderator, topic.id, flags[form.intent]);
  invariantResponse(done.ok, "Sujet introuvable.");
  return redirect(`${canonical}?moderation=${form.intent}`);
}
