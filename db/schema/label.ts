import { sql } from "drizzle-orm";
import {
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
import { collectivityCode, createdAt, instant, textList } from "./columns";
import {
  labelCategories,
  labelQuestionKinds,
  type LabelAnswerValue,
  type LabelQuestionOption,
  type LabelScores,
} from "./label-constants";

export * from "./label-constants";

/**
 * A questionnaire, loaded from a data file of the repository (`app/data/label/*.json`) and then
 * edited by admins. `key` names the file ("2027"), `version` grows with each reload of the file.
 */
export const labelQuestionnaires = pgTable(
  "label_questionnaires",
  {
    id: text("id").primaryKey(),
    key: text("key").notNull(),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    /** SHA-256 of the data file loaded: loading an unchanged file adds no version. */
    sourceHash: text("source_hash").notNull(),
    /** Grows with every admin edit of its questions: what caches of the questionnaire key on. */
    revision: integer("revision").notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("label_questionnaires_key_version").on(t.key, t.version)],
);

/**
 * One version of a question. A question answered in a submitted application is never changed in
 * place: the edit writes a new row (same `code`, `version + 1`) and closes the old one
 * (`replacedAt`), so what the jury reads is what the collectivity answered.
 */
export const labelQuestions = pgTable(
  "label_questions",
  {
    id: text("id").primaryKey(),
    questionnaireId: text("questionnaire_id")
      .notNull()
      .references(() => labelQuestionnaires.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    version: integer("version").notNull().default(1),
    /** The enjeu: a theme slug of app/data/initiative-themes.json. */
    section: text("section").notNull(),
    position: integer("position").notNull(),
    kind: text("kind", { enum: labelQuestionKinds }).notNull(),
    prompt: text("prompt").notNull(),
    help: text("help").notNull().default(""),
    required: boolean("required").notNull().default(false),
    /** Points the question is worth at most. */
    weight: integer("weight").notNull().default(0),
    options: jsonb("options").$type<LabelQuestionOption[]>().notNull().default([]),
    categories: text("categories", { enum: labelCategories }).array().notNull(),
    replacedAt: instant("replaced_at"),
  },
  (t) => [
    uniqueIndex("label_questions_code_version").on(t.questionnaireId, t.code, t.version),
    index("label_questions_current")
      .on(t.questionnaireId, t.section, t.position)
      .where(sql`${t.replacedAt} is null`),
  ],
);

/** A yearly campaign; every instant is entered and shown in Europe/Paris. */
export const labelCampaigns = pgTable("label_campaigns", {
  id: text("id").primaryKey(),
  year: integer("year").notNull().unique(),
  title: text("title").notNull(),
  opensAt: instant("opens_at").notNull(),
  registrationDeadline: instant("registration_deadline").notNull(),
  submissionDeadline: instant("submission_deadline").notNull(),
  juryStartsAt: instant("jury_starts_at").notNull(),
  juryEndsAt: instant("jury_ends_at").notNull(),
  /** Results become public at this instant, not before, through every channel. */
  publishedAt: instant("published_at").notNull(),
  questionnaireId: text("questionnaire_id")
    .notNull()
    .references(() => labelQuestionnaires.id),
  createdAt: createdAt(),
});

export const labelApplicationStatuses = ["draft", "submitted"] as const;

/** One per collectivity and campaign; the catégorie and population are those at registration. */
export const labelApplications = pgTable(
  "label_applications",
  {
    id: text("id").primaryKey(),
    campaignId: text("campaign_id")
      .notNull()
      .references(() => labelCampaigns.id, { onDelete: "cascade" }),
    collectivityCode: collectivityCode(),
    category: text("category", { enum: labelCategories }).notNull(),
    population: integer("population"),
    status: text("status", { enum: labelApplicationStatuses }).notNull().default("draft"),
    registeredBy: text("registered_by").references(() => users.id, { onDelete: "set null" }),
    registeredAt: createdAt(),
    submittedAt: instant("submitted_at"),
    submittedBy: text("submitted_by").references(() => users.id, { onDelete: "set null" }),
    /** Self-evaluation at submission: the reference figures of the next campaign's comparison. */
    scores: jsonb("scores").$type<LabelScores>(),
    /** A sentence the collectivity would like read at the ceremony. */
    quote: text("quote").notNull().default(""),
    /** Forum topic of the jury's private deliberation (category `deliberations-du-label`). */
    deliberationTopicId: integer("deliberation_topic_id"),
    finalLevel: integer("final_level"),
    mentions: textList("mentions"),
    feedback: text("feedback").notNull().default(""),
    validatedAt: instant("validated_at"),
    validatedBy: text("validated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("label_applications_campaign_collectivity").on(t.campaignId, t.collectivityCode),
    index("label_applications_collectivity").on(t.collectivityCode),
    index("label_applications_results")
      .on(t.campaignId, t.finalLevel)
      .where(sql`${t.validatedAt} is not null`),
  ],
);

/**
 * The answer to a question. `version` grows with each save, so that a save based on an older
 * version is refused (409) instead of overwriting a colleague; `toConfirm` marks answers carried
 * over from last year until a member confirms them.
 */
export const labelAnswers = pgTable(
  "label_answers",
  {
    applicationId: text("application_id")
      .notNull()
      .references(() => labelApplications.id, { onDelete: "cascade" }),
    questionId: text("question_id")
      .notNull()
      .references(() => labelQuestions.id),
    value: jsonb("value").$type<LabelAnswerValue>().notNull(),
    toConfirm: boolean("to_confirm").notNull().default(false),
    version: integer("version").notNull().default(1),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    primaryKey({ columns: [t.applicationId, t.questionId] }),
    index("label_answers_question").on(t.questionId),
  ],
);

/** Agents and elected officials credited for the application ("valoriser le travail des agents"). */
export const labelCredits = pgTable(
  "label_credits",
  {
    id: text("id").primaryKey(),
    applicationId: text("application_id")
      .notNull()
      .references(() => labelApplications.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    role: text("role").notNull().default(""),
    /** Shown on the results page only when the person agreed. */
    publicConsent: boolean("public_consent").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index("label_credits_application").on(t.applicationId),
    index("label_credits_user").on(t.userId),
  ],
);

export const labelJuryAssignments = pgTable(
  "label_jury_assignments",
  {
    applicationId: text("application_id")
      .notNull()
      .references(() => labelApplications.id, { onDelete: "cascade" }),
    juryUserId: text("jury_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    assignedBy: text("assigned_by").references(() => users.id, { onDelete: "set null" }),
    assignedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.applicationId, t.juryUserId] }),
    index("label_jury_assignments_jury").on(t.juryUserId),
  ],
);

/** A conflict of interest declared by a jury member, with a collectivity. */
export const labelJuryConflicts = pgTable(
  "label_jury_conflicts",
  {
    juryUserId: text("jury_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    collectivityCode: collectivityCode(),
    reason: text("reason").notNull().default(""),
    declaredAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.juryUserId, t.collectivityCode] })],
);

/** A jury member's evaluation: a score per enjeu (0–4), a proposed level and mentions. */
export const labelJuryReviews = pgTable(
  "label_jury_reviews",
  {
    applicationId: text("application_id")
      .notNull()
      .references(() => labelApplications.id, { onDelete: "cascade" }),
    juryUserId: text("jury_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    grid: jsonb("grid").$type<Record<string, number>>().notNull().default({}),
    proposedLevel: integer("proposed_level"),
    mentions: textList("mentions"),
    comment: text("comment").notNull().default(""),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.juryUserId] })],
);
