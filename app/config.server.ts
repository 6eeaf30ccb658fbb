import { isIP } from "node:net";

import { z } from "zod";

import { configureDatabase } from "../db/client";

const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

// Express's own names for the private ranges, beside addresses and CIDR ranges.
const PROXY_PRESETS = new Set(["loopback", "linklocal", "uniquelocal"]);

function isProxyAddress(entry: string) {
  if (PROXY_PRESETS.has(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * Which hops may set X-Forwarded-For: off, a number of proxies in front of the app, or their
 * addresses (Express's "trust proxy" takes both). `true` means one hop, the usual single
 * reverse proxy: trusting every hop would let any client choose its own address.
 */
const trustProxySchema = z
  .string()
  .trim()
  .default("false")
  .transform((value, context): false | number | string[] => {
    if (["", "false", "0"].includes(value)) return false;
    if (value === "true") return 1;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(",").map((entry) => entry.trim());
    if (entries.every(isProxyAddress)) return entries;
    context.addIssue({
      code: "custom",
      message:
        "un nombre de proxys, ou leurs adresses séparées par des virgules (IP, plage CIDR, loopback…)",
    });
    return z.NEVER;
  });

const envSchema = z.object({
  // Unset means production: development error pages (with stack traces) must be asked for.
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  APP_ORIGIN: z.url().optional(),
  DATABASE_URL: z.string().min(1, "DATABASE_URL est requis (npm start le fournit)"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  MEILI_URL: z.url(),
  MEILI_API_KEY: z.string().min(1),
  MEILI_SEARCH_KEY: z.string().min(1).optional(),
  MEILI_INDEX_PREFIX: z.string().default(""),
  SEARCH_INDEXER: booleanFlag.default(true),
  COOKIE_SECURE: booleanFlag.optional(),
  TRUST_PROXY: trustProxySchema,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  RATE_LIMITS: booleanFlag.default(true),
  // Mail: SMTP when SMTP_URL is set, otherwise .eml files in MAIL_DIR (the embedded default).
  SMTP_URL: z
    .url()
    .regex(/^smtps?:\/\//, "SMTP_URL doit commencer par smtp:// ou smtps://")
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^[^\r\n]+$/, "MAIL_FROM tient sur une ligne")
    .default("Territoires Internet <ne-pas-repondre@territoires-internet.fr>"),
  MAIL_DIR: z.string().default(".data/mail"),
  MAIL_WORKER: booleanFlag.default(true),
  PAGE_CACHE: booleanFlag.optional(),
  PAGE_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(64),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** Every origin allowed to send mutating requests and open sockets. */
  origins: string[];
  databaseUrl: string;
  databasePoolSize: number;
  /**
   * `apiKey` (administration) is for the indexer and the command-line tools; every search goes
   * with a key that may only search this deployment's indexes: `searchKey` when given, else the
   * one the app creates at start (`search/client.ts`).
   */
  meili: { url: string; apiKey: string; searchKey?: string; indexPrefix: string };
  searchIndexer: boolean;
  cookieSecure: boolean;
  trustProxy: false | number | string[];
  logLevel: string;
  rateLimits: boolean;
  mail: { smtpUrl: string | null; from: string; dir: string; worker: boolean };
  /** The anonymous page cache (off by default in development, where the build changes). */
  pageCache: { enabled: boolean; maxBytes: number };
};

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    throw new Error(`Configuration invalide — ${details}`);
  }
  const e = parsed.data;
  const localOrigins = [`http://localhost:${e.PORT}`, `http://127.0.0.1:${e.PORT}`];
  const origins = e.APP_ORIGIN ? [new URL(e.APP_ORIGIN).origin] : localOrigins;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    origins,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    meili: {
      url: e.MEILI_URL,
      apiKey: e.MEILI_API_KEY,
      searchKey: e.MEILI_SEARCH_KEY,
      indexPrefix: e.MEILI_INDEX_PREFIX,
    },
    searchIndexer: e.SEARCH_INDEXER,
    cookieSecure: e.COOKIE_SECURE ?? origins[0]!.startsWith("https:"),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    rateLimits: e.RATE_LIMITS,
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      from: e.MAIL_FROM,
      dir: e.MAIL_DIR,
      worker: e.MAIL_WORKER,
    },
    pageCache: {
      enabled: e.PAGE_CACHE ?? e.NODE_ENV !== "development",
      maxBytes: e.PAGE_CACHE_MB * 1024 * 1024,
    },
  };
}

let current: Config | undefined;

/** The process-wide configuration, read from the environment once. */
export function getConfig(): Config {
  const store = globalThis as { __territoiresConfig?: Config };
  if (!current) {
    current = store.__territoiresConfig ??= parseConfig();
    connectDatabaseOf(current);
  }
  return current;
}

/** Used when the server is created with an explicit configuration (tests, scripts). */
export function setConfig(config: Config) {
  (globalThis as { __territoiresConfig?: Config }).__territoiresConfig = config;
  current = config;
  connectDatabaseOf(config);
}

function connectDatabaseOf(config: Config) {
  configureDatabase({ url: config.databaseUrl, poolSize: config.databasePoolSize });
}
