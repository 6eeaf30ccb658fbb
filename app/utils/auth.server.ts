import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { redirect } from "@remix-run/node";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser, type Session } from "lucia";

import { db } from "../../db/client";
import {
  apiTokens,
  notifications,
  sessions,
  users,
  type ProfileKind,
  type Role,
} from "../../db/schema";
import { disconnectSession, disconnectUser } from "../../realtime/hub";
import { getConfig } from "../config.server";
import { randomId, sha256 } from "./ids.server";
import { singleton } from "./singleton.server";

/**
 * The one module that knows about lucia (no longer developed upstream): every other module goes
 * through these functions, so replacing it means rewriting this file only.
 */

export type AuthUser = {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  profileKind: ProfileKind;
  jobTitle: string;
};

/** The person behind a request: until their sign-up address is confirmed, they read only. */
export type SessionUser = AuthUser & { emailVerified: boolean };

export type AuthState = {
  user: SessionUser | null;
  session: Session | null;
  via: "cookie" | "token" | null;
  /** An Authorization header was sent but did not name a live token. */
  tokenRejected: boolean;
  /**
   * The user's unread notifications, read with the session (one query for both); null when
   * not read (signed out, or an API token).
   */
  unreadNotifications: number | null;
};

export const signedOut: AuthState = {
  user: null,
  session: null,
  via: null,
  tokenRejected: false,
  unreadNotifications: null,
};

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: {
      email: string;
      name: string;
      roles: Role[];
      // The drizzle adapter hands the row with the schema's (camelCase) keys.
      profileKind: ProfileKind;
      jobTitle: string;
      emailVerifiedAt: Date | null;
      unreadNotifications: number;
    };
  }
}

/** The user columns a request needs, for a session as for an API token. */
const sessionUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  roles: users.roles,
  profileKind: users.profileKind,
  jobTitle: users.jobTitle,
  emailVerifiedAt: users.emailVerifiedAt,
};

/**
 * lucia's adapter, but the session lookup of every signed-in request also reads the unread
 * notification count the header shows, in the same query (one round trip instead of two), and
 * only the user columns a request needs.
 */
class SessionAdapter extends DrizzlePostgreSQLAdapter {
  override async getSessionAndUser(
    sessionId: string,
  ): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await db
      .select({
        sessionId: sessions.id,
        expiresAt: sessions.expiresAt,
        ...sessionUserColumns,
        unreadNotifications: sql<number>`(select count(*) from ${notifications}
          where ${notifications.userId} = ${users.id} and ${notifications.readAt} is null)::int`,
      })
      .from(sessions)
      .innerJoin(users, eq(sessions.userId, users.id))
      .where(eq(sessions.id, sessionId));
    if (!row) return [null, null];
    const { sessionId: id, expiresAt, ...user } = row;
    return [
      { id, userId: user.id, expiresAt, attributes: {} },
      { id: user.id, attributes: user },
    ];
  }
}

function createLucia() {
  const adapter = new SessionAdapter(db, sessions, users);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: {
      name: "ti_session",
      attributes: { secure: getConfig().cookieSecure, sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      roles: attributes.roles,
      profileKind: attributes.profileKind,
      jobTitle: attributes.jobTitle,
      emailVerified: attributes.emailVerifiedAt !== null,
      unreadNotifications: attributes.unreadNotifications,
    }),
  });
}

const lucia = () => singleton("lucia", createLucia);

// Lucia's ids are 40 lowercase base32 characters; anything else is rejected before the database.
const SESSION_ID_PATTERN = /^[a-z2-7]{40}$/;
const API_TOKEN_PATTERN = /^ti_[a-z2-7]{40}$/;

export type CookieResult = { auth: AuthState; setCookie?: string };

/** Validates the session cookie or bearer token of a request, once, in the Express layer. */
export async function authenticate(headers: {
  cookie?: string | undefined;
  authorization?: string | undefined;
}): Promise<CookieResult> {
  if (headers.authorization !== undefined) {
    const token = lucia().readBearerToken(headers.authorization);
    const user = token ? await validateApiToken(token) : null;
    return {
      auth: user ? { ...signedOut, user, via: "token" } : { ...signedOut, tokenRejected: true },
    };
  }
  const sessionId = lucia().readSessionCookie(headers.cookie ?? "");
  if (!sessionId) return { auth: signedOut };
  const blank = lucia().createBlankSessionCookie().serialize();
  if (!SESSION_ID_PATTERN.test(sessionId)) return { auth: signedOut, setCookie: blank };
  const { user: withCount, session } = await lucia().validateSession(sessionId);
  if (!session) return { auth: signedOut, setCookie: blank };
  const { unreadNotifications, ...user } = withCount;
  return {
    auth: { user, session, via: "cookie", tokenRejected: false, unreadNotifications },
    setCookie: session.fresh ? lucia().createSessionCookie(session.id).serialize() : undefined,
  };
}

/** Starts a fresh session (never reusing a planted cookie) and returns its Set-Cookie header. */
export async function createSession(userId: string, previousSessionId?: string | null) {
  if (previousSessionId) await lucia().invalidateSession(previousSessionId);
  const session = await lucia().createSession(userId, {});
  return lucia().createSessionCookie(session.id).serialize();
}

export async function endSession(sessionId: string) {
  await lucia().invalidateSession(sessionId);
  disconnectSession(sessionId);
  return lucia().createBlankSessionCookie().serialize();
}

