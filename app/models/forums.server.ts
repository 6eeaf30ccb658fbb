import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  lte,
  or,
  sql,
} from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  forumCategories,
  forumFollows,
  forumPostRevisions,
  forumPosts,
  forumReads,
  forumReports,
  forumTopics,
  memberships,
  users,
  type FollowLevel,
  type ProfileKind,
  type Role,
} from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { rooms, type LivePost } from "../../realtime/protocol";
import { searchTopics, TOPICS_INDEX } from "../../search/topics";
import type { AuthUser } from "../utils/auth.server";
import { POSTS_PER_PAGE, TITLE_MAX_LENGTH, TOPICS_PER_PAGE } from "../utils/forum-schemas";
import { renderMarkdown } from "../utils/markdown.server";
import { consume } from "../utils/rate-limit.server";
import { slugify } from "../utils/text";
import { approvedCollectivityOf } from "./collectivities.server";
import {
  ACTOR,
  createNotifications,
  publishNotifications,
  type NewNotification,
  type SavedNotification,
} from "./notifications.server";
import { failure, isUniqueViolation, type Result } from "./result.server";
import { enqueueIndexing } from "./search-outbox.server";

/** Mentions beyond this number in one post notify nobody (mass-mention spam). */
export const MAX_MENTIONS = 10;
export const FORMER_MEMBER = "Ancien membre";

export type Viewer = Pick<AuthUser, "id" | "name" | "roles"> | null;

// ——— Who may do what ———

function holds(roles: readonly Role[], role: Role | null) {
  return role === null || roles.includes("admin") || roles.includes(role);
}

/** Scopes a query to the categories the viewer may read (public ones, or their role's). */
function readableCategory(viewer: Viewer) {
  if (!viewer) return isNull(forumCategories.requiredRole);
  if (viewer.roles.includes("admin")) return undefined;
  return or(
    isNull(forumCategories.requiredRole),
    inArray(forumCategories.requiredRole, [...viewer.roles]),
  );
}

export function isModerator(viewer: Viewer) {
  return Boolean(viewer && holds(viewer.roles, "moderator"));
}

/** Only approved members of a collectivity (and moderators) write; pending members read. */
export async function canWrite(viewer: Viewer) {
  if (!viewer) return false;
  if (isModerator(viewer)) return true;
  return (await approvedCollectivityOf(viewer.id)) !== null;
}

const notMember = () =>
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
      locked: forumTopics.locked,
      postCount: forumTopics.postCount,
      lastPostId: forumTopics.lastPostId,
      authorId: forumTopics.authorId,
      initiativeId: forumTopics.initiativeId,
      createdAt: forumTopics.createdAt,
      categoryId: forumCategories.id,
      categorySlug: forumCategories.slug,
      categoryTitle: forumCategories.title,
      requiredRole: forumCategories.requiredRole,
    })
    .from(forumTopics)
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(and(eq(forumTopics.id, topicId), readableCategory(viewer)));
  return topic ?? null;
}

export async function topicLastPostId(topicId: number) {
  const [row] = await db
    .select({ lastPostId: forumTopics.lastPostId })
    .from(forumTopics)
    .where(eq(forumTopics.id, topicId));
  return row?.lastPostId ?? null;
}

export type Topic = NonNullable<Awaited<ReturnType<typeof getTopic>>>;

type TopicInput = {
  categorySlug: string;
  title: string;
  body: string;
  idempotencyKey?: string | null;
  initiativeId?: string | null;
};

