import { sql } from "drizzle-orm";
import { text, timestamp } from "drizzle-orm/pg-core";

import { collectivities } from "./collectivities";

/** A point in time, stored with its zone (`timestamptz`) so that it is never read as local. */
export const instant = (name: string) => timestamp(name, { withTimezone: true });

/** When the row was written. */
export const createdAt = () => instant("created_at").notNull().defaultNow();

/** The life of a published piece (initiative, event): written, last changed, first published. */
export const publicationTimestamps = () => ({
  createdAt: createdAt(),
  updatedAt: instant("updated_at").notNull().defaultNow(),
  publishedAt: instant("published_at"),
});

/** A list of strings, empty rather than null when there is nothing. */
export const textList = (name: string) =>
  text(name)
    .array()
    .notNull()
    .default(sql`'{}'::text[]`);

/** The collectivity a piece belongs to (Insee or Siren code). */
export const collectivityCode = () =>
  text("collectivity_code")
    .notNull()
    .references(() => collectivities.code);
