import { and, asc, count, desc, eq, gt, inArray, lte, or, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  alertDays,
  alertMatches,
  alerts,
  appMeta,
  collectivities,
  events,
  initiatives,
  notifications,
  type AlertItemType,
  type AlertKind,
} from "../../db/schema";
import { EVENTS_INDEX } from "../../search/events";
import { publishedMatching } from "../../search/federated";
import { INITIATIVES_INDEX } from "../../search/initiatives";
import { instantToLocal, PARIS } from "../utils/dates";
import { themeLabel, themeSlugs } from "../utils/themes";
import { afterCommit } from "./after-commit.server";
import { createNotifications, publishNotifications } from "./notifications.server";
import { failure, type Result } from "./result.server";
import { indexingPendingBefore } from "./search-outbox.server";

/**
 * "M'alerter": a member follows a theme, a département, a collectivity or a saved search, and
 * hears of each new initiative or event that matches. A background run looks at what was
 * published since the previous run; each person gets at most one notification a day, rewritten
 * as the day's matches grow, so a busy theme never floods anyone.
 */

export const MAX_ALERTS = 50;

const WATERMARK = "alerts:watermark";
/** Publications younger than this wait for the next run: their transaction may not be visible. */
const SETTLE_MS = 60_000;
/** One run at a time across app instances and workers. */
const ALERTS_LOCK = 7_301_013;

export const dayOf = (instant: Date) => instantToLocal(instant, PARIS).slice(0, 10);

/** The value as stored: a search is kept as typed, trimmed and with single spaces. */
export function alertValue(kind: AlertKind, value: string) {
  const trimmed = value.trim().replace(/\s+/g, " ");
  return kind === "department" ? trimmed.toUpperCase() : trimmed;
}

export async function findAlert(userId: string, kind: AlertKind, value: string) {
  const [row] = await db
    .select({ id: alerts.id })
    .from(alerts)
    .where(
      and(
        eq(alerts.userId, userId),
        eq(alerts.kind, kind),
        eq(alerts.value, alertValue(kind, value)),
      ),
    );
  return row ?? null;
}

async function valueExists(kind: AlertKind, value: string) {
  if (kind === "search") return value.length > 0 && value.length <= 200;
  if (kind === "theme") return themeSlugs.includes(value);
  const code = kind === "department" ? `dep-${value}` : value;
  const [row] = await db
    .select({ code: collectivities.code })
    .from(collectivities)
    .where(eq(collectivities.code, code));
  return Boolean(row);
}

/** Follows something; following it again changes nothing. */
export async function addAlert(
  userId: string,
  kind: AlertKind,
  rawValue: string,
): Promise<Result<{ id: number }>> {
  const value = alertValue(kind, rawValue);
  if (!(await valueExists(kind, value))) {
    return failure(422, { value: ["Ce que vous voulez suivre est introuvable."] });
  }
  const existing = await findAlert(userId, kind, value);
  if (existing) return { ok: true, value: existing };
  const [row] = await db.select({ total: count() }).from(alerts).where(eq(alerts.userId, userId));
  if ((row?.total ?? 0) >= MAX_ALERTS) {
    return failure(
      422,
      {},
      `Vous suivez déjà ${MAX_ALERTS} sujets : retirez-en un avant d'en ajouter un autre.`,
    );
  }
  const [created] = await db
    .insert(alerts)
    .values({ userId, kind, value })
    .onConflictDoNothing()
    .returning({ id: alerts.id });
  return { ok: true, value: created ?? (await findAlert(userId, kind, value)) ?? { id: 0 } };
}

export async function removeAlert(userId: string, id: number) {
  const removed = await db
    .delete(alerts)
    .where(and(eq(alerts.userId, userId), eq(alerts.id, id)))
    .returning({ id: alerts.id });
  return removed.length > 0;
}

