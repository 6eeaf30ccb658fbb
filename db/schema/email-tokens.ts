import { bigserial, boolean, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, instant } from "./columns";

export const emailTokenPurposes = ["verify", "change", "undo"] as const;
export type EmailTokenPurpose = (typeof emailTokenPurposes)[number];

/**
 * Links mailed about an address, kept as sha256 hashes and used once: `verify` confirms the
 * address given at sign-up, `change` (sent to the new address) applies an email change, and
 * `undo` (sent to the old address) restores it. `email` is the address the link is about: the
 * one to confirm, the new one, or the old one to restore.
 */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: emailTokenPurposes }).notNull(),
    tokenHash: text("token_hash").notNull(),
    email: text("email").notNull(),
    /** Email change: the API tokens stay active when the person asked so on /compte. */
    keepApiTokens: boolean("keep_api_tokens").notNull().default(false),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [
    uniqueIndex("email_tokens_hash").on(t.tokenHash),
    index("email_tokens_user").on(t.userId, t.purpose),
  ],
);
