import { Meilisearch } from "meilisearch";

import { getConfig } from "../app/config.server";
import { singleton } from "../app/utils/singleton.server";

export function searchClient(): Meilisearch {
  const { meili } = getConfig();
  return singleton("meilisearch", () => new Meilisearch({ host: meili.url, apiKey: meili.apiKey }));
}

/** Index names carry a prefix so that tests and several deployments can share one Meilisearch. */
export function indexName(base: string) {
  return `${getConfig().meili.indexPrefix}${base}`;
}

export async function checkSearchHealth(): Promise<boolean> {
  try {
    const health = await searchClient().health();
    return health.status === "available";
  } catch {
    return false;
  }
}