/** What an alert follows, in words: « Cybersécurité », « Morbihan (56) », « "wifi public" ». */
async function labelsOf(rows: Array<{ kind: AlertKind; value: string }>) {
  const codes = rows.flatMap((row) =>
    row.kind === "department"
      ? [`dep-${row.value}`]
      : row.kind === "collectivity"
        ? [row.value]
        : [],
  );
  const names = new Map(
    codes.length === 0
      ? []
      : (
          await db
            .select({ code: collectivities.code, name: collectivities.name })
            .from(collectivities)
            .where(inArray(collectivities.code, codes))
        ).map((row) => [row.code, row.name]),
  );
  return (row: { kind: AlertKind; value: string }) => {
    if (row.kind === "theme") return themeLabel(row.value);
    if (row.kind === "department")
      return `${names.get(`dep-${row.value}`) ?? row.value} (${row.value})`;
    if (row.kind === "collectivity") return names.get(row.value) ?? row.value;
    return `« ${row.value} »`;
  };
}

export async function listAlerts(userId: string) {
  const rows = await db
    .select({ id: alerts.id, kind: alerts.kind, value: alerts.value, createdAt: alerts.createdAt })
    .from(alerts)
    .where(eq(alerts.userId, userId))
    .orderBy(asc(alerts.kind), asc(alerts.value));
  const label = await labelsOf(rows);
  return rows.map((row) => ({ ...row, label: label(row) }));
}

// ——— Matching (background run) ———

type NewItem = {
  type: AlertItemType;
  id: string;
  title: string;
  path: string;
  themes: string[];
  department: string | null;
  collectivities: string[];
  createdBy: string | null;
};

async function publishedBetween(from: Date, to: Date): Promise<NewItem[]> {
  const [newInitiatives, newEvents] = await Promise.all([
    db
      .select({
        id: initiatives.id,
        title: initiatives.title,
        slug: initiatives.slug,
        themes: initiatives.themes,
        department: collectivities.departmentCode,
        collectivityCode: initiatives.collectivityCode,
        createdBy: initiatives.createdBy,
      })
      .from(initiatives)
      .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode))
      .where(
        and(
          eq(initiatives.status, "published"),
          gt(initiatives.publishedAt, from),
          lte(initiatives.publishedAt, to),
        ),
      ),
    db
      .select({
        id: events.id,
        title: events.title,
        slug: events.slug,
        themes: events.themes,
        department: events.departmentCode,
        collectivityCode: events.collectivityCode,
        communeCode: events.communeCode,
        createdBy: events.createdBy,
      })
      .from(events)
      .where(
        and(
          eq(events.status, "published"),
          gt(events.publishedAt, from),
          lte(events.publishedAt, to),
        ),
      ),
  ]);
  return [
    ...newInitiatives.map((row) => ({
      type: "initiative" as const,
      id: row.id,
      title: row.title,
      path: `/initiatives/${row.slug}`,
      themes: row.themes,
      department: row.department,
      collectivities: [row.collectivityCode],
      createdBy: row.createdBy,
    })),
    ...newEvents.map((row) => ({
      type: "event" as const,
      id: row.id,
      title: row.title,
      path: `/evenements/${row.slug}`,
      themes: row.themes,
      department: row.department,
      collectivities: [row.collectivityCode, ...(row.communeCode ? [row.communeCode] : [])],
      createdBy: row.createdBy,
    })),
  ];
}

type Match = { userId: string; alertId: number; item: NewItem };

