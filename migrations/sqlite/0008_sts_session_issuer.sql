-- The long-term identity (user, root, or role without a session of its own) behind each set of
-- temporary credentials: credentials obtained with temporary credentials inherit their issuer,
-- so a chain of AssumeRole calls counts against where it started. Live sessions are capped per
-- issuer; rows from before this column carry '' and count against no one (they expire).
ALTER TABLE sts_sessions ADD COLUMN issuer TEXT NOT NULL DEFAULT '';

CREATE INDEX sts_sessions_by_issuer ON sts_sessions (issuer, expires_at);
