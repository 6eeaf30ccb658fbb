import { and, asc, count, desc, eq, isNotNull, lte, sql, type SQL } from "drizzle-orm";

import { db } from "../../db/client";
import {
  collectivities,
  labelApplications,
  labelCampaigns,
  labelCredits,
  type LabelCategory,
} from "../../db/schema";
import type { AuthUser } from "../utils/auth.server";
import { mentions as mentionList } from "../utils/label";
import { failure, type Result } from "./result.server";

/**
 * Results: validated by an admin, public from the campaign's publication instant and not one
 * second before, through every channel (pages, API, CSV, collectivity pages, panels). Every
 * public read goes through `published(now)`.
 */

/** SQL: the application's result is validated and its campaign published at `now`. */
function published(now: Date): SQL {
  return and(
    isNotNull(labelApplications.validatedAt),
    isNotNull(labelApplications.finalLevel),
    lte(labelCampaigns.publishedAt, now),
  )!;
}

export type ResultsFilter = {
  year?: number;
  region?: string;
  department?: string;
  level?: number;
  category?: LabelCategory;
};

function filtersOf(filter: ResultsFilter, now: Date) {
  return and(
    published(now),
    filter.year ? eq(labelCampaigns.year, filter.year) : undefined,
    filter.region ? eq(collectivities.regionCode, filter.region) : undefined,
    filter.department ? eq(collectivities.departmentCode, filter.department) : undefined,
    filter.level ? eq(labelApplications.finalLevel, filter.level) : undefined,
    filter.category ? eq(labelApplications.category, filter.category) : undefined,
  );
}

const resultColumns = {
  applicationId: labelApplications.id,
  code: collectivities.code,
  name: collectivities.name,
  regionCode: collectivities.regionCode,
  departmentCode: collectivities.departmentCode,
  year: labelCampaigns.year,
  level: sql<number>`${labelApplications.finalLevel}`,
  mentions: labelApplications.mentions,
  category: labelApplications.category,
  quote: labelApplications.quote,
};

/** Published results, filtered, best levels first; `limit` null means all. */
export async function listResults(
  filter: ResultsFilter,
  {
    limit = 100,
    offset = 0,
    now = new Date(),
  }: { limit?: number | null; offset?: number; now?: Date } = {},
) {
  const where = filtersOf(filter, now);
  const query = db
    .select(resultColumns)
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(where)
    .orderBy(
      desc(labelCampaigns.year),
      desc(labelApplications.finalLevel),
      asc(collectivities.name),
    )
    .offset(offset);
  const [items, [total]] = await Promise.all([
    limit === null ? query : query.limit(limit),
    db
      .select({ total: count() })
      .from(labelApplications)
      .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
      .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
      .where(where),
  ]);
  return { items, total: total?.total ?? 0 };
}

/** Results in pages of 500, for the CSV export, so memory stays flat. */
export async function* iterateResults(filter: ResultsFilter, now = new Date()) {
  for (let offset = 0; ; offset += 500) {
    const { items } = await listResults(filter, { limit: 500, offset, now });
    yield* items;
    if (items.length < 500) return;
  }
}

/** The palmarès of a year: results with the credits people agreed to show, counts per level. */
export async function palmares(
  year: number,
  filter: Omit<ResultsFilter, "year">,
  now = new Date(),
) {
  const [campaign] = await db
    .select()
    .from(labelCampaigns)
    .where(and(eq(labelCampaigns.year, year), lte(labelCampaigns.publishedAt, now)));
  if (!campaign) return null;
  const [{ items }, levels] = await Promise.all([
    listResults({ ...filter, year }, { limit: null, now }),
    db
      .select({ level: sql<number>`${labelApplications.finalLevel}`, count: count() })
      .from(labelApplications)
      .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
      .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
      .where(filtersOf({ ...filter, year }, now))
      .groupBy(labelApplications.finalLevel),
  ]);
  const credits = items.length
    ? await db
        .select({
          applicationId: labelCredits.applicationId,
          name: labelCredits.name,
          role: labelCredits.role,
        })
        .from(labelCredits)
        .innerJoin(labelApplications, eq(labelApplications.id, labelCredits.applicationId))
        .where(
          and(eq(labelApplications.campaignId, campaign.id), eq(labelCredits.publicConsent, true)),
        )
        .orderBy(asc(labelCredits.createdAt))
    : [];
  return {
    campaign,
    results: items.map((item) => ({
      ...item,
      credits: credits.filter((c) => c.applicationId === item.applicationId),
    })),
    counts: Object.fromEntries(levels.map((l) => [l.level, l.count])) as Record<number, number>,
  };
}

