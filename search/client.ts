import http from "node:http";
import https from "node:https";

import {
  Meilisearch,
  type FederatedMultiSearchParams,
  type SearchParams,
  type SearchResponse,
} from "meilisearch";

import { getConfig } from "../app/config.server";
import { singleton, takeSingleton } from "../app/utils/singleton.server";

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
export function searchIndex<T extends Record<string, unknown>>(
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

function postSearch<R>(path: string, payload: unknown): Promise<R> {
  const { meili } = getConfig();
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
          ...(meili.apiKey ? { authorization: `Bearer ${meili.apiKey}` } : {}),
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

/** Closes the idle keep-alive connections to Meilisearch (at shutdown). */
export function closeSearchConnections() {
  const open = takeSingleton<Agents>("meilisearch-agents");
  open?.http.destroy();
  open?.https.destroy();
}
