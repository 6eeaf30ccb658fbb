import { and, eq, inArray, notInArray, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  forumCategories,
  forumCategoryGrants,
  forumTopicGrants,
  forumTopics,
  type Role,
} from "../../db/schema";
import { realtime } from "../../realtime/hub";
import { rooms } from "../../realtime/protocol";
import type { SearchViewer } from "../../search/topics";
import type { AuthUser } from "../utils/auth.server";

/**
 * Topics opened to named people inside a restricted category (the jury's deliberation on one
 * application): the forum pages, posting, search and sockets stay those of the forums; another
 * domain only says who is in.
 */

/** SQL: the topic of the current row is granted to the viewer. */
export function topicGrantedTo(userId: string) {
  return sql<boolean>`exists (select 1 from ${forumTopicGrants}
    where ${forumTopicGrants.topicId} = ${forumTopics.id} and ${forumTopicGrants.userId} = ${userId})`;
}

/** SQL: the category of the current row is granted to the viewer (a working group's members). */
export function categoryGrantedTo(userId: string) {
  return sql<boolean>`exists (select 1 from ${forumCategoryGrants}
    where ${forumCategoryGrants.categoryId} = ${forumCategories.id}
    and ${forumCategoryGrants.userId} = ${userId})`;
}

/**
 * A category another domain needs, created on first use (its slug is its identity): restricted to
 * a role, or open to every member when `requiredRole` is null (the council's topics).
 */
export async function ensureRestrictedCategory(category: {
  slug: string;
  title: string;
  description: string;
  requiredRole: Role | null;
}) {
  await db.insert(forumCategories).values(category).onConflictDoNothing();
  const [row] = await db
    .select({ id: forumCategories.id })
    .from(forumCategories)
    .where(eq(forumCategories.slug, category.slug));
  if (!row) throw new Error(`forum category ${category.slug} is missing`);
  return row.id;
}

/**
 * Makes `userIds` exactly the people granted on a topic. People who lose the grant leave the
 * topic's socket room at once, so a conflict declared mid-deliberation ends their reading.
 */
export async function setTopicGrants(tx: Executor, topicId: number, userIds: string[]) {
  const removed = await tx
    .delete(forumTopicGrants)
    .where(
      and(
        eq(forumTopicGrants.topicId, topicId),
        userIds.length > 0 ? notInArray(forumTopicGrants.userId, userIds) : undefined,
      ),
    )
    .returning({ userId: forumTopicGrants.userId });
  if (userIds.length > 0) {
    await tx
      .insert(forumTopicGrants)
      .values(userIds.map((userId) => ({ topicId, userId })))
      .onConflictDoNothing();
  }
  return removed.map((row) => row.userId);
}

/** After commit: sockets of people who lost the grant leave the topic's room. */
export async function leaveTopicRoom(topicId: number, userIds: string[]) {
  if (userIds.length === 0) return;
  const sockets = (await realtime()?.in(rooms.topic(topicId)).fetchSockets()) ?? [];
  for (const socket of sockets) {
    if (userIds.includes(socket.data.user.id) && !socket.data.user.roles.includes("admin")) {
      socket.leave(rooms.topic(topicId));
    }
  }
}

export async function grantedUsers(topicIds: number[]) {
  if (topicIds.length === 0) return [];
  return db
    .select({ topicId: forumTopicGrants.topicId, userId: forumTopicGrants.userId })
    .from(forumTopicGrants)
    .where(inArray(forumTopicGrants.topicId, topicIds));
}

/** Grants a whole category to a person, or takes it back (returns whether it was held). */
export async function setCategoryGrant(
  tx: Executor,
  categoryId: number,
  userId: string,
  granted: boolean,
) {
  if (granted) {
    await tx.insert(forumCategoryGrants).values({ categoryId, userId }).onConflictDoNothing();
    return true;
  }
  const removed = await tx
    .delete(forumCategoryGrants)
    .where(
      and(eq(forumCategoryGrants.categoryId, categoryId), eq(forumCategoryGrants.userId, userId)),
    )
    .returning({ userId: forumCategoryGrants.userId });
  return removed.length > 0;
}

