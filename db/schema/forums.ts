import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

import { roles, users } from "./accounts";
import { createdAt, instant } from "./columns";
import { followLevels } from "./forum-constants";

export { followLevels, type FollowLevel } from "./forum-constants";

/** Forum categories; `requiredRole` restricts reading and writing to holders of a role. */
export const forumCategories = pgTable("forum_categories", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  description: text("description").notNull().default(""),
  position: integer("position").notNull().default(0),
  requiredRole: text("required_role", { enum: roles }),
  /** A read-only category (a closed working group's): no new topic, no reply. */
  locked: boolean("locked").notNull().default(false),
  createdAt: createdAt(),
});

export const forumTopics = pgTable(
  "forum_topics",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    categoryId: integer("category_id")
      .notNull()
      .references(() => forumCategories.id),
    title: text("title").notNull(),
    slug: text("slug").notNull(),
    /** Null once the author's account is deleted ("ancien membre"). */
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    pinned: boolean("pinned").notNull().default(false),
    locked: boolean("locked").notNull().default(false),
    /** Visible posts (neither deleted nor hidden), kept by the model in the same transaction. */
    postCount: integer("post_count").notNull().default(0),
    lastPostId: bigint("last_post_id", { mode: "number" }),
    lastActivityAt: instant("last_activity_at").notNull().defaultNow(),
    /**
     * The initiative this topic discusses ("Discuter de cette initiative"). Plain text without a
     * foreign key: initiatives live in another domain and may be built or migrated separately.
     */
    initiativeId: text("initiative_id"),
    /**
     * Counts the changes to the topic's posts (created, edited, hidden, restored, deleted): each
     * such write takes the next number under the topic's row lock, so numbers follow commit order.
     */
    lastChangeId: bigint("last_change_id", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("forum_topics_category_activity").on(t.categoryId, t.pinned, t.lastActivityAt),
    uniqueIndex("forum_topics_initiative").on(t.initiativeId),
  ],
);

export const forumPosts = pgTable(
  "forum_posts",
  {
    // Ids grow in commit order within a topic (the topic row is locked while a post is added),
    // which lets a reconnecting client ask for "everything after id N".
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    topicId: integer("topic_id")
      .notNull()
      .references(() => forumTopics.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    replyToId: bigint("reply_to_id", { mode: "number" }).references(
      (): AnyPgColumn => forumPosts.id,
      { onDelete: "set null" },
    ),
    body: text("body").notNull(),
    html: text("html").notNull(),
    /** Client-chosen key: a double submit with the same key returns the first post. */
    idempotencyKey: text("idempotency_key"),
    createdAt: createdAt(),
    editedAt: instant("edited_at"),
    deletedAt: instant("deleted_at"),
    deletedBy: text("deleted_by").references(() => users.id, { onDelete: "set null" }),
    hiddenAt: instant("hidden_at"),
    hiddenBy: text("hidden_by").references(() => users.id, { onDelete: "set null" }),
    /** The topic's change number of this post's latest change: "what changed after N". */
    changeId: bigint("change_id", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    index("forum_posts_topic").on(t.topicId, t.id),
    index("forum_posts_topic_change").on(t.topicId, t.changeId),
    index("forum_posts_author").on(t.authorId),
    uniqueIndex("forum_posts_idempotency").on(t.authorId, t.idempotencyKey),
  ],
);

/** Previous versions of an edited post. */
export const forumPostRevisions = pgTable(
  "forum_post_revisions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    postId: bigint("post_id", { mode: "number" })
      .notNull()
      .references(() => forumPosts.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    html: text("html").notNull(),
    /** When this version was replaced. */
    replacedAt: instant("replaced_at").notNull().defaultNow(),
    editorId: text("editor_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("forum_post_revisions_post").on(t.postId)],
);

/** How far a user has read a topic. */
export const forumReads = pgTable(
  "forum_reads",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    topicId: integer("topic_id")
      .notNull()
      .references(() => forumTopics.id, { onDelete: "cascade" }),
    lastReadPostId: bigint("last_read_post_id", { mode: "number" }).notNull(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.topicId] })],
);

/** Follow level of a user for a topic or a whole category (exactly one of the two is set). */
export const forumFollows = pgTable(
  "forum_follows",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    topicId: integer("topic_id").references(() => forumTopics.id, { onDelete: "cascade" }),
    categoryId: integer("category_id").references(() => forumCategories.id, {
      onDelete: "cascade",
    }),
    level: text("level", { enum: followLevels }).notNull(),
  },
  (t) => [
    uniqueIndex("forum_follows_topic")
      .on(t.userId, t.topicId)
      .where(sql`${t.topicId} is not null`),
    uniqueIndex("forum_follows_category")
      .on(t.userId, t.categoryId)
      .where(sql`${t.categoryId} is not null`),
    index("forum_follows_topic_level").on(t.topicId, t.level),
    index("forum_follows_category_level").on(t.categoryId, t.level),
  ],
);

export const reportStatuses = ["open", "hidden", "dismissed"] as const;

export const forumReports = pgTable(
  "forum_reports",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    postId: bigint("post_id", { mode: "number" })
      .notNull()
      .references(() => forumPosts.id, { onDelete: "cascade" }),
    reporterId: text("reporter_id").references(() => users.id, { onDelete: "set null" }),
    reason: text("reason").notNull(),
    status: text("status", { enum: reportStatuses }).notNull().default("open"),
    createdAt: createdAt(),
    decidedAt: instant("decided_at"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("forum_reports_status").on(t.status, t.createdAt),
    // One open report per person and post: reporting twice adds nothing.
    uniqueIndex("forum_reports_open")
      .on(t.postId, t.reporterId)
      .where(sql`${t.status} = 'open'`),
  ],
);
