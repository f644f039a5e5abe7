-- Background jobs (composite videos, later transcriptions), claimed by `parlons serve` or `parlons worker`.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    subject      TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL,
    progress     BIGINT NOT NULL DEFAULT 0,
    error        TEXT,
    attempts     BIGINT NOT NULL DEFAULT 0,
    locked_by    TEXT,
    created_at   BIGINT NOT NULL,
    started_at   BIGINT,
    heartbeat_at BIGINT,
    finished_at  BIGINT
);
CREATE INDEX jobs_queue ON jobs (status, kind, created_at);
CREATE INDEX jobs_subject ON jobs (subject);