export async function createTopic(
  author: AuthUser,
  input: TopicInput,
): Promise<Result<{ topicId: number; postId: number; path: string }>> {
  const category = await getCategory(author, input.categorySlug);
  if (!category) return failure(404, {}, "Catégorie introuvable.");
  if (!(await canWrite(author))) return notMember();
  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(author.id, input.idempotencyKey);
    if (existing) return { ok: true, value: existing };
  }
  await consume("forum-topic", author.id);
  const slug = slugify(input.title, 60) || "sujet";
  const html = renderMarkdown(input.body);
  try {
    const created = await db.transaction(async (tx) => {
      const [topic] = await tx
        .insert(forumTopics)
        .values({
          categoryId: category.id,
          title: input.title,
          slug,
          authorId: author.id,
          initiativeId: input.initiativeId ?? null,
        })
        .returning({ id: forumTopics.id });
      if (!topic) throw new Error("topic insert returned nothing");
      const post = await insertPost(tx, {
        topicId: topic.id,
        authorId: author.id,
        replyToId: null,
        body: input.body,
        html,
        idempotencyKey: input.idempotencyKey ?? null,
      });
      await tx
        .update(forumTopics)
        .set({ postCount: 1, lastPostId: post.id, lastActivityAt: post.createdAt })
        .where(eq(forumTopics.id, topic.id));
      await tx
        .insert(forumReads)
        .values({ userId: author.id, topicId: topic.id, lastReadPostId: post.id });
      const topicRef = { id: topic.id, slug, title: input.title };
      const notified = await notifyForPost(tx, {
        author,
        topic: topicRef,
        category,
        postId: post.id,
        body: input.body,
        topicAuthorId: author.id,
        replyToAuthorId: null,
      });
      await afterTopicWrite(tx, topic.id);
      return { topicId: topic.id, postId: post.id, notified };
    });
    await publishNotifications(created.notified);
    return {
      ok: true,
      value: {
        topicId: created.topicId,
        postId: created.postId,
        path: topicPath(category.slug, { id: created.topicId, slug }),
      },
    };
  } catch (error) {
    if (isUniqueViolation(error) && input.idempotencyKey) {
      const existing = await findByIdempotencyKey(author.id, input.idempotencyKey);
      if (existing) return { ok: true, value: existing };
    }
    if (isUniqueViolation(error) && input.initiativeId) {
      return failure(409, {}, "Cette initiative a déjà son sujet de discussion.");
    }
    throw error;
  }
}

/** Writes a post (of a new topic or a reply) and returns its id and time. */
async function insertPost(
  tx: Executor,
  values: {
    topicId: number;
    authorId: string;
    replyToId: number | null;
    body: string;
    html: string;
    idempotencyKey: string | null;
  },
) {
  const [post] = await tx
    .insert(forumPosts)
    .values(values)
    .returning({ id: forumPosts.id, createdAt: forumPosts.createdAt });
  if (!post) throw new Error("post insert returned nothing");
  return post;
}

async function findByIdempotencyKey(authorId: string, key: string) {
  const [row] = await db
    .select({
      postId: forumPosts.id,
      topicId: forumTopics.id,
      slug: forumTopics.slug,
      categorySlug: forumCategories.slug,
    })
    .from(forumPosts)
    .innerJoin(forumTopics, eq(forumTopics.id, forumPosts.topicId))
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(and(eq(forumPosts.authorId, authorId), eq(forumPosts.idempotencyKey, key)));
  if (!row) return null;
  return {
    topicId: row.topicId,
    postId: row.postId,
    path: postPath(row.categorySlug, { id: row.topicId, slug: row.slug }, row.postId),
    created: false,
  };
}

/**
 * Hook for the initiatives domain ("Discuter de cette initiative"): returns the path of the
 * initiative's topic, creating it on first use in the "initiatives" category.
 */
export async function openInitiativeTopic(
  user: AuthUser,
  initiative: { id: string; title: string; url: string },
): Promise<Result<{ path: string }>> {
  const [existing] = await db
    .select({ id: forumTopics.id, slug: forumTopics.slug, categorySlug: forumCategories.slug })
    .from(forumTopics)
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(eq(forumTopics.initiativeId, initiative.id));
  if (existing) return { ok: true, value: { path: topicPath(existing.categorySlug, existing) } };
  const created = await createTopic(user, {
    categorySlug: INITIATIVES_CATEGORY,
    title: `Discussion : ${initiative.title}`.slice(0, TITLE_MAX_LENGTH),
    body: `Discussion de l'initiative [${initiative.title}](${initiative.url}).`,
    initiativeId: initiative.id,
  });
  if (created.ok) return { ok: true, value: { path: created.value.path } };
  if (created.status === 409) return openInitiativeTopic(user, initiative);
  return created;
}

export const INITIATIVES_CATEGORY = "initiatives";

// ——— Posts ———

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

