import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { getConfig } from "../config.server";
import { logger } from "./logger.server";
import { singleton, takeSingleton } from "./singleton.server";

/**
 * Every limit of the platform, in one table: points per window of `duration` seconds, counted in
 * PostgreSQL (table `rate_limits`) so that they hold across instances.
 */
const definitions = {
  // Login counts failures only. Per address; per account from one address, so that a stranger
  // cannot lock the owner out; and a far higher ceiling per account against spread attacks.
  "login-ip": { points: 25, duration: 5 * 60 },
  "login-account-ip": { points: 10, duration: 60 * 60 },
  "login-account": { points: 500, duration: 60 * 60 },
  // Failures from a browser where the account logged in before: it skips the limits above.
  "login-device": { points: 10, duration: 60 * 60 },
  // Checks of the current password on /compte (password, email, deletion): argon2 each time.
  "password-check": { points: 10, duration: 15 * 60 },
  "signup-ip": { points: 5, duration: 30 * 60 },
  // "Mot de passe oublié": every request counts, per address typed and per IP.
  "password-reset-email": { points: 5, duration: 30 * 60 },
  "password-reset-ip": { points: 5, duration: 30 * 60 },
  "token-create": { points: 20, duration: 60 * 60 },
  // "Invitez une commune voisine", per member: each one mails a stranger.
  "invitation-send": { points: 10, duration: 24 * 60 * 60 },
  // "Recevoir un nouveau lien" of an unconfirmed address, per account: each one sends a mail.
  "address-verification-resend": { points: 3, duration: 60 * 60 },
  // Registering (page or API), per person: generous for people, a brake for scripts.
  "event-registration": { points: 30, duration: 60 },
  // Creating or changing events (page or API), per person: each change may notify every registrant.
  "event-write": { points: 30, duration: 60 * 60 },
  // Organisers' messages, per event: each one notifies every registrant.
  "event-message": { points: 5, duration: 60 * 60 },
  // A human rarely posts more than this.
  "forum-post": { points: 10, duration: 60 },
  "forum-topic": { points: 5, duration: 60 * 60 },
  // Reports reach every moderator: enough for a person, a brake for a flood.
  "forum-report": { points: 20, duration: 60 * 60 },
  "initiative-write": { points: 60, duration: 60 * 60 },
  // Label: answers autosave while people type (one save every few seconds at most).
  "label-answer-save": { points: 1200, duration: 60 * 60 },
  "label-register": { points: 10, duration: 60 * 60 },
  // The live preview follows typing (one request per pause): about one a second at most.
  "markdown-preview": { points: 600, duration: 10 * 60 },
  // "Contacter" on a profile, per sender, and per sender and recipient: a person, not a mailing.
  "member-message": { points: 10, duration: 60 * 60 },
  "member-message-pair": { points: 3, duration: 24 * 60 * 60 },
  // Per IP: each download reads every published initiative; proxies may cache it 5 minutes.
  "open-data-export": { points: 30, duration: 60 * 60 },
  // Council: proposals per person; ballots per référent (each one replaces the last); receipt
  // checks per IP (a receipt is a 160-bit secret: guessing is hopeless, flooding is not welcome).
  "council-topic": { points: 10, duration: 60 * 60 },
  "council-ballot": { points: 30, duration: 60 * 60 },
  "council-receipt": { points: 30, duration: 10 * 60 },
} satisfies Record<string, { points: number; duration: number }>;

export type LimitName = keyof typeof definitions;

function pool() {
  return singleton("rate-limit-pool", () => {
    const created = new pg.Pool({ connectionString: getConfig().databaseUrl, max: 4 });
    // Idle clients dropped by a PostgreSQL restart are replaced on next use: say so, nothing more.
    created.on("error", (error) =>
      logger().warn({ err: error.message }, "rate limits: idle PostgreSQL connection lost"),
    );
    return created;
  });
}

const limiters = new Map<string, RateLimiterPostgres>();

export async function closeRateLimits() {
  limiters.clear();
  await takeSingleton<pg.Pool>("rate-limit-pool")
    ?.end()
    .catch((error: unknown) =>
      logger().warn(
        { err: error instanceof Error ? error.message : String(error) },
        "rate limits: pool did not close cleanly",
      ),
    );
}

function limiter(name: LimitName) {
  let existing = limiters.get(name);
  if (existing) return existing;
  const definition = definitions[name];
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
    super(retryAfterMessage(retryAfterSeconds));
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

/** The error when `key` has used up its points already, without counting an attempt. */
export async function limitAlreadyReached(name: LimitName, key: string) {
  if (!getConfig().rateLimits) return undefined;
  const state = await limiter(name).get(key);
  if (!state || state.consumedPoints < definitions[name].points) return undefined;
  return new RateLimitedError(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
}

/** Counts an attempt that failed; `limitAlreadyReached` refuses the next ones past the limit. */
export async function countFailure(name: LimitName, key: string) {
  await unlessRateLimited(() => consume(name, key));
}

/** Counts one attempt: the error once the limit is passed, else undefined. */
export async function limitReached(name: LimitName, key: string) {
  const outcome = await unlessRateLimited(() => consume(name, key));
  return outcome instanceof RateLimitedError ? outcome : undefined;
}

/** Runs a write; a passed limit comes back as the error instead of being thrown. */
export async function unlessRateLimited<T>(run: () => Promise<T>): Promise<T | RateLimitedError> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
}
