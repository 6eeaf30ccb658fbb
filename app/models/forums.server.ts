import { and, asc, count, desc, eq, ilike, inArray, isNull, lte, or, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  forumCategories,
  forumPosts,
  forumReads,
  forumTopics,
  memberships,
  users,
  type ProfileKind,
  type Role,
} from "../../db/schema";
import { normalizeForSearch } from "../../db/search-name";
import { POSTS_INDEX } from "../../search/posts";
import { searchTopicIds, TOPIC_SEARCH_LIMIT, TOPICS_INDEX } from "../../search/topics";
import type { AuthUser } from "../utils/auth.server";
import { POSTS_PER_PAGE, TOPICS_PER_PAGE } from "../utils/forum-schemas";
import { pageTags } from "../utils/page-cache.server";
import { escapeLike } from "../utils/text";
import { approvedCollectivityOf } from "./collectivities.server";
import { categoryGrantedTo, searchViewerOf, topicGrantedTo } from "./forum-grants.server";
import { failure } from "./result.server";
import { searchIdsOrFallback } from "./search-fallback.server";
import { enqueueIndexing } from "./search-outbox.server";

/**
 * The forums' access rules, categories, topics and topic search. Writing posts lives in
 * `forum-posts`, reading marks and follow levels in `forum-reading`, mentions in
 * `forum-mentions`, reports and moderators' actions in `forum-moderation`.
 */

export const FORMER_MEMBER = "Ancien membre";

export type Viewer = Pick<AuthUser, "id" | "name" | "roles"> | null;

// ——— Who may do what ———

/** Whether someone holding `roles` may read a category restricted to `requiredRole`. */
export function rolesMayRead(roles: readonly string[], requiredRole: Role | null) {
  return requiredRole === null || roles.includes("admin") || roles.includes(requiredRole);
}

/**
 * Scopes a query to the categories the viewer may read: public ones, their role's, and those
 * granted to them by name (a working group's category, to its members).
 */
export function readableCategory(viewer: Viewer) {
  if (!viewer) return isNull(forumCategories.requiredRole);
  if (viewer.roles.includes("admin")) return undefined;
  return or(
    isNull(forumCategories.requiredRole),
    inArray(forumCategories.requiredRole, [...viewer.roles]),
    categoryGrantedTo(viewer.id),
  );
}

export function isModerator(viewer: Viewer) {
  return Boolean(viewer && rolesMayRead(viewer.roles, "moderator"));
}

/** Only approved members of a collectivity (and moderators) write; pending members read. */
export async function canWrite(viewer: Viewer) {
  if (!viewer) return false;
  if (isModerator(viewer)) return true;
  return (await approvedCollectivityOf(viewer.id)) !== null;
}

export const notMember = () =>
  failure(403, {}, "Votre adhésion doit être validée par votre collectivité avant de publier.");

// ——— URLs ———

export function topicPath(categorySlug: string, topic: { id: number; slug: string }) {
  return `/forums/${categorySlug}/${topic.id}-${topic.slug}`;
}

export function postPath(
  categorySlug: string,
  topic: { id: number; slug: string },
  postId: number,
) {
  return `${topicPath(categorySlug, topic)}?message=${postId}`;
}

/** The id in a `:topic` URL segment such as `12-budget-participatif`. */
export function parseTopicParam(param: string | undefined) {
  const match = /^(\d{1,9})(?:-|$)/.exec(param ?? "");
  return match ? Number(match[1]) : null;
}

// ——— Categories ———

