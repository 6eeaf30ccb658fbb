import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { collectivityCode, createdAt, publicationTimestamps, textList } from "./columns";

export const initiativeStatuses = ["draft", "published", "archived"] as const;
export type InitiativeStatus = (typeof initiativeStatuses)[number];

export const budgetBrackets = [
  "aucun",
  "moins-5k",
  "5k-20k",
  "20k-100k",
  "100k-500k",
  "plus-500k",
] as const;
export type BudgetBracket = (typeof budgetBrackets)[number];

export type InitiativeLink = { label: string; url: string };

/**
 * A good practice shared by a collectivity. The slug is fixed at creation so that links shared
 * by e-mail keep working when the title is reworded.
 */
export const initiatives = pgTable(
  "initiatives",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    collectivityCode: collectivityCode(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    body: text("body").notNull().default(""),
    themes: text("themes").array().notNull(),
    tags: textList("tags"),
    startYear: integer("start_year"),
    budgetBracket: text("budget_bracket", { enum: budgetBrackets }),
    links: jsonb("links").$type<InitiativeLink[]>().notNull().default([]),
    status: text("status", { enum: initiativeStatuses }).notNull().default("draft"),
    inspiredById: text("inspired_by_id").references((): AnyPgColumn => initiatives.id, {
      onDelete: "set null",
    }),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    /** Counts saved edits: a save based on an older version is refused (two tabs, two people). */
    version: integer("version").notNull().default(1),
    ...publicationTimestamps(),
  },
  (t) => [
    uniqueIndex("initiatives_slug").on(t.slug),
    index("initiatives_collectivity").on(t.collectivityCode, t.status),
    index("initiatives_published").on(t.status, t.publishedAt),
    index("initiatives_themes").using("gin", t.themes),
    index("initiatives_inspired_by").on(t.inspiredById),
  ],
);

/**
 * People credited for an initiative: a member of the platform (their current name is shown) or
 * a free-text name and function for people who have no account.
 */
export const initiativeContributors = pgTable(
  "initiative_contributors",
  {
    id: text("id").primaryKey(),
    initiativeId: text("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    role: text("role").notNull().default(""),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    index("initiative_contributors_initiative").on(t.initiativeId, t.position),
    index("initiative_contributors_user").on(t.userId),
  ],
);

/** "Nous l'avons fait aussi": another collectivity took the initiative up (essaimage). */
export const initiativeAdoptions = pgTable(
  "initiative_adoptions",
  {
    initiativeId: text("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    collectivityCode: collectivityCode(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    note: text("note").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.initiativeId, t.collectivityCode] }),
    index("initiative_adoptions_collectivity").on(t.collectivityCode),
  ],
);