/** One page of a topic; deleted and hidden posts keep their place as a short notice. */
export async function listPosts(viewer: Viewer, topic: Topic, page = 1) {
  const moderator = isModerator(viewer);
  const rows = await db
    .select({
      id: forumPosts.id,
      body: forumPosts.body,
      html: forumPosts.html,
      replyToId: forumPosts.replyToId,
      createdAt: forumPosts.createdAt,
      editedAt: forumPosts.editedAt,
      deletedAt: forumPosts.deletedAt,
      hiddenAt: forumPosts.hiddenAt,
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

/** The visible posts after `afterId`, in order: what a reconnecting client missed. */
export async function listPostsAfter(topicId: number, afterId: number, limit = 100) {
  const rows = await db
    .select({
      id: forumPosts.id,
      html: forumPosts.html,
      replyToId: forumPosts.replyToId,
      createdAt: forumPosts.createdAt,
      editedAt: forumPosts.editedAt,
      authorId: forumPosts.authorId,
      authorName: users.name,
    })
    .from(forumPosts)
    .leftJoin(users, eq(users.id, forumPosts.authorId))
    .where(
      and(
        eq(forumPosts.topicId, topicId),
        gt(forumPosts.id, afterId),
        isNull(forumPosts.deletedAt),
        isNull(forumPosts.hiddenAt),
      ),
    )
    .orderBy(asc(forumPosts.id))
    .limit(limit);
  return rows.map((row): LivePost => ({
    id: row.id,
    author: { id: row.authorId, name: row.authorName ?? FORMER_MEMBER },
    html: row.html,
    createdAt: row.createdAt.toISOString(),
    replyToId: row.replyToId,
    editedAt: row.editedAt?.toISOString() ?? null,
  }));
}

/** The page of a topic on which a post appears (for permalinks). */
export async function pageOfPost(topicId: number, postId: number) {
  const [row] = await db
    .select({ before: count() })
    .from(forumPosts)
    .where(and(eq(forumPosts.topicId, topicId), lte(forumPosts.id, postId)));
  return Math.max(1, Math.ceil((row?.before ?? 1) / POSTS_PER_PAGE));
}

/** The first post the viewer has not read yet, if any. */
export async function firstUnreadPostId(viewerId: string, topicId: number) {
  const [read] = await db
    .select({ last: forumReads.lastReadPostId })
    .from(forumReads)
    .where(and(eq(forumReads.userId, viewerId), eq(forumReads.topicId, topicId)));
  const [post] = await db
    .select({ id: forumPosts.id })
    .from(forumPosts)
    .where(
      and(
        eq(forumPosts.topicId, topicId),
        gt(forumPosts.id, read?.last ?? 0),
        isNull(forumPosts.deletedAt),
      ),
    )
    .orderBy(asc(forumPosts.id))
    .limit(1);
  return post?.id ?? null;
}

/** What the topic page needs to know about its reader, in one query. */
export async function readerState(viewer: NonNullable<Viewer>, topic: Topic) {
  const [row] = await db.execute<{
    last_read: string | null;
    level: FollowLevel | null;
    approved: boolean;
  }>(sql`select
      (select last_read_post_id from ${forumReads}
        where user_id = ${viewer.id} and topic_id = ${topic.id}) as last_read,
      (select level from ${forumFollows}
        where user_id = ${viewer.id} and (topic_id = ${topic.id} or category_id = ${topic.categoryId})
        order by topic_id nulls last limit 1) as level,
      exists (select 1 from ${memberships}
        where user_id = ${viewer.id} and status = 'approved') as approved`);
  return {
    lastReadPostId: Number(row?.last_read ?? 0),
    followLevel: row?.level ?? ("normal" as FollowLevel),
    mayWrite: isModerator(viewer) || Boolean(row?.approved),
  };
}

export async function lastReadPostId(viewerId: string, topicId: number) {
  const [read] = await db
    .select({ last: forumReads.lastReadPostId })
    .from(forumReads)
    .where(and(eq(forumReads.userId, viewerId), eq(forumReads.topicId, topicId)));
  return read?.last ?? 0;
}

/** Moves the read mark forward only (reading an old page does not mark newer posts unread). */
export async function markRead(
  viewerId: string,
  topicId: number,
  postId: number,
  tx: Executor = db,
) {
  await tx
    .insert(forumReads)
    .values({ userId: viewerId, topicId, lastReadPostId: postId })
    .onConflictDoUpdate({
      target: [forumReads.userId, forumReads.topicId],
      set: {
        lastReadPostId: sql`greatest(${forumReads.lastReadPostId}, excluded.last_read_post_id)`,
        updatedAt: sql`now()`,
      },
    });
}

type PostInput = {
  topicId: number;
  body: string;
  replyToId?: number | null;
  idempotencyKey?: string | null;
};

export async function createPost(
  author: AuthUser,
  input: PostInput,
): Promise<Result<{ postId: number; path: string; created: boolean }>> {
  const topic = await getTopic(author, input.topicId);
  if (!topic) return failure(404, {}, "Sujet introuvable.");
  if (!(await canWrite(author))) return notMember();
  if (topic.locked && !isModerator(author)) {
    return failure(409, {}, "Ce sujet est verrouillé : il n'accepte plus de réponse.");
  }
  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(author.id, input.idempotencyKey);
    if (existing) return { ok: true, value: existing };
  }
  await consume("forum-post", author.id);
  const html = renderMarkdown(input.body);
  const category = {
    id: topic.categoryId,
    slug: topic.categorySlug,
    requiredRole: topic.requiredRole,
  };
  let created;
  try {
    created = await db.transaction(async (tx) => {
      // Locking the topic row first serialises posts of a topic, so their ids follow commit
      // order and "after id N" never skips a post that committed late.
      const [locked] = await tx
        .select({ id: forumTopics.id })
        .from(forumTopics)
        .where(eq(forumTopics.id, topic.id))
        .for("update");
      if (!locked) return null;
      let replyToAuthorId: string | null = null;
      let replyToId: number | null = null;
      if (input.replyToId) {
        const [parent] = await tx
          .select({ id: forumPosts.id, authorId: forumPosts.authorId })
          .from(forumPosts)
          .where(and(eq(forumPosts.id, input.replyToId), eq(forumPosts.topicId, topic.id)));
        replyToId = parent?.id ?? null;
        replyToAuthorId = parent?.authorId ?? null;
      }
      const post = await insertPost(tx, {
        topicId: topic.id,
        authorId: author.id,
        replyToId,
        body: input.body,
        html,
        idempotencyKey: input.idempotencyKey ?? null,
      });
      await tx
        .update(forumTopics)
        .set({
          postCount: sql`${forumTopics.postCount} + 1`,
          lastPostId: post.id,
          lastActivityAt: post.createdAt,
        })
        .where(eq(forumTopics.id, topic.id));
      const notified = await notifyForPost(tx, {
        author,
        topic,
        category,
        postId: post.id,
        body: input.body,
        topicAuthorId: topic.authorId,
        replyToAuthorId,
      });
      await afterTopicWrite(tx, topic.id);
      // One commit for everything: each commit waits for the disk, and this path is on the clock
      // of everyone waiting for the post to appear.
      await markRead(author.id, topic.id, post.id, tx);
      return { post, replyToId, notified };
    });
  } catch (error) {
    if (isUniqueViolation(error) && input.idempotencyKey) {
      const existing = await findByIdempotencyKey(author.id, input.idempotencyKey);
      if (existing) return { ok: true, value: existing };
    }
    throw error;
  }
  if (!created) return failure(404, {}, "Sujet introuvable.");
  const { post } = created;
  realtime()
    ?.to(rooms.topic(topic.id))
    .emit("post:created", {
      topicId: topic.id,
      post: {
        id: post.id,
        author: { id: author.id, name: author.name },
        html,
        createdAt: post.createdAt.toISOString(),
        replyToId: created.replyToId,
        editedAt: null,
      },
    });
  await publishNotifications(created.notified);
  return {
    ok: true,
    value: { postId: post.id, path: postPath(topic.categorySlug, topic, post.id), created: true },
  };
}

async function postWithTopic(viewer: Viewer, postId: number) {
  const [row] = await db
    .select({ id: forumPosts.id, topicId: forumPosts.topicId, authorId: forumPosts.authorId })
    .from(forumPosts)
    .where(eq(forumPosts.id, postId));
  if (!row) return null;
  const topic = await getTopic(viewer, row.topicId);
  return topic ? { post: row, topic } : null;
}

function livePost(row: {
  id: number;
  html: string;
  createdAt: Date;
  editedAt: Date | null;
  replyToId: number | null;
  authorId: string | null;
  authorName: string | null;
}): LivePost {
  return {
    id: row.id,
    author: { id: row.authorId, name: row.authorName ?? FORMER_MEMBER },
    html: row.html,
    createdAt: row.createdAt.toISOString(),
    replyToId: row.replyToId,
    editedAt: row.editedAt?.toISOString() ?? null,
  };
}

/** Edits a post (its author, or a moderator); the previous version goes to the history. */
export async function editPost(
  editor: AuthUser,
  postId: number,
  body: string,
): Promise<Result<{ path: string }>> {
  const found = await postWithTopic(editor, postId);
  if (!found) return failure(404, {}, "Message introuvable.");
  const { topic } = found;
  const moderator = isModerator(editor);
  if (found.post.authorId !== editor.id && !moderator) {
    return failure(403, {}, "Vous ne pouvez modifier que vos propres messages.");
  }
  if (topic.locked && !moderator) return failure(409, {}, "Ce sujet est verrouillé.");
  const html = renderMarkdown(body);
  const updated = await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ body: forumPosts.body, html: forumPosts.html, deletedAt: forumPosts.deletedAt })
      .from(forumPosts)
      .where(eq(forumPosts.id, postId))
      .for("update");
    if (!current || current.deletedAt) return null;
    if (current.body === body) return "unchanged" as const;
    await tx
      .insert(forumPostRevisions)
      .values({ postId, body: current.body, html: current.html, editorId: editor.id });
    const [row] = await tx
      .update(forumPosts)
      .set({ body, html, editedAt: sql`now()` })
      .where(eq(forumPosts.id, postId))
      .returning({
        id: forumPosts.id,
        html: forumPosts.html,
        createdAt: forumPosts.createdAt,
        editedAt: forumPosts.editedAt,
        replyToId: forumPosts.replyToId,
        authorId: forumPosts.authorId,
        hiddenAt: forumPosts.hiddenAt,
      });
    await afterTopicWrite(tx, topic.id);
    return row ?? null;
  });
  if (!updated) return failure(404, {}, "Message introuvable.");
  const path = postPath(topic.categorySlug, topic, postId);
  if (updated === "unchanged" || updated.hiddenAt) return { ok: true, value: { path } };
  const [author] = updated.authorId
    ? await db.select({ name: users.name }).from(users).where(eq(users.id, updated.authorId))
    : [];
  realtime()
    ?.to(rooms.topic(topic.id))
    .emit("post:updated", {
      topicId: topic.id,
      post: livePost({ ...updated, authorName: author?.name ?? null }),
    });
  return { ok: true, value: { path } };
}