export async function listCategories(viewer: Viewer) {
  const lastTopic = db
    .selectDistinctOn([forumTopics.categoryId], {
      categoryId: forumTopics.categoryId,
      id: forumTopics.id,
      title: forumTopics.title,
      slug: forumTopics.slug,
      lastActivityAt: forumTopics.lastActivityAt,
    })
    .from(forumTopics)
    .orderBy(forumTopics.categoryId, desc(forumTopics.lastActivityAt))
    .as("last_topic");
  const totals = db
    .select({
      categoryId: forumTopics.categoryId,
      topics: count().as("topics"),
      posts: sql<number>`coalesce(sum(${forumTopics.postCount}), 0)::int`.as("posts"),
    })
    .from(forumTopics)
    .groupBy(forumTopics.categoryId)
    .as("totals");
  const rows = await db
    .select({
      id: forumCategories.id,
      slug: forumCategories.slug,
      title: forumCategories.title,
      description: forumCategories.description,
      requiredRole: forumCategories.requiredRole,
      topics: sql<number>`coalesce(${totals.topics}, 0)::int`,
      posts: sql<number>`coalesce(${totals.posts}, 0)::int`,
      lastTopicId: lastTopic.id,
      lastTopicTitle: lastTopic.title,
      lastTopicSlug: lastTopic.slug,
      lastActivityAt: lastTopic.lastActivityAt,
    })
    .from(forumCategories)
    .leftJoin(totals, eq(totals.categoryId, forumCategories.id))
    .leftJoin(lastTopic, eq(lastTopic.categoryId, forumCategories.id))
    .where(readableCategory(viewer))
    .orderBy(asc(forumCategories.position), asc(forumCategories.id));
  return rows.map(({ lastTopicId, lastTopicTitle, lastTopicSlug, ...category }) => ({
    ...category,
    lastTopic:
      lastTopicId && lastTopicTitle && lastTopicSlug
        ? {
            title: lastTopicTitle,
            path: topicPath(category.slug, { id: lastTopicId, slug: lastTopicSlug }),
          }
        : null,
  }));
}

export async function getCategory(viewer: Viewer, slug: string) {
  const [category] = await db
    .select({
      id: forumCategories.id,
      slug: forumCategories.slug,
      title: forumCategories.title,
      description: forumCategories.description,
      requiredRole: forumCategories.requiredRole,
      locked: forumCategories.locked,
    })
    .from(forumCategories)
    .where(and(eq(forumCategories.slug, slug), readableCategory(viewer)));
  return category ?? null;
}

// ——— Topics ———

export async function listTopics(viewer: Viewer, categoryId: number, page = 1) {
  const unread = viewer
    ? sql<number>`(select count(*)::int from ${forumPosts} p where p.topic_id = ${forumTopics.id}
        and p.deleted_at is null and p.hidden_at is null
        and p.id > coalesce((select r.last_read_post_id from ${forumReads} r
          where r.topic_id = ${forumTopics.id} and r.user_id = ${viewer.id}), 0))`
    : sql<number>`0`;
  const [items, [total]] = await Promise.all([
    db
      .select({
        id: forumTopics.id,
        title: forumTopics.title,
        slug: forumTopics.slug,
        pinned: forumTopics.pinned,
        locked: forumTopics.locked,
        postCount: forumTopics.postCount,
        lastActivityAt: forumTopics.lastActivityAt,
        authorId: forumTopics.authorId,
        authorName: users.name,
        unread,
      })
      .from(forumTopics)
      .leftJoin(users, eq(users.id, forumTopics.authorId))
      .where(eq(forumTopics.categoryId, categoryId))
      .orderBy(desc(forumTopics.pinned), desc(forumTopics.lastActivityAt), desc(forumTopics.id))
      .limit(TOPICS_PER_PAGE)
      .offset((page - 1) * TOPICS_PER_PAGE),
    db.select({ total: count() }).from(forumTopics).where(eq(forumTopics.categoryId, categoryId)),
  ]);
  return {
    items: items.map((t) => ({ ...t, authorName: t.authorName ?? FORMER_MEMBER })),
    total: total?.total ?? 0,
  };
}

/** A topic the viewer may read, with its category; null when missing or not readable. */
export async function getTopic(viewer: Viewer, topicId: number) {
  const [topic] = await db
    .select({
      id: forumTopics.id,
      title: forumTopics.title,
      slug: forumTopics.slug,
      pinned: forumTopics.pinned,
      // A topic of a read-only category (a closed working group's) takes no reply either.
      locked: sql<boolean>`(${forumTopics.locked} or ${forumCategories.locked})`,
      postCount: forumTopics.postCount,
      lastPostId: forumTopics.lastPostId,
      lastChangeId: forumTopics.lastChangeId,
      authorId: forumTopics.authorId,
      initiativeId: forumTopics.initiativeId,
      createdAt: forumTopics.createdAt,
      categoryId: forumCategories.id,
      categorySlug: forumCategories.slug,
      categoryTitle: forumCategories.title,
      requiredRole: forumCategories.requiredRole,
      granted: viewer ? topicGrantedTo(viewer.id) : sql<boolean>`false`,
    })
    .from(forumTopics)
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(and(eq(forumTopics.id, topicId), readableTopic(viewer)));
  return topic ?? null;
}

/** A topic is readable in a readable category, or when granted by name (forum-grants). */
function readableTopic(viewer: Viewer) {
  const category = readableCategory(viewer);
  return viewer && category ? or(category, topicGrantedTo(viewer.id)) : category;
}