/** A collectivity's published results, newest first (collectivity page, verification). */
export async function labelHistory(collectivityCode: string, now = new Date()) {
  return db
    .select({
      year: labelCampaigns.year,
      level: sql<number>`${labelApplications.finalLevel}`,
      mentions: labelApplications.mentions,
      publishedAt: labelCampaigns.publishedAt,
    })
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .where(and(eq(labelApplications.collectivityCode, collectivityCode), published(now)))
    .orderBy(desc(labelCampaigns.year));
}

/**
 * What the verification page states: the latest level (valid until the next campaign's results)
 * and the mentions still valid this year.
 */
export async function verifyLabel(collectivityCode: string, now = new Date()) {
  const history = await labelHistory(collectivityCode, now);
  const latest = history[0];
  if (!latest) return { history, current: null };
  const year = now.getFullYear();
  const validMentions = history.flatMap((result) =>
    result.mentions.filter((slug) => {
      const validYears = mentionList.find((m) => m.slug === slug)?.validYears ?? 1;
      return result.year + validYears > year - 1;
    }),
  );
  return {
    history,
    current: { year: latest.year, level: latest.level, mentions: [...new Set(validMentions)] },
  };
}

export type ValidationInput = { level: number; mentions: string[]; feedback: string };

/** An admin sets the final level, the mentions and the written feedback of an application. */
export async function validateResult(
  admin: AuthUser,
  applicationId: string,
  input: ValidationInput,
): Promise<Result<{ applicationId: string }>> {
  const updated = await db
    .update(labelApplications)
    .set({
      finalLevel: input.level,
      mentions: input.mentions,
      feedback: input.feedback,
      validatedAt: new Date(),
      validatedBy: admin.id,
    })
    .where(and(eq(labelApplications.id, applicationId), eq(labelApplications.status, "submitted")))
    .returning({ id: labelApplications.id });
  if (updated.length === 0) return failure(404, {}, "Dossier déposé introuvable.");
  return { ok: true, value: { applicationId } };
}

/** Figures of the statistics page, over published campaigns only. */
export async function labelStatistics(now = new Date()) {
  const base = db
    .select({
      year: labelCampaigns.year,
      level: sql<number>`${labelApplications.finalLevel}`,
      regionCode: collectivities.regionCode,
      departmentCode: collectivities.departmentCode,
      category: labelApplications.category,
    })
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(published(now));
  const rows = await base;
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const latestYear = years.at(-1) ?? null;
  const latest = rows.filter((r) => r.year === latestYear);
  const tally = <K extends string | number>(
    items: typeof rows,
    key: (r: (typeof rows)[number]) => K | null,
  ) => {
    const counts = new Map<K, number>();
    for (const item of items) {
      const k = key(item);
      if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
  };
  return {
    years,
    latestYear,
    perYear: years.map((year) => ({ year, count: rows.filter((r) => r.year === year).length })),
    perLevel: tally(latest, (r) => r.level),
    perRegion: tally(latest, (r) => r.regionCode),
    perDepartment: tally(latest, (r) => r.departmentCode),
    perCategory: tally(latest, (r) => r.category),
  };
}

/** One published result, for its panel. */
export async function publishedResult(collectivityCode: string, year: number, now = new Date()) {
  const [row] = await db
    .select(resultColumns)
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(
      and(
        published(now),
        eq(labelCampaigns.year, year),
        eq(labelApplications.collectivityCode, collectivityCode),
      ),
    );
  return row ?? null;
}
