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
import { headerText, type MailItem } from "../mail/compose.server";
import { formatDateTime } from "../utils/dates";
import type { Frequency, PreferenceKind } from "../utils/notification-preferences";
import { matchesDuring } from "./alert-matches.server";
import { grantKeysAmong } from "./forum-grants.server";
import { rolesMayRead } from "./forums.server";
import { labelDates } from "./mail-digest-label.server";
import { notificationText } from "./notifications.server";

/**
 * What a résumé can tell, one source per kind of preference. A source prepares once per period
 * (what is new for everybody) and then answers for a batch of members at a time, so a run over
 * 10,000 members never holds more than a batch in memory.
 *
 * Label dates have their own module (mail-digest-label.server.ts), built like the others.
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
const SECTION_SIZE = 8;
/** New items looked at per period: far more than a week of the network. */
const PERIOD_CAP = 2_000;

/** The first SECTION_SIZE items of a member's list, and how many there are in all. */
function firstItems<T>(list: T[], toItem: (entry: T) => MailItem): SourceItems {
  return { items: list.slice(0, SECTION_SIZE).map(toItem), total: list.length };
}

/** A source whose news are the same for everybody: each member gets those that concern them. */
function matchEach<T>(
  rows: T[],
  concerns: (member: DigestMember, row: T) => boolean,
  toItem: (row: T) => MailItem,
): PreparedSource {
  return async (members) =>
    new Map(
      members.map((member) => [
        member.id,
        firstItems(
          rows.filter((row) => concerns(member, row)),
          toItem,
        ),
      ]),
    );
}

/** Someone else's piece on one of the member's themes, or in their département (or région). */
function nearOrOnTheme(
  member: DigestMember,
  row: { createdBy: string | null; themes: string[]; departmentCode: string | null },
  regionCode?: string | null,
) {
  return (
    row.createdBy !== member.id &&
    (row.themes.some((theme) => member.themes.includes(theme)) ||
      (member.departmentCode !== null && row.departmentCode === member.departmentCode) ||
      (member.regionCode !== null && regionCode === member.regionCode))
  );
}

/** Per member, from rows already narrowed to a batch and in the order to show. */
function groupByMember<T extends { userId: string }>(rows: T[], toItem: (row: T) => MailItem) {
  const lists = new Map<string, T[]>();
  for (const row of rows) {
    const list = lists.get(row.userId);
    if (list) list.push(row);
    else lists.set(row.userId, [row]);
  }
  return new Map([...lists].map(([userId, list]) => [userId, firstItems(list, toItem)]));
}

/** Initiatives or events published during the period. */
function publishedDuring(table: typeof initiatives | typeof events, period: DigestPeriod) {
  return and(
    eq(table.status, "published"),
    gte(table.publishedAt, period.start),
    lt(table.publishedAt, period.end),
  );
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
      .where(publishedDuring(initiatives, period))
      .orderBy(desc(initiatives.publishedAt))
      .limit(PERIOD_CAP);
    return matchEach(
      rows,
      (member, row) => nearOrOnTheme(member, row),
      (row) => ({
        title: row.title,
        url: `${origin}/initiatives/${row.slug}`,
        detail: `${row.collectivityName} — ${headerText(row.summary, 140)}`,
      }),
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
      .where(and(publishedDuring(events, period), gte(events.startsAt, period.end)))
      .orderBy(events.startsAt)
      .limit(PERIOD_CAP);
    return matchEach(
      rows,
      (member, row) => nearOrOnTheme(member, row, row.regionCode),
      (row) => ({
        title: row.title,
        url: `${origin}/evenements/${row.slug}`,
        detail: [formatDateTime(row.startsAt, row.timeZone), row.venue].filter(Boolean).join(" — "),
      }),
    );
  },
};

/**
 * Topics the member watches (the topic itself, or its category unless the topic says otherwise)
 * that got visible posts from others during the period, among those the member may read now. The
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
      // Read now, not when the follow was set: someone who left a working group keeps their
      // follow of its category but is no longer told about it.
      const grants = await grantKeysAmong([...new Set(follows.map((f) => f.userId))], {
        categoryIds,
        topicIds: active.map((t) => t.id),
      });
      const result = new Map<string, SourceItems>();
      for (const member of members) {
        const news = active.flatMap((topic) => {
          // A topic's own level overrides its category's.
          const level =
            levels.get(`${member.id}:${topic.id}`) ??
            levels.get(`${member.id}:c${topic.categoryId}`);
          // The topic page's rule: by role, or granted the category or the topic by name.
          const readable =
            rolesMayRead(member.roles, topic.requiredRole) ||
            grants.has(`${member.id}:c${topic.categoryId}`) ||
            grants.has(`${member.id}:t${topic.id}`);
          const posts = activity.get(topic.id)!;
          const count = posts.total - (posts.byAuthor.get(member.id) ?? 0);
          return level === "watching" && readable && count > 0 ? [{ topic, count }] : [];
        });
        result.set(
          member.id,
          firstItems(news, ({ topic, count }) => ({
            title: topic.title,
            // The path of a topic page (forums: topicPath).
            url: `${origin}/forums/${topic.categorySlug}/${topic.id}-${topic.slug}`,
            detail: `${count} nouveau${count > 1 ? "x" : ""} message${count > 1 ? "s" : ""}`,
          })),
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
        .select({ userId: notifications.userId, text: notificationText, url: notifications.url })
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

/**
 * What the member's alerts ("m'alerter") matched during the period, item by item: the in-app
 * side gives one notification a day, the résumé the list. Alerts share the new-initiatives
 * preference, as their notifications do.
 */
const alertNews: DigestSource = {
  kind: "initiatives",
  title: "Nouveautés de vos alertes",
  morePath: "/compte/alertes",
  immediateByNotification: true,
  prepare: async (period, origin) => async (members) => {
    const rows = await matchesDuring(
      members.map((member) => member.id),
      period.start,
      period.end,
    );
    return groupByMember(rows, (row) => ({
      title: row.title,
      url: origin + row.path,
      detail: `alerte ${row.alertLabel}`,
    }));
  },
};

/** Every source a résumé draws from, in the order of its sections. */
export const digestSources: DigestSource[] = [
  unreadNotifications("mentions", "Mentions et réponses", ["mention", "reply"]),
  followedTopics,
  newInitiatives,
  newEvents,
  alertNews,
  labelDates,
  unreadNotifications("moderation", "Décisions de modération", ["moderation"]),
];
