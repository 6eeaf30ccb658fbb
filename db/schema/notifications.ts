import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

import { users } from "./accounts";

/**
 * In-app notifications (a waitlist promotion, a message from an organiser…). Introduced by the
 * events domain; other domains may write to it through app/models/notifications.server.ts.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Machine-readable origin, e.g. "event:promoted", "event:message", "event:cancelled". */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    /** A path inside the site. */
    url: text("url"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("notifications_user").on(t.userId, t.createdAt)],
);
