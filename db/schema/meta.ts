import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Markers of one-time work, such as "the demo content was loaded". */
export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
