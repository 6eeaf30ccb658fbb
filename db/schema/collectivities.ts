import { sql } from "drizzle-orm";
import { index, integer, pgTable, text } from "drizzle-orm/pg-core";

export const collectivityKinds = [
  "commune",
  "epci",
  "departement",
  "region",
  "partenaire",
] as const;
export type CollectivityKind = (typeof collectivityKinds)[number];

/**
 * Every French collectivity from the official COG. `code` is the INSEE code for communes, the
 * SIREN for EPCI, and `dep-XX` / `reg-XX` for départements and régions, whose INSEE codes overlap.
 * The council's partner organisations sit here too (kind `partenaire`, code `org-<slug>`, details in
 * `partner_organisations`): people join them through the same memberships.
 */
export const collectivities = pgTable(
  "collectivities",
  {
    code: text("code").primaryKey(),
    kind: text("kind", { enum: collectivityKinds }).notNull(),
    name: text("name").notNull(),
    /** Lower-case, accent-free name used for accent-insensitive search. */
    searchName: text("search_name").notNull(),
    /** EPCI legal form (CC, CA, CU, METRO…) or commune zone; shown next to the kind. */
    subtype: text("subtype"),
    departmentCode: text("department_code"),
    regionCode: text("region_code"),
    population: integer("population"),
    postcodes: text("postcodes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** SIREN of the EPCI a commune belongs to. */
    epciCode: text("epci_code"),
  },
  (t) => [
    index("collectivities_search_name_trgm").using("gin", t.searchName.op("gin_trgm_ops")),
    index("collectivities_search_name_prefix").on(t.searchName.op("text_pattern_ops")),
    index("collectivities_postcodes").using("gin", t.postcodes),
    index("collectivities_department").on(t.departmentCode, t.kind),
    index("collectivities_region").on(t.regionCode, t.kind),
  ],
);
