import { and, asc, count, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  alertMatches,
  alerts,
  collectivities,
  events,
  initiatives,
  type AlertKind,
} from "../../db/schema";
import { themeLabel } from "../utils/themes";

/**
 * What alerts matched, read back: a person's day (the page and the day's notification), a period
 * for several people (the email digest), and alerts put in words.
 */

/** What an alert follows, in words: « Cybersécurité », « Morbihan (56) », « "wifi public" ». */
export async function labelsOf(rows: Array<{ kind: AlertKind; value: string }>) {
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

/**
 * A person's matches of a day, newest first, each still published (an item unpublished since is
 * left out).
 */
export async function matchesOfDay(userId: string, day: string, executor: Executor = db) {
  return matchesWhere(and(eq(alertMatches.userId, userId), eq(alertMatches.day, day)), executor);
}

/**
 * The matches recorded between `start` and `end` for several people, grouped by person and newest
 * first: what the email digest lists under the alerts.
 */
export async function matchesDuring(userIds: string[], start: Date, end: Date) {
  if (userIds.length === 0) return [];
  return matchesWhere(
    and(
      inArray(alertMatches.userId, userIds),
      gte(alertMatches.createdAt, start),
      lt(alertMatches.createdAt, end),
    ),
    db,
    asc(alertMatches.userId),
  );
}

async function matchesWhere(where: SQL | undefined, executor: Executor, groupBy?: SQL) {
  const rows = await executor
    .select({
      userId: alertMatches.userId,
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
    .where(where)
    .orderBy(...(groupBy ? [groupBy] : []), desc(alertMatches.id));
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
        userId: row.userId,
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
