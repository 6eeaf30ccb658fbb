import { asc, gt, inArray } from "drizzle-orm";

import { db } from "../db/client";
import { collectivities } from "../db/schema";
import { frenchSettings, KIND_ATTRIBUTE, normalizeFrench } from "./french";
import { registerIndex } from "./registry";

/**
 * Base name of the directory index: the ~36,000 collectivities of the official COG. The table
 * only changes when the directory is imported again, so the index is filled whole (at start when
 * it is behind the table, and by `npm run search:reindex`), never through the outbox.
 */
export const COLLECTIVITIES_INDEX = "collectivities";

export type CollectivityDocument = {
  id: string;
  type: typeof COLLECTIVITIES_INDEX;
  name: string;
  /** What an EPCI, a département or a région is, in words ("communauté d'agglomération"). */
  kindLabel: string;
  kind: string;
  subtype: string | null;
  postcodes: string[];
  departmentCode: string | null;
  regionCode: string | null;
  /** Shown beside the name ("Vannes, Morbihan"); not searched, or one word would match thousands. */
  departmentName: string | null;
  population: number;
  /** The directory has no edit time: `search:check` compares presence only. */
  updatedAt: number;
};

export const collectivitiesIndexSettings = {
  searchableAttributes: ["name", "kindLabel", "postcodes", "id"],
  filterableAttributes: ["kind", "departmentCode", "regionCode", KIND_ATTRIBUTE],
  sortableAttributes: ["population"],
  // Among the many "Saint-Denis", the most populated first.
  rankingRules: ["words", "typo", "proximity", "attribute", "exactness", "population:desc"],
  ...frenchSettings(),
  // Names are short: no need for the word-pair database.
  proximityPrecision: "byAttribute" as const,
  facetSearch: false,
  pagination: { maxTotalHits: 1_000 },
};

async function departmentNames() {
  const rows = await db
    .select({ departmentCode: collectivities.departmentCode, name: collectivities.name })
    .from(collectivities)
    .where(inArray(collectivities.kind, ["departement"]));
  return new Map(rows.map((row) => [row.departmentCode, row.name]));
}

type Row = typeof collectivities.$inferSelect;

/**
 * Names say "CA du Pays Basque"; people type "agglo pays basque". Communes get no label: the
 * word "commune" would match 35,000 of them.
 */
const epciLabels: Record<string, string> = {
  CC: "communauté de communes",
  CA: "communauté d'agglomération",
  CU: "communauté urbaine",
  METRO: "métropole",
  MET69: "métropole",
};

function kindLabelOf(row: Row) {
  if (row.kind === "epci") return epciLabels[row.subtype ?? ""] ?? "intercommunalité";
  if (row.kind === "departement") return "département";
  if (row.kind === "region") return "région";
  if (row.kind === "partenaire") return "partenaire";
  return "";
}

function toDocument(row: Row, departments: Map<string | null, string>): CollectivityDocument {
  return {
    id: row.code,
    type: COLLECTIVITIES_INDEX,
    name: normalizeFrench(row.name),
    kindLabel: kindLabelOf(row),
    kind: row.kind,
    subtype: row.subtype,
    postcodes: row.postcodes,
    departmentCode: row.departmentCode,
    regionCode: row.regionCode,
    departmentName: row.departmentCode ? (departments.get(row.departmentCode) ?? null) : null,
    population: row.population ?? 0,
    updatedAt: 0,
  };
}

registerIndex({
  base: COLLECTIVITIES_INDEX,
  documentVersion: 1,
  settings: collectivitiesIndexSettings,
  load: async (codes) => {
    if (codes.length === 0) return [];
    const [rows, departments] = await Promise.all([
      db.select().from(collectivities).where(inArray(collectivities.code, codes)),
      departmentNames(),
    ]);
    return rows.map((row) => toDocument(row, departments));
  },
  loadAll: async function* (batchSize) {
    const departments = await departmentNames();
    let after = "";
    for (;;) {
      const rows = await db
        .select()
        .from(collectivities)
        .where(gt(collectivities.code, after))
        .orderBy(asc(collectivities.code))
        .limit(batchSize);
      if (rows.length === 0) return;
      yield rows.map((row) => toDocument(row, departments));
      after = rows.at(-1)?.code ?? after;
    }
  },
});
