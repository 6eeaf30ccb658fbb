import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";

import { db } from "../../db/client";
import {
  collectivities,
  events,
  forumCategories,
  forumFollows,
  forumPosts,
  forumTopics,
  initiatives,
  notifications,
  type Role,
} from "../../db/schema";
import type { MailItem } from "../mail/compose.server";
import { formatDateTime } from "../utils/dates";
import type { Frequency, PreferenceKind } from "../utils/notification-preferences";

/**
 * What a résumé can tell, one source per kind of preference. A source prepares once per period
 * (what is new for everybody) and then answers for a batch of members at a time, so a run over
 * 10,000 members never holds more than a batch in memory.
 *
 * Label dates: the label module adds its source to `digestSources` below (kind "label"), built
 * like the others: prepare the period's deadlines, then pick each member's applications.
 */

export type DigestMember = {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  frequencies: Record<PreferenceKind, Frequency>;
  themes: string[];
  departmentCode: string | null;
  regionCode: string | null;
};

export type DigestPeriod = {
  frequency: Exclude<Frequency, "never">;
  key: string;
  start: Date;
  end: Date;
};

export type SourceItems = { items: MailItem[]; total: number };
export type PreparedSource = (members: DigestMember[]) => Promise<Map<string, SourceItems>>;

export type DigestSource = {
  kind: PreferenceKind;
  title: string;
  /** The page listing everything of this kind, for "et N autres". */
  morePath: string;
  /** Kinds sent one by one by the notification hook when "immediately": no sweep for them. */
  immediateByNotification?: boolean;
  prepare: (period: DigestPeriod, origin: string) => Promise<PreparedSource>;
};

/** Items listed per section; the rest is counted and linked. */
export const SECTION_SIZE = 8;
/** New items looked at per period: far more than a week of the network. */
const PERIOD_CAP = 2_000;

function shorten(text: string, max = 140) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

function pick<T>(rows: T[], matches: (row: T) => boolean, toItem: (row: T) => MailItem) {
  const chosen = rows.filter(matches);
  return { items: chosen.slice(0, SECTION_SIZE).map(toItem), total: chosen.length };
}

const sharesTheme = (mine: string[], theirs: string[]) => theirs.some((t) => mine.includes(t));

/** Per member, from rows already narrowed to a batch: keeps the first SECTION_SIZE of each. */
function groupByMember<T extends { userId: string }>(rows: T[], toItem: (row: T) => MailItem) {
  const grouped = new Map<string, SourceItems>();
  for (const row of rows) {
    const entry = grouped.get(row.userId) ?? { items: [], total: 0 };
    if (entry.items.length < SECTION_SIZE) entry.items.push(toItem(row));
    entry.total += 1;
    grouped.set(row.userId, entry);
  }
  return grouped;
}

const newInitiatives: DigestSource = {
  kind: "initiatives",
  title: "Nouvelles initiatives dans vos thèmes ou votre département",
  morePath: "/initiatives",
  prepare: async (period, origin) => {
    const rows = await db
      .select({
        slug: initiatives.slug,
        title: initiatives.title,
        summary: initiatives.summary,
        themes: initiatives.themes,
        createdBy: initiatives.createdBy,
        collectivityName: collectivities.name,
        departmentCode: collectivities.departmentCode,
      })
      .from(initiatives)
      .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode))
      .where(
        and(
          eq(initiatives.status, "published"),
          gte(initiatives.publishedAt, period.start),
          lt(initiatives.publishedAt, period.end),
        ),
      )
      .orderBy(desc(initiatives.publishedAt))
      .limit(PERIOD_CAP);
    return async (members) =>
      new Map(
        members.map((member) => [
          member.id,
          pick(
            rows,
            (row) =>
              row.createdBy !== member.id &&
              (sharesTheme(member.themes, row.themes) ||
                (member.departmentCode !== null && row.departmentCode === member.departmentCode)),
            (row) => ({
              title: row.title,
              url: `${origin}/initiatives/${row.slug}`,
              detail: `${row.collectivityName} — ${shorten(row.summary)}`,
            }),
          ),
        ]),
      );
  },
};

const newEvents: DigestSource = {
  kind: "events",
  title: "Événements à venir près de chez vous ou sur vos thèmes",
  morePath: "/evenements",
  prepare: async (period, origin) => {
    const rows = await db
      .select({
        slug: events.slug,
        title: events.title,
        startsAt: events.startsAt,
        timeZone: events.timeZone,
        venue: events.venue,
        themes: events.themes,
        departmentCode: events.departmentCode,
        regionCode: events.regionCode,
        createdBy: events.createdBy,
      })
      .from(events)
      .where(
        and(
          eq(events.status, "published"),
          gte(events.publishedAt, period.start),
          lt(events.publishedAt, period.end),
          gte(events.startsAt, period.end),
        ),
      )
      .orderBy(events.startsAt)
      .limit(PERIOD_CAP);
    return async (members) =>
      new Map(
        members.map((member) => [
          member.id,
          pick(
            rows,
            (row) =>
              row.createdBy !== member.id &&
              (sharesTheme(member.themes, row.themes) ||
                (member.departmentCode !== null && row.departmentCode === member.departmentCode) ||
                (member.regionCode !== null && row.regionCode === member.regionCode)),
            (row) => ({
              title: row.title,
              url: `${origin}/evenements/${row.slug}`,
              detail: [formatDateTime(row.startsAt, row.timeZone), row.venue]
                .filter(Boolean)
                .join(" — "),
            }),
          ),
        ]),
      );
  },
};

