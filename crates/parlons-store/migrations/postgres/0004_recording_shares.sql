-- PostgreSQL dialect (same schema as sqlite/). Recordings shared with other users (who may then list, play and download them).
CREATE TABLE recording_shares (
    recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (recording_id, user_id)
);
CREATE INDEX recording_shares_user ON recording_shares (user_id);
