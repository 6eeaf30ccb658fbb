import { createRequire } from "node:module";

import { sql } from "drizzle-orm";

import type { Database } from "./client";
import { collectivities, type CollectivityKind } from "./schema";
import { normalizeForSearch } from "./search-name";

type Row = typeof collectivities.$inferInsert;

type Commune = {
  code: string;
  nom: string;
  type: string;
  zone: string;
  departement?: string;
  region?: string;
  population?: number;
  codesPostaux?: string[];
};
type Epci = {
  code: string;
  nom: string;
  type: string;
  populationTotale?: number;
  membres: Array<{ code: string }>;
};
type Departement = { code: string; nom: string; region: string; zone: string };
type Region = { code: string; nom: string; zone: string };

export const departmentKey = (code: string) => `dep-${code}`;
export const regionKey = (code: string) => `reg-${code}`;

/** Reads the official COG shipped in @etalab/decoupage-administratif. */
export function readOfficialCollectivities(): Row[] {
  const require = createRequire(import.meta.url);
  const data = (file: string) => require(`@etalab/decoupage-administratif/data/${file}`) as unknown;
  const communes = (data("communes.json") as Commune[]).filter(
    (c) => c.type === "commune-actuelle",
  );
  const epcis = data("epci.json") as Epci[];
  const departements = data("departements.json") as Departement[];
  const regions = data("regions.json") as Region[];

  const epciOfCommune = new Map<string, Epci>();
  const departmentOfEpci = new Map<string, string | undefined>();
  const communeByCode = new Map(communes.map((c) => [c.code, c]));
  for (const epci of epcis) {
    for (const member of epci.membres) epciOfCommune.set(member.code, epci);
    // An EPCI is filed under the département of its first member commune.
    departmentOfEpci.set(epci.code, communeByCode.get(epci.membres[0]?.code ?? "")?.departement);
  }
  const regionOfDepartment = new Map(departements.map((d) => [d.code, d.region]));
  const population = { department: new Map<string, number>(), region: new Map<string, number>() };
  for (const commune of communes) {
    const inhabitants = commune.population ?? 0;
    if (commune.departement) {
      population.department.set(
        commune.departement,
        (population.department.get(commune.departement) ?? 0) + inhabitants,
      );
    }
    if (commune.region) {
      population.region.set(
        commune.region,
        (population.region.get(commune.region) ?? 0) + inhabitants,
      );
    }
  }

  const row = (
    kind: CollectivityKind,
    code: string,
    name: string,
    rest: Omit<Row, "code" | "kind" | "name" | "searchName">,
  ): Row => ({ code, kind, name, searchName: normalizeForSearch(name), ...rest });

  return [
    ...regions.map((r) =>
      row("region", regionKey(r.code), r.nom, {
        regionCode: r.code,
        subtype: r.zone,
        population: population.region.get(r.code) ?? null,
        postcodes: [],
        departmentCode: null,
        epciCode: null,
      }),
    ),
    ...departements.map((d) =>
      row("departement", departmentKey(d.code), d.nom, {
        departmentCode: d.code,
        regionCode: d.region,
        subtype: d.zone,
        population: population.department.get(d.code) ?? null,
        postcodes: [],
        epciCode: null,
      }),
    ),
    ...epcis.map((e) => {
      const department = departmentOfEpci.get(e.code) ?? null;
      return row("epci", e.code, e.nom, {
        subtype: e.type,
        departmentCode: department,
        regionCode: department ? (regionOfDepartment.get(department) ?? null) : null,
        population: e.populationTotale ?? null,
        postcodes: [],
        epciCode: null,
      });
    }),
    ...communes.map((c) =>
      row("commune", c.code, c.nom, {
        subtype: c.zone,
        departmentCode: c.departement ?? null,
        regionCode: c.region ?? null,
        population: c.population ?? null,
        postcodes: [...new Set(c.codesPostaux ?? [])].sort(),
        epciCode: epciOfCommune.get(c.code)?.code ?? null,
      }),
    ),
  ];
}

const BATCH = 2000;

/**
 * Imports the official directory (COG): inserts new collectivities and updates changed ones; rows
 * that did not change are not touched, so a second run writes nothing. `onProgress` hears the
 * number of rows done so far (the command line draws a bar with it).
 */
export async function importCollectivities(
  db: Database,
  onProgress: (done: number, total: number) => void = () => {},
) {
  const started = performance.now();
  const rows = readOfficialCollectivities();
  let written = 0;
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const changed = await db
      .insert(collectivities)
      .values(batch)
      .onConflictDoUpdate({
        target: collectivities.code,
        set: {
          kind: sql`excluded.kind`,
          name: sql`excluded.name`,
          searchName: sql`excluded.search_name`,
          subtype: sql`excluded.subtype`,
          departmentCode: sql`excluded.department_code`,
          regionCode: sql`excluded.region_code`,
          population: sql`excluded.population`,
          postcodes: sql`excluded.postcodes`,
          epciCode: sql`excluded.epci_code`,
        },
        setWhere: sql`(${collectivities.kind}, ${collectivities.name}, ${collectivities.subtype},
          ${collectivities.departmentCode}, ${collectivities.regionCode}, ${collectivities.population},
          ${collectivities.postcodes}, ${collectivities.epciCode})
          IS DISTINCT FROM (excluded.kind, excluded.name, excluded.subtype, excluded.department_code,
          excluded.region_code, excluded.population, excluded.postcodes, excluded.epci_code)`,
      })
      .returning({ code: collectivities.code });
    written += changed.length;
    onProgress(start + batch.length, rows.length);
  }
  // Bulk inserts leave GIN entries in a pending list that every search would scan linearly
  // until the next autovacuum: flush it now, and refresh the planner's statistics.
  if (written > 0) await db.execute(sql`vacuum analyze collectivities`);
  return { total: rows.length, written, seconds: (performance.now() - started) / 1000 };
}
