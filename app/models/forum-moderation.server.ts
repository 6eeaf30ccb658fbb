import { and, asc, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";

import { db } from "../../db/client";
import { forumCategories, forumPosts, forumReports, forumTopics, users } from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { rooms } from "../../realtime/protocol";
import type { AuthUser } from "../utils/auth.server";
import { consume } from "../utils/rate-limit.server";
import { afterCommit, pagesChanged } from "./after-commit.server";
import { bumpPostCount, nextTopicChange, readLivePost } from "./forum-changes.server";
import { postWithTopic } from "./forum-posts.server";
import {
  afterTopicWrite,
  FORMER_MEMBER,
  getCategory,
  getTopic,
  isModerator,
  postPath,
  readableCategory,
  rolesMayRead,
  topicPages,
  topicPath,
  type Viewer,
} from "./forums.server";
import {
  createNotifications,
  publishNotifications,
  type NewNotification,
} from "./notifications.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/** Reports by members, the moderation queue, and what moderators do to posts and topics. */

export async function reportPost(
  user: AuthUser,
  postId: number,
  reason: string,
): Promise<Result<null>> {
  const found = await postWithTopic(user, postId);
  if (!found) return failure(404, {}, "Message introuvable.");
  await consume("forum-report", user.id);
  try {
    await db.insert(forumReports).values({ postId, reporterId: user.id, reason });
  } catch (error) {
    // Reporting the same post twice while the first report is open changes nothing.
    if (!isUniqueViolation(error)) throw error;
  }
  return { ok: true, value: null };
}

/** What the moderation queue shows of a post and where it stands. */
const queuedPostColumns = {
  postId: forumPosts.id,
  postHtml: forumPosts.html,
  authorName: users.name,
  topicId: forumTopics.id,
  topicTitle: forumTopics.title,
  topicSlug: forumTopics.slug,
  categorySlug: forumCategories.slug,
};

function withPostPath<
  T extends {
    categorySlug: string;
    topicId: number;
    topicSlug: string;
    postId: number;
    authorName: string | null;
  },
>(row: T) {
  return {
    ...row,
    authorName: row.authorName ?? FORMER_MEMBER,
    path: postPath(row.categorySlug, { id: row.topicId, slug: row.topicSlug }, row.postId),
  };
}

/** Open reports on posts the moderator may read (a restricted category stays restricted). */
export async function listOpenReports(moderator: Viewer) {
  const rows = await db
    .select({
      id: forumReports.id,
      reason: forumReports.reason,
      createdAt: forumReports.createdAt,
      reporterName: sql<
        string | null
      >`(select name from ${users} where id = ${forumReports.reporterId})`,
      postHidden: isNotNull(forumPosts.hiddenAt),
      postDeleted: isNotNull(forumPosts.deletedAt),
      ...queuedPostColumns,
    })
    .from(forumReports)
    .innerJoin(forumPosts, eq(forumPosts.id, forumReports.postId))
    .leftJoin(users, eq(users.id, forumPosts.authorId))
    .innerJoin(forumTopics, eq(forumTopics.id, forumPosts.topicId))
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(and(eq(forumReports.status, "open"), readableCategory(moderator)))
    .orderBy(asc(forumReports.createdAt))
    .limit(100);
  return rows.map((row) => ({
    ...withPostPath(row),
    reporterName: row.reporterName ?? FORMER_MEMBER,
  }));
}

/** Hidden posts the moderator may read, most recently hidden first. */
export async function listHiddenPosts(moderator: Viewer) {
  const rows = await db
    .select({ ...queuedPostColumns, hiddenAt: forumPosts.hiddenAt })
    .from(forumPosts)
    .leftJoin(users, eq(users.id, forumPosts.authorId))
    .innerJoin(forumTopics, eq(forumTopics.id, forumPosts.topicId))
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(
      and(
        isNotNull(forumPosts.hiddenAt),
        isNull(forumPosts.deletedAt),
        readableCategory(moderator),
      ),
    )
    .orderBy(desc(forumPosts.hiddenAt))
    .limit(100);
  return rows.map(withPostPath);
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
    let changeId: number | null = null;
    if (decision !== "dismiss") {
      const next = await nextTopicChange(tx, topic.id);
      const rows =
        next === null
          ? []
          : await tx
              .update(forumPosts)
              .set(
                decision === "hide"
                  ? { hiddenAt: sql`now()`, hiddenBy: moderator.id, changeId: next }
                  : { hiddenAt: null, hiddenBy: null, changeId: next },
              )
              .where(
                and(
                  eq(forumPosts.id, postId),
                  isNull(forumPosts.deletedAt),
                  decision === "hide"
                    ? isNull(forumPosts.hiddenAt)
                    : isNotNull(forumPosts.hiddenAt),
                ),
              )
              .returning({ id: forumPosts.id });
      if (rows.length > 0) {
        changeId = next;
        await bumpPostCount(tx, topic.id, decision === "hide" ? -1 : 1);
      }
    }
    const changed = changeId !== null;
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
    if (changed) await afterTopicWrite(tx, topic.id, [postId]);
    return { changeId, notified: await createNotifications(tx, items) };
  });
  const { changeId } = result;
  if (changeId !== null) {
    await pagesChanged(topicPages(topic));
    await afterCommit(`post ${decision}`, async () => {
      const room = rooms.topic(topic.id);
      if (decision === "hide") {
        realtime()
          ?.to(room)
          .emit("post:deleted", { topicId: topic.id, postId, reason: "hidden", changeId });
        return;
      }
      const post = realtime() ? await readLivePost(postId) : null;
      if (post) realtime()?.to(room).emit("post:updated", { topicId: topic.id, post });
    });
  }
  await afterCommit("forum notifications", () => publishNotifications(result.notified));
  return { ok: true, value: null };
}

export async function setTopicFlags(
  moderator: AuthUser,
  topicId: number,
  flags: { locked?: boolean; pinned?: boolean },
): Promise<Result<null>> {
  const denied = requireModerator(moderator);
  if (denied) return denied;
  const topic = await getTopic(moderator, topicId);
  if (!topic) return failure(404, {}, "Sujet introuvable.");
  await db.update(forumTopics).set(flags).where(eq(forumTopics.id, topicId));
  await pagesChanged(topicPages(topic));
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
    await afterTopicWrite(tx, topicId, "all");
  });
  await pagesChanged([
    ...topicPages(topic),
    ...topicPages({ id: topicId, categoryId: category.id }),
  ]);
  const { requiredRole } = category;
  if (requiredRole) {
    // Sockets of people who may no longer read the topic are dropped from its room.
    await afterCommit("topic room after a move", async () => {
      const sockets = (await realtime()?.in(rooms.topic(topicId)).fetchSockets()) ?? [];
      for (const socket of sockets) {
        if (!rolesMayRead(socket.data.user.roles, requiredRole)) {
          socket.leave(rooms.topic(topicId));
        }
      }
    });
  }
  return { ok: true, value: { path: topicPath(category.slug, topic) } };
}
