-- Wakes the indexers as soon as a change is committed, instead of at their next poll.
-- Statement-level, so a batch of rows costs one notification; PostgreSQL folds identical
-- notifications of one transaction and only delivers them at commit.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('search_outbox', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
