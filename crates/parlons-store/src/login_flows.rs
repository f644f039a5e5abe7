//! OpenID Connect logins in progress: the `state` sent to the provider maps to the nonce, the
//! PKCE verifier and where to go afterwards. Stored in the database so that any node can finish
//! a login another node started; each is taken (read and deleted) once.

use sqlx::Row;

use crate::{Result, Store};

/// A login waiting for the provider's callback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginFlow {
    /// The `state` parameter (random).
    pub state: String,
    /// The `nonce` expected in the ID token.
    pub nonce: String,
    /// The PKCE code verifier.
    pub pkce_verifier: String,
    /// Relative path to return to.
    pub next_path: String,
    /// Started (Unix ms).
    pub created_at: i64,
}

impl Store {
    /// Remembers a login in progress.
    pub async fn put_login_flow(&self, f: &LoginFlow) -> Result<()> {
        sqlx::query(
            "INSERT INTO login_flows (state, nonce, pkce_verifier, next_path, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(f.state.clone())
        .bind(f.nonce.clone())
        .bind(f.pkce_verifier.clone())
        .bind(f.next_path.clone())
        .bind(f.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes the login with this state if it started after `not_before` (a state works once).
    pub async fn take_login_flow(&self, state: &str, not_before: i64) -> Result<Option<LoginFlow>> {
        let row = sqlx::query(
            "DELETE FROM login_flows WHERE state = $1 RETURNING state, nonce, pkce_verifier, next_path, created_at",
        )
        .bind(state.to_string())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let f = LoginFlow {
            state: r.try_get("state")?,
            nonce: r.try_get("nonce")?,
            pkce_verifier: r.try_get("pkce_verifier")?,
            next_path: r.try_get("next_path")?,
            created_at: r.try_get("created_at")?,
        };
        Ok((f.created_at >= not_before).then_some(f))
    }

    /// Forgets logins started before `before`.
    pub async fn prune_login_flows(&self, before: i64) -> Result<u64> {
        let r = sqlx::query("DELETE FROM login_flows WHERE created_at < $1").bind(before).execute(&self.pool).await?;
        Ok(r.rows_affected())
    }
}