/** Every (person, alert, item) pair among what was just published. */
async function matchAlerts(items: NewItem[], from: Date, to: Date): Promise<Match[]> {
  const themes = [...new Set(items.flatMap((item) => item.themes))];
  const departments = [
    ...new Set(items.flatMap((item) => (item.department ? [item.department] : []))),
  ];
  const codes = [...new Set(items.flatMap((item) => item.collectivities))];
  const candidates = await db
    .select({ id: alerts.id, userId: alerts.userId, kind: alerts.kind, value: alerts.value })
    .from(alerts)
    .where(
      or(
        themes.length > 0
          ? and(eq(alerts.kind, "theme"), inArray(alerts.value, themes))
          : undefined,
        departments.length > 0
          ? and(eq(alerts.kind, "department"), inArray(alerts.value, departments))
          : undefined,
        codes.length > 0
          ? and(eq(alerts.kind, "collectivity"), inArray(alerts.value, codes))
          : undefined,
        eq(alerts.kind, "search"),
      ),
    );
  const matches: Match[] = [];
  const searches = new Map<string, typeof candidates>();
  for (const alert of candidates) {
    if (alert.kind === "search") {
      searches.set(alert.value, [...(searches.get(alert.value) ?? []), alert]);
      continue;
    }
    for (const item of items) {
      const hit =
        (alert.kind === "theme" && item.themes.includes(alert.value)) ||
        (alert.kind === "department" && item.department === alert.value) ||
        (alert.kind === "collectivity" && item.collectivities.includes(alert.value));
      if (hit) matches.push({ userId: alert.userId, alertId: alert.id, item });
    }
  }
  // A saved search asks the index, once per distinct query, what it finds among the new items.
  const byKey = new Map(items.map((item) => [`${item.type}:${item.id}`, item]));
  for (const [q, followers] of searches) {
    const found = await publishedMatching(q, from.getTime(), to.getTime());
    const hits = [
      ...found.initiatives.map((id) => byKey.get(`initiative:${id}`)),
      ...found.events.map((id) => byKey.get(`event:${id}`)),
    ].filter((item): item is NewItem => item !== undefined);
    for (const alert of followers) {
      for (const item of hits) matches.push({ userId: alert.userId, alertId: alert.id, item });
    }
  }
  // Nobody is alerted about what they published themselves.
  return matches.filter((match) => match.item.createdBy !== match.userId);
}

/**
 * One run: what was published since the last run (and has settled), matched against every
 * alert, recorded, and told to each person in their one notification of the day. Skipped while
 * another run holds the lock, and while the search index has not caught up with those
 * publications (saved searches ask it). Returns what it did.
 */
export async function runAlertMatching(now = new Date()) {
  const to = new Date(now.getTime() - SETTLE_MS);
  const outcome = await db.transaction(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }>(
      sql`select pg_try_advisory_xact_lock(${ALERTS_LOCK}) as locked`,
    );
    if (!lock?.locked) return { status: "busy" as const };
    const [mark] = await tx
      .select({ value: appMeta.value })
      .from(appMeta)
      .where(eq(appMeta.key, WATERMARK));
    const advance = (until: Date) =>
      tx
        .insert(appMeta)
        .values({ key: WATERMARK, value: until.toISOString() })
        .onConflictDoUpdate({
          target: appMeta.key,
          set: { value: until.toISOString(), updatedAt: now },
        });
    // The first run starts the clock: what existed before alerts ran is not news.
    if (!mark) {
      await advance(to);
      return { status: "started" as const };
    }
    const from = new Date(mark.value);
    if (to <= from) return { status: "idle" as const };
    if (await indexingPendingBefore(tx, [INITIATIVES_INDEX, EVENTS_INDEX], to)) {
      return { status: "index-behind" as const };
    }
    const items = await publishedBetween(from, to);
    const matches = items.length > 0 ? await matchAlerts(items, from, to) : [];
    const saved = await recordMatches(tx, matches, dayOf(now));
    await advance(to);
    return { status: "done" as const, items: items.length, matches: matches.length, saved };
  });
  if (outcome.status === "done" && outcome.saved.length > 0) {
    const saved = outcome.saved;
    await afterCommit("alert notifications", () => publishNotifications(saved));
  }
  return outcome;
}

async function recordMatches(tx: Executor, matches: Match[], day: string) {
  if (matches.length === 0) return [];
  const inserted = await tx
    .insert(alertMatches)
    .values(
      matches.map((match) => ({
        userId: match.userId,
        alertId: match.alertId,
        itemType: match.item.type,
        itemId: match.item.id,
        day,
      })),
    )
    .onConflictDoNothing()
    .returning({ userId: alertMatches.userId });
  const people = [...new Set(inserted.map((row) => row.userId))];
  const saved = [];
  for (const userId of people) saved.push(...(await rewriteDayNotification(tx, userId, day)));
  return saved;
}

/**
 * The person's one alert notification of the day, written anew (so it is unread and on top):
 * the item itself when there is one, the day's list when there are several.
 */
