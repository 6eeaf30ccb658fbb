import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";

import {
  Meilisearch,
  MeilisearchApiError,
  type FederatedMultiSearchParams,
  type SearchParams,
  type SearchResponse,
} from "meilisearch";

import { getConfig } from "../app/config.server";
import { singleton, takeSingleton } from "../app/utils/singleton.server";

/** With the administration key: for the indexer, the command-line tools and key creation. */
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

/**
 * The same UUID for the same prefix, so that every instance, at every start, names one key: the
 * creation is idempotent and several deployments sharing a Meilisearch keep one key each.
 */
export function searchKeyUid(prefix: string) {
  const hex = createHash("sha256").update(`territoires-internet:recherche:${prefix}`).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function createSearchKey(): Promise<string> {
  const client = searchClient();
  const { indexPrefix } = getConfig().meili;
  const uid = searchKeyUid(indexPrefix);
  try {
    const created = await client.createKey({
      uid,
      name: `Territoires Internet : recherche (${indexPrefix || "sans préfixe"})`,
      description: "Créée par l'application : recherche seule, sur ses propres index.",
      actions: ["search"],
      indexes: [`${indexPrefix}*`],
      expiresAt: null,
    });
    return created.key;
  } catch (error) {
    if (error instanceof MeilisearchApiError && error.cause?.code === "api_key_already_exists") {
      return (await client.getKey(uid)).key;
    }
    throw error;
  }
}

/**
 * The key of every search: MEILI_SEARCH_KEY, or a key restricted to `search` on this
 * deployment's indexes, created once (idempotently) with the administration key. A failure
 * (Meilisearch away) is forgotten, so that the next search tries again.
 */
export function searchKey(): Promise<string> {
  const given = getConfig().meili.searchKey;
  if (given) return Promise.resolve(given);
  const holder = singleton("meilisearch-search-key", () => ({
    key: null as Promise<string> | null,
  }));
  holder.key ??= createSearchKey().catch((error: unknown) => {
    holder.key = null;
    throw error;
  });
  return holder.key;
}

const SEARCH_TIMEOUT_MS = 10_000;

type Agents = { http: http.Agent; https: https.Agent };
const agents = () =>
  singleton<Agents>("meilisearch-agents", () => ({
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  }));

/**
 * A search, the one request on the pages' hot path. The client above goes through fetch, whose
 * per-request machinery (WHATWG Request, Headers, streams) cost the app about as much CPU as
 * the rest of an API search; on a busy machine that CPU is taken from Meilisearch itself. So
 * searches go over a keep-alive node:http agent; writes and administration keep the client.
 * Rejects on a network error, a timeout, or any status but 200.
 */
export async function searchIndex<T extends Record<string, unknown>>(
  uid: string,
  q: string,
  params: SearchParams,
): Promise<SearchResponse<T>> {
  return postSearch(`indexes/${encodeURIComponent(uid)}/search`, { q, ...params });
}

/** A federated multi-search (one request over several indexes), by the same keep-alive path. */
export function federatedSearch<T extends Record<string, unknown>>(
  body: FederatedMultiSearchParams,
): Promise<SearchResponse<T>> {
  return postSearch("multi-search", body);
}

async function postSearch<R>(path: string, payload: unknown): Promise<R> {
  const { meili } = getConfig();
  const key = await searchKey();
  const url = new URL(path, meili.url.replace(/\/?$/, "/"));
  const secure = url.protocol === "https:";
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      {
        method: "POST",
        agent: secure ? agents().https : agents().http,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${key}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (response.statusCode !== 200) {
            reject(new Error(`Meilisearch ${response.statusCode} : ${text.slice(0, 300)}`));
            return;
          }
          try {
            resolve(JSON.parse(text) as R);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    request.setTimeout(SEARCH_TIMEOUT_MS, () =>
      request.destroy(new Error("Meilisearch ne répond pas")),
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** Closes the idle keep-alive connections to Meilisearch and forgets the search key (at shutdown). */
export function closeSearchConnections() {
  takeSingleton("meilisearch-search-key");
  const open = takeSingleton<Agents>("meilisearch-agents");
  open?.http.destroy();
  open?.https.destroy();
}
