//! Browser sessions. Only a hash of the cookie value is stored, so a database leak does not
//! leak usable sessions.

use parlons_types::UserId;
use sqlx::Row;

use crate::users::user_from_row;
use crate::{Result, Store, User};

/// A browser session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie value (hex).
    pub id_hash: String,
    /// Whose.
    pub user_id: UserId,
    /// Anti-CSRF token the client echoes in `X-CSRF-Token`.
    pub csrf: String,
    /// The provider's ID token (for RP-initiated logout), if the login was through OIDC.
    pub id_token: Option<String>,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Expires (Unix ms).
    pub expires_at: i64,
}

impl Store {
    /// Stores a new session.
    pub async fn create_session(&self, s: &SessionRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf, id_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(s.id_hash.clone())
        .bind(s.user_id.as_str().to_string())
        .bind(s.csrf.clone())
        .bind(s.id_token.clone())
        .bind(s.created_at)
        .bind(s.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live session with this hash and its user.
    pub async fn session(&self, id_hash: &str, now: i64) -> Result<Option<(SessionRecord, User)>> {
        let row = sqlx::query(
            "SELECT s.id_hash, s.csrf, s.id_token, s.created_at AS s_created, s.expires_at, \
                    u.id, u.username, u.name, u.email, u.is_admin, u.created_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2",
        )
        .bind(id_hash.to_string())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let user = user_from_row(&r)?;
        let s = SessionRecord {
            id_hash: r.try_get("id_hash")?,
            user_id: user.id.clone(),
            csrf: r.try_get("csrf")?,
            id_token: r.try_get("id_token")?,
            created_at: r.try_get("s_created")?,
            expires_at: r.try_get("expires_at")?,
        };
        Ok(Some((s, user)))
    }

    /// Ends a session (logout). Returns whether it existed.
    pub async fn delete_session(&self, id_hash: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash.to_string())
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Removes expired sessions; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&self.pool).await?;
        Ok(r.rows_affected())
    }
}
