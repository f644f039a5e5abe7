//! Parlons storage: accounts, browser sessions, pending logins, rooms, roles and bans.
//!
//! One set of queries runs on SQLite (the embedded default) and PostgreSQL (scale-out) through
//! sqlx's `Any` driver; each dialect has its own migrations (`migrations/{sqlite,postgres}`).
//! Columns use only types both dialects share: `TEXT`, `BIGINT` (times in Unix milliseconds,
//! flags as 0/1). Each aggregate lives in its own module as methods on [`Store`].

/// SQL assembled from constant column lists only (never from input), so it is safe to format.
macro_rules! sql {
    ($($t:tt)*) => { sqlx::AssertSqlSafe(format!($($t)*)) };
}

mod error;
mod jobs;
mod login_flows;
mod notifications;
mod recordings;
mod rooms;
mod sessions;
mod users;

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions};
use tracing::info;

pub use error::{Result, StoreError};
pub use jobs::Job;
pub use login_flows::LoginFlow;
pub use notifications::Notification;
pub use recordings::{RecordingFile, RecordingRecord};
pub use rooms::{Member, NewRoom, RoomPatch, RoomRecord, RoomSettings};
pub use sessions::SessionRecord;
pub use users::{NewUser, OidcSubject, User};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite file (embedded default).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// A connection pool and the queries of every aggregate. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
}

impl Store {
    /// Connects to `url` (`sqlite://path` — created when missing — or `postgres://…`) and
    /// applies the pending migrations of its dialect.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Dialect::Postgres
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database URL scheme (use sqlite:// or postgres://): {}",
                redact_url(url)
            )));
        };
        let url = match dialect {
            Dialect::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let opts = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Config(format!("invalid database URL {}: {e}", redact_url(&url))))?
            .log_statements(tracing::log::LevelFilter::Trace);
        let max = if dialect == Dialect::Sqlite { 4 } else { 16 };
        let pool = AnyPoolOptions::new().max_connections(max).connect_with(opts).await?;
        if dialect == Dialect::Sqlite {
            // WAL lets readers proceed while one writer commits; the setting persists in the file.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        let migrator = match dialect {
            Dialect::Sqlite => &SQLITE_MIGRATIONS,
            Dialect::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        info!(?dialect, "database ready");
        Ok(Store { pool, dialect })
    }

    /// The engine behind this store.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A database URL with its password hidden, for errors and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Reads a 0/1 flag column.
fn flag(v: i64) -> bool {
    v != 0
}

/// Parses an enum column, turning a bad value into a [`StoreError::Corrupt`].
fn parse<T: FromStr>(column: &'static str, v: &str) -> Result<T> {
    v.parse().map_err(|_| StoreError::Corrupt(format!("{column} = {v:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_urls() {
        assert_eq!(redact_url("postgres://u:pw@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://data/p.db"), "sqlite://data/p.db");
    }
}
