import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  forumCategories,
  forumFollows,
  forumPosts,
  forumReads,
  memberships,
  type FollowLevel,
} from "../../db/schema";
import type { AuthUser } from "../utils/auth.server";
import { getTopic, isModerator, readableCategory, type Topic, type Viewer } from "./forums.server";

/** Read marks (how far each member has read a topic) and follow levels of topics and categories. */

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
    mayWrite: isModerator(viewer) || Boolean(row?.approved) || topic.granted,
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
