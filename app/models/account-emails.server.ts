import { and, eq, isNull } from "drizzle-orm";

import { db } from "../../db/client";
import { passwordResetTokens, users } from "../../db/schema";
import { addressChangedMail } from "../mail/account-templates.server";
import { invalidateUserSessions, revokeAllApiTokens } from "../utils/auth.server";
import { emailTaken, endOtherAccess } from "./accounts.server";
import {
  emailTokenUrl,
  issueEmailToken,
  liveEmailToken,
  sendAddressVerification,
  voidEmailTokens,
} from "./email-tokens.server";
import { enqueueMail } from "./mail-outbox.server";
import { mailLinks } from "./mail-preferences.server";
import { afterMemberChange } from "./member-index.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/**
 * What following an address link does: confirm the sign-up address, apply an email change
 * (confirmed at the new address, told to the old one with an undo link), or undo it.
 */

export const EXPIRED_ADDRESS_LINK =
  "Ce lien n'est plus valable : il a déjà servi, a expiré ou a été remplacé par un plus récent.";
const ADDRESS_TAKEN = "Un autre compte utilise désormais cette adresse électronique.";

/** Mails a new confirmation link; false when the address is already confirmed. */
export async function resendAddressVerification(userId: string) {
  return db.transaction(async (tx) => {
    const [account] = await tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
    if (!account) return false;
    await sendAddressVerification(tx, account);
    return true;
  });
}

export type AddressLinkOutcome = "verified" | "changed" | "restored";

/**
 * Uses an address link once. `sessionId` is the session following the link: it survives an
 * email change when it belongs to the account (the others end, like after a new password).
 */
export async function followAddressLink(
  token: string,
  viewer: { userId: string; sessionId: string } | null,
): Promise<Result<{ outcome: AddressLinkOutcome; userId: string }>> {
  try {
    const done = await db.transaction(async (tx) => {
      const row = await liveEmailToken(tx, token, true);
      if (!row) return failure(410, {}, EXPIRED_ADDRESS_LINK);
      await voidEmailTokens(tx, row.userId, row.purpose);
      const [account] = await tx
        .select({ email: users.email, name: users.name })
        .from(users)
        .where(eq(users.id, row.userId))
        .for("update");
      if (!account) return failure(410, {}, EXPIRED_ADDRESS_LINK);
      const now = new Date();
      if (row.purpose === "verify") {
        // The address changed since the link was sent: it proves nothing about the new one.
        if (account.email.toLowerCase() !== row.email.toLowerCase()) {
          return failure(410, {}, EXPIRED_ADDRESS_LINK);
        }
        await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, row.userId));
        return { ok: true as const, value: { outcome: "verified" as const, row } };
      }
      if (await emailTaken(tx, row.email, row.userId)) return failure(409, {}, ADDRESS_TAKEN);
      await tx
        .update(users)
        .set({ email: row.email, emailVerifiedAt: now, updatedAt: now })
        .where(eq(users.id, row.userId));
      await afterMemberChange(tx, row.userId);
      if (row.purpose === "undo") {
        // Whoever changed the address keeps nothing: links, reset tokens, sessions, API tokens.
        await voidEmailTokens(tx, row.userId);
        await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, row.userId));
        return { ok: true as const, value: { outcome: "restored" as const, row } };
      }
      await voidEmailTokens(tx, row.userId, "verify");
      const undo = await issueEmailToken(tx, {
        userId: row.userId,
        purpose: "undo",
        email: account.email,
      });
      await enqueueMail(
        tx,
        addressChangedMail({
          recipient: { id: row.userId, email: account.email, name: account.name },
          oldEmail: account.email,
          newEmail: row.email,
          undoUrl: emailTokenUrl(undo.token),
          undoUntil: undo.expiresAt,
          links: mailLinks(),
        }),
      );
      return { ok: true as const, value: { outcome: "changed" as const, row } };
    });
    if (!done.ok) return done;
    const { outcome, row } = done.value;
    if (outcome === "restored") {
      await invalidateUserSessions(row.userId, "password");
      await revokeAllApiTokens(row.userId);
    } else if (outcome === "changed") {
      const sessionId = viewer?.userId === row.userId ? viewer.sessionId : undefined;
      await endOtherAccess(row.userId, { sessionId, apiTokens: row.keepApiTokens });
    }
    return { ok: true, value: { outcome, userId: row.userId } };
  } catch (error) {
    // Two accounts racing for one address: the unique index decides.
    if (isUniqueViolation(error)) return failure(409, {}, ADDRESS_TAKEN);
    throw error;
  }
}
