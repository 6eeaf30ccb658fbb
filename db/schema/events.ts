import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { collectivities } from "./collectivities";
import { collectivityCode, createdAt, instant, publicationTimestamps, textList } from "./columns";

export const eventFormats = ["presentiel", "en-ligne", "hybride"] as const;
export type EventFormat = (typeof eventFormats)[number];

export const eventStatuses = ["draft", "published", "cancelled"] as const;
export type EventStatus = (typeof eventStatuses)[number];

export const registrationStatuses = ["confirmed", "waitlisted"] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

/** One line of the programme, in the event's own zone (what the organiser typed). */
export type ProgrammeItem = { date: string; time: string; title: string; speakers: string };

/**
 * A local event (a stage of the assises, a workshop, a webinar). Times are absolute instants;
 * `time_zone` is the IANA zone of the place, in which they are entered and shown.
 */
export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    collectivityCode: collectivityCode(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    themes: textList("themes"),
    format: text("format", { enum: eventFormats }).notNull(),
    startsAt: instant("starts_at").notNull(),
    endsAt: instant("ends_at").notNull(),
    timeZone: text("time_zone").notNull().default("Europe/Paris"),
    venue: text("venue").notNull().default(""),
    communeCode: text("commune_code").references(() => collectivities.code),
    /** Where the event takes place (the commune's, else the host's), copied for the filters. */
    departmentCode: text("department_code"),
    regionCode: text("region_code"),
    onlineUrl: text("online_url"),
    /** Null means unlimited. */
    capacity: integer("capacity"),
    /** Null means "until the event starts". */
    registrationDeadline: instant("registration_deadline"),
    programme: jsonb("programme").$type<ProgrammeItem[]>().notNull().default([]),
    status: text("status", { enum: eventStatuses }).notNull().default("draft"),
    /** Initiatives presented; plain ids, since initiatives live in another domain. */
    initiativeIds: textList("initiative_ids"),
    /** iCalendar SEQUENCE: bumped on every change subscribers should see. */
    sequence: integer("sequence").notNull().default(0),
    ...publicationTimestamps(),
    cancelledAt: instant("cancelled_at"),
  },
  (t) => [
    uniqueIndex("events_slug").on(t.slug),
    index("events_status_start").on(t.status, t.startsAt),
    index("events_collectivity").on(t.collectivityCode, t.startsAt),
    index("events_themes").using("gin", t.themes),
    index("events_area").on(t.regionCode, t.departmentCode, t.startsAt),
  ],
);

/** Who may edit an event: its creator and the co-organisers they add. */
export const eventOrganisers = pgTable(
  "event_organisers",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    addedAt: instant("added_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.userId] }),
    index("event_organisers_user").on(t.userId),
  ],
);

/**
 * One row per person and event. Every write takes a row lock on the event first, so counts
 * read inside that transaction are exact; `arrival` keeps the order in which requests got the lock.
 */
export const eventRegistrations = pgTable(
  "event_registrations",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: registrationStatuses }).notNull(),
    arrival: bigserial("arrival", { mode: "number" }).notNull(),
    /** The attendee agreed to appear in the public attendee list. */
    showPublicly: boolean("show_publicly").notNull().default(false),
    createdAt: createdAt(),
    promotedAt: instant("promoted_at"),
  },
  (t) => [
    uniqueIndex("event_registrations_person").on(t.eventId, t.userId),
    index("event_registrations_queue").on(t.eventId, t.status, t.arrival),
    index("event_registrations_user").on(t.userId),
  ],
);

/**
 * The secret address of a member's personal calendar (the events they registered for, with the
 * online links of confirmed ones). One per member; regenerating it revokes the previous one.
 */
export const eventCalendarTokens = pgTable(
  "event_calendar_tokens",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the token: the address is shown once, when created. */
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("event_calendar_tokens_hash").on(t.tokenHash)],
);
