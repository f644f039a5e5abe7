-- Accounts, browser sessions, pending OpenID Connect logins, rooms, roles and bans.
-- Times are Unix milliseconds (BIGINT in both dialects); flags are 0/1 integers.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT UNIQUE,
    oidc_issuer   TEXT,
    oidc_subject  TEXT,
    name          TEXT NOT NULL,
    email         TEXT,
    password_hash TEXT,
    is_admin      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    UNIQUE (oidc_issuer, oidc_subject)
);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    id_token   TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_flows (
    state         TEXT PRIMARY KEY,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path     TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE rooms (
    id                   TEXT PRIMARY KEY,
    slug                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    access               TEXT NOT NULL,
    max_participants     BIGINT NOT NULL DEFAULT 0,
    locked               BIGINT NOT NULL DEFAULT 0,
    publish_camera       TEXT NOT NULL,
    publish_microphone   TEXT NOT NULL,
    publish_screen_share TEXT NOT NULL,
    scheduled_at         BIGINT,
    created_at           BIGINT NOT NULL,
    last_used_at         BIGINT,
    ended_at             BIGINT
);

CREATE TABLE room_members (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_members_user ON room_members (user_id);

CREATE TABLE room_bans (
    room_id    TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    identity   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, identity)
);
