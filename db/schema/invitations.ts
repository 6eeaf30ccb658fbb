import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { collectivities } from "./collectivities";
import { createdAt, instant } from "./columns";

/**
 * "Invitez une commune voisine": a member invites a person at another collectivity. The link
 * (stored as a sha256 hash) pre-fills sign-up; it serves once, can be withdrawn and expires.
 * `acceptedBy` lets the inviting collectivity see who joined thanks to it.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    fromCollectivityCode: text("from_collectivity_code")
      .notNull()
      .references(() => collectivities.code),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    toCollectivityCode: text("to_collectivity_code")
      .notNull()
      .references(() => collectivities.code),
    email: text("email").notNull(),
    message: text("message").notNull().default(""),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
    withdrawnAt: instant("withdrawn_at"),
    acceptedBy: text("accepted_by").references(() => users.id, { onDelete: "set null" }),
    acceptedAt: instant("accepted_at"),
  },
  (t) => [
    uniqueIndex("invitations_token").on(t.tokenHash),
    index("invitations_from").on(t.fromCollectivityCode, t.createdAt),
    index("invitations_invited_by").on(t.invitedBy),
    index("invitations_accepted_by").on(t.acceptedBy),
  ],
);
