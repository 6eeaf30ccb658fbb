import { sql } from "drizzle-orm";
import { boolean, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

import { collectivities } from "./collectivities";

export const roles = ["member", "organiser", "moderator", "jury", "admin"] as const;
export type Role = (typeof roles)[number];

export const profileKinds = ["elu", "agent", "partenaire"] as const;
export type ProfileKind = (typeof profileKinds)[number];

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    jobTitle: text("job_title").notNull().default(""),
    profileKind: text("profile_kind", { enum: profileKinds }).notNull(),
    roles: text("roles", { enum: roles })
      .array()
      .notNull()
      .default(sql`'{member}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * When the address was confirmed; null until the sign-up link is followed (an unconfirmed
     * account reads but does not publish). Accounts made by an admin, the demo, and every account
     * older than this column count as confirmed.
     */
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }).defaultNow(),
  },
  (t) => [uniqueIndex("users_email_unique").on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const membershipStatuses = ["pending", "approved", "former"] as const;
export type MembershipStatus = (typeof membershipStatuses)[number];

/**
 * A user's link to their collectivity. `former` keeps the credit of people who left (for
 * instance after the 2026 municipal elections) without letting them publish any more.
 */
export const memberships = pgTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    collectivityCode: text("collectivity_code")
      .notNull()
      .references(() => collectivities.code),
    status: text("status", { enum: membershipStatuses }).notNull().default("pending"),
    isReferent: boolean("is_referent").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    // One current (pending or approved) membership per user; former ones are history.
    uniqueIndex("memberships_current_user")
      .on(t.userId)
      .where(sql`${t.status} <> 'former'`),
    index("memberships_collectivity").on(t.collectivityCode, t.status),
  ],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 of the token: the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull(),
    /** First characters, so a user can tell their tokens apart. */
    prefix: text("prefix").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_tokens_hash").on(t.tokenHash), index("api_tokens_user").on(t.userId)],
);