/**
 * Topics the member watches (the topic itself, or its category unless the topic says otherwise)
 * that got visible posts from others during the period, in categories the member may read. The
 * period's active topics and their posts per author are read once (every post moves its topic's
 * `last_activity_at`); each batch then only reads its members' follows of those.
 */
const followedTopics: DigestSource = {
  kind: "followed-topics",
  title: "Discussions que vous suivez",
  morePath: "/forums",
  immediateByNotification: true,
  prepare: async (period, origin) => {
    const topics = await db
      .select({
        id: forumTopics.id,
        slug: forumTopics.slug,
        title: forumTopics.title,
        categoryId: forumTopics.categoryId,
        categorySlug: forumCategories.slug,
        requiredRole: forumCategories.requiredRole,
      })
      .from(forumTopics)
      .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
      .where(gte(forumTopics.lastActivityAt, period.start))
      .limit(PERIOD_CAP);
    const counts =
      topics.length === 0
        ? []
        : await db
            .select({
              topicId: forumPosts.topicId,
              authorId: forumPosts.authorId,
              posts: sql<number>`count(*)::int`,
              last: sql<string>`max(${forumPosts.createdAt})::text`,
            })
            .from(forumPosts)
            .where(
              and(
                inArray(
                  forumPosts.topicId,
                  topics.map((t) => t.id),
                ),
                gte(forumPosts.createdAt, period.start),
                lt(forumPosts.createdAt, period.end),
                isNull(forumPosts.deletedAt),
                isNull(forumPosts.hiddenAt),
              ),
            )
            .groupBy(forumPosts.topicId, forumPosts.authorId);
    const activity = new Map<
      number,
      { total: number; last: string; byAuthor: Map<string, number> }
    >();
    for (const row of counts) {
      const entry = activity.get(row.topicId) ?? { total: 0, last: "", byAuthor: new Map() };
      entry.total += row.posts;
      if (row.last > entry.last) entry.last = row.last;
      if (row.authorId) entry.byAuthor.set(row.authorId, row.posts);
      activity.set(row.topicId, entry);
    }
    const active = topics
      .filter((topic) => activity.has(topic.id))
      .sort((a, b) => (activity.get(b.id)!.last > activity.get(a.id)!.last ? 1 : -1));
    const categoryIds = [...new Set(active.map((topic) => topic.categoryId))];
    return async (members) => {
      if (members.length === 0 || active.length === 0) return new Map();
      const follows = await db
        .select({
          userId: forumFollows.userId,
          topicId: forumFollows.topicId,
          categoryId: forumFollows.categoryId,
          level: forumFollows.level,
        })
        .from(forumFollows)
        .where(
          and(
            inArray(
              forumFollows.userId,
              members.map((m) => m.id),
            ),
            or(
              inArray(
                forumFollows.topicId,
                active.map((t) => t.id),
              ),
              inArray(forumFollows.categoryId, categoryIds),
            ),
          ),
        );
      const levels = new Map(
        follows.map((f) => [`${f.userId}:${f.topicId ?? `c${f.categoryId}`}`, f.level]),
      );
      const result = new Map<string, SourceItems>();
      for (const member of members) {
        const news = active.flatMap((topic) => {
          // A topic's own level overrides its category's.
          const level =
            levels.get(`${member.id}:${topic.id}`) ??
            levels.get(`${member.id}:c${topic.categoryId}`);
          const readable =
            topic.requiredRole === null ||
            member.roles.includes("admin") ||
            member.roles.includes(topic.requiredRole);
          const posts = activity.get(topic.id)!;
          const count = posts.total - (posts.byAuthor.get(member.id) ?? 0);
          return level === "watching" && readable && count > 0 ? [{ topic, count }] : [];
        });
        result.set(
          member.id,
          pick(
            news,
            () => true,
            ({ topic, count }) => ({
              title: topic.title,
              // The path of a topic page (forums: topicPath).
              url: `${origin}/forums/${topic.categorySlug}/${topic.id}-${topic.slug}`,
              detail: `${count} nouveau${count > 1 ? "x" : ""} message${count > 1 ? "s" : ""}`,
            }),
          ),
        );
      }
      return result;
    };
  },
};

/** In-app notifications of a kind the member asked to get in a résumé, still unread. */
function unreadNotifications(
  kind: PreferenceKind,
  title: string,
  notificationKinds: Array<(typeof notifications.kind.enumValues)[number]>,
): DigestSource {
  return {
    kind,
    title,
    morePath: "/notifications",
    immediateByNotification: true,
    prepare: async (period, origin) => async (members) => {
      if (members.length === 0) return new Map();
      const rows = await db
        .select({ userId: notifications.userId, text: notifications.text, url: notifications.url })
        .from(notifications)
        .where(
          and(
            inArray(
              notifications.userId,
              members.map((m) => m.id),
            ),
            inArray(notifications.kind, notificationKinds),
            isNull(notifications.readAt),
            gte(notifications.createdAt, period.start),
            lt(notifications.createdAt, period.end),
          ),
        )
        .orderBy(notifications.userId, desc(notifications.id));
      return groupByMember(rows, (row) => ({ title: row.text, url: origin + row.url }));
    },
  };
}

/** Every source a résumé draws from, in the order of its sections. */
export const digestSources: DigestSource[] = [
  unreadNotifications("mentions", "Mentions et réponses", ["mention", "reply"]),
  followedTopics,
  newInitiatives,
  newEvents,
  unreadNotifications("moderation", "Décisions de modération", ["moderation"]),
];