/** Soft delete by the author or a moderator: the post keeps its place as "message supprimé". */
export async function deletePost(
  user: AuthUser,
  postId: number,
): Promise<Result<{ path: string }>> {
  const found = await postWithTopic(user, postId);
  if (!found) return failure(404, {}, "Message introuvable.");
  const { topic } = found;
  if (found.post.authorId !== user.id && !isModerator(user)) {
    return failure(403, {}, "Vous ne pouvez supprimer que vos propres messages.");
  }
  const changed = await db.transaction(async (tx) => {
    const rows = await tx
      .update(forumPosts)
      .set({ deletedAt: sql`now()`, deletedBy: user.id })
      .where(and(eq(forumPosts.id, postId), isNull(forumPosts.deletedAt)))
      .returning({ hiddenAt: forumPosts.hiddenAt });
    if (rows.length > 0) {
      if (!rows[0]?.hiddenAt) await bumpPostCount(tx, topic.id, -1);
      await afterTopicWrite(tx, topic.id);
    }
    return rows.length > 0;
  });
  if (changed) {
    realtime()?.to(rooms.topic(topic.id)).emit("post:deleted", { topicId: topic.id, postId });
  }
  return { ok: true, value: { path: topicPath(topic.categorySlug, topic) } };
}

async function bumpPostCount(tx: Executor, topicId: number, delta: number) {
  await tx
    .update(forumTopics)
    .set({ postCount: sql`greatest(${forumTopics.postCount} + ${delta}, 0)` })
    .where(eq(forumTopics.id, topicId));
}

