import { and, eq, gt, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import { emailTokens, type EmailTokenPurpose } from "../../db/schema";
import { confirmNewAddressMail, verifyAddressMail } from "../mail/account-templates.server";
import { randomId, sha256 } from "../utils/ids.server";
import { enqueueMail } from "./mail-outbox.server";
import { mailLinks } from "./mail-preferences.server";

/**
 * Single-use links about an address, stored hashed like the password reset ones: a newer link
 * of the same purpose replaces the older, and using one deletes it.
 */

const VALID_HOURS: Record<EmailTokenPurpose, number> = {
  verify: 72,
  change: 24,
  undo: 7 * 24,
};

const TOKEN_PATTERN = /^[a-z2-7]{40}$/;

/** The URL of an address link: one page serves the three purposes. */
export const emailTokenUrl = (token: string) => `${mailLinks().origin}/adresse/${token}`;

/** Writes a fresh token (replacing the account's earlier ones of that purpose); returns it clear. */
export async function issueEmailToken(
  tx: Executor,
  input: { userId: string; purpose: EmailTokenPurpose; email: string; keepApiTokens?: boolean },
) {
  const token = randomId(25);
  const expiresAt = new Date(Date.now() + VALID_HOURS[input.purpose] * 3_600_000);
  await tx
    .delete(emailTokens)
    .where(and(eq(emailTokens.userId, input.userId), eq(emailTokens.purpose, input.purpose)));
  await tx.insert(emailTokens).values({
    userId: input.userId,
    purpose: input.purpose,
    tokenHash: sha256(token),
    email: input.email,
    keepApiTokens: input.keepApiTokens ?? false,
    expiresAt,
  });
  return { token, expiresAt };
}

type Account = { id: string; email: string; name: string };

/** Queues the sign-up confirmation mail, in the caller's transaction. */
export async function sendAddressVerification(tx: Executor, account: Account) {
  const { token, expiresAt } = await issueEmailToken(tx, {
    userId: account.id,
    purpose: "verify",
    email: account.email,
  });
  await enqueueMail(
    tx,
    verifyAddressMail({
      recipient: account,
      url: emailTokenUrl(token),
      expiresAt,
      links: mailLinks(),
    }),
  );
}

/** Queues the confirmation of an email change, sent to the new address. */
export async function sendEmailChangeConfirmation(
  tx: Executor,
  account: Account,
  newEmail: string,
  keepApiTokens: boolean,
) {
  const { token, expiresAt } = await issueEmailToken(tx, {
    userId: account.id,
    purpose: "change",
    email: newEmail,
    keepApiTokens,
  });
  await enqueueMail(
    tx,
    confirmNewAddressMail({
      recipient: account,
      newEmail,
      url: emailTokenUrl(token),
      expiresAt,
      links: mailLinks(),
    }),
  );
}

/** A live token's row (locked when `lock`), or null for a made-up, used or expired one. */
export async function liveEmailToken(tx: Executor, token: string, lock = false) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const query = tx
    .select({
      id: emailTokens.id,
      userId: emailTokens.userId,
      purpose: emailTokens.purpose,
      email: emailTokens.email,
      keepApiTokens: emailTokens.keepApiTokens,
      createdAt: emailTokens.createdAt,
    })
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, sha256(token)), gt(emailTokens.expiresAt, sql`now()`)));
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function describeEmailToken(token: string) {
  const row = await liveEmailToken(db, token);
  return row ? { purpose: row.purpose, email: row.email } : null;
}

/** Voids every address link of an account (after an undo, for instance). */
export async function voidEmailTokens(tx: Executor, userId: string, purpose?: EmailTokenPurpose) {
  await tx
    .delete(emailTokens)
    .where(
      and(eq(emailTokens.userId, userId), purpose ? eq(emailTokens.purpose, purpose) : undefined),
    );
}
