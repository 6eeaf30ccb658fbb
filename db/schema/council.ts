import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

import { users } from "./accounts";
import { collectivities } from "./collectivities";
import { createdAt, instant, textList } from "./columns";
import { councilColleges, councilTopicStatuses, partnerKinds } from "./council-constants";
import { forumTopics } from "./forums";

export * from "./council-constants";

/**
 * A partner organisation of the council (company, association, school, State service, network).
 * Its people join it exactly as they join a collectivity: the organisation is a row of the
 * directory (`collectivities`, kind `partenaire`, code `org-<slug>`), so memberships, référents,
 * approval, initiatives and events work for it unchanged. This table holds what only partners have.
 */
export const partnerOrganisations = pgTable(
  "partner_organisations",
  {
    code: text("code")
      .primaryKey()
      .references(() => collectivities.code),
    slug: text("slug").notNull().unique(),
    kind: text("kind", { enum: partnerKinds }).notNull(),
    college: text("college", { enum: councilColleges }).notNull(),
    /** Nine digits, Luhn-checked; unique when present. */
    siren: text("siren"),
    description: text("description").notNull().default(""),
    website: text("website"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("partner_organisations_siren")
      .on(t.siren)
      .where(sql`${t.siren} is not null`),
    index("partner_organisations_college").on(t.college),
  ],
);

/** A yearly call for topics; instants entered and shown in Europe/Paris. */
export const councilCalls = pgTable("council_calls", {
  id: text("id").primaryKey(),
  year: integer("year").notNull().unique(),
  title: text("title").notNull(),
  opensAt: instant("opens_at").notNull(),
  closesAt: instant("closes_at").notNull(),
  createdAt: createdAt(),
});

export const councilTopics = pgTable(
  "council_topics",
  {
    id: text("id").primaryKey(),
    callId: text("call_id")
      .notNull()
      .references(() => councilCalls.id),
    title: text("title").notNull(),
    why: text("why").notNull(),
    expectedOutcome: text("expected_outcome").notNull(),
    themes: textList("themes"),
    status: text("status", { enum: councilTopicStatuses }).notNull().default("proposed"),
    /** The kept topic a duplicate was merged into. */
    mergedIntoId: text("merged_into_id"),
    /** Its discussion, in the council's forum category. */
    forumTopicId: integer("forum_topic_id").references(() => forumTopics.id),
    organisationCode: text("organisation_code")
      .notNull()
      .references(() => collectivities.code),
    /** Null once the author's account is deleted; the organisation keeps the proposal. */
    proposedBy: text("proposed_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("council_topics_call").on(t.callId, t.status)],
);

/** A vote on the topics of a call: one ballot per organisation of the electorate. */
export const councilVotes = pgTable("council_votes", {
  id: text("id").primaryKey(),
  callId: text("call_id")
    .notNull()
    .references(() => councilCalls.id),
  title: text("title").notNull(),
  opensAt: instant("opens_at").notNull(),
  closesAt: instant("closes_at").notNull(),
  maxChoices: integer("max_choices").notNull(),
  createdAt: createdAt(),
});

/**
 * The electorate, fixed when the vote is created: each member organisation (at least one
 * approved member then) with its college, so the published list and the per-college count
 * cannot move during the window.
 */
export const councilElectors = pgTable(
  "council_electors",
  {
    voteId: text("vote_id")
      .notNull()
      .references(() => councilVotes.id, { onDelete: "cascade" }),
    organisationCode: text("organisation_code")
      .notNull()
      .references(() => collectivities.code),
    college: text("college", { enum: councilColleges }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.organisationCode] })],
);

/**
 * One ballot per organisation and vote; casting again replaces it. `receiptHash` is the SHA-256
 * of the receipt given once to the référent: the published ballots show the hash, never the
 * organisation.
 */
export const councilBallots = pgTable(
  "council_ballots",
  {
    id: text("id").primaryKey(),
    voteId: text("vote_id")
      .notNull()
      .references(() => councilVotes.id, { onDelete: "cascade" }),
    organisationCode: text("organisation_code")
      .notNull()
      .references(() => collectivities.code),
    topicIds: textList("topic_ids"),
    receiptHash: text("receipt_hash").notNull(),
    castBy: text("cast_by").references(() => users.id, { onDelete: "set null" }),
    castAt: instant("cast_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("council_ballots_organisation").on(t.voteId, t.organisationCode),
    uniqueIndex("council_ballots_receipt").on(t.receiptHash),
  ],
);