/** Previous versions of a post, newest first (readable by whoever may read the post). */
export async function postRevisions(viewer: Viewer, postId: number) {
  const found = await postWithTopic(viewer, postId);
  if (!found) return null;
  const [post] = await db
    .select({
      deletedAt: forumPosts.deletedAt,
      hiddenAt: forumPosts.hiddenAt,
      html: forumPosts.html,
      editedAt: forumPosts.editedAt,
    })
    .from(forumPosts)
    .where(eq(forumPosts.id, postId));
  if (!post || post.deletedAt || (post.hiddenAt && !isModerator(viewer))) return null;
  const revisions = await db
    .select({
      id: forumPostRevisions.id,
      html: forumPostRevisions.html,
      replacedAt: forumPostRevisions.replacedAt,
    })
    .from(forumPostRevisions)
    .where(eq(forumPostRevisions.postId, postId))
    .orderBy(desc(forumPostRevisions.id));
  return { current: post, revisions };
}

// ——— Mentions and notifications ———

const MENTION_PATTERN = /(?:^|[^\p{L}\p{N}_@.])@([\p{L}\p{N}][\p{L}\p{N}-]{1,60})/gu;

/** The distinct `@prenom-nom` handles of a text (handle = slug of the member's name). */
export function extractMentions(body: string) {
  const handles = new Set<string>();
  for (const match of body.matchAll(MENTION_PATTERN)) {
    const handle = slugify(match[1] ?? "");
    if (handle) handles.add(handle);
  }
  return [...handles];
}

export function mentionHandle(name: string) {
  return slugify(name);
}

/** An accent-insensitive regular expression matching names whose slug is `handle`. */
function nameRegex(handle: string) {
  const letters: Record<string, string> = {
    a: "aàâäáã",
    c: "cç",
    e: "eéèêë",
    i: "iîïíì",
    o: "oôöóò",
    u: "uùûüú",
    y: "yÿ",
    n: "nñ",
  };
  const body = [...handle]
    .map((char) => {
      if (char === "-") return "[^[:alnum:]]+";
      const set = letters[char];
      return set ? `[${set}]` : char.replace(/[^a-z0-9]/g, "");
    })
    .join("");
  return `^[^[:alnum:]]*${body}[^[:alnum:]]*$`;
}

