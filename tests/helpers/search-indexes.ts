import { Meilisearch } from "meilisearch";

/**
 * Deletes every Meilisearch index whose name starts with `prefix` (a test file's
 * MEILI_INDEX_PREFIX), so that a run leaves nothing behind in the shared Meilisearch. Takes the
 * connection explicitly: a file may have pointed MEILI_URL at a private Meilisearch meanwhile.
 */
export async function deleteIndexesWithPrefix(
  connection: { url: string; apiKey: string },
  prefix: string,
) {
  const client = new Meilisearch({ host: connection.url, apiKey: connection.apiKey });
  const { results } = await client.getIndexes({ limit: 1000 });
  const doomed = results.map((index) => index.uid).filter((uid) => uid.startsWith(prefix));
  for (const uid of doomed) {
    const task = await client.deleteIndex(uid).waitTask({ timeout: 30_000, interval: 50 });
    // A swap or deletion still queued by the test may have removed it since the listing.
    if (task.status !== "succeeded" && task.error?.code !== "index_not_found")
      throw new Error(`index de test ${uid} non supprimé : ${task.error?.message ?? task.status}`);
  }
  return doomed;
}