export type Topic = NonNullable<Awaited<ReturnType<typeof getTopic>>>;

/** Where a topic stands: its newest post and its newest change (what a joining client syncs to). */
export async function topicPosition(topicId: number) {
  const [row] = await db
    .select({ lastPostId: forumTopics.lastPostId, lastChangeId: forumTopics.lastChangeId })
    .from(forumTopics)
    .where(eq(forumTopics.id, topicId));
  return { lastPostId: row?.lastPostId ?? null, lastChangeId: row?.lastChangeId ?? 0 };
}

/** The anonymous pages that show a topic's posts or counts: its own, its category's, /forums. */
export function topicPages(topic: { id: number; categoryId: number }) {
  return [pageTags.topic(topic.id), pageTags.category(topic.categoryId), pageTags.forums];
}

/**
 * Called inside every transaction that changes what the search indexes show of a topic: the topic
 * itself, and the replies written, edited, hidden, deleted or moved (`"all"` after a move). The
 * topic's own document (title, category, first post) is queued only when one of those changed: a
 * new reply is one Meilisearch write, and the next reply is not queued behind its topic's.
 */
export async function afterTopicWrite(
  tx: Executor,
  topicId: number,
  postIds: readonly number[] | "all" = [],
) {
  const ids =
    postIds === "all"
      ? (
          await tx
            .select({ id: forumPosts.id })
            .from(forumPosts)
            .where(eq(forumPosts.topicId, topicId))
        ).map((row) => row.id)
      : postIds;
  await enqueueIndexing(tx, POSTS_INDEX, ids.map(String));
  if (postIds === "all" || postIds.length === 0 || (await includesFirstPost(tx, topicId, postIds)))
    await enqueueIndexing(tx, TOPICS_INDEX, String(topicId));
}

async function includesFirstPost(tx: Executor, topicId: number, postIds: readonly number[]) {
  const [first] = await tx
    .select({ id: forumPosts.id })
    .from(forumPosts)
    .where(eq(forumPosts.topicId, topicId))
    .orderBy(asc(forumPosts.id))
    .limit(1);
  return first !== undefined && postIds.includes(first.id);
}

// ——— Posts of a topic page ———

const authorColumns = {
  authorId: forumPosts.authorId,
  authorName: users.name,
  authorJobTitle: users.jobTitle,
  authorProfileKind: users.profileKind,
  authorCollectivity: collectivities.name,
};

function withAuthor<T extends { authorName: string | null; authorProfileKind: ProfileKind | null }>(
  row: T,
) {
  return {
    ...row,
    authorName: row.authorName ?? FORMER_MEMBER,
    authorProfileKind: row.authorProfileKind ?? "agent",
    former: row.authorName === null,
  };
}

/**
 * One page of a topic; deleted and hidden posts keep their place as a short notice. The posts'
 * Markdown sources (`body`) are read only when asked for (to quote or edit one): a page shows
 * their HTML, and the sources would double what PostgreSQL sends.
 */
