-- The audit log becomes a hash chain: each record carries the SHA-256 of its canonical encoding
-- and of the previous record's hash, assigned in insertion order by the single writer. Records
-- written before this migration are sealed once at start-up (their hash is NULL until then).
ALTER TABLE audit_events ADD COLUMN principal_id TEXT;
-- The public AWS error message of a failure, as the caller saw it.
ALTER TABLE audit_events ADD COLUMN error_message TEXT;
-- Internal only (e.g. why a sign-in failed): never shown to the person signing in, nor exported.
ALTER TABLE audit_events ADD COLUMN reason TEXT;
-- Public event details as a JSON object (e.g. {"MFAUsed":"Yes"} for a console sign-in).
ALTER TABLE audit_events ADD COLUMN details TEXT;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;

-- SECURITY: append-only. A record's fields never change once sealed, and nothing is deleted.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN OLD.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

-- INVARIANT: a new record links to the newest one, so concurrent writers cannot fork the chain.
CREATE TRIGGER audit_events_chain_link BEFORE INSERT ON audit_events
WHEN NEW.prev_hash IS NOT COALESCE(
        (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000')
    OR NEW.seq <= COALESCE((SELECT MAX(seq) FROM audit_events), 0)
BEGIN
    SELECT RAISE(ABORT, 'audit_events: the record does not extend the chain');
END;

-- The console's filters page newest first (keyset on seq) within one account.
CREATE INDEX audit_events_by_principal ON audit_events (account_id, principal_arn, seq);
CREATE INDEX audit_events_by_action ON audit_events (account_id, action, seq);
CREATE INDEX audit_events_by_resource ON audit_events (account_id, resource_arn, seq);
CREATE INDEX audit_events_by_result ON audit_events (account_id, result, seq);
CREATE INDEX audit_events_by_time ON audit_events (account_id, event_time);
