ALTER TABLE "forum_posts" ADD COLUMN "change_id" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "forum_topics" ADD COLUMN "last_change_id" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "forum_posts_topic_change" ON "forum_posts" USING btree ("topic_id","change_id");