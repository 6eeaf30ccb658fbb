import type { Settings } from "meilisearch";

/** Every document carries its id and when its source last changed (for `search:check`). */
export type SearchDocument = { id: string; updatedAt: number } & Record<string, unknown>;

export type IndexDefinition = {
  /** Index name before the deployment prefix, e.g. "initiatives". */
  base: string;
  settings: Settings;
  /**
   * The shape of this index's documents: raise it when `load` gives documents a new field or a
   * changed one. At start the indexer rebuilds an index whose documents are of another version.
   */
  documentVersion: number;
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
