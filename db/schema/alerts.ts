import { date, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt } from "./columns";
import { notifications } from "./notifications";

/** What a member can follow: a theme, a département, a collectivity, or a saved search. */
export const alertKinds = ["theme", "department", "collectivity", "search"] as const;
export type AlertKind = (typeof alertKinds)[number];

export const alertItemTypes = ["initiative", "event"] as const;
export type AlertItemType = (typeof alertItemTypes)[number];

/** "M'alerter": `value` is a theme slug, a département code, a collectivity code or a query. */
export const alerts = pgTable(
  "alerts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: alertKinds }).notNull(),
    value: text("value").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("alerts_user_kind_value").on(t.userId, t.kind, t.value),
    index("alerts_kind_value").on(t.kind, t.value),
  ],
);

/**
 * A new initiative or event that matched one of a member's alerts, on a given Paris day. One row
 * per person and item, however many of their alerts it matched.
 */
export const alertMatches = pgTable(
  "alert_matches",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    alertId: integer("alert_id").references(() => alerts.id, { onDelete: "set null" }),
    itemType: text("item_type", { enum: alertItemTypes }).notNull(),
    itemId: text("item_id").notNull(),
    day: date("day").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("alert_matches_item").on(t.userId, t.itemType, t.itemId),
    index("alert_matches_day").on(t.userId, t.day),
  ],
);

/** The one notification of a person's alerts for a day, updated as the day's matches grow. */
export const alertDays = pgTable(
  "alert_days",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    notificationId: integer("notification_id").references(() => notifications.id, {
      onDelete: "set null",
    }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);
