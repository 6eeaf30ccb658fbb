import { getConfig } from "../../app/config.server";
import { createPost, createTopic } from "../../app/models/forum-posts.server";
import type { AuthUser } from "../../app/utils/auth.server";
import { db } from "../../db/client";
import { ensureForumCategories } from "../../scripts/seed/forums";
import { searchClient } from "../../search/client";

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

/**
 * Deletes this test file's Meilisearch indexes (their names carry the file's prefix). The
 * deletions are only enqueued: Meilisearch carries them out after the file is done.
 */
export async function deleteSearchIndexes() {
  const prefix = getConfig().meili.indexPrefix;
  const { results } = await searchClient().getIndexes({ limit: 1000 });
  for (const index of results.filter((i) => i.uid.startsWith(prefix))) {
    await searchClient().deleteIndex(index.uid);
  }
}
