CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"index_base" text NOT NULL,
	"document_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "outbox_pending" ON "outbox" USING btree ("next_attempt_at","id") WHERE "outbox"."processed_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_replay" ON "outbox" USING btree ("index_base","created_at");