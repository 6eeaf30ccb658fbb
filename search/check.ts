import { indexName, searchClient } from "./client";
import { storedDocumentVersion } from "./index-state";
import { indexDefinition } from "./registry";

export type CheckReport = {
  index: string;
  expected: number;
  indexed: number;
  missing: string[];
  stale: string[];
  extra: string[];
  /** Set when the index's documents are of another version than the code's (a field missing). */
  outdatedVersion: { stored: number; expected: number } | null;
};

/**
 * Compares PostgreSQL with the index: documents missing, out of date, or left over, and documents
 * of an older shape than the code gives (`updatedAt` alone cannot see a new field).
 */
export async function checkIndex(base: string): Promise<CheckReport> {
  const definition = indexDefinition(base);
  if (!definition) throw new Error(`index inconnu : ${base}`);
  const expected = new Map<string, number>();
  for await (const batch of definition.loadAll(5000)) {
    for (const document of batch) expected.set(document.id, document.updatedAt);
  }
  const index = searchClient().index(indexName(base));
  const indexed = new Map<string, number>();
  for (let offset = 0; ; offset += 1000) {
    const page = await index.getDocuments<{ id: string; updatedAt: number }>({
      fields: ["id", "updatedAt"],
      limit: 1000,
      offset,
    });
    for (const document of page.results) indexed.set(String(document.id), document.updatedAt);
    if (page.results.length < 1000) break;
  }
  const missing: string[] = [];
  const stale: string[] = [];
  for (const [id, updatedAt] of expected) {
    if (!indexed.has(id)) missing.push(id);
    else if (indexed.get(id) !== updatedAt) stale.push(id);
  }
  const extra = [...indexed.keys()].filter((id) => !expected.has(id));
  const stored = await storedDocumentVersion(indexName(base));
  const outdatedVersion =
    stored === definition.documentVersion ? null : { stored, expected: definition.documentVersion };
  return {
    index: base,
    expected: expected.size,
    indexed: indexed.size,
    missing,
    stale,
    extra,
    outdatedVersion,
  };
}
