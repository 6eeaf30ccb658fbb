DROP INDEX "outbox_replay";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_replay" ON "outbox" USING btree ("index_base","xid");