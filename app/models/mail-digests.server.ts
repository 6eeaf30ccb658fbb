import { TZDate } from "@date-fns/tz";
import { addDays } from "date-fns/addDays";
import { addHours } from "date-fns/addHours";
import { format } from "date-fns/format";
import { startOfDay } from "date-fns/startOfDay";
import { startOfISOWeek } from "date-fns/startOfISOWeek";
import { and, asc, eq, gt, ne, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  mailDigestRuns,
  memberships,
  notificationPreferences,
  users,
} from "../../db/schema";
import { digestMail, type DigestSection } from "../mail/templates.server";
import { PARIS } from "../utils/dates";
import {
  defaultFrequencies,
  effectiveFrequencies,
  type PreferenceKind,
} from "../utils/notification-preferences";
import {
  digestSources,
  type DigestMember,
  type DigestPeriod,
  type PreparedSource,
} from "./mail-digest-sources.server";
import { enqueueMail } from "./mail-outbox.server";
import { mailLinks, unsubscribeUrl } from "./mail-preferences.server";

/**
 * The résumés: for each pace (a quarter-hour sweep for "immediately", daily, weekly) and each
 * period, one run visits the members in id order, a batch per transaction, and queues one mail
 * per member with something new. The run row is locked while a batch is built (two workers never
 * build the same batch), its cursor moves in the same transaction as the mails are queued, and
 * each mail has a dedupe key per member and period: a run is idempotent and resumable.
 */

const SEND_HOUR = 7;
/** Members whose résumés are held in memory at once, within a batch's transaction. */
const BUILD_SLICE = 100;
const SWEEP_MINUTES = 15;

/**
 * The latest period of a pace whose résumé is due at `now`: daily and weekly ones cover Paris
 * days and weeks (Monday to Sunday) and leave at 7 h the next morning; the sweep covers the last
 * whole quarter hour.
 */
export function duePeriod(frequency: DigestPeriod["frequency"], now: Date): DigestPeriod {
  if (frequency === "immediately") {
    const step = SWEEP_MINUTES * 60_000;
    const end = new Date(Math.floor(now.getTime() / step) * step);
    const start = new Date(end.getTime() - step);
    return { frequency, key: start.toISOString(), start, end };
  }
  const local = new TZDate(now.getTime(), PARIS);
  const boundary = frequency === "daily" ? startOfDay(local) : startOfISOWeek(local);
  const length = frequency === "daily" ? 1 : 7;
  // Before 7 h, the period that just ended is not due yet: the one before is.
  const end = addHours(boundary, SEND_HOUR) <= local ? boundary : addDays(boundary, -length);
  const start = addDays(end, -length);
  return {
    frequency,
    key: format(start, "yyyy-MM-dd"),
    start: new Date(start.getTime()),
    end: new Date(end.getTime()),
  };
}

/** Members after `cursor` who get at least one kind at this pace, with what the sources need. */
async function membersAfter(
  tx: Executor,
  cursor: string,
  period: DigestPeriod,
  kinds: PreferenceKind[],
  limit: number,
): Promise<DigestMember[]> {
  const wants = sql.join(
    kinds.map(
      (kind) =>
        sql`coalesce(${notificationPreferences.frequencies}->>${kind}, ${defaultFrequencies[kind]}) = ${period.frequency}`,
    ),
    sql` or `,
  );
  const rows = await tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      roles: users.roles,
      frequencies: notificationPreferences.frequencies,
      themes: notificationPreferences.themes,
      departmentCode: collectivities.departmentCode,
      regionCode: collectivities.regionCode,
    })
    .from(users)
    .leftJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
    .leftJoin(memberships, and(eq(memberships.userId, users.id), ne(memberships.status, "former")))
    .leftJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
    .where(and(gt(users.id, cursor), sql`(${wants})`))
    .orderBy(asc(users.id))
    .limit(limit);
  return rows.map((row) => ({
    ...row,
    frequencies: effectiveFrequencies(row.frequencies),
    themes: row.themes ?? [],
  }));
}

function sourcesFor(frequency: DigestPeriod["frequency"]) {
  return digestSources.filter(
    (source) => frequency !== "immediately" || !source.immediateByNotification,
  );
}

// What the sources found new in a period, computed once per process and period.
const prepared = new Map<string, Promise<PreparedSource[]>>();

