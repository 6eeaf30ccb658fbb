import { createHash } from "node:crypto";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

import type { NextFunction, Request, Response } from "express";
import Negotiator from "negotiator";
import pg from "pg";
import type { Logger } from "pino";

import { sessionCookieName } from "./auth.server";
import {
  DEFAULT_MAX_AGE_SECONDS,
  isOwnInvalidation,
  PAGE_CACHE_CHANNEL,
  PageStore,
  parseInvalidation,
  registerStore,
  type CachedPage,
  type PageDeclaration,
} from "./page-cache.server";

/**
 * The anonymous page cache on the HTTP side, for server.ts: placed after the security headers
 * and before compression, it answers anonymous GETs from the store and keeps, compressed, the
 * pages whose loaders declared their tags (`cachePage`). Requests with a session cookie or an
 * Authorization header always go through, and their responses are marked `private`.
 *
 * The store only serves while this instance LISTENs for invalidations: a lost connection empties
 * it and turns it off until the LISTEN is back, so a missed notification can never leave a page
 * stale.
 */

// The same negotiation as the `compression` middleware, so that one key names one encoding.
const ENCODINGS = ["br", "gzip", "deflate", "identity"];
const PREFERRED = ["br", "gzip"];
// What a stored page keeps of its headers; the security headers are set afresh on each response.
const KEPT_HEADERS = [
  "content-type",
  "content-encoding",
  "content-language",
  "vary",
  "cache-control",
];
const CACHEABLE_TYPE = /^(?:text\/html|application\/json)\b/;

export type PageCache = {
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  store: PageStore | null;
  /** Whether this instance currently serves from its store (LISTEN in place). */
  serving: () => boolean;
  /** Whether this response may be kept for other visitors (an anonymous GET, cache on). */
  mayKeep: (res: Response) => boolean;
  close: () => Promise<void>;
};

/** The declaration object handed to Remix in the load context (`context.pageCache`). */
export function declarationOf(res: Response): PageDeclaration {
  return ((res.locals.pageCache as PageDeclaration | undefined) ??= { tags: [] });
}

export function createPageCache(options: {
  enabled: boolean;
  maxBytes: number;
  databaseUrl: string;
  log: Logger;
}): PageCache {
  if (!options.enabled) {
    return {
      middleware: (req, res, next) => {
        declarationOf(res);
        if (!isAnonymous(req)) markPrivate(res);
        next();
      },
      store: null,
      serving: () => false,
      mayKeep: () => false,
      close: async () => {},
    };
  }
  const store = new PageStore({ maxBytes: options.maxBytes });
  const unregister = registerStore(store);
  const listener = listenForInvalidations(store, options);
  return {
    store,
    serving: listener.listening,
    mayKeep: (res) => res.locals.pageCacheCandidate === true,
    middleware: (req, res, next) => {
      const declaration = declarationOf(res);
      if (!isAnonymous(req)) {
        markPrivate(res);
        return next();
      }
      if (req.method !== "GET" || !listener.listening()) return next();
      const key = `${encodingOf(req)} ${req.originalUrl}`;
      const page = store.get(key);
      if (page) return serve(page, req, res);
      const mark = store.mark();
      res.locals.pageCacheCandidate = true;
      keepWhenDone(res, declaration, (kept) => store.set(key, kept, mark), options.log);
      next();
    },
    close: async () => {
      unregister();
      await listener.close();
    },
  };
}

let cookieName: string | undefined;

function isAnonymous(req: Request) {
  if (req.headers.authorization !== undefined) return false;
  const cookie = req.headers.cookie;
  if (!cookie) return true;
  cookieName ??= `${sessionCookieName()}=`;
  return !cookie.split(";").some((part) => part.trimStart().startsWith(cookieName!));
}

