CREATE TABLE "event_series" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "event_series_hosts" (
	"series_id" text NOT NULL,
	"collectivity_code" text NOT NULL,
	"status" text DEFAULT 'invited' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "event_series_hosts_series_id_collectivity_code_pk" PRIMARY KEY("series_id","collectivity_code")
);
--> statement-breakpoint
CREATE TABLE "event_series_stages" (
	"event_id" text PRIMARY KEY NOT NULL,
	"series_id" text NOT NULL,
	"host_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"detached_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "event_series" ADD CONSTRAINT "event_series_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series_hosts" ADD CONSTRAINT "event_series_hosts_series_id_event_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."event_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series_hosts" ADD CONSTRAINT "event_series_hosts_collectivity_code_collectivities_code_fk" FOREIGN KEY ("collectivity_code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series_stages" ADD CONSTRAINT "event_series_stages_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series_stages" ADD CONSTRAINT "event_series_stages_series_id_event_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."event_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series_stages" ADD CONSTRAINT "event_series_stages_host_code_collectivities_code_fk" FOREIGN KEY ("host_code") REFERENCES "public"."collectivities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_series_slug" ON "event_series" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "event_series_creator" ON "event_series" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "event_series_hosts_collectivity" ON "event_series_hosts" USING btree ("collectivity_code","status");--> statement-breakpoint
CREATE UNIQUE INDEX "event_series_stages_host" ON "event_series_stages" USING btree ("series_id","host_code") WHERE "event_series_stages"."detached_at" is null;