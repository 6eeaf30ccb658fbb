import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

import { and, eq, inArray, ne, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  appMeta,
  collectivities,
  mailOutbox,
  memberships,
  notificationPreferences,
  users,
} from "../../db/schema";
import { getConfig } from "../config.server";
import {
  effectiveFrequencies,
  isUnsubscribeScope,
  preferenceKinds,
  type Frequency,
  type PreferenceKind,
  type UnsubscribeScope,
} from "../utils/notification-preferences";

/** A member's mail preferences: the pace of each kind (defaults filled in) and their themes. */
export type MailPreferences = {
  frequencies: Record<PreferenceKind, Frequency>;
  themes: string[];
};

export async function preferencesOf(
  tx: Executor,
  userIds: string[],
): Promise<Map<string, MailPreferences>> {
  const rows =
    userIds.length === 0
      ? []
      : await tx
          .select({
            userId: notificationPreferences.userId,
            frequencies: notificationPreferences.frequencies,
            themes: notificationPreferences.themes,
          })
          .from(notificationPreferences)
          .where(inArray(notificationPreferences.userId, userIds));
  const stored = new Map(rows.map((row) => [row.userId, row]));
  return new Map(
    userIds.map((id) => [
      id,
      {
        frequencies: effectiveFrequencies(stored.get(id)?.frequencies),
        themes: stored.get(id)?.themes ?? [],
      },
    ]),
  );
}

/** The preferences page: choices, themes, and the area the digests use (from the membership). */
export async function getMailPreferences(userId: string) {
  const [preferences, [area]] = await Promise.all([
    preferencesOf(db, [userId]),
    db
      .select({
        collectivityName: collectivities.name,
        departmentCode: collectivities.departmentCode,
      })
      .from(memberships)
      .innerJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
      .where(and(eq(memberships.userId, userId), ne(memberships.status, "former"))),
  ]);
  return { ...preferences.get(userId)!, area: area ?? null };
}

export async function saveMailPreferences(userId: string, input: MailPreferences) {
  const values = { frequencies: { ...input.frequencies }, themes: [...new Set(input.themes)] };
  await db
    .insert(notificationPreferences)
    .values({ userId, ...values })
    .onConflictDoUpdate({
      target: notificationPreferences.userId,
      set: { ...values, updatedAt: sql`now()` },
    });
}

// ——— One-click unsubscribe links ———

const SECRET_KEY = "mail-unsubscribe-secret";
let secret: Promise<Buffer> | undefined;

/**
 * The key that signs unsubscribe links, made once and kept in PostgreSQL so that every instance
 * and worker signs alike. Deleting the row voids every link already sent.
 */
function signingKey() {
  secret ??= (async () => {
    await db
      .insert(appMeta)
      .values({ key: SECRET_KEY, value: randomBytes(32).toString("base64url") })
      .onConflictDoNothing({ target: appMeta.key });
    const [row] = await db
      .select({ value: appMeta.value })
      .from(appMeta)
      .where(eq(appMeta.key, SECRET_KEY));
    return Buffer.from(row!.value, "base64url");
  })().catch((error: unknown) => {
    secret = undefined;
    throw error;
  });
  return secret;
}

async function signature(userId: string, scope: UnsubscribeScope) {
  return createHmac("sha256", await signingKey())
    .update(`unsubscribe:v1:${userId}:${scope}`)
    .digest("base64url")
    .slice(0, 32);
}

/** The site's public address, for the links of a mail (APP_ORIGIN in production). */
export function mailLinks() {
  const origin = getConfig().origins[0]!;
  return { origin, preferencesUrl: `${origin}/compte/notifications` };
}

export async function unsubscribeUrl(userId: string, scope: UnsubscribeScope) {
  return `${mailLinks().origin}/desabonnement/${await unsubscribeToken(userId, scope)}`;
}

/** A token naming its recipient and what it stops; only our key can make a valid one. */
export async function unsubscribeToken(userId: string, scope: UnsubscribeScope) {
  return `${userId}.${scope}.${await signature(userId, scope)}`;
}

/** The recipient and scope of a token, or null when it was not signed by us. */
export async function readUnsubscribeToken(token: string) {
  const [userId, scope, given, ...rest] = token.split(".");
  if (!userId || !scope || !given || rest.length > 0) return null;
  if (!/^[a-z2-7]{1,64}$/.test(userId) || !isUnsubscribeScope(scope)) return null;
  const expected = Buffer.from(await signature(userId, scope));
  const received = Buffer.from(given);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) return null;
  return { userId, scope };
}

/**
 * Stops what the token names for its own recipient, and nobody else: one kind, or every kind
 * delivered in the digest the link came from. Idempotent; false when the token is not ours or
 * the account is gone.
 */
export async function unsubscribe(token: string) {
  const read = await readUnsubscribeToken(token);
  if (!read) return null;
  return db.transaction(async (tx) => {
    const current = (await preferencesOf(tx, [read.userId])).get(read.userId)!;
    const frequencies = { ...current.frequencies };
    if (read.scope === "digest-daily" || read.scope === "digest-weekly") {
      const pace = read.scope === "digest-daily" ? "daily" : "weekly";
      for (const kind of preferenceKinds)
        if (frequencies[kind] === pace) frequencies[kind] = "never";
    } else {
      frequencies[read.scope] = "never";
    }
    const [account] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.id, read.userId));
    if (!account) return null;
    await tx
      .insert(notificationPreferences)
      .values({ userId: read.userId, frequencies })
      .onConflictDoUpdate({
        target: notificationPreferences.userId,
        set: { frequencies, updatedAt: sql`now()` },
      });
    return read;
  });
}

/** A person's mail settings and the mails sent or waiting for them, for the RGPD export. */
export async function mailOfAccount(userId: string) {
  const [preferences, messages] = await Promise.all([
    db
      .select({
        frequencies: notificationPreferences.frequencies,
        themes: notificationPreferences.themes,
        updatedAt: notificationPreferences.updatedAt,
      })
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, userId)),
    db
      .select({
        recipient: mailOutbox.recipient,
        subject: mailOutbox.subject,
        text: mailOutbox.text,
        createdAt: mailOutbox.createdAt,
        sentAt: mailOutbox.sentAt,
        failedAt: mailOutbox.failedAt,
      })
      .from(mailOutbox)
      .where(eq(mailOutbox.userId, userId))
      .orderBy(mailOutbox.id),
  ]);
  return { preferences, messages };
}
