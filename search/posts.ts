import { and, asc, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";

import { markdownToText } from "../app/utils/markdown.server";
import { db } from "../db/client";
import { forumCategories, forumPosts, forumTopics } from "../db/schema";
import { frenchSettings, KIND_ATTRIBUTE, normalizeFrench } from "./french";
import { registerIndex } from "./registry";

/**
 * Base name of the forum replies index: every visible post but the first of its topic, which is
 * the topic's own text (`search/topics.ts`). A reply is found by its words and opens the topic at
 * that post.
 */
export const POSTS_INDEX = "posts";

const BODY_MAX_CHARS = 10_000;

export type PostDocument = {
  id: string;
  type: typeof POSTS_INDEX;
  topicId: number;
  body: string;
  categorySlug: string;
  /** Null for public categories; the filter narrows what is proposed to each viewer. */
  requiredRole: string | null;
  createdAt: number;
  updatedAt: number;
};

export const postsIndexSettings = {
  searchableAttributes: ["body"],
  filterableAttributes: ["requiredRole", "categorySlug", "topicId", KIND_ATTRIBUTE],
  sortableAttributes: ["createdAt"],
  ...frenchSettings(),
  // Long replies: proximity per attribute keeps writes cheap, as for initiatives.
  proximityPrecision: "byAttribute" as const,
};

async function documents(where: ReturnType<typeof and>, limit?: number): Promise<PostDocument[]> {
  const query = db
    .select({
      id: forumPosts.id,
      topicId: forumPosts.topicId,
      body: forumPosts.body,
      createdAt: forumPosts.createdAt,
      editedAt: forumPosts.editedAt,
      categorySlug: forumCategories.slug,
      requiredRole: forumCategories.requiredRole,
    })
    .from(forumPosts)
    .innerJoin(forumTopics, eq(forumTopics.id, forumPosts.topicId))
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(
      and(
        where,
        isNull(forumPosts.deletedAt),
        isNull(forumPosts.hiddenAt),
        ne(
          forumPosts.id,
          sql`(select min(first_post.id) from ${forumPosts} as first_post where first_post.topic_id = ${forumPosts.topicId})`,
        ),
      ),
    )
    .orderBy(asc(forumPosts.id));
  const rows = limit ? await query.limit(limit) : await query;
  return rows.map((row) => ({
    id: String(row.id),
    type: POSTS_INDEX,
    topicId: row.topicId,
    body: normalizeFrench(markdownToText(row.body).slice(0, BODY_MAX_CHARS)),
    categorySlug: row.categorySlug,
    requiredRole: row.requiredRole,
    createdAt: row.createdAt.getTime(),
    updatedAt: (row.editedAt ?? row.createdAt).getTime(),
  }));
}

/** The documents of these posts; deleted, hidden and first posts are absent (so removed). */
export function loadPostDocuments(documentIds: string[]) {
  const ids = documentIds.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
  return ids.length === 0 ? Promise.resolve([]) : documents(inArray(forumPosts.id, ids));
}

registerIndex({
  base: POSTS_INDEX,
  documentVersion: 1,
  settings: postsIndexSettings,
  load: loadPostDocuments,
  loadAll: async function* (batchSize) {
    // Pages by id over every post, so the skipped first posts never end the loop early.
    let after = 0;
    for (;;) {
      const ids = await db
        .select({ id: forumPosts.id })
        .from(forumPosts)
        .where(gt(forumPosts.id, after))
        .orderBy(asc(forumPosts.id))
        .limit(batchSize);
      if (ids.length === 0) return;
      yield documents(
        inArray(
          forumPosts.id,
          ids.map((row) => row.id),
        ),
      );
      after = ids.at(-1)?.id ?? after;
    }
  },
});
