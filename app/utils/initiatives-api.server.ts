import type { InitiativeInput } from "../models/initiative-writes.server";
import type { FieldErrors } from "../models/result.server";
import type { ApiInitiativeSchema } from "./initiative-schemas";
import type { z } from "./validation";

type ApiBody = z.output<typeof ApiInitiativeSchema>;

/** The API's field names (`year`) to the model's (`startYear`), leaving absent fields absent. */
export function apiBodyToInput(body: Partial<ApiBody>): Partial<InitiativeInput> {
  const input: Partial<InitiativeInput> = {};
  if (body.title !== undefined) input.title = body.title;
  if (body.summary !== undefined) input.summary = body.summary;
  if (body.body !== undefined) input.body = body.body;
  if (body.themes !== undefined) input.themes = body.themes;
  if (body.tags !== undefined) input.tags = body.tags;
  if (body.year !== undefined) input.startYear = body.year;
  if (body.status !== undefined) input.status = body.status;
  if (body.budgetBracket !== undefined) input.budgetBracket = body.budgetBracket;
  if (body.links !== undefined) input.links = body.links;
  if (body.inspiredBy !== undefined) input.inspiredBy = body.inspiredBy;
  if (body.contributors !== undefined)
    input.contributors = body.contributors.map((c) => ({ ...c, role: c.role }));
  return input;
}

/** A model failure with its field names as the API spells them (`startYear` is `year`). */
export function apiFieldNames<F extends { fieldErrors: FieldErrors }>(failure: F): F {
  const { startYear, ...fieldErrors } = failure.fieldErrors;
  return { ...failure, fieldErrors: startYear ? { ...fieldErrors, year: startYear } : fieldErrors };
}

export type ApiItem = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  themes: string[];
  tags: string[];
  year: number | null;
  collectivity: { code: string; name: string };
  url: string;
  publishedAt: string | null;
  updatedAt: string;
};

export function apiItem(
  origin: string,
  row: {
    id: string;
    slug: string;
    title: string;
    summary: string;
    themes: string[];
    tags: string[];
    startYear?: number | null;
    year?: number | null;
    collectivityCode?: string;
    collectivityName?: string;
    collectivity?: { code: string; name: string };
    publishedAt: Date | string | null;
    updatedAt: Date | string;
  },
): ApiItem {
  const iso = (value: Date | string | null) =>
    value === null ? null : typeof value === "string" ? value : value.toISOString();
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    themes: row.themes,
    tags: row.tags,
    year: row.year ?? row.startYear ?? null,
    collectivity: row.collectivity ?? {
      code: row.collectivityCode ?? "",
      name: row.collectivityName ?? "",
    },
    url: `${origin}/initiatives/${encodeURIComponent(row.slug)}`,
    publishedAt: iso(row.publishedAt),
    updatedAt: iso(row.updatedAt) ?? "",
  };
}
