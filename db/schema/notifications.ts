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
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** In-app notifications; `text` is plain text (escaped when shown), `url` a path inside the site. */
export const notifications = pgTable(
  "notifications",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    text: text("text").notNull(),
    url: text("url").notNull(),
    createdAt: createdAt(),
    readAt: instant("read_at"),
  },
  (t) => [index("notifications_user").on(t.userId, t.readAt, t.createdAt)],
);