function prepareSources(period: DigestPeriod, origin: string) {
  const key = `${period.frequency}:${period.key}`;
  let entry = prepared.get(key);
  if (!entry) {
    entry = Promise.all(sourcesFor(period.frequency).map((s) => s.prepare(period, origin)));
    entry.catch(() => prepared.delete(key));
    prepared.set(key, entry);
    // Only the current periods matter; keep the map small.
    while (prepared.size > 6) prepared.delete(prepared.keys().next().value!);
  }
  return entry;
}

async function digestsOf(members: DigestMember[], period: DigestPeriod) {
  const links = mailLinks();
  const sources = sourcesFor(period.frequency);
  const loaders = await prepareSources(period, links.origin);
  const found = await Promise.all(loaders.map((load) => load(members)));
  const mails = [];
  for (const member of members) {
    const sections: DigestSection[] = [];
    for (const [index, source] of sources.entries()) {
      if (member.frequencies[source.kind] !== period.frequency) continue;
      const items = found[index]!.get(member.id);
      if (!items || items.items.length === 0) continue;
      sections.push({
        kind: source.kind,
        title: source.title,
        items: items.items,
        more:
          items.total > items.items.length
            ? { count: items.total - items.items.length, url: links.origin + source.morePath }
            : undefined,
        unsubscribeUrl: await unsubscribeUrl(member.id, source.kind),
      });
    }
    if (sections.length === 0) continue;
    if (period.frequency === "immediately") {
      // No digest to leave here: one mail per kind, whose link stops that kind.
      for (const section of sections) {
        mails.push(
          digestMail({
            recipient: member,
            frequency: period.frequency,
            periodKey: `${period.key}:${section.kind}`,
            sections: [section],
            links,
            unsubscribeUrl: section.unsubscribeUrl,
          }),
        );
      }
      continue;
    }
    mails.push(
      digestMail({
        recipient: member,
        frequency: period.frequency,
        periodKey: period.key,
        sections,
        links,
        unsubscribeUrl: await unsubscribeUrl(member.id, `digest-${period.frequency}`),
      }),
    );
  }
  return mails;
}

/**
 * Builds and queues the résumés of one batch of members. Returns `busy` when another worker
 * holds the run, `done` once every member was visited.
 */
export async function runDigestBatch(period: DigestPeriod, batchSize = 500) {
  const kinds = [...new Set(sourcesFor(period.frequency).map((source) => source.kind))];
  return db.transaction(async (tx) => {
    const runKey = and(
      eq(mailDigestRuns.frequency, period.frequency),
      eq(mailDigestRuns.periodKey, period.key),
    );
    await tx
      .insert(mailDigestRuns)
      .values({ frequency: period.frequency, periodKey: period.key })
      .onConflictDoNothing();
    const [run] = await tx
      .select()
      .from(mailDigestRuns)
      .where(runKey)
      .for("update", { skipLocked: true });
    if (!run) return { state: "busy" as const, queued: 0 };
    if (run.finishedAt) return { state: "done" as const, queued: 0 };
    const members = await membersAfter(tx, run.cursor, period, kinds, batchSize);
    let queued = 0;
    // Built and queued a slice at a time: a slice's source answers and mails are dropped before
    // the next one is built, so memory follows the slice, not the batch.
    for (let from = 0; from < members.length; from += BUILD_SLICE) {
      const slice = members.slice(from, from + BUILD_SLICE);
      queued += await enqueueMail(tx, await digestsOf(slice, period));
    }
    const finished = members.length < batchSize;
    await tx
      .update(mailDigestRuns)
      .set({
        cursor: members.at(-1)?.id ?? run.cursor,
        queued: run.queued + queued,
        finishedAt: finished ? sql`now()` : null,
      })
      .where(runKey);
    return { state: finished ? ("done" as const) : ("more" as const), queued };
  });
}

/** Runs the due period of a pace to its end (unless another worker has it). */
export async function runDigests(
  frequency: DigestPeriod["frequency"],
  now = new Date(),
  batchSize?: number,
) {
  const period = duePeriod(frequency, now);
  let queued = 0;
  for (;;) {
    const batch = await runDigestBatch(period, batchSize);
    queued += batch.queued;
    if (batch.state !== "more") return { period, queued, state: batch.state };
  }
}
