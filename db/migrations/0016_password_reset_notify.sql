-- A "mot de passe oublié" request wakes the mail senders at commit, like queued mail does
-- (they turn the request into a token and a mail).
CREATE TRIGGER password_reset_requests_notify AFTER INSERT ON password_reset_requests FOR EACH STATEMENT EXECUTE FUNCTION mail_outbox_notify();
