import { and, desc, eq, isNull, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  forumCategories,
  forumFollows,
  forumPostRevisions,
  forumPosts,
  forumReads,
  forumTopics,
  users,
} from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { rooms } from "../../realtime/protocol";
import type { AuthUser } from "../utils/auth.server";
import { TITLE_MAX_LENGTH } from "../utils/forum-schemas";
import { renderMarkdown } from "../utils/markdown.server";
import { pageTags } from "../utils/page-cache.server";
import { consume } from "../utils/rate-limit.server";
import { slugify } from "../utils/text";
import { afterCommit, pagesChanged } from "./after-commit.server";
import { bumpPostCount, livePost, nextTopicChange } from "./forum-changes.server";
import { notifyForPost } from "./forum-mentions.server";
import { markRead } from "./forum-reading.server";
import {
  afterTopicWrite,
  canWrite,
  getCategory,
  getTopic,
  isModerator,
  notMember,
  postPath,
  topicPages,
  topicPath,
  type Viewer,
} from "./forums.server";
import { publishNotifications } from "./notifications.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/** Writing topics and posts: create, edit, delete, and the history of edits. */

export const INITIATIVES_CATEGORY = "initiatives";

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
  if (category.locked && !isModerator(author)) {
    return failure(409, {}, "Cette catégorie est en lecture seule : elle n'accepte plus de sujet.");
  }
  if (input.idempotencyKey) {
    const existing = await findByIdempotencyKey(author.id, input.idempotencyKey);
    if (existing) return { ok: true, value: existing };
  }
  // Moderators open topics as part of their work (the jury's deliberations, announcements).
  if (!isModerator(author)) await consume("forum-topic", author.id);
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
          lastChangeId: 1,
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
        changeId: 1,
      });
      await tx
        .update(forumTopics)
        .set({ postCount: 1, lastPostId: post.id, lastActivityAt: post.createdAt })
        .where(eq(forumTopics.id, topic.id));
      await tx
        .insert(forumReads)
        .values({ userId: author.id, topicId: topic.id, lastReadPostId: post.id });
      const notified = await notifyForPost(tx, {
        author,
        topic: { id: topic.id, slug, title: input.title },
        category,
        postId: post.id,
        body: input.body,
        topicAuthorId: author.id,
        replyToAuthorId: null,
      });
      await afterTopicWrite(tx, topic.id);
      return { topicId: topic.id, postId: post.id, notified };
    });
    await pagesChanged(topicPages({ id: created.topicId, categoryId: category.id }));
    await afterCommit("forum notifications", () => publishNotifications(created.notified));
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
    changeId: number;
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
  if (!topic.granted && !(await canWrite(author))) return notMember();
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
      // Locks the topic row first: posts of a topic are serialised, so their ids follow commit
      // order and "after id N" never skips a post that committed late.
      const changeId = await nextTopicChange(tx, topic.id);
      if (changeId === null) return null;
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
        changeId,
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
      await afterTopicWrite(tx, topic.id, [post.id]);
      // One commit for everything: each commit waits for the disk, and this path is on the clock
      // of everyone waiting for the post to appear.
      await markRead(author.id, topic.id, post.id, tx);
      return { post, replyToId, notified, changeId };
    });
  } catch (error) {
    if (isUniqueViolation(error) && input.idempotencyKey) {
      const existing = await findByIdempotencyKey(author.id, input.idempotencyKey);
      if (existing) return { ok: true, value: existing };
    }
    throw error;
  }
  if (!created) return failure(404, {}, "Sujet introuvable.");
  const { post, replyToId, changeId, notified } = created;
  await pagesChanged(topicPages(topic));
  await afterCommit("post:created", () =>
    realtime()
      ?.to(rooms.topic(topic.id))
      .emit("post:created", {
        topicId: topic.id,
        post: {
          id: post.id,
          author: { id: author.id, name: author.name },
          html,
          createdAt: post.createdAt.toISOString(),
          replyToId,
          editedAt: null,
          changeId,
        },
      }),
  );
  await afterCommit("forum notifications", () => publishNotifications(notified));
  return {
    ok: true,
    value: { postId: post.id, path: postPath(topic.categorySlug, topic, post.id), created: true },
  };
}

/** A post with its topic, when the viewer may read that topic. */
export async function postWithTopic(viewer: Viewer, postId: number) {
  const [row] = await db
    .select({ id: forumPosts.id, topicId: forumPosts.topicId, authorId: forumPosts.authorId })
    .from(forumPosts)
    .where(eq(forumPosts.id, postId));
  if (!row) return null;
  const topic = await getTopic(viewer, row.topicId);
  return topic ? { post: row, topic } : null;
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
    const changeId = await nextTopicChange(tx, topic.id);
    const [current] = await tx
      .select({ body: forumPosts.body, html: forumPosts.html, deletedAt: forumPosts.deletedAt })
      .from(forumPosts)
      .where(eq(forumPosts.id, postId))
      .for("update");
    if (changeId === null || !current || current.deletedAt) return null;
    if (current.body === body) return "unchanged" as const;
    await tx
      .insert(forumPostRevisions)
      .values({ postId, body: current.body, html: current.html, editorId: editor.id });
    const [row] = await tx
      .update(forumPosts)
      .set({ body, html, editedAt: sql`now()`, changeId })
      .where(eq(forumPosts.id, postId))
      .returning({
        id: forumPosts.id,
        html: forumPosts.html,
        createdAt: forumPosts.createdAt,
        editedAt: forumPosts.editedAt,
        replyToId: forumPosts.replyToId,
        authorId: forumPosts.authorId,
        hiddenAt: forumPosts.hiddenAt,
        changeId: forumPosts.changeId,
      });
    await afterTopicWrite(tx, topic.id, [postId]);
    return row ?? null;
  });
  if (!updated) return failure(404, {}, "Message introuvable.");
  const path = postPath(topic.categorySlug, topic, postId);
  if (updated === "unchanged") return { ok: true, value: { path } };
  await pagesChanged([pageTags.topic(topic.id)]);
  if (updated.hiddenAt) return { ok: true, value: { path } };
  await afterCommit("post:updated", async () => {
    const [author] = updated.authorId
      ? await db.select({ name: users.name }).from(users).where(eq(users.id, updated.authorId))
      : [];
    realtime()
      ?.to(rooms.topic(topic.id))
      .emit("post:updated", {
        topicId: topic.id,
        post: livePost({ ...updated, authorName: author?.name ?? null }),
      });
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
  const changeId = await db.transaction(async (tx) => {
    const next = await nextTopicChange(tx, topic.id);
    if (next === null) return null;
    const rows = await tx
      .update(forumPosts)
      .set({ deletedAt: sql`now()`, deletedBy: user.id, changeId: next })
      .where(and(eq(forumPosts.id, postId), isNull(forumPosts.deletedAt)))
      .returning({ hiddenAt: forumPosts.hiddenAt });
    if (rows.length === 0) return null;
    if (!rows[0]?.hiddenAt) await bumpPostCount(tx, topic.id, -1);
    await afterTopicWrite(tx, topic.id, [postId]);
    return next;
  });
  if (changeId !== null) {
    await pagesChanged(topicPages(topic));
    await afterCommit("post:deleted", () =>
      realtime()
        ?.to(rooms.topic(topic.id))
        .emit("post:deleted", { topicId: topic.id, postId, reason: "deleted", changeId }),
    );
  }
  return { ok: true, value: { path: topicPath(topic.categorySlug, topic) } };
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

// ——— Account lifecycle ———

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
