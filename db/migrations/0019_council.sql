CREATE TABLE "council_ballots" (
	"id" text PRIMARY KEY NOT NULL,
	"vote_id" text NOT NULL,
	"organisation_code" text NOT NULL,
	"topic_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"receipt_hash" text NOT NULL,
	"cast_by" text,
	"cast_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "council_calls" (
	"id" text PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "council_calls_year_unique" UNIQUE("year")
);
--> statement-breakpoint
CREATE TABLE "council_electors" (
	"vote_id" text NOT NULL,
	"organisation_code" text NOT NULL,
	"college" text NOT NULL,
	CONSTRAINT "council_electors_vote_id_organisation_code_pk" PRIMARY KEY("vote_id","organisation_code")
);
--> statement-breakpoint
CREATE TABLE "council_topics" (
	"id" text PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"title" text NOT NULL,
	"why" text NOT NULL,
	"expected_outcome" text NOT NULL,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"merged_into_id" text,
	"forum_topic_id" integer,
	"organisation_code" text NOT NULL,
	"proposed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "council_votes" (
	"id" text PRIMARY KEY NOT NULL,
	"call_id" text NOT NULL,
	"title" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"max_choices" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_organisations" (
	"code" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"college" text NOT NULL,
	"siren" text,
	"description" text DEFAULT '' NOT NULL,
	"website" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_organisations_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "council_ballots" ADD CONSTRAINT "council_ballots_vote_id_council_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."council_votes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_ballots" ADD CONSTRAINT "council_ballots_organisation_code_collectivities_code_fk" FOREIGN KEY ("organisation_code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_ballots" ADD CONSTRAINT "council_ballots_cast_by_users_id_fk" FOREIGN KEY ("cast_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_electors" ADD CONSTRAINT "council_electors_vote_id_council_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."council_votes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_electors" ADD CONSTRAINT "council_electors_organisation_code_collectivities_code_fk" FOREIGN KEY ("organisation_code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_topics" ADD CONSTRAINT "council_topics_call_id_council_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."council_calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_topics" ADD CONSTRAINT "council_topics_forum_topic_id_forum_topics_id_fk" FOREIGN KEY ("forum_topic_id") REFERENCES "public"."forum_topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_topics" ADD CONSTRAINT "council_topics_organisation_code_collectivities_code_fk" FOREIGN KEY ("organisation_code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_topics" ADD CONSTRAINT "council_topics_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_votes" ADD CONSTRAINT "council_votes_call_id_council_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."council_calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD CONSTRAINT "partner_organisations_code_collectivities_code_fk" FOREIGN KEY ("code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "council_ballots_organisation" ON "council_ballots" USING btree ("vote_id","organisation_code");--> statement-breakpoint
CREATE UNIQUE INDEX "council_ballots_receipt" ON "council_ballots" USING btree ("receipt_hash");--> statement-breakpoint
CREATE INDEX "council_topics_call" ON "council_topics" USING btree ("call_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_organisations_siren" ON "partner_organisations" USING btree ("siren") WHERE "partner_organisations"."siren" is not null;--> statement-breakpoint
CREATE INDEX "partner_organisations_college" ON "partner_organisations" USING btree ("college");