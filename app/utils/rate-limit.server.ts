import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { getConfig } from "../config.server";
import { singleton, takeSingleton } from "./singleton.server";

/** Limits shared by every instance, stored in PostgreSQL (table `rate_limits`). */
const definitions = {
  "login-ip": { points: 25, duration: 5 * 60 },
  "login-account": { points: 25, duration: 60 * 60 },
  "signup-ip": { points: 5, duration: 30 * 60 },
  "token-create": { points: 20, duration: 60 * 60 },
} satisfies Record<string, { points: number; duration: number }>;

export type LimitName = keyof typeof definitions | (string & {});

const extra = new Map<string, { points: number; duration: number }>();

/** Later domains declare their own limits (posting, registrations…). */
export function defineRateLimit(name: string, points: number, durationSeconds: number) {
  extra.set(name, { points, duration: durationSeconds });
}

function pool() {
  return singleton("rate-limit-pool", () => {
    const created = new pg.Pool({ connectionString: getConfig().databaseUrl, max: 4 });
    // Idle clients dropped by a PostgreSQL restart are replaced on next use.
    created.on("error", () => {});
    return created;
  });
}

const limiters = new Map<string, RateLimiterPostgres>();

export async function closeRateLimits() {
  limiters.clear();
  await takeSingleton<pg.Pool>("rate-limit-pool")
    ?.end()
    .catch(() => {});
}

function limiter(name: LimitName) {
  let existing = limiters.get(name);
  if (existing) return existing;
  const definition =
    (definitions as Record<string, { points: number; duration: number }>)[name] ?? extra.get(name);
  if (!definition) throw new Error(`unknown rate limit ${name}`);
  existing = new RateLimiterPostgres({
    storeClient: pool(),
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true,
    keyPrefix: name,
    points: definition.points,
    duration: definition.duration,
    clearExpiredByTimeout: false,
  });
  limiters.set(name, existing);
  return existing;
}

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("rate limited");
  }
}

/** Counts one attempt; throws RateLimitedError once the limit is passed. */
export async function consume(name: LimitName, key: string) {
  if (!getConfig().rateLimits) return;
  try {
    await limiter(name).consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      throw new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    }
    throw error;
  }
}

export async function resetLimit(name: LimitName, key: string) {
  await limiter(name).delete(key);
}

export function retryAfterMessage(seconds: number) {
  const minutes = Math.ceil(seconds / 60);
  return minutes > 1
    ? `Trop de tentatives. Réessayez dans ${minutes} minutes.`
    : "Trop de tentatives. Réessayez dans une minute.";
}

/** The 429 answer of pages and API alike: a French message and Retry-After. */
export function tooManyRequests(error: RateLimitedError, format: "json" | "html") {
  const message = retryAfterMessage(error.retryAfterSeconds);
  const headers = { "Retry-After": String(error.retryAfterSeconds) };
  return format === "json"
    ? Response.json({ error: { code: "rate_limited", message } }, { status: 429, headers })
    : { message, headers };
}
