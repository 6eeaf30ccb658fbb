CREATE TABLE "label_answers" (
	"application_id" text NOT NULL,
	"question_id" text NOT NULL,
	"value" jsonb NOT NULL,
	"to_confirm" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "label_answers_application_id_question_id_pk" PRIMARY KEY("application_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "label_applications" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"collectivity_code" text NOT NULL,
	"category" text NOT NULL,
	"population" integer,
	"status" text DEFAULT 'draft' NOT NULL,
	"registered_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" text,
	"scores" jsonb,
	"quote" text DEFAULT '' NOT NULL,
	"deliberation_topic_id" integer,
	"final_level" integer,
	"mentions" text[] DEFAULT '{}'::text[] NOT NULL,
	"feedback" text DEFAULT '' NOT NULL,
	"validated_at" timestamp with time zone,
	"validated_by" text
);
--> statement-breakpoint
CREATE TABLE "label_campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"registration_deadline" timestamp with time zone NOT NULL,
	"submission_deadline" timestamp with time zone NOT NULL,
	"jury_starts_at" timestamp with time zone NOT NULL,
	"jury_ends_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"questionnaire_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "label_campaigns_year_unique" UNIQUE("year")
);
--> statement-breakpoint
CREATE TABLE "label_credits" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" text NOT NULL,
	"user_id" text,
	"name" text NOT NULL,
	"role" text DEFAULT '' NOT NULL,
	"public_consent" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "label_jury_assignments" (
	"application_id" text NOT NULL,
	"jury_user_id" text NOT NULL,
	"assigned_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "label_jury_assignments_application_id_jury_user_id_pk" PRIMARY KEY("application_id","jury_user_id")
);
--> statement-breakpoint
CREATE TABLE "label_jury_conflicts" (
	"jury_user_id" text NOT NULL,
	"collectivity_code" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "label_jury_conflicts_jury_user_id_collectivity_code_pk" PRIMARY KEY("jury_user_id","collectivity_code")
);
--> statement-breakpoint
CREATE TABLE "label_jury_reviews" (
	"application_id" text NOT NULL,
	"jury_user_id" text NOT NULL,
	"grid" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"proposed_level" integer,
	"mentions" text[] DEFAULT '{}'::text[] NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "label_jury_reviews_application_id_jury_user_id_pk" PRIMARY KEY("application_id","jury_user_id")
);
--> statement-breakpoint
CREATE TABLE "label_questionnaires" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"source_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "label_questions" (
	"id" text PRIMARY KEY NOT NULL,
	"questionnaire_id" text NOT NULL,
	"code" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"section" text NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"prompt" text NOT NULL,
	"help" text DEFAULT '' NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"weight" integer DEFAULT 0 NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"categories" text[] NOT NULL,
	"replaced_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "forum_topic_grants" (
	"topic_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forum_topic_grants_topic_id_user_id_pk" PRIMARY KEY("topic_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "label_answers" ADD CONSTRAINT "label_answers_application_id_label_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."label_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_answers" ADD CONSTRAINT "label_answers_question_id_label_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."label_questions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_answers" ADD CONSTRAINT "label_answers_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_applications" ADD CONSTRAINT "label_applications_campaign_id_label_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."label_campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_applications" ADD CONSTRAINT "label_applications_collectivity_code_collectivities_code_fk" FOREIGN KEY ("collectivity_code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_applications" ADD CONSTRAINT "label_applications_registered_by_users_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_applications" ADD CONSTRAINT "label_applications_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_applications" ADD CONSTRAINT "label_applications_validated_by_users_id_fk" FOREIGN KEY ("validated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_campaigns" ADD CONSTRAINT "label_campaigns_questionnaire_id_label_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."label_questionnaires"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_credits" ADD CONSTRAINT "label_credits_application_id_label_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."label_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_credits" ADD CONSTRAINT "label_credits_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_jury_assignments" ADD CONSTRAINT "label_jury_assignments_application_id_label_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."label_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_jury_assignments" ADD CONSTRAINT "label_jury_assignments_jury_user_id_users_id_fk" FOREIGN KEY ("jury_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_jury_assignments" ADD CONSTRAINT "label_jury_assignments_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_jury_conflicts" ADD CONSTRAINT "label_jury_conflicts_jury_user_id_users_id_fk" FOREIGN KEY ("jury_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_jury_conflicts" ADD CONSTRAINT "label_jury_conflicts_collectivity_code_collectivities_code_fk" FOREIGN KEY ("collectivity_code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_jury_reviews" ADD CONSTRAINT "label_jury_reviews_application_id_label_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."label_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_jury_reviews" ADD CONSTRAINT "label_jury_reviews_jury_user_id_users_id_fk" FOREIGN KEY ("jury_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_questions" ADD CONSTRAINT "label_questions_questionnaire_id_label_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."label_questionnaires"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_topic_grants" ADD CONSTRAINT "forum_topic_grants_topic_id_forum_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."forum_topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_topic_grants" ADD CONSTRAINT "forum_topic_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "label_answers_question" ON "label_answers" USING btree ("question_id");--> statement-breakpoint
CREATE UNIQUE INDEX "label_applications_campaign_collectivity" ON "label_applications" USING btree ("campaign_id","collectivity_code");--> statement-breakpoint
CREATE INDEX "label_applications_collectivity" ON "label_applications" USING btree ("collectivity_code");--> statement-breakpoint
CREATE INDEX "label_applications_results" ON "label_applications" USING btree ("campaign_id","final_level") WHERE "label_applications"."validated_at" is not null;--> statement-breakpoint
CREATE INDEX "label_credits_application" ON "label_credits" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "label_credits_user" ON "label_credits" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "label_jury_assignments_jury" ON "label_jury_assignments" USING btree ("jury_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "label_questionnaires_key_version" ON "label_questionnaires" USING btree ("key","version");--> statement-breakpoint
CREATE UNIQUE INDEX "label_questions_code_version" ON "label_questions" USING btree ("questionnaire_id","code","version");--> statement-breakpoint
CREATE INDEX "label_questions_current" ON "label_questions" USING btree ("questionnaire_id","section","position") WHERE "label_questions"."replaced_at" is null;--> statement-breakpoint
CREATE INDEX "forum_topic_grants_user" ON "forum_topic_grants" USING btree ("user_id");