async function resolveMentions(tx: Executor, handles: string[]) {
  if (handles.length === 0) return [];
  const rows = await tx
    .select({ id: users.id, name: users.name, roles: users.roles })
    .from(users)
    .where(or(...handles.map((handle) => sql`${users.name} ~* ${nameRegex(handle)}`)));
  return rows.filter((row) => handles.includes(slugify(row.name)));
}

type NotifyInput = {
  author: AuthUser;
  topic: { id: number; slug: string; title: string };
  category: { id: number; slug: string; requiredRole: Role | null };
  postId: number;
  body: string;
  topicAuthorId: string | null;
  replyToAuthorId: string | null;
};

/**
 * Decides who hears about a new post: mentions, replies to one's topic or post, and people who
 * follow the topic or category. A muted topic or category silences everything; only people who
 * may read the category are told (a mention never leaks a restricted title).
 */
async function notifyForPost(tx: Executor, input: NotifyInput): Promise<SavedNotification[]> {
  const { author, topic, category } = input;
  const handles = extractMentions(input.body).slice(0, MAX_MENTIONS);
  const mentioned = await resolveMentions(tx, handles);
  const kinds = new Map<string, "mention" | "reply" | "watching">();
  for (const user of mentioned) kinds.set(user.id, "mention");
  for (const id of [input.replyToAuthorId, input.topicAuthorId]) {
    if (id && !kinds.has(id)) kinds.set(id, "reply");
  }
  const follows = await tx
    .select({
      userId: forumFollows.userId,
      level: forumFollows.level,
      topicId: forumFollows.topicId,
    })
    .from(forumFollows)
    .where(or(eq(forumFollows.topicId, topic.id), eq(forumFollows.categoryId, category.id)));
  const levels = new Map<string, FollowLevel>();
  // A topic's level overrides the category's.
  for (const follow of follows.filter((f) => f.topicId === null))
    levels.set(follow.userId, follow.level);
  for (const follow of follows.filter((f) => f.topicId !== null))
    levels.set(follow.userId, follow.level);
  for (const [userId, level] of levels) {
    if (level === "watching" && !kinds.has(userId)) kinds.set(userId, "watching");
    if (level === "muted") kinds.delete(userId);
  }
  kinds.delete(author.id);
  if (kinds.size === 0) return [];
  const recipients = await tx
    .select({ id: users.id, roles: users.roles })
    .from(users)
    .where(inArray(users.id, [...kinds.keys()]));
  const path = postPath(category.slug, topic, input.postId);
  const texts = {
    mention: `${ACTOR} vous a mentionné·e dans « ${topic.title} »`,
    reply: `${ACTOR} a répondu dans « ${topic.title} »`,
    watching: `Nouveau message de ${ACTOR} dans « ${topic.title} »`,
    moderation: "",
  };
  const items = recipients
    .filter((r) => holds(r.roles, category.requiredRole))
    .map((r) => {
      const kind = kinds.get(r.id) ?? "watching";
      return { userId: r.id, kind, text: texts[kind], url: path, actorId: author.id };
    });
  return createNotifications(tx, items);
}

// ——— Follow levels ———

export async function getFollowLevel(userId: string, topic: Topic): Promise<FollowLevel> {
  const rows = await db
    .select({ topicId: forumFollows.topicId, level: forumFollows.level })
    .from(forumFollows)
    .where(
      and(
        eq(forumFollows.userId, userId),
        or(eq(forumFollows.topicId, topic.id), eq(forumFollows.categoryId, topic.categoryId)),
      ),
    );
  return (rows.find((r) => r.topicId !== null) ?? rows[0])?.level ?? "normal";
}

export async function getCategoryFollowLevel(userId: string, categoryId: number) {
  const [row] = await db
    .select({ level: forumFollows.level })
    .from(forumFollows)
    .where(and(eq(forumFollows.userId, userId), eq(forumFollows.categoryId, categoryId)));
  return row?.level ?? "normal";
}

/** Sets the follow level of a topic or a category the user may read. */
export async function setFollowLevel(
  user: AuthUser,
  target: { topicId: number } | { categoryId: number },
  level: FollowLevel,
) {
  if ("topicId" in target) {
    if (!(await getTopic(user, target.topicId))) return false;
    await db
      .delete(forumFollows)
      .where(and(eq(forumFollows.userId, user.id), eq(forumFollows.topicId, target.topicId)));
    await db.insert(forumFollows).values({ userId: user.id, topicId: target.topicId, level });
    return true;
  }
  const [category] = await db
    .select({ id: forumCategories.id })
    .from(forumCategories)
    .where(and(eq(forumCategories.id, target.categoryId), readableCategory(user)));
  if (!category) return false;
  await db
    .delete(forumFollows)
    .where(and(eq(forumFollows.userId, user.id), eq(forumFollows.categoryId, category.id)));
  await db.insert(forumFollows).values({ userId: user.id, categoryId: category.id, level });
  return true;
}

