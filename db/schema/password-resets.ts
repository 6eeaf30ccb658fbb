import { bigserial, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, instant } from "./columns";

/**
 * "Mot de passe oublié" requests, as typed: the page only writes a row here (the same work
 * whether or not the address has an account), and the mail worker turns each row into a token
 * and a mail, then deletes it.
 */
export const passwordResetRequests = pgTable("password_reset_requests", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  email: text("email").notNull(),
  createdAt: createdAt(),
});

/**
 * The one live reset token of an account (a later one replaces it), kept as a sha256 hash. It
 * holds a hash of the address it was sent to, so that changing the email voids it; a password
 * changed after `createdAt` voids it too.
 */
export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    emailHash: text("email_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [uniqueIndex("password_reset_tokens_hash").on(t.tokenHash)],
);