/** The encoding a response to this request gets (`identity` when none is accepted). */
export function encodingOf(req: Request) {
  if (!req.headers["accept-encoding"]) return "identity";
  const negotiator = new Negotiator(req);
  // @types/negotiator lacks the second argument (preferred encodings) that 0.6.4 takes.
  const encoding = negotiator.encoding as (available: string[], preferred: string[]) => string;
  return encoding.call(negotiator, ENCODINGS, PREFERRED) ?? "identity";
}

/** A member's page must never be kept by a shared cache, nor shown again without asking. */
function markPrivate(res: Response) {
  beforeHeaders(res, () => {
    if (!res.hasHeader("cache-control")) res.setHeader("Cache-Control", "private, no-cache");
  });
}

function beforeHeaders(res: Response, run: (status: number) => void) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    run(typeof args[0] === "number" ? args[0] : res.statusCode);
    return writeHead.apply(this, args);
  } as Response["writeHead"];
}

function serve(page: CachedPage, req: Request, res: Response) {
  for (const [name, value] of page.headers) res.setHeader(name, value);
  res.setHeader("ETag", page.etag);
  res.setHeader("X-Page-Cache", "hit");
  const policy = res.getHeader("content-security-policy");
  if (page.scriptSources !== null && typeof policy === "string") {
    // The stored HTML carries the nonce of the response it was rendered for: this one is
    // allowed to run exactly the inline scripts that response ran, by their hashes.
    res.setHeader(
      "Content-Security-Policy",
      policy.replace(/'nonce-[^']*'/g, page.scriptSources || "'none'"),
    );
  }
  const conditional = req.headers["if-none-match"];
  if (conditional && conditional.split(",").some((tag) => tag.trim() === page.etag)) {
    res.removeHeader("content-type");
    res.removeHeader("content-encoding");
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = page.status;
  res.setHeader("Content-Length", page.body.length);
  res.end(page.body);
}

type Chunk = string | Uint8Array;

/**
 * Watches the response as it leaves (already compressed, since compression runs after us) and
 * hands it to `keep` once complete, when the page declared tags and nothing in it is personal.
 */
function keepWhenDone(
  res: Response,
  declaration: PageDeclaration,
  keep: (page: CachedPage) => void,
  log: Logger,
) {
  let chunks: Buffer[] | null = null;
  let status = 200;
  beforeHeaders(res, (code) => {
    status = code;
    const type = String(res.getHeader("content-type") ?? "");
    if (
      declaration.tags.length > 0 &&
      code === 200 &&
      !res.hasHeader("set-cookie") &&
      CACHEABLE_TYPE.test(type) &&
      !/no-store|private/.test(String(res.getHeader("cache-control") ?? ""))
    ) {
      chunks = [];
      if (!res.hasHeader("cache-control")) res.setHeader("Cache-Control", "no-cache");
      res.setHeader("X-Page-Cache", "miss");
    }
  });
  const toBuffer = (chunk: Chunk, encoding: unknown) =>
    typeof chunk === "string"
      ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
      : Buffer.from(chunk);
  const write = res.write;
  res.write = function (this: Response, chunk: Chunk, ...rest: unknown[]) {
    if (chunks && chunk) chunks.push(toBuffer(chunk, rest[0]));
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Response["write"];
  const end = res.end;
  res.end = function (this: Response, ...args: unknown[]) {
    const [chunk, encoding] = args;
    if (chunks && chunk && typeof chunk !== "function")
      chunks.push(toBuffer(chunk as Chunk, encoding));
    const result = (end as (...endArgs: unknown[]) => Response).apply(this, args);
    if (chunks) {
      try {
        keep(toPage(res, status, Buffer.concat(chunks), declaration));
      } catch (error) {
        log.warn(
          { err: error instanceof Error ? error.message : String(error) },
          "page cache: not kept",
        );
      }
      chunks = null;
    }
    return result;
  } as Response["end"];
}

function toPage(
  res: Response,
  status: number,
  body: Buffer,
  declaration: PageDeclaration,
): CachedPage {
  const headers: Array<[string, string]> = [];
  for (const name of KEPT_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined)
      headers.push([name, Array.isArray(value) ? value.join(", ") : String(value)]);
  }
  const encoding = String(res.getHeader("content-encoding") ?? "identity");
  const type = String(res.getHeader("content-type") ?? "");
  const nonce = /'nonce-([^']+)'/.exec(String(res.getHeader("content-security-policy") ?? ""))?.[1];
  const scriptSources =
    type.startsWith("text/html") && nonce
      ? inlineScriptHashes(decode(body, encoding), nonce)
      : null;
  const maxAge = declaration.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  return {
    status,
    headers,
    body,
    etag: `"p${createHash("sha1").update(body).digest("base64url")}"`,
    scriptSources,
    tags: [...new Set(declaration.tags)],
    expiresAt: Date.now() + maxAge * 1000,
  };
}