/**
 * Ends every session of a user (or all but one) and closes the sockets of those sessions. Only
 * the sessions that existed are closed: a broadcast to the whole user, arriving late through the
 * adapter, would also end a session opened just after (a member approved then signing in). A
 * deleted account ends every socket, API-token ones included.
 */
export async function invalidateUserSessions(
  userId: string,
  reason: "password" | "revoked" | "deleted",
  keepSessionId?: string,
) {
  const ended = await db
    .delete(sessions)
    .where(
      and(eq(sessions.userId, userId), keepSessionId ? ne(sessions.id, keepSessionId) : undefined),
    )
    .returning({ id: sessions.id });
  if (reason === "deleted") disconnectUser(userId, reason);
  else for (const session of ended) disconnectSession(session.id, reason);
}

export function sessionCookieName() {
  return lucia().sessionCookieName;
}

export function blankSessionCookie() {
  return lucia().createBlankSessionCookie().serialize();
}

async function validateApiToken(token: string): Promise<SessionUser | null> {
  if (!API_TOKEN_PATTERN.test(token)) return null;
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
      ...sessionUserColumns,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!row) return null;
  const { tokenId, lastUsedAt, emailVerifiedAt, ...user } = row;
  // One write a minute at most per token keeps "last used" useful without a write per request.
  if (!lastUsedAt || Date.now() - lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, tokenId));
  }
  return { ...user, emailVerified: emailVerifiedAt !== null };
}

/** Creates a personal API token; the clear token is returned once and only its hash is kept. */
export async function createApiToken(userId: string, name: string) {
  const token = `ti_${randomId(25)}`;
  const id = randomId();
  await db.insert(apiTokens).values({
    id,
    userId,
    name,
    tokenHash: sha256(token),
    prefix: token.slice(0, 8),
  });
  return { id, token };
}

export async function revokeApiToken(userId: string, tokenId: string) {
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)),
    )
    .returning({ id: apiTokens.id });
  return revoked.length > 0;
}

export async function revokeAllApiTokens(userId: string) {
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}

// ——— Route guards ———

type GuardArgs = { request: Request; context: { auth: AuthState } };

function isApiRequest(request: Request) {
  return new URL(request.url).pathname.startsWith("/api/");
}

export function getUser({ context }: Pick<GuardArgs, "context">): SessionUser | null {
  return context.auth.user;
}

/** The signed-in user, or a redirect to the login page (401 JSON for the API). */
export function requireUser({ request, context }: GuardArgs): SessionUser {
  const user = context.auth.user;
  if (user) return user;
  if (isApiRequest(request)) {
    const message = context.auth.tokenRejected
      ? "Jeton d'API invalide ou révoqué."
      : "Authentification requise : envoyez un jeton dans l'en-tête Authorization.";
    throw Response.json({ error: { code: "unauthorized", message } }, { status: 401 });
  }
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  throw redirect(`/connexion?${new URLSearchParams({ redirectTo }).toString()}`);
}

export function hasRole(user: Pick<AuthUser, "roles"> | null, role: Role) {
  if (!user) return false;
  return user.roles.includes("admin") || user.roles.includes(role);
}

/** The signed-in user holding `role` (admins hold every role), or 403. */
export function requireRole(args: GuardArgs, role: Role): SessionUser {
  const user = requireUser(args);
  if (hasRole(user, role)) return user;
  const message = "Vous n'avez pas les droits nécessaires pour cette action.";
  if (isApiRequest(args.request)) {
    throw Response.json({ error: { code: "forbidden", message } }, { status: 403 });
  }
  throw new Response(message, { status: 403 });
}

export const UNVERIFIED_EMAIL =
  "Confirmez d'abord votre adresse électronique : suivez le lien du courriel reçu à l'inscription (vous pouvez le recevoir à nouveau depuis votre compte). En attendant, vous pouvez tout consulter.";

/**
 * The signed-in user allowed to publish (initiatives, discussions, events, messages): their
 * address is confirmed. Otherwise 403 with the reason, as JSON for the API.
 */
export function requirePublisher(args: GuardArgs, role?: Role): SessionUser {
  const user = role ? requireRole(args, role) : requireUser(args);
  if (user.emailVerified) return user;
  if (isApiRequest(args.request)) {
    throw Response.json(
      { error: { code: "email_unverified", message: UNVERIFIED_EMAIL } },
      { status: 403 },
    );
  }
  throw new Response(UNVERIFIED_EMAIL, { status: 403 });
}

// Browsers drop tabs and newlines from URLs and read "\\" as "/": "/\t/evil.example" and
// "/\\evil.example" lead to another site. None of them belongs in a path of ours.
function unsafeInPath(path: string) {
  for (const char of path) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || char === "\\") return true;
  }
  return false;
}

/**
 * Only a path of this site: resolved against APP_ORIGIN it must keep that origin, and neither it
 * nor its percent-decoded form may hold control characters or backslashes. Returns the resolved
 * path (never the raw input), or `fallback`.
 */
export function safeRedirect(
  target: FormDataEntryValue | string | null | undefined,
  fallback = "/",
) {
  if (typeof target !== "string" || !target.startsWith("/") || target.length > 2000) {
    return fallback;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    return fallback;
  }
  if (unsafeInPath(target) || unsafeInPath(decoded) || decoded.startsWith("//")) {
    return fallback;
  }
  const origin = getConfig().origins[0]!;
  const resolved = new URL(target, origin);
  if (resolved.origin !== new URL(origin).origin) return fallback;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
