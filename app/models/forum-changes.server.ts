import { and, asc, eq, gt, isNull, lte, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import { forumPosts, forumTopics, users } from "../../db/schema";
import type { LivePost, PostChange } from "../../realtime/protocol";
import { FORMER_MEMBER } from "./forums.server";

/**
 * The change log of a topic's posts: each creation, edit, hiding, restoration or deletion takes
 * the topic's next change number, which lets a reconnecting client ask what changed after the
 * last number it saw, and tells two states of one post apart.
 */

/**
 * Takes the topic's next change number. The update locks the topic row until commit, so the
 * changes of a topic commit in number order and "changes after N" never skips one. Every write to
 * a topic's posts takes it first, which also keeps one lock order: the topic, then its posts.
 */
export async function nextTopicChange(tx: Executor, topicId: number) {
  const [row] = await tx
    .update(forumTopics)
    .set({ lastChangeId: sql`${forumTopics.lastChangeId} + 1` })
    .where(eq(forumTopics.id, topicId))
    .returning({ changeId: forumTopics.lastChangeId });
  return row?.changeId ?? null;
}

export async function bumpPostCount(tx: Executor, topicId: number, delta: number) {
  await tx
    .update(forumTopics)
    .set({ postCount: sql`greatest(${forumTopics.postCount} + ${delta}, 0)` })
    .where(eq(forumTopics.id, topicId));
}

/** Posts with what a live copy of them needs (and whether they were deleted or hidden). */
const livePostRows = () =>
  db
    .select({
      id: forumPosts.id,
      html: forumPosts.html,
      replyToId: forumPosts.replyToId,
      createdAt: forumPosts.createdAt,
      editedAt: forumPosts.editedAt,
      authorId: forumPosts.authorId,
      authorName: users.name,
      changeId: forumPosts.changeId,
      deletedAt: forumPosts.deletedAt,
      hiddenAt: forumPosts.hiddenAt,
    })
    .from(forumPosts)
    .leftJoin(users, eq(users.id, forumPosts.authorId));

export function livePost(row: {
  id: number;
  html: string;
  createdAt: Date;
  editedAt: Date | null;
  replyToId: number | null;
  authorId: string | null;
  authorName: string | null;
  changeId: number;
}): LivePost {
  return {
    id: row.id,
    author: { id: row.authorId, name: row.authorName ?? FORMER_MEMBER },
    html: row.html,
    createdAt: row.createdAt.toISOString(),
    replyToId: row.replyToId,
    editedAt: row.editedAt?.toISOString() ?? null,
    changeId: row.changeId,
  };
}

// ——— What a reconnecting client missed ———

/** The visible posts after `afterId`, in order: what a reconnecting client missed. */
export async function listPostsAfter(topicId: number, afterId: number, limit = 100) {
  const rows = await livePostRows()
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
  return rows.map(livePost);
}

/**
 * The posts up to `upTo` whose latest change (edit, hiding, restoring, deletion) is after change
 * `since`, oldest change first, each in its current state: what a client that already shows those
 * posts missed while it was away.
 */
export async function listPostChanges(
  topicId: number,
  { upTo, since, limit }: { upTo: number; since: number; limit: number },
): Promise<PostChange[]> {
  const rows = await livePostRows()
    .where(
      and(
        eq(forumPosts.topicId, topicId),
        gt(forumPosts.changeId, since),
        lte(forumPosts.id, upTo),
      ),
    )
    .orderBy(asc(forumPosts.changeId))
    .limit(limit);
  return rows.map((row) => {
    const state = row.deletedAt ? "deleted" : row.hiddenAt ? "hidden" : "visible";
    return {
      id: row.id,
      changeId: row.changeId,
      state,
      post: state === "visible" ? livePost(row) : null,
    };
  });
}

/** One visible post as pushed live (a post restored by the moderation). */
export async function readLivePost(postId: number) {
  const [row] = await livePostRows().where(
    and(eq(forumPosts.id, postId), isNull(forumPosts.deletedAt), isNull(forumPosts.hiddenAt)),
  );
  return row ? livePost(row) : null;
}
