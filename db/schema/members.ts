import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, instant, textList } from "./columns";

/**
 * Who sees a member's profile: everyone (opt-in), signed-in members (the default), or nobody.
 */
export const profileVisibilities = ["public", "members", "hidden"] as const;
export type ProfileVisibility = (typeof profileVisibilities)[number];

/**
 * What a member chose to show on `/membres/:id`. No row means the defaults: visible to signed-in
 * members, every section shown, messages accepted.
 */
export const memberProfiles = pgTable("member_profiles", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  visibility: text("visibility", { enum: profileVisibilities }).notNull().default("members"),
  /** A short presentation in plain text. */
  bio: text("bio").notNull().default(""),
  /** Theme slugs (app/data/initiative-themes.json) the member offers to help with. */
  expertise: textList("expertise"),
  showJobTitle: boolean("show_job_title").notNull().default(true),
  showCollectivity: boolean("show_collectivity").notNull().default(true),
  showInitiatives: boolean("show_initiatives").notNull().default(true),
  showEvents: boolean("show_events").notNull().default(true),
  showPosts: boolean("show_posts").notNull().default(true),
  acceptsMessages: boolean("accepts_messages").notNull().default(true),
  updatedAt: instant("updated_at").notNull().defaultNow(),
});

/**
 * A message sent through "contacter" on a profile: the recipient reads it on the platform and
 * the sender never learns their address. A deleted sender's messages stay, unsigned.
 */
export const memberMessages = pgTable(
  "member_messages",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    senderId: text("sender_id").references(() => users.id, { onDelete: "set null" }),
    recipientId: text("recipient_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    createdAt: createdAt(),
    readAt: instant("read_at"),
  },
  (t) => [
    index("member_messages_recipient").on(t.recipientId, t.createdAt),
    index("member_messages_sender").on(t.senderId),
  ],
);
