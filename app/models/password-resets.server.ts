import { and, eq, gt, inArray, sql } from "drizzle-orm";

import { db } from "../../db/client";
import { passwordResetRequests, passwordResetTokens, users } from "../../db/schema";
import { passwordResetMail } from "../mail/templates.server";
import { invalidateUserSessions } from "../utils/auth.server";
import { randomId, sha256 } from "../utils/ids.server";
import { hashPassword } from "../utils/password.server";
import { enqueueMail } from "./mail-outbox.server";
import { mailLinks } from "./mail-preferences.server";
import { failure, type Result } from "./result.server";

/**
 * "Mot de passe oublié": a request is only recorded (the page answers the same, as fast, whether
 * or not the address has an account); the mail worker makes the token and the mail. A token is
 * stored hashed, valid one hour, used once, replaced by a later one, and void once the password
 * or the email changed.
 */

const VALID_MINUTES = 60;

const emailHash = (email: string) => sha256(`reinitialisation:${email.toLowerCase()}`);

/** The rate-limit key of an address: no address is written in the limits table. */
export const passwordResetLimitKey = (email: string) => emailHash(email).slice(0, 32);

export async function requestPasswordReset(email: string) {
  await db.insert(passwordResetRequests).values({ email: email.toLowerCase() });
}

/** Turns the recorded requests into tokens and mails (mail worker). Returns how many it read. */
export async function processPasswordResetRequests(batchSize = 50) {
  return db.transaction(async (tx) => {
    const requests = await tx
      .delete(passwordResetRequests)
      .where(
        inArray(
          passwordResetRequests.id,
          tx
            .select({ id: passwordResetRequests.id })
            .from(passwordResetRequests)
            .orderBy(passwordResetRequests.id)
            .limit(batchSize)
            .for("update", { skipLocked: true }),
        ),
      )
      .returning({ email: passwordResetRequests.email });
    const emails = [...new Set(requests.map((request) => request.email))];
    if (emails.length === 0) return 0;
    const accounts = await tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(inArray(sql`lower(${users.email})`, emails));
    const links = mailLinks();
    for (const account of accounts) {
      const token = randomId(25);
      const values = {
        tokenHash: sha256(token),
        emailHash: emailHash(account.email),
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + VALID_MINUTES * 60_000),
      };
      await tx
        .insert(passwordResetTokens)
        .values({ userId: account.id, ...values })
        .onConflictDoUpdate({ target: passwordResetTokens.userId, set: values });
      await enqueueMail(
        tx,
        passwordResetMail({
          recipient: account,
          resetUrl: `${links.origin}/mot-de-passe/${token}`,
          validMinutes: VALID_MINUTES,
          links,
        }),
      );
    }
    return requests.length;
  });
}

const TOKEN_PATTERN = /^[a-z2-7]{40}$/;

/** The account a token may still reset, with a lock on the token when in a transaction. */
async function liveToken(tx: Pick<typeof db, "select">, token: string, lock: boolean) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const query = tx
    .select({
      userId: passwordResetTokens.userId,
      emailHash: passwordResetTokens.emailHash,
      email: users.email,
      createdAt: passwordResetTokens.createdAt,
      passwordChangedAt: users.passwordChangedAt,
    })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(
      and(
        eq(passwordResetTokens.tokenHash, sha256(token)),
        gt(passwordResetTokens.expiresAt, sql`now()`),
      ),
    );
  const [row] = lock ? await query.for("update", { of: passwordResetTokens }) : await query;
  if (!row) return null;
  if (row.emailHash !== emailHash(row.email)) return null;
  if (row.passwordChangedAt > row.createdAt) return null;
  return row;
}

export async function isPasswordResetTokenValid(token: string) {
  return (await liveToken(db, token, false)) !== null;
}

export const EXPIRED_LINK =
  "Ce lien n'est plus valable : il a déjà servi, a expiré ou a été remplacé par un plus récent. Demandez-en un nouveau.";

/** Sets the new password, uses the token up, and ends every session of the account. */
export async function resetPassword(token: string, newPassword: string): Promise<Result<null>> {
  // A made-up token costs one indexed read, not an argon2 hash.
  if (!(await isPasswordResetTokenValid(token))) return failure(410, {}, EXPIRED_LINK);
  const passwordHash = await hashPassword(newPassword);
  const userId = await db.transaction(async (tx) => {
    const row = await liveToken(tx, token, true);
    if (!row) return null;
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: new Date() })
      .where(eq(users.id, row.userId));
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, row.userId));
    return row.userId;
  });
  if (!userId) return failure(410, {}, EXPIRED_LINK);
  // Whoever held a session (perhaps the one who took the account) loses it.
  await invalidateUserSessions(userId, "password");
  return { ok: true, value: null };
}
