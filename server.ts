import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, deflateSync, gzipSync, constants as zlibConstants } from "node:zlib";

import {
  createRequestHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";

import { getConfig, setConfig, type Config } from "./app/config.server";
import { authenticate, type AuthState } from "./app/utils/auth.server";
import { logger } from "./app/utils/logger.server";
import { createPageCache, declarationOf, encodingOf } from "./app/utils/page-cache-http.server";
import { closeRateLimits } from "./app/utils/rate-limit.server";
import { closeDatabase, sqlClient } from "./db/client";
import { createAdapterPool } from "./realtime/adapter";
import { emitWithLegacyName, registerRealtime } from "./realtime/hub";
import { createRealtimeServer } from "./realtime/server";
import { checkSearchHealth, closeSearchConnections, searchKey } from "./search/client";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const UNSUBSCRIBE_PATH = /^\/desabonnement\/[^/]+$/;
// A request id from the client (a proxy's, usually) is kept only if it cannot forge log lines.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

const KB = 1024;
/**
 * The largest body of each kind of request, in one place: every body is read here, before Remix,
 * and refused beyond its limit whatever Content-Length says (or when it says nothing, chunked).
 */
const BODY_LIMITS = [
  { type: /^application\/([\w.+-]+\+)?json\b/i, bytes: 256 * KB, label: "256 Ko" },
  {
    type: /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i,
    bytes: 1024 * KB,
    label: "1 Mo",
  },
];
const OTHER_BODY_LIMIT = { bytes: 256 * KB, label: "256 Ko" };

function bodyLimitOf(contentType: string | undefined) {
  return BODY_LIMITS.find((limit) => limit.type.test(contentType ?? "")) ?? OTHER_BODY_LIMIT;
}

/**
 * Reads the body into `res.locals.body`, or answers 413 as soon as it passes its limit. At most
 * 1 MB per request is ever held, so parallel uploads of any size keep memory flat.
 */
function readCappedBody(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const limit = bodyLimitOf(req.headers["content-type"]);
  const refuse = () => {
    const message = `Requête trop volumineuse : ${limit.label} au plus pour ce type de contenu.`;
    // The rest of the body is not wanted: close the connection instead of reading it.
    res.set("Connection", "close").status(413);
    if (req.path.startsWith("/api/")) res.json({ error: { code: "payload_too_large", message } });
    else res.type("text/plain; charset=utf-8").send(message);
  };
  if (Number(req.headers["content-length"]) > limit.bytes) return refuse();
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on("data", (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size <= limit.bytes) return void chunks.push(chunk);
    refused = true;
    chunks.length = 0;
    refuse();
  });
  req.once("end", () => {
    if (refused) return;
    const body = Buffer.concat(chunks, size);
    res.locals.body = body;
    if (!/^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "")) return next();
    // Remix would throw on a multipart body it cannot parse, which is the client's error: 400.
    new globalThis.Response(new Uint8Array(body), {
      headers: { "content-type": req.headers["content-type"]! },
    })
      .formData()
      .then(
        () => next(),
        () => void res.status(400).type("text/plain; charset=utf-8").send("Formulaire illisible."),
      );
  });
}

/**
 * The Fetch request Remix reads, as @remix-run/express builds it, but with the body already read
 * (and capped) and the host taken from X-Forwarded-Host only behind a trusted proxy.
 */
function remixRequest(req: Request, res: Response, host: string): globalThis.Request {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : value ? [value] : []) {
      headers.append(name, one);
    }
  }
  const body = res.locals.body as Buffer | undefined;
  return new globalThis.Request(`${req.protocol}://${host}${req.originalUrl}`, {
    method: req.method,
    headers,
    signal: controller.signal,
    body: body ? new Uint8Array(body) : undefined,
  });
}

const WHOLE_PAGE_TYPE = /^text\/html\b/i;
// Below this, compressing saves less than it costs (the compression middleware's threshold).
const COMPRESS_FROM_BYTES = 1024;

/**
 * A page is rendered whole (app/entry.server.tsx), so it is compressed here in one synchronous
 * call: the compression middleware's stream costs ten times more for the same bytes (thread-pool
 * round trips for each chunk; 2.3 ms against 0.2 ms for a topic page of 95 KB, brotli quality 1).
 * Same negotiation and qualities as the middleware, which then leaves the encoded body alone.
 */
