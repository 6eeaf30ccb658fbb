import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt, instant } from "./columns";
import { councilTopics } from "./council";
import { events } from "./events";
import { forumCategories } from "./forums";
import { initiatives } from "./initiatives";

export const workingGroupStatuses = ["open", "closed"] as const;
export type WorkingGroupStatus = (typeof workingGroupStatuses)[number];

/**
 * A working group of the council, usually on a topic chosen by the vote. Its discussions live in
 * a forum category of its own, restricted to its members through category grants.
 */
export const workingGroups = pgTable(
  "working_groups",
  {
    id: text("id").primaryKey(),
    /** The chosen council topic it works on; null for a group an admin opens directly. */
    topicId: text("topic_id").references(() => councilTopics.id),
    title: text("title").notNull(),
    mandate: text("mandate").notNull(),
    status: text("status", { enum: workingGroupStatuses }).notNull().default("open"),
    /** Null once the coordinator's account is deleted, until an admin names another. */
    coordinatorId: text("coordinator_id").references(() => users.id, { onDelete: "set null" }),
    forumCategoryId: integer("forum_category_id")
      .notNull()
      .references(() => forumCategories.id),
    /** Written when the group closes, shown on its page afterwards. */
    summary: text("summary"),
    closedAt: instant("closed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("working_groups_topic")
      .on(t.topicId)
      .where(sql`${t.topicId} is not null`),
    index("working_groups_coordinator").on(t.coordinatorId),
  ],
);

export const workingGroupMembers = pgTable(
  "working_group_members",
  {
    groupId: text("group_id")
      .notNull()
      .references(() => workingGroups.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: instant("joined_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    index("working_group_members_user").on(t.userId),
  ],
);

/**
 * The group's shared page of documents and decisions: every save is a new version, numbered
 * from 1 within the group; the latest one is the page.
 */
export const workingGroupPageVersions = pgTable(
  "working_group_page_versions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    groupId: text("group_id")
      .notNull()
      .references(() => workingGroups.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    body: text("body").notNull(),
    html: text("html").notNull(),
    /** Null once the author's account is deleted ("ancien membre"); the text stays the group's. */
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("working_group_page_versions_number").on(t.groupId, t.version)],
);

/** The group's meetings: events of the events domain, each linked to one group. */
export const workingGroupMeetings = pgTable(
  "working_group_meetings",
  {
    eventId: text("event_id")
      .primaryKey()
      .references(() => events.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => workingGroups.id, { onDelete: "cascade" }),
  },
  (t) => [index("working_group_meetings_group").on(t.groupId)],
);

/** What the group published to the network: initiatives (a guide, a model) it produced. */
export const workingGroupOutputs = pgTable(
  "working_group_outputs",
  {
    initiativeId: text("initiative_id")
      .primaryKey()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => workingGroups.id, { onDelete: "cascade" }),
    publishedAt: instant("published_at").notNull().defaultNow(),
  },
  (t) => [index("working_group_outputs_group").on(t.groupId)],
);
