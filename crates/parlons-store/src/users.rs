//! Accounts: local users (argon2 hash kept here, computed by the server) and OpenID Connect
//! subjects, created on their first login.

use parlons_types::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::unique;
use crate::{Result, Store, StoreError, flag};

/// An account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Id (`US_…`).
    pub id: UserId,
    /// Login name of a local account.
    pub username: Option<String>,
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Instance administrator.
    pub is_admin: bool,
    /// Creation time (Unix ms).
    pub created_at: i64,
}

/// The issuer and subject of an OpenID Connect account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcSubject {
    /// Issuer URL.
    pub issuer: String,
    /// `sub` claim.
    pub subject: String,
}

/// A new account.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Id to give it.
    pub id: UserId,
    /// Login name (local accounts).
    pub username: Option<String>,
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Argon2 PHC string (local accounts).
    pub password_hash: Option<String>,
    /// Instance administrator.
    pub is_admin: bool,
    /// OpenID Connect identity.
    pub oidc: Option<OidcSubject>,
    /// Creation time (Unix ms).
    pub now: i64,
}

const COLUMNS: &str = "id, username, name, email, is_admin, created_at";

pub(crate) fn user_from_row(r: &AnyRow) -> Result<User> {
    Ok(User {
        id: UserId::new(r.try_get::<String, _>("id")?),
        username: r.try_get("username")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        is_admin: flag(r.try_get("is_admin")?),
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    /// Creates an account; `Conflict("username")` when the login name is taken.
    pub async fn create_user(&self, u: NewUser) -> Result<User> {
        let (issuer, subject) = match &u.oidc {
            Some(o) => (Some(o.issuer.clone()), Some(o.subject.clone())),
            None => (None, None),
        };
        sqlx::query(
            "INSERT INTO users (id, username, oidc_issuer, oidc_subject, name, email, password_hash, is_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(u.id.as_str().to_string())
        .bind(u.username.clone())
        .bind(issuer)
        .bind(subject)
        .bind(u.name.clone())
        .bind(u.email.clone())
        .bind(u.password_hash.clone())
        .bind(i64::from(u.is_admin))
        .bind(u.now)
        .execute(&self.pool)
        .await
        .map_err(unique("username"))?;
        Ok(User {
            id: u.id,
            username: u.username,
            name: u.name,
            email: u.email,
            is_admin: u.is_admin,
            created_at: u.now,
        })
    }

    /// An account by id.
    pub async fn user(&self, id: &UserId) -> Result<User> {
        let row = sqlx::query(sql!("SELECT {COLUMNS} FROM users WHERE id = $1"))
            .bind(id.as_str().to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        user_from_row(&row)
    }

    /// A local account and its password hash, by login name.
    pub async fn user_with_password(&self, username: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(sql!(
            "SELECT {COLUMNS}, password_hash FROM users WHERE username = $1 AND password_hash IS NOT NULL"
        ))
        .bind(username.to_string())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some((user_from_row(&r)?, r.try_get("password_hash")?))),
            None => Ok(None),
        }
    }

    /// An account by login name or e-mail (to add room members).
    pub async fn find_user(&self, username_or_email: &str) -> Result<Option<User>> {
        let row = sqlx::query(sql!(
            "SELECT {COLUMNS} FROM users WHERE username = $1 OR lower(email) = lower($1) ORDER BY created_at LIMIT 1"
        ))
        .bind(username_or_email.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// The account of an OpenID Connect subject, created on first login; name and e-mail are
    /// refreshed from the provider on every login.
    pub async fn upsert_oidc_user(
        &self,
        subject: &OidcSubject,
        name: &str,
        email: Option<&str>,
        new_id: UserId,
        now: i64,
    ) -> Result<User> {
        let updated = sqlx::query(sql!(
            "UPDATE users SET name = $1, email = $2 WHERE oidc_issuer = $3 AND oidc_subject = $4 RETURNING {COLUMNS}"
        ))
        .bind(name.to_string())
        .bind(email.map(str::to_string))
        .bind(subject.issuer.clone())
        .bind(subject.subject.clone())
        .fetch_optional(&self.pool)
        .await?;
        if let Some(r) = updated {
            return user_from_row(&r);
        }
        let new = NewUser {
            id: new_id,
            username: None,
            name: name.to_string(),
            email: email.map(str::to_string),
            password_hash: None,
            is_admin: false,
            oidc: Some(subject.clone()),
            now,
        };
        match self.create_user(new).await {
            // Two first logins raced: the other one created it.
            Err(StoreError::Conflict(_)) => {
                let r = sqlx::query(sql!("SELECT {COLUMNS} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2"))
                    .bind(subject.issuer.clone())
                    .bind(subject.subject.clone())
                    .fetch_one(&self.pool)
                    .await?;
                user_from_row(&r)
            }
            other => other,
        }
    }

    /// Replaces a local account's password hash.
    pub async fn set_password(&self, id: &UserId, password_hash: &str) -> Result<()> {
        let r = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash.to_string())
            .bind(id.as_str().to_string())
            .execute(&self.pool)
            .await?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Number of accounts (the first start creates an administrator when there are none).
    pub async fn count_users(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM users").fetch_one(&self.pool).await?.try_get("n")?)
    }
}
