import { and, asc, eq, sql } from "drizzle-orm";

import { db } from "../../db/client";
import { collectivities, initiativeAdoptions, initiatives } from "../../db/schema";
import { budgetLabels } from "../utils/initiatives";
import { themeLabel } from "../utils/themes";
import { detailColumns } from "./initiative-access.server";

/**
 * The open-data exports of published initiatives (Licence Ouverte / Etalab 2.0). They are read
 * in batches and written as they are read, so that neither the app's memory nor one long query
 * grows with the number of initiatives.
 */

export const LICENCE = {
  name: "Licence Ouverte / Etalab 2.0",
  url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
};

export const licenceHeaders = {
  Link: `<${LICENCE.url}>; rel="license"`,
  "Access-Control-Allow-Origin": "*",
  "Cache-Control": "public, max-age=300",
};

const BATCH = 500;

function selectExportRows() {
  return db
    .select({
      ...detailColumns,
      cursor: sql<string>`${initiatives.publishedAt}::text`,
      adoptions:
        sql<number>`(select count(*) from ${initiativeAdoptions} where ${initiativeAdoptions.initiativeId} = ${initiatives.id})`.mapWith(
          Number,
        ),
    })
    .from(initiatives)
    .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode));
}
type Row = Omit<Awaited<ReturnType<typeof selectExportRows>>[number], "cursor">;

/** Published initiatives in a stable order (publication date, then id), one batch at a time. */
async function* publishedForExport(batchSize = BATCH): AsyncGenerator<Row> {
  // The cursor keeps PostgreSQL's microseconds, which a JavaScript Date would round away.
  let after: { publishedAt: string; id: string } | null = null;
  for (;;) {
    const rows = await selectExportRows()
      .where(
        and(
          eq(initiatives.status, "published"),
          after
            ? sql`(${initiatives.publishedAt}, ${initiatives.id}) > (${after.publishedAt}::timestamptz, ${after.id})`
            : undefined,
        ),
      )
      .orderBy(asc(initiatives.publishedAt), asc(initiatives.id))
      .limit(batchSize);
    for (const { cursor: _cursor, ...row } of rows) yield row;
    const last = rows.at(-1);
    if (rows.length < batchSize || !last) return;
    after = { publishedAt: last.cursor, id: last.id };
  }
}

/** One exported record: stable ids, French labels beside the codes, plain ISO dates. */
function exportRecord(origin: string, row: Row) {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    body: row.body,
    themes: row.themes,
    themeLabels: row.themes.map(themeLabel),
    tags: row.tags,
    year: row.startYear,
    budgetBracket: row.budgetBracket,
    budgetLabel: row.budgetBracket ? budgetLabels[row.budgetBracket] : null,
    links: row.links,
    collectivity: {
      code: row.collectivityCode,
      name: row.collectivityName,
      kind: row.collectivityKind,
      regionCode: row.regionCode,
      departmentCode: row.departmentCode,
    },
    inspiredById: row.inspiredById,
    adoptions: row.adoptions,
    url: `${origin}/initiatives/${row.slug}`,
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The JSON export as text chunks: the licence first, then the items as they are read, and their
 * count at the end (known only then).
 */
export async function* exportJsonChunks(origin: string): AsyncGenerator<string> {
  const head = JSON.stringify({
    licence: LICENCE,
    producer: "Territoires Internet",
    generatedAt: new Date().toISOString(),
  });
  yield `${head.slice(0, -1)},"items":[`;
  let total = 0;
  for await (const row of publishedForExport()) {
    yield `${total > 0 ? "," : ""}${JSON.stringify(exportRecord(origin, row))}`;
    total += 1;
  }
  yield `],"total":${total}}`;
}

export const csvColumns = [
  "id",
  "slug",
  "titre",
  "resume",
  "themes",
  "themes_libelles",
  "mots_cles",
  "annee",
  "budget",
  "collectivite_code",
  "collectivite_nom",
  "collectivite_type",
  "region_code",
  "departement_code",
  "inspiree_de_id",
  "reprises",
  "url",
  "publiee_le",
  "modifiee_le",
  "liens",
  "texte_markdown",
];

/** The CSV export's records, in the order of `csvColumns`, as they are read. */
export async function* exportCsvRecords(origin: string): AsyncGenerator<unknown[]> {
  for await (const row of publishedForExport()) {
    const r = exportRecord(origin, row);
    yield [
      r.id,
      r.slug,
      r.title,
      r.summary,
      r.themes.join("|"),
      r.themeLabels.join("|"),
      r.tags.join("|"),
      r.year ?? "",
      r.budgetLabel ?? "",
      r.collectivity.code,
      r.collectivity.name,
      r.collectivity.kind,
      r.collectivity.regionCode ?? "",
      r.collectivity.departmentCode ?? "",
      r.inspiredById ?? "",
      r.adoptions,
      r.url,
      r.publishedAt ?? "",
      r.updatedAt,
      r.links.map((l) => l.url).join("|"),
      r.body,
    ];
  }
}
