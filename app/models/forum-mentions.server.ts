import { eq, inArray, or, sql } from "drizzle-orm";

import type { Executor } from "../../db/client";
import { forumFollows, users, type FollowLevel, type Role } from "../../db/schema";
import type { AuthUser } from "../utils/auth.server";
import { slugify } from "../utils/text";
import { grantedAmong } from "./forum-grants.server";
import { postPath, rolesMayRead } from "./forums.server";
import { ACTOR, createNotifications, type SavedNotification } from "./notifications.server";

/** Mentions beyond this number in one post notify nobody (mass-mention spam). */
export const MAX_MENTIONS = 10;

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
export async function notifyForPost(
  tx: Executor,
  input: NotifyInput,
): Promise<SavedNotification[]> {
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
  };
  // Grants matter only in restricted categories; public ones skip the look-up.
  const granted =
    category.requiredRole === null
      ? new Set<string>()
      : await grantedAmong(
          tx,
          { categoryId: category.id, topicId: topic.id },
          recipients.map((r) => r.id),
        );
  const items = recipients
    .filter((r) => rolesMayRead(r.roles, category.requiredRole) || granted.has(r.id))
    .map((r) => {
      const kind = kinds.get(r.id) ?? "watching";
      return { userId: r.id, kind, text: texts[kind], url: path, actorId: author.id };
    });
  return createNotifications(tx, items);
}
