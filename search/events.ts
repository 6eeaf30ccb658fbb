import { and, asc, eq, gt, inArray, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";

import { db } from "../db/client";
import { collectivities, events } from "../db/schema";
import { indexName, searchIndex } from "./client";
import { frenchSettings, KIND_ATTRIBUTE, normalizeFrench } from "./french";
import { registerIndex, type SearchDocument } from "./registry";

/** Base name of the events index (prefixed per deployment and per test file). */
export const EVENTS_INDEX = "events";

const host = alias(collectivities, "host");
const commune = alias(collectivities, "commune");

/** Published and cancelled events are public; drafts are never indexed. */
async function documents(where: ReturnType<typeof and>, limit?: number): Promise<SearchDocument[]> {
  const query = db
    .select({
      id: events.id,
      slug: events.slug,
      title: events.title,
      description: events.description,
      themes: events.themes,
      format: events.format,
      status: events.status,
      startsAt: events.startsAt,
      departmentCode: events.departmentCode,
      regionCode: events.regionCode,
      collectivityName: host.name,
      communeName: commune.name,
      venue: events.venue,
      updatedAt: events.updatedAt,
      publishedAt: events.publishedAt,
    })
    .from(events)
    .innerJoin(host, eq(host.code, events.collectivityCode))
    .leftJoin(commune, eq(commune.code, events.communeCode))
    .where(and(where, ne(events.status, "draft")))
    .orderBy(asc(events.id));
  const rows = limit ? await query.limit(limit) : await query;
  return rows.map((row) => ({
    ...row,
    type: EVENTS_INDEX,
    title: normalizeFrench(row.title),
    collectivityName: normalizeFrench(row.collectivityName),
    communeName: row.communeName && normalizeFrench(row.communeName),
    venue: normalizeFrench(row.venue),
    // Markdown punctuation only adds noise to the matches.
    description: normalizeFrench(row.description.replace(/[#*_`>[\]()!-]+/g, " ").slice(0, 5_000)),
    startsAt: Math.floor(row.startsAt.getTime() / 1000),
    // Milliseconds, as for initiatives: the alerts ask for what was published since a time.
    publishedAt: row.publishedAt?.getTime() ?? 0,
    updatedAt: row.updatedAt.getTime(),
  }));
}

registerIndex({
  base: EVENTS_INDEX,
  documentVersion: 1,
  settings: {
    searchableAttributes: ["title", "collectivityName", "communeName", "venue", "description"],
    filterableAttributes: [
      "themes",
      "format",
      "status",
      "departmentCode",
      "regionCode",
      "startsAt",
      "publishedAt",
      KIND_ATTRIBUTE,
    ],
    sortableAttributes: ["startsAt"],
    ...frenchSettings(),
  },
  load: (ids) => documents(inArray(events.id, ids)),
  loadAll: async function* (batchSize) {
    let after = "";
    for (;;) {
      const batch = await documents(and(gt(events.id, after)), batchSize);
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!.id;
    }
  },
});

/**
 * Ids of the public events matching `q`, best first. Rejects when Meilisearch cannot answer:
 * the caller falls back to PostgreSQL, and always re-reads the ids through its own access rule.
 */
export async function searchEventIds(q: string): Promise<string[]> {
  const result = await searchIndex(indexName(EVENTS_INDEX), normalizeFrench(q), {
    limit: 1_000,
    attributesToRetrieve: ["id"],
  });
  return result.hits.map((hit) => String(hit.id));
}