export async function listPosts(
  viewer: Viewer,
  topic: Topic,
  page = 1,
  options: { sources?: boolean } = {},
) {
  const moderator = isModerator(viewer);
  const rows = await db
    .select({
      id: forumPosts.id,
      body: options.sources ? forumPosts.body : sql<string>`''`,
      html: forumPosts.html,
      replyToId: forumPosts.replyToId,
      createdAt: forumPosts.createdAt,
      editedAt: forumPosts.editedAt,
      deletedAt: forumPosts.deletedAt,
      hiddenAt: forumPosts.hiddenAt,
      changeId: forumPosts.changeId,
      ...authorColumns,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(forumPosts)
    .leftJoin(users, eq(users.id, forumPosts.authorId))
    .leftJoin(
      memberships,
      and(eq(memberships.userId, forumPosts.authorId), eq(memberships.status, "approved")),
    )
    .leftJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
    .where(eq(forumPosts.topicId, topic.id))
    .orderBy(asc(forumPosts.id))
    .limit(POSTS_PER_PAGE)
    .offset((page - 1) * POSTS_PER_PAGE);
  // The total rides along with the rows (one round trip); only a page past the end asks apart.
  const total =
    rows[0]?.total ??
    (
      await db.select({ total: count() }).from(forumPosts).where(eq(forumPosts.topicId, topic.id))
    )[0]?.total ??
    0;
  const items = rows.map(({ total: _total, ...row }) => {
    const post = withAuthor(row);
    const gone = post.deletedAt !== null || (post.hiddenAt !== null && !moderator);
    return {
      ...post,
      // What may not be shown is not sent to the browser at all.
      body: gone ? "" : post.body,
      html: gone ? "" : post.html,
      mine: viewer !== null && post.authorId === viewer.id,
    };
  });
  return { items, total };
}

export type ListedPost = Awaited<ReturnType<typeof listPosts>>["items"][number];

/** The page of a topic on which a post appears (for permalinks). */
export async function pageOfPost(topicId: number, postId: number) {
  const [row] = await db
    .select({ before: count() })
    .from(forumPosts)
    .where(and(eq(forumPosts.topicId, topicId), lte(forumPosts.id, postId)));
  return Math.max(1, Math.ceil((row?.before ?? 1) / POSTS_PER_PAGE));
}

// ——— Search ———

/**
 * Topics matching `q` that the viewer may read. Meilisearch (or, when it is down, a plain match in
 * PostgreSQL) only proposes ids; they are read again here through the same rule as the pages, so
 * a topic moved to a restricted category disappears at once, before the index catches up.
 */
export async function searchForumTopics(q: string, viewer: Viewer) {
  const { ids, degraded } = await searchIdsOrFallback(
    "topics",
    async () => searchTopicIds(q, await searchViewerOf(viewer)),
    () => matchTopicIds(q, viewer),
  );
  const hits = await readableTopicsByIds(ids, viewer);
  return { hits, degraded, limited: ids.length >= TOPIC_SEARCH_LIMIT };
}

/** The topics of these ids that the viewer may read (the topic page's rule), in their order. */
export async function readableTopicsByIds(ids: readonly string[], viewer: Viewer) {
  const numericIds = ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
  if (numericIds.length === 0) return [];
  const rows = await db
    .select({
      id: forumTopics.id,
      title: forumTopics.title,
      slug: forumTopics.slug,
      postCount: forumTopics.postCount,
      categorySlug: forumCategories.slug,
      categoryTitle: forumCategories.title,
    })
    .from(forumTopics)
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(and(inArray(forumTopics.id, numericIds), readableTopic(viewer)));
  const rank = new Map(numericIds.map((id, index) => [id, index]));
  return rows.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
}

/**
 * The replies of these ids that the viewer may read (neither deleted nor hidden, in a topic they
 * may read), in the order of the ids: how a search hit on a post is confirmed.
 */
export async function readablePostsByIds(ids: readonly string[], viewer: Viewer) {
  const numericIds = ids.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
  if (numericIds.length === 0) return [];
  const rows = await db
    .select({
      id: forumPosts.id,
      body: forumPosts.body,
      createdAt: forumPosts.createdAt,
      authorName: users.name,
      topicId: forumTopics.id,
      topicTitle: forumTopics.title,
      topicSlug: forumTopics.slug,
      categorySlug: forumCategories.slug,
      categoryTitle: forumCategories.title,
    })
    .from(forumPosts)
    .innerJoin(forumTopics, eq(forumTopics.id, forumPosts.topicId))
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .leftJoin(users, eq(users.id, forumPosts.authorId))
    .where(
      and(
        inArray(forumPosts.id, numericIds),
        isNull(forumPosts.deletedAt),
        isNull(forumPosts.hiddenAt),
        readableTopic(viewer),
      ),
    );
  const rank = new Map(numericIds.map((id, index) => [id, index]));
  return rows
    .sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0))
    .map((row) => ({
      ...row,
      authorName: row.authorName ?? FORMER_MEMBER,
      path: postPath(row.categorySlug, { id: row.topicId, slug: row.topicSlug }, row.id),
    }));
}

/** The degraded search: every word of the query in the topic's accent-free slug, or its title. */
export async function matchTopicIds(q: string, viewer: Viewer) {
  const words = normalizeForSearch(q).split(" ").filter(Boolean);
  if (words.length === 0) return [];
  const rows = await db
    .select({ id: forumTopics.id })
    .from(forumTopics)
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(
      and(
        readableTopic(viewer),
        or(
          and(...words.map((word) => ilike(forumTopics.slug, `%${escapeLike(word)}%`))),
          ilike(forumTopics.title, `%${escapeLike(q.trim())}%`),
        ),
      ),
    )
    .orderBy(desc(forumTopics.lastActivityAt))
    .limit(TOPIC_SEARCH_LIMIT);
  return rows.map((row) => String(row.id));
}
