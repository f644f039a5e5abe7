-- PostgreSQL dialect (same schema as sqlite/). Recordings: one row per recording, one per file (a participant's track over a span of time).
CREATE TABLE recordings (
    id          TEXT PRIMARY KEY,
    room_id     TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    started_by  TEXT,
    mode        TEXT NOT NULL,
    transcribe  BIGINT NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,
    error       TEXT,
    dir         TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    stopped_at  BIGINT,
    expires_at  BIGINT
);
CREATE INDEX recordings_room ON recordings (room_id);

CREATE TABLE recording_files (
    recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    path         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    identity     TEXT NOT NULL,
    name         TEXT NOT NULL,
    track_id     TEXT NOT NULL,
    codec        TEXT NOT NULL,
    start_ms     BIGINT NOT NULL,
    end_ms       BIGINT,
    status       TEXT NOT NULL,
    PRIMARY KEY (recording_id, path)
);
