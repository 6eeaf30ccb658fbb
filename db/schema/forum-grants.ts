import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { createdAt } from "./columns";
import { forumCategories, forumTopics } from "./forums";

/**
 * People who may read and write one topic of a restricted category whatever their roles: the jury
 * members assigned to an application deliberate in its topic, and no other jury member reads it.
 * Another domain decides who is granted; the forums only honour the grant.
 */
export const forumTopicGrants = pgTable(
  "forum_topic_grants",
  {
    topicId: integer("topic_id")
      .notNull()
      .references(() => forumTopics.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.topicId, t.userId] }),
    index("forum_topic_grants_user").on(t.userId),
  ],
);

/**
 * People who may read and write a whole category restricted to a role they do not hold: the
 * members of a working group in its category. Another domain keeps the list.
 */
export const forumCategoryGrants = pgTable(
  "forum_category_grants",
  {
    categoryId: integer("category_id")
      .notNull()
      .references(() => forumCategories.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.categoryId, t.userId] }),
    index("forum_category_grants_user").on(t.userId),
  ],
);