function compressWholePage(req: Request, res: Response, body: Buffer, kept: boolean) {
  res.vary("Accept-Encoding");
  const encoding = encodingOf(req);
  const noTransform = /no-transform/.test(String(res.getHeader("cache-control") ?? ""));
  if (encoding === "identity" || noTransform || body.length < COMPRESS_FROM_BYTES) return body;
  const compressed =
    encoding === "br"
      ? brotliCompressSync(body, {
          params: {
            [zlibConstants.BROTLI_PARAM_QUALITY]: kept ? 4 : 1,
            [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        })
      : encoding === "gzip"
        ? gzipSync(body, { level: 1 })
        : deflateSync(body, { level: 1 });
  res.setHeader("Content-Encoding", encoding);
  return compressed;
}

async function sendRemixResponse(
  req: Request,
  res: Response,
  response: globalThis.Response,
  kept: boolean,
) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (!response.body) return void res.end();
  if (req.method !== "HEAD" && WHOLE_PAGE_TYPE.test(response.headers.get("content-type") ?? "")) {
    const body = compressWholePage(req, res, Buffer.from(await response.arrayBuffer()), kept);
    res.setHeader("Content-Length", body.length);
    return void res.end(body);
  }
  await writeReadableStreamToWritable(response.body, res);
}

export type App = {
  httpServer: Server;
  io: ReturnType<typeof createRealtimeServer>;
  /** Resolves with the port once listening. */
  listen: (port?: number, host?: string) => Promise<number>;
  close: () => Promise<void>;
};

type CreateAppOptions = {
  build?: ServerBuild;
  /** Development: re-import the build whenever `remix watch` rewrites it. */
  reloadBuild?: boolean;
  /** Extra services started with the app and stopped by close() (the search indexer…). */
  background?: Array<{ close: () => Promise<void> | void }>;
};

async function loadBuild(): Promise<ServerBuild> {
  const buildPath = path.resolve("build/index.js");
  // The query string makes Node import a rebuilt file instead of its cached module.
  const version = statSync(buildPath).mtimeMs;
  return (await import(`${pathToFileURL(buildPath).href}?v=${version}`)) as ServerBuild;
}

export async function createApp(config: Config = getConfig(), options: CreateAppOptions = {}) {
  setConfig(config);
  const log = logger();
  const build = options.build ?? (await loadBuild());
  const app = express();
  app.disable("x-powered-by");
  // Remix parses the URL itself; the simple parser spares Express a costly qs parse per request.
  app.set("query parser", "simple");
  if (config.trustProxy !== false) app.set("trust proxy", config.trustProxy);
  // The host the client asked for: X-Forwarded-Host is believed only from a trusted proxy.
  const requestHost = (req: Request) => {
    const forwarded = req.get("x-forwarded-host")?.split(",")[0]?.trim();
    return (config.trustProxy !== false ? forwarded : undefined) || req.get("host") || "";
  };

  app.use((req, res, next) => {
    const clientId = req.headers["x-request-id"];
    res.locals.requestId =
      typeof clientId === "string" && REQUEST_ID_PATTERN.test(clientId) ? clientId : randomUUID();
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("X-Request-Id", res.locals.requestId as string);
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          "script-src": [
            "'self'",
            (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`,
          ],
          "connect-src": ["'self'", ...config.origins.map((o) => o.replace(/^http/, "ws"))],
          "img-src": ["'self'", "data:"],
          "upgrade-insecure-requests": config.cookieSecure ? [] : null,
        },
      },
      strictTransportSecurity: config.cookieSecure,
      // helmet's "no-referrer" makes browsers send `Origin: null` on form posts, which the CSRF
      // check must refuse; same-origin keeps our own origin on our own forms.
      referrerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
      // Express's header is already off (app.disable above): helmet's removeHeader on every
      // response only cost time.
      xPoweredBy: false,
    }),
  );
  // Anonymous pages from memory, before compression so that they are kept compressed.
  const pageCache = createPageCache({ ...config.pageCache, databaseUrl: config.databaseUrl, log });
  app.use(pageCache.middleware);
  // Level 1, nginx's default: most of the size gain for a fraction of the CPU of level 6, which
  // matters on small servers where every request is compressed. A page rendered for one reader
  // (a member's, or one the cache will not keep) is compressed once and read once: brotli at its
  // quickest quality costs less than half of its default 4 for a few more bytes; a page that may
  // be kept keeps the default, paid once for many readers.
  const keptCompression = compression({ level: 1 });
  const liveCompression = compression({
    level: 1,
    brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } },
  });
  app.use((req, res, next) =>
    (pageCache.mayKeep(res) ? keptCompression : liveCompression)(req, res, next),
  );
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // Only paths that name a file of public/ reach the static handler: it would otherwise stat
  // the disk on every page and API request.
  const publicEntries = new Set(readdirSync("public").filter((name) => name !== "build"));
  const publicFiles = express.static("public", { maxAge: "1h", index: false });
  app.use((req, res, next) => {
    const first = req.path.split("/")[1] ?? "";
    if (publicEntries.has(first)) return publicFiles(req, res, next);
    next();
  });

  app.get("/healthz", async (_req, res) => {
    const down: string[] = [];
    await Promise.all([
      sqlClient()`select 1`.catch(() => down.push("postgresql")),
      checkSearchHealth().then((ok) => ok || down.push("meilisearch")),
    ]);
    if (down.length === 0) res.json({ status: "ok" });
    else res.status(503).json({ status: "error", down });
  });

  // CSRF: a state change must come from one of our pages. API calls authenticated by a bearer
  // token carry no ambient credential, so they are exempt.
  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const bearer = typeof req.headers.authorization === "string";
    if (bearer && req.path.startsWith("/api/")) return next();
    // RFC 8058 one-click unsubscribe: the mail provider's server posts it, without Origin. The
    // signed token in the URL is the only credential (no cookie is used), so nothing is forged.
    const oneClick = req.method === "POST" && req.headers.origin === undefined;
    if (oneClick && UNSUBSCRIBE_PATH.test(req.path)) return next();
    const origin = req.headers.origin;
    // Remix also compares Origin with the host the request reached, and answers 500 when they
    // differ: refuse such requests here, with a 403, before they get there.
    if (
      typeof origin === "string" &&
      config.origins.includes(origin) &&
      new URL(origin).host === requestHost(req)
    ) {
      return next();
    }
    res.status(403).type("text/plain; charset=utf-8");
    res.send("Requête refusée : origine inconnue ou absente (protection CSRF).");
  });

  app.use(readCappedBody);

  app.use(async (req, res, next) => {
    try {
      const { auth, setCookie } = await authenticate({
        cookie: req.headers.cookie,
        authorization: req.headers.authorization,
      });
      res.locals.auth = auth;
      if (setCookie) res.append("Set-Cookie", setCookie);
      next();
    } catch (error) {
      next(error);
    }
  });

  // Development mode sends stack traces to the browser: only when asked for by name.
  const handleRemix = createRequestHandler(
    options.reloadBuild ? loadBuild : build,
    config.env === "development" ? "development" : "production",
  );
  app.all("*", async (req, res, next) => {
    try {
      const response = await handleRemix(remixRequest(req, res, requestHost(req)), {
        auth: res.locals.auth as AuthState,
        cspNonce: res.locals.cspNonce as string,
        requestId: res.locals.requestId as string,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        pageCache: declarationOf(res),
      });
      await sendRemixResponse(req, res, response, pageCache.mayKeep(res));
    } catch (error) {
      next(error);
    }
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    log.error({ err: error, requestId: res.locals.requestId, path: req.path }, "request failed");
    if (res.headersSent) return;
    res.status(500).type("text/plain; charset=utf-8");
    res.send(`Une erreur inattendue est survenue (référence ${String(res.locals.requestId)}).`);
  });

  // The search-only key, made now rather than on the first search; if Meilisearch is away, the
  // first search tries again (and falls back to PostgreSQL meanwhile).
  searchKey().catch((error: unknown) =>
    log.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "clé de recherche non créée",
    ),
  );

  const httpServer = createServer(app);
  const adapter = createAdapterPool({
    databaseUrl: config.databaseUrl,
    log,
    onListenerBack: () => emitWithLegacyName(io.local, "session:resync"),
  });
  const io = createRealtimeServer(httpServer, {
    config,
    pool: adapter.pool,
    onAdapterError: (error) =>
      log.error({ err: error }, "realtime adapter lost its connection; broadcasts stay local"),
  });

  const result: App = {
    httpServer,
    io,
    listen: (port = config.port, host = config.host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      }),
    close: async () => {
      for (const service of options.background ?? []) await service.close();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      registerRealtime(null);
      await pageCache.close();
      httpServer.closeAllConnections();
      await adapter.close();
      await closeRateLimits();
      closeSearchConnections();
      await closeDatabase();
    },
  };
  return result;
}
