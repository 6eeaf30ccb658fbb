import type { Settings } from "meilisearch";

/** Every document carries its id and when its source last changed (for `search:check`). */
export type SearchDocument = { id: string; updatedAt: number } & Record<string, unknown>;

export type IndexDefinition = {
  /** Index name before the deployment prefix, e.g. "initiatives". */
  base: string;
  settings: Settings;
  /**
   * The documents for these ids as they should be searchable now. Ids left out (deleted rows,
   * drafts, anything not public) are removed from the index.
   */
  load: (ids: string[]) => Promise<SearchDocument[]>;
  /** Every searchable document, in batches, for a full reindex and for `search:check`. */
  loadAll: (batchSize: number) => AsyncIterable<SearchDocument[]>;
};

const definitions = new Map<string, IndexDefinition>();

export function registerIndex(definition: IndexDefinition) {
  definitions.set(definition.base, definition);
}

export function indexDefinition(base: string) {
  return definitions.get(base);
}

export function indexDefinitions() {
  return [...definitions.values()];
}
