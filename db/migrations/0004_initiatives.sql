CREATE TABLE "initiative_adoptions" (
	"initiative_id" text NOT NULL,
	"collectivity_code" text NOT NULL,
	"user_id" text,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "initiative_adoptions_initiative_id_collectivity_code_pk" PRIMARY KEY("initiative_id","collectivity_code")
);
--> statement-breakpoint
CREATE TABLE "initiative_contributors" (
	"id" text PRIMARY KEY NOT NULL,
	"initiative_id" text NOT NULL,
	"user_id" text,
	"name" text NOT NULL,
	"role" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "initiatives" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"collectivity_code" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"themes" text[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"start_year" integer,
	"budget_bracket" text,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"inspired_by_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "initiative_adoptions" ADD CONSTRAINT "initiative_adoptions_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_adoptions" ADD CONSTRAINT "initiative_adoptions_collectivity_code_collectivities_code_fk" FOREIGN KEY ("collectivity_code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_adoptions" ADD CONSTRAINT "initiative_adoptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_contributors" ADD CONSTRAINT "initiative_contributors_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_contributors" ADD CONSTRAINT "initiative_contributors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_collectivity_code_collectivities_code_fk" FOREIGN KEY ("collectivity_code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_inspired_by_id_initiatives_id_fk" FOREIGN KEY ("inspired_by_id") REFERENCES "public"."initiatives"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "initiative_adoptions_collectivity" ON "initiative_adoptions" USING btree ("collectivity_code");--> statement-breakpoint
CREATE INDEX "initiative_contributors_initiative" ON "initiative_contributors" USING btree ("initiative_id","position");--> statement-breakpoint
CREATE INDEX "initiative_contributors_user" ON "initiative_contributors" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "initiatives_slug" ON "initiatives" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "initiatives_collectivity" ON "initiatives" USING btree ("collectivity_code","status");--> statement-breakpoint
CREATE INDEX "initiatives_published" ON "initiatives" USING btree ("status","published_at");--> statement-breakpoint
CREATE INDEX "initiatives_themes" ON "initiatives" USING gin ("themes");--> statement-breakpoint
CREATE INDEX "initiatives_inspired_by" ON "initiatives" USING btree ("inspired_by_id");