// ——— Reports and moderation ———

export async function reportPost(
  user: AuthUser,
  postId: number,
  reason: string,
): Promise<Result<null>> {
  const found = await postWithTopic(user, postId);
  if (!found) return failure(404, {}, "Message introuvable.");
  try {
    await db.insert(forumReports).values({ postId, reporterId: user.id, reason });
  } catch (error) {
    // Reporting the same post twice while the first report is open changes nothing.
    if (!isUniqueViolation(error)) throw error;
  }
  return { ok: true, value: null };
}

export async function listOpenReports() {
  const rows = await db
    .select({
      id: forumReports.id,
      reason: forumReports.reason,
      createdAt: forumReports.createdAt,
      reporterName: sql<
        string | null
      >`(select name from ${users} where id = ${forumReports.reporterId})`,
      postId: forumPosts.id,
      postHtml: forumPosts.html,
      postHidden: isNotNull(forumPosts.hiddenAt),
      postDeleted: isNotNull(forumPosts.deletedAt),
      authorName: users.name,
      topicId: forumTopics.id,
      topicTitle: forumTopics.title,
      topicSlug: forumTopics.slug,
      categorySlug: forumCategories.slug,
    })
    .from(forumReports)
    .innerJoin(forumPosts, eq(forumPosts.id, forumReports.postId))
    .leftJoin(users, eq(users.id, forumPosts.authorId))
    .innerJoin(forumTopics, eq(forumTopics.id, forumPosts.topicId))
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(eq(forumReports.status, "open"))
    .orderBy(asc(forumReports.createdAt))
    .limit(100);
  return rows.map((row) => ({
    ...row,
    authorName: row.authorName ?? FORMER_MEMBER,
    reporterName: row.reporterName ?? FORMER_MEMBER,
    path: postPath(row.categorySlug, { id: row.topicId, slug: row.topicSlug }, row.postId),
  }));
}

export async function listHiddenPosts() {
  const rows = await db
    .select({
      postId: forumPosts.id,
      postHtml: forumPosts.html,
      hiddenAt: forumPosts.hiddenAt,
      authorName: users.name,
      topicId: forumTopics.id,
      topicTitle: forumTopics.title,
      topicSlug: forumTopics.slug,
      categorySlug: forumCategories.slug,
    })
    .from(forumPosts)
    .leftJoin(users, eq(users.id, forumPosts.authorId))
    .innerJoin(forumTopics, eq(forumTopics.id, forumPosts.topicId))
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(and(isNotNull(forumPosts.hiddenAt), isNull(forumPosts.deletedAt)))
    .orderBy(desc(forumPosts.hiddenAt))
    .limit(100);
  return rows.map((row) => ({
    ...row,
    authorName: row.authorName ?? FORMER_MEMBER,
    path: postPath(row.categorySlug, { id: row.topicId, slug: row.topicSlug }, row.postId),
  }));
}

function requireModerator(user: AuthUser) {
  return isModerator(user) ? null : failure(403, {}, "Réservé à la modération.");
}

/**
 * Hides or restores a post (moderators). Open reports on it are closed, and the author and the
 * reporters hear the outcome.
 */