/**
 * The grants that `userIds` hold on these categories and topics, as `user:c<category>` and
 * `user:t<topic>` keys: what a batch of résumés reads once for all its members.
 */
export async function grantKeysAmong(
  userIds: string[],
  place: { categoryIds: number[]; topicIds: number[] },
) {
  if (userIds.length === 0) return new Set<string>();
  const [byCategory, byTopic] = await Promise.all([
    place.categoryIds.length === 0
      ? []
      : db
          .select({
            userId: forumCategoryGrants.userId,
            categoryId: forumCategoryGrants.categoryId,
          })
          .from(forumCategoryGrants)
          .where(
            and(
              inArray(forumCategoryGrants.userId, userIds),
              inArray(forumCategoryGrants.categoryId, place.categoryIds),
            ),
          ),
    place.topicIds.length === 0
      ? []
      : db
          .select({ userId: forumTopicGrants.userId, topicId: forumTopicGrants.topicId })
          .from(forumTopicGrants)
          .where(
            and(
              inArray(forumTopicGrants.userId, userIds),
              inArray(forumTopicGrants.topicId, place.topicIds),
            ),
          ),
  ]);
  return new Set([
    ...byCategory.map((row) => `${row.userId}:c${row.categoryId}`),
    ...byTopic.map((row) => `${row.userId}:t${row.topicId}`),
  ]);
}

/** After commit: a person who lost a category's grant leaves the rooms of all its topics. */
export async function leaveCategoryRooms(categoryId: number, userId: string) {
  const topics = await db
    .select({ id: forumTopics.id })
    .from(forumTopics)
    .where(eq(forumTopics.categoryId, categoryId));
  for (const topic of topics) await leaveTopicRoom(topic.id, [userId]);
}

/** Among `userIds`, those granted the topic or its whole category (who may be notified). */
export async function grantedAmong(
  tx: Executor,
  place: { categoryId: number; topicId: number },
  userIds: string[],
) {
  if (userIds.length === 0) return new Set<string>();
  const [byCategory, byTopic] = await Promise.all([
    tx
      .select({ userId: forumCategoryGrants.userId })
      .from(forumCategoryGrants)
      .where(
        and(
          eq(forumCategoryGrants.categoryId, place.categoryId),
          inArray(forumCategoryGrants.userId, userIds),
        ),
      ),
    tx
      .select({ userId: forumTopicGrants.userId })
      .from(forumTopicGrants)
      .where(
        and(eq(forumTopicGrants.topicId, place.topicId), inArray(forumTopicGrants.userId, userIds)),
      ),
  ]);
  return new Set([...byCategory, ...byTopic].map((row) => row.userId));
}

/**
 * Who searches, as the search engine's filter needs it: roles, and the categories and topics
 * granted by name, read in one query per search (none for a visitor or an admin, who reads all).
 */
export async function searchViewerOf(
  viewer: Pick<AuthUser, "id" | "roles"> | null,
): Promise<SearchViewer> {
  if (!viewer) return null;
  if (viewer.roles.includes("admin")) {
    return { roles: viewer.roles, grantedCategorySlugs: [], grantedTopicIds: [] };
  }
  const granted = await db
    .select({
      // Typed as the other half of the union sees it.
      categorySlug: sql<string | null>`${forumCategories.slug}`,
      topicId: sql<number | null>`null::int`,
    })
    .from(forumCategoryGrants)
    .innerJoin(forumCategories, eq(forumCategories.id, forumCategoryGrants.categoryId))
    .where(eq(forumCategoryGrants.userId, viewer.id))
    .unionAll(
      db
        .select({ categorySlug: sql<string | null>`null::text`, topicId: forumTopicGrants.topicId })
        .from(forumTopicGrants)
        .where(eq(forumTopicGrants.userId, viewer.id)),
    );
  return {
    roles: viewer.roles,
    grantedCategorySlugs: granted.flatMap((row) => (row.categorySlug ? [row.categorySlug] : [])),
    grantedTopicIds: granted.flatMap((row) => (row.topicId === null ? [] : [row.topicId])),
  };
}
