import { createPost, createTopic } from "../../app/models/forums.server";
import type { AuthUser } from "../../app/utils/auth.server";
import { db } from "../../db/client";
import { ensureForumCategories } from "../../scripts/seed/forums";

export async function prepareForums() {
  await ensureForumCategories(db);
}

let topicCounter = 0;

/** Opens a topic through the model, as the pages do. */
export async function openTopic(
  author: AuthUser,
  options: { category?: string; title?: string; body?: string } = {},
) {
  topicCounter += 1;
  const created = await createTopic(author, {
    categorySlug: options.category ?? "vie-du-reseau",
    title: options.title ?? `Sujet de test numéro ${topicCounter}`,
    body: options.body ?? "Premier message du sujet.",
  });
  if (!created.ok) throw new Error(`openTopic: ${JSON.stringify(created)}`);
  return created.value;
}

export async function reply(author: AuthUser, topicId: number, body: string) {
  const created = await createPost(author, { topicId, body });
  if (!created.ok) throw new Error(`reply: ${JSON.stringify(created)}`);
  return created.value.postId;
}
