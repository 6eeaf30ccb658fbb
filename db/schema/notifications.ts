import { index, integer, pgTable, text } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, instant } from "./columns";

export const notificationKinds = [
  "mention",
  "reply",
  "watching",
  "moderation",
  // Events: a waitlist promotion, a message from the organisers, a cancellation, a change.
  "event-promoted",
  "event-message",
  "event-cancelled",
  "event-changed",
  // A day's new initiatives and events matching a member's alerts; a message through a profile.
  "alert",
  "member-message",
  // A collectivity invited to host a stage of an event series (to its référent).
  "series-invitation",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/**
 * In-app notifications; `text` is plain text (escaped when shown), `url` a path inside the site.
 * The person who acted is `actor_id`, never a name copied into `text` (which holds a placeholder
 * instead): their current name is shown, and nothing of them is left once their account goes.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    text: text("text").notNull(),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    url: text("url").notNull(),
    createdAt: createdAt(),
    readAt: instant("read_at"),
  },
  (t) => [
    index("notifications_user").on(t.userId, t.readAt, t.createdAt),
    // Deleting an account clears its actor_id everywhere: found by this index, not a scan.
    index("notifications_actor").on(t.actorId),
  ],
);