export async function moderatePost(
  moderator: AuthUser,
  postId: number,
  decision: "hide" | "restore" | "dismiss",
): Promise<Result<null>> {
  const denied = requireModerator(moderator);
  if (denied) return denied;
  const found = await postWithTopic(moderator, postId);
  if (!found) return failure(404, {}, "Message introuvable.");
  const { topic } = found;
  const path = postPath(topic.categorySlug, topic, postId);
  const result = await db.transaction(async (tx) => {
    let changed = false;
    if (decision !== "dismiss") {
      const rows = await tx
        .update(forumPosts)
        .set(
          decision === "hide"
            ? { hiddenAt: sql`now()`, hiddenBy: moderator.id }
            : { hiddenAt: null, hiddenBy: null },
        )
        .where(
          and(
            eq(forumPosts.id, postId),
            isNull(forumPosts.deletedAt),
            decision === "hide" ? isNull(forumPosts.hiddenAt) : isNotNull(forumPosts.hiddenAt),
          ),
        )
        .returning({ id: forumPosts.id });
      changed = rows.length > 0;
      if (changed) await bumpPostCount(tx, topic.id, decision === "hide" ? -1 : 1);
    }
    const reports = await tx
      .update(forumReports)
      .set({
        status: decision === "hide" ? "hidden" : "dismissed",
        decidedAt: sql`now()`,
        decidedBy: moderator.id,
      })
      .where(and(eq(forumReports.postId, postId), eq(forumReports.status, "open")))
      .returning({ reporterId: forumReports.reporterId });
    const items: NewNotification[] = [];
    if (changed && found.post.authorId && found.post.authorId !== moderator.id) {
      items.push({
        userId: found.post.authorId,
        kind: "moderation",
        text:
          decision === "hide"
            ? `Votre message dans « ${topic.title} » a été masqué par la modération.`
            : `Votre message dans « ${topic.title} » a été rétabli par la modération.`,
        url: path,
      });
    }
    for (const report of reports) {
      if (!report.reporterId) continue;
      items.push({
        userId: report.reporterId,
        kind: "moderation",
        text:
          decision === "hide"
            ? `Merci : le message que vous avez signalé dans « ${topic.title} » a été masqué.`
            : `Le message que vous avez signalé dans « ${topic.title} » a été examiné et conservé.`,
        url: path,
      });
    }
    if (changed) await afterTopicWrite(tx, topic.id);
    return { changed, notified: await createNotifications(tx, items) };
  });
  if (result.changed) {
    const io = realtime();
    if (decision === "hide") {
      io?.to(rooms.topic(topic.id)).emit("post:deleted", { topicId: topic.id, postId });
    } else if (io) {
      const [post] = await listPostsAfter(topic.id, postId - 1, 1);
      if (post && post.id === postId) {
        io.to(rooms.topic(topic.id)).emit("post:updated", { topicId: topic.id, post });
      }
    }
  }
  await publishNotifications(result.notified);
  return { ok: true, value: null };
}

export async function setTopicFlags(
  moderator: AuthUser,
  topicId: number,
  flags: { locked?: boolean; pinned?: boolean },
): Promise<Result<null>> {
  const denied = requireModerator(moderator);
  if (denied) return denied;
  if (!(await getTopic(moderator, topicId))) return failure(404, {}, "Sujet introuvable.");
  await db.update(forumTopics).set(flags).where(eq(forumTopics.id, topicId));
  return { ok: true, value: null };
}

export async function moveTopic(
  moderator: AuthUser,
  topicId: number,
  categorySlug: string,
): Promise<Result<{ path: string }>> {
  const denied = requireModerator(moderator);
  if (denied) return denied;
  const topic = await getTopic(moderator, topicId);
  const category = await getCategory(moderator, categorySlug);
  if (!topic) return failure(404, {}, "Sujet introuvable.");
  if (!category) return failure(400, { category: ["Choisissez une catégorie existante."] });
  await db.transaction(async (tx) => {
    await tx
      .update(forumTopics)
      .set({ categoryId: category.id })
      .where(eq(forumTopics.id, topicId));
    await afterTopicWrite(tx, topicId);
  });
  // Sockets of people who may no longer read the topic are dropped from its room.
  if (category.requiredRole) {
    const sockets = (await realtime()?.in(rooms.topic(topicId)).fetchSockets()) ?? [];
    for (const socket of sockets) {
      if (!holds(socket.data.user.roles as Role[], category.requiredRole)) {
        socket.leave(rooms.topic(topicId));
      }
    }
  }
  return { ok: true, value: { path: topicPath(category.slug, topic) } };
}

// ——— Search and other domains ———

/** Topics matching `q` among those the viewer may read; null when the search engine is down. */
export function searchForumTopics(q: string, viewer: Viewer) {
  return searchTopics(q, viewer?.roles ?? null);
}

/** Called inside every transaction that changes what the search index shows of a topic. */
async function afterTopicWrite(tx: Executor, topicId: number) {
  await enqueueIndexing(tx, TOPICS_INDEX, String(topicId));
}

/** A deleted account's posts stay, signed "ancien membre"; its private traces go. */
export async function anonymiseForumAuthor(tx: Executor, userId: string) {
  await tx.update(forumPosts).set({ authorId: null }).where(eq(forumPosts.authorId, userId));
  await tx.update(forumTopics).set({ authorId: null }).where(eq(forumTopics.authorId, userId));
  await tx.delete(forumFollows).where(eq(forumFollows.userId, userId));
  await tx.delete(forumReads).where(eq(forumReads.userId, userId));
}

/** A person's posts, for the RGPD export. */
export async function forumPostsOfAccount(userId: string) {
  return db
    .select({
      id: forumPosts.id,
      topicId: forumPosts.topicId,
      body: forumPosts.body,
      createdAt: forumPosts.createdAt,
    })
    .from(forumPosts)
    .where(eq(forumPosts.authorId, userId));
}
