import { asc, eq, gt, inArray } from "drizzle-orm";

import { markdownToText } from "../app/utils/markdown.server";
import { db } from "../db/client";
import { forumCategories, forumPosts, forumTopics } from "../db/schema";
import { indexName, searchIndex } from "./client";
import { frenchSettings, KIND_ATTRIBUTE, normalizeFrench } from "./french";
import { registerIndex } from "./registry";

/** Base name of the forum topics index (prefixed per deployment and per test file). */
export const TOPICS_INDEX = "topics";

/** The first post is the topic's own text; the replies have their index (`search/posts.ts`). */
const FIRST_POST_MAX_CHARS = 10_000;

export const topicsIndexSettings = {
  searchableAttributes: ["title", "excerpt", "categoryTitle"],
  filterableAttributes: ["requiredRole", "categorySlug", "topicId", KIND_ATTRIBUTE],
  ...frenchSettings(),
};

/**
 * A topic as search knows it: its title, category and first post, nothing that its replies
 * change (counts, last activity are read in PostgreSQL with each hit), so that a new reply costs
 * Meilisearch one write, its own.
 */
export type TopicDocument = {
  id: string;
  type: typeof TOPICS_INDEX;
  title: string;
  slug: string;
  /** The id again, under the name the replies' index gives it: one filter serves both indexes. */
  topicId: number;
  excerpt: string;
  categorySlug: string;
  categoryTitle: string;
  /** Null for public categories: the search filter narrows what it proposes to each viewer. */
  requiredRole: string | null;
  updatedAt: number;
};

/**
 * Who is searching: a visitor (null), or a signed-in person with their roles and what the forums
 * grant them by name (a working group's category, a jury's deliberation topic).
 */
export type SearchViewer = {
  roles: readonly string[];
  grantedCategorySlugs: readonly string[];
  grantedTopicIds: readonly number[];
} | null;

/**
 * The Meilisearch filter of forum documents (topics and replies) a viewer may be proposed. It only
 * narrows the proposal: every hit is read again in PostgreSQL through the pages' rule.
 */
export function readableForumFilter(viewer: SearchViewer): string | undefined {
  if (viewer?.roles.includes("admin")) return undefined;
  const list = (values: readonly (string | number)[]) =>
    `[${values.map((value) => JSON.stringify(value)).join(", ")}]`;
  const clauses = ["requiredRole IS NULL"];
  if (viewer?.roles.length) clauses.push(`requiredRole IN ${list(viewer.roles)}`);
  // By slug: a category's slug never changes, and every document already carries it.
  if (viewer?.grantedCategorySlugs.length) {
    clauses.push(`categorySlug IN ${list(viewer.grantedCategorySlugs)}`);
  }
  if (viewer?.grantedTopicIds.length) clauses.push(`topicId IN ${list(viewer.grantedTopicIds)}`);
  return clauses.join(" OR ");
}

/** The search documents of some topics, read from PostgreSQL (missing ids are deleted ones). */
export async function loadTopicDocuments(documentIds: string[]): Promise<TopicDocument[]> {
  const ids = documentIds.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: forumTopics.id,
      title: forumTopics.title,
      slug: forumTopics.slug,
      createdAt: forumTopics.createdAt,
      categorySlug: forumCategories.slug,
      categoryTitle: forumCategories.title,
      requiredRole: forumCategories.requiredRole,
    })
    .from(forumTopics)
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(inArray(forumTopics.id, ids));
  const firstPosts = await db
    .selectDistinctOn([forumPosts.topicId], {
      topicId: forumPosts.topicId,
      body: forumPosts.body,
      editedAt: forumPosts.editedAt,
      deletedAt: forumPosts.deletedAt,
      hiddenAt: forumPosts.hiddenAt,
    })
    .from(forumPosts)
    .where(inArray(forumPosts.topicId, ids))
    .orderBy(forumPosts.topicId, forumPosts.id);
  const first = new Map(firstPosts.map((post) => [post.topicId, post]));
  return rows.map(({ createdAt, ...row }) => {
    const post = first.get(row.id);
    const shown = post && !post.deletedAt && !post.hiddenAt;
    // The last change to what the document holds, for `search:check`.
    const changes = [createdAt, post?.editedAt, post?.hiddenAt, post?.deletedAt];
    return {
      ...row,
      id: String(row.id),
      type: TOPICS_INDEX,
      topicId: row.id,
      title: normalizeFrench(row.title),
      excerpt: shown
        ? normalizeFrench(markdownToText(post.body).slice(0, FIRST_POST_MAX_CHARS))
        : "",
      updatedAt: Math.max(...changes.map((date) => date?.getTime() ?? 0)),
    };
  });
}

registerIndex({
  base: TOPICS_INDEX,
  // 2: each document carries topicId, read by the filter of working groups' and juries' topics.
  // 3: no reply counts nor last activity (a reply no longer rewrites its topic's document).
  documentVersion: 3,
  settings: topicsIndexSettings,
  load: loadTopicDocuments,
  loadAll: async function* (batchSize) {
    let after = 0;
    for (;;) {
      const rows = await db
        .select({ id: forumTopics.id })
        .from(forumTopics)
        .where(gt(forumTopics.id, after))
        .orderBy(asc(forumTopics.id))
        .limit(batchSize);
      if (rows.length === 0) return;
      yield loadTopicDocuments(rows.map((row) => String(row.id)));
      after = rows.at(-1)?.id ?? after;
    }
  },
});

/** How many ids one topic search proposes. */
export const TOPIC_SEARCH_LIMIT = 20;

/**
 * Ids of the topics matching `query`, best first; rejects when Meilisearch cannot answer. The
 * filter only narrows the proposal (a stale document may still carry an old category): the caller
 * reads the ids again in PostgreSQL through the pages' access rule.
 */
export async function searchTopicIds(query: string, viewer: SearchViewer): Promise<string[]> {
  const result = await searchIndex<TopicDocument>(indexName(TOPICS_INDEX), normalizeFrench(query), {
    filter: readableForumFilter(viewer),
    limit: TOPIC_SEARCH_LIMIT,
    attributesToRetrieve: ["id"],
  });
  return result.hits.map((hit) => String(hit.id));
}
