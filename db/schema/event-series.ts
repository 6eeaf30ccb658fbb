import { sql } from "drizzle-orm";
import { index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { collectivities } from "./collectivities";
import { createdAt, instant, publicationTimestamps } from "./columns";
import { events } from "./events";

export const eventSeriesStatuses = ["draft", "published"] as const;
export type EventSeriesStatus = (typeof eventSeriesStatuses)[number];

/**
 * A series of events held in several places under one name, such as "Assises territoriales de
 * l'identité numérique 2027": one programme page, one calendar feed; each stage is an event of
 * its own, with its own registrations, hosted by an invited collectivity.
 */
export const eventSeries = pgTable(
  "event_series",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: eventSeriesStatuses }).notNull().default("draft"),
    /** The organiser of the series: they invite hosts and may detach stages. */
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    ...publicationTimestamps(),
  },
  (t) => [
    uniqueIndex("event_series_slug").on(t.slug),
    index("event_series_creator").on(t.createdBy),
  ],
);

export const seriesHostStatuses = ["invited", "accepted", "declined"] as const;
export type SeriesHostStatus = (typeof seriesHostStatuses)[number];

/**
 * A collectivity invited to host a stage. Its référent (or an admin) accepts; from then on its
 * approved members may create their stage in the series.
 */
export const eventSeriesHosts = pgTable(
  "event_series_hosts",
  {
    seriesId: text("series_id")
      .notNull()
      .references(() => eventSeries.id, { onDelete: "cascade" }),
    collectivityCode: text("collectivity_code")
      .notNull()
      .references(() => collectivities.code),
    status: text("status", { enum: seriesHostStatuses }).notNull().default("invited"),
    invitedAt: createdAt(),
    decidedAt: instant("decided_at"),
  },
  (t) => [
    primaryKey({ columns: [t.seriesId, t.collectivityCode] }),
    index("event_series_hosts_collectivity").on(t.collectivityCode, t.status),
  ],
);

/**
 * An event that is (or was, once `detached_at` is set) a stage of a series. The row stays after a
 * detachment: the host's members keep managing the event they created, outside the series.
 */
export const eventSeriesStages = pgTable(
  "event_series_stages",
  {
    eventId: text("event_id")
      .primaryKey()
      .references(() => events.id, { onDelete: "cascade" }),
    seriesId: text("series_id")
      .notNull()
      .references(() => eventSeries.id, { onDelete: "cascade" }),
    hostCode: text("host_code")
      .notNull()
      .references(() => collectivities.code),
    attachedAt: createdAt(),
    detachedAt: instant("detached_at"),
  },
  (t) => [
    // One stage per host in a series: a second colleague finds the first one instead of a twin.
    uniqueIndex("event_series_stages_host")
      .on(t.seriesId, t.hostCode)
      .where(sql`${t.detachedAt} is null`),
  ],
);
