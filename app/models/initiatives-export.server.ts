import { stringify } from "csv-stringify/sync";

import { budgetLabels } from "../utils/initiatives";
import { themeLabel } from "../utils/themes";
import { listPublishedForExport } from "./initiatives.server";

export const LICENCE = {
  name: "Licence Ouverte / Etalab 2.0",
  url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
};

export const licenceHeaders = {
  Link: `<${LICENCE.url}>; rel="license"`,
  "Access-Control-Allow-Origin": "*",
  "Cache-Control": "public, max-age=300",
};

type Row = Awaited<ReturnType<typeof listPublishedForExport>>[number];

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

export async function exportJson(origin: string) {
  const rows = await listPublishedForExport();
  return {
    licence: LICENCE,
    producer: "Territoires Internet",
    generatedAt: new Date().toISOString(),
    total: rows.length,
    items: rows.map((row) => exportRecord(origin, row)),
  };
}

export async function exportCsv(origin: string) {
  const rows = await listPublishedForExport();
  const records = rows.map((row) => {
    const r = exportRecord(origin, row);
    return [
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
  });
  // UTF-8 BOM so that spreadsheet software opens accents correctly.
  return `\uFEFF${stringify(records, {
    header: true,
    columns: [
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
    ],
  })}`;
}