async function rewriteDayNotification(tx: Executor, userId: string, day: string) {
  const items = await matchesOfDay(userId, day, tx);
  if (items.length === 0) return [];
  const [previous] = await tx
    .select({ notificationId: alertDays.notificationId })
    .from(alertDays)
    .where(and(eq(alertDays.userId, userId), eq(alertDays.day, day)));
  if (previous?.notificationId) {
    await tx.delete(notifications).where(eq(notifications.id, previous.notificationId));
  }
  const first = items[0]!;
  const text =
    items.length === 1
      ? `Nouveau pour votre alerte ${first.alertLabel} : ${first.title}`
      : `${items.length} nouveautés aujourd'hui pour vos alertes, dont « ${first.title} »`;
  const url = items.length === 1 ? first.path : `/compte/alertes?jour=${day}`;
  const saved = await createNotifications(tx, [{ userId, kind: "alert", text, url }]);
  await tx
    .insert(alertDays)
    .values({ userId, day, notificationId: saved[0]?.id ?? null })
    .onConflictDoUpdate({
      target: [alertDays.userId, alertDays.day],
      set: { notificationId: saved[0]?.id ?? null },
    });
  return saved;
}

/**
 * A person's matches of a day, newest first, each still published (an item unpublished since is
 * left out). Also the extension point of the email digest: it lists exactly what the day held.
 */
export async function matchesOfDay(userId: string, day: string, executor: Executor = db) {
  const rows = await executor
    .select({
      itemType: alertMatches.itemType,
      itemId: alertMatches.itemId,
      createdAt: alertMatches.createdAt,
      alertKind: alerts.kind,
      alertValue: alerts.value,
      initiativeTitle: initiatives.title,
      initiativeSlug: initiatives.slug,
      eventTitle: events.title,
      eventSlug: events.slug,
    })
    .from(alertMatches)
    .leftJoin(alerts, eq(alerts.id, alertMatches.alertId))
    .leftJoin(
      initiatives,
      and(
        eq(alertMatches.itemType, "initiative"),
        eq(initiatives.id, alertMatches.itemId),
        eq(initiatives.status, "published"),
      ),
    )
    .leftJoin(
      events,
      and(
        eq(alertMatches.itemType, "event"),
        eq(events.id, alertMatches.itemId),
        eq(events.status, "published"),
      ),
    )
    .where(and(eq(alertMatches.userId, userId), eq(alertMatches.day, day)))
    .orderBy(desc(alertMatches.id));
  const label = await labelsOf(
    rows.flatMap((row) =>
      row.alertKind && row.alertValue ? [{ kind: row.alertKind, value: row.alertValue }] : [],
    ),
  );
  return rows.flatMap((row) => {
    const title = row.initiativeTitle ?? row.eventTitle;
    const slug = row.initiativeSlug ?? row.eventSlug;
    if (!title || !slug) return [];
    return [
      {
        type: row.itemType,
        id: row.itemId,
        title,
        path: row.itemType === "initiative" ? `/initiatives/${slug}` : `/evenements/${slug}`,
        alertLabel:
          row.alertKind && row.alertValue
            ? label({ kind: row.alertKind, value: row.alertValue })
            : "supprimée depuis",
        matchedAt: row.createdAt,
      },
    ];
  });
}

/** The recent days that had matches, newest first, with their counts. */
export async function recentAlertDays(userId: string, limit = 14) {
  return db
    .select({ day: alertMatches.day, total: count() })
    .from(alertMatches)
    .where(eq(alertMatches.userId, userId))
    .groupBy(alertMatches.day)
    .orderBy(desc(alertMatches.day))
    .limit(limit);
}

/** What a person follows, what matched and their daily notifications, for the RGPD export. */
export async function alertsOfAccount(userId: string) {
  const [followed, matches, days] = await Promise.all([
    listAlerts(userId),
    db
      .select({
        alertId: alertMatches.alertId,
        itemType: alertMatches.itemType,
        itemId: alertMatches.itemId,
        day: alertMatches.day,
        createdAt: alertMatches.createdAt,
      })
      .from(alertMatches)
      .where(eq(alertMatches.userId, userId)),
    db
      .select({ day: alertDays.day, notificationId: alertDays.notificationId })
      .from(alertDays)
      .where(eq(alertDays.userId, userId)),
  ]);
  return { followed, matches, days };
}