function decode(body: Buffer, encoding: string) {
  if (encoding === "br") return brotliDecompressSync(body).toString("utf8");
  if (encoding === "gzip") return gunzipSync(body).toString("utf8");
  if (encoding === "deflate") return inflateSync(body).toString("utf8");
  return body.toString("utf8");
}

/**
 * The CSP sources allowing the inline scripts the page was rendered with: only those carrying
 * this response's nonce, which nothing written by a visitor can know, so an injected script
 * stays blocked on a cached copy as it was on the original.
 */
export function inlineScriptHashes(html: string, nonce: string) {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1] ?? "";
    if (!attributes.includes(`nonce="${nonce}"`) || /\bsrc=/i.test(attributes)) continue;
    hashes.add(
      `'sha256-${createHash("sha256")
        .update(match[2] ?? "")
        .digest("base64")}'`,
    );
  }
  return [...hashes].join(" ");
}

/**
 * LISTENs for invalidations from other instances on a connection of its own. Until the LISTEN
 * is in place, and whenever the connection is lost, the store is emptied and not used; a
 * heartbeat finds a connection that died silently.
 */
function listenForInvalidations(store: PageStore, options: { databaseUrl: string; log: Logger }) {
  const { log } = options;
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const lost = (which: pg.Client, error?: Error) => {
    if (which !== client) return;
    client = null;
    if (listening) {
      log.error(
        { err: error?.message },
        "page cache: LISTEN connection lost, cache off until it returns",
      );
    }
    listening = false;
    store.clear();
    void which.end().catch(() => {});
    if (closed) return;
    failures += 1;
    retry = setTimeout(() => void connect(), Math.min(10_000, 500 * 2 ** Math.min(failures, 5)));
    retry.unref();
  };

  const connect = async () => {
    const current = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: "territoires-page-cache",
      keepAlive: true,
    });
    client = current;
    current.on("error", (error) => lost(current, error));
    current.on("end", () => lost(current));
    current.on("notification", (message) => {
      const parsed = parseInvalidation(message.payload ?? "");
      if (parsed && !isOwnInvalidation(parsed)) store.invalidate(parsed.tags);
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${PAGE_CACHE_CHANNEL}`);
      if (current !== client) return;
      // Whatever was kept before may have missed notifications.
      store.clear();
      listening = true;
      if (failures > 0) log.warn("page cache: LISTEN connection back, cache on again");
      failures = 0;
    } catch (error) {
      lost(current, error instanceof Error ? error : new Error(String(error)));
    }
  };

  const heartbeat = setInterval(() => {
    const current = client;
    if (!current || !listening) return;
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("heartbeat timeout")), 3000).unref(),
    );
    Promise.race([current.query("select 1"), timeout]).catch((error: Error) =>
      lost(current, error),
    );
  }, 5000);
  heartbeat.unref();
  void connect();

  return {
    listening: () => listening,
    close: async () => {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(retry);
      const current = client;
      client = null;
      listening = false;
      await current?.end().catch(() => {});
    },
  };
}
