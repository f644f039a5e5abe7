//! In-app notifications of a user.

use parlons_types::UserId;
use sqlx::Row;

use crate::{Result, Store, StoreError};

/// A notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    /// Id.
    pub id: String,
    /// For whom.
    pub user_id: UserId,
    /// What happened (`recording_ready`…).
    pub kind: String,
    /// Text to show (already in the words of the event).
    pub title: String,
    /// Where to go (a path of the web client).
    pub link: String,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Read (Unix ms).
    pub read_at: Option<i64>,
}

impl Store {
    /// Stores a notification.
    pub async fn notify(&self, n: &Notification) -> Result<()> {
        sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, title, link, created_at, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(n.id.clone())
        .bind(n.user_id.as_str().to_string())
        .bind(n.kind.clone())
        .bind(n.title.clone())
        .bind(n.link.clone())
        .bind(n.created_at)
        .bind(n.read_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A user's latest notifications, newest first.
    pub async fn notifications(&self, user: &UserId, limit: i64) -> Result<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT id, user_id, kind, title, link, created_at, read_at FROM notifications WHERE user_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(user.as_str().to_string())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    user_id: UserId::new(r.try_get::<String, _>("user_id")?),
                    kind: r.try_get("kind")?,
                    title: r.try_get("title")?,
                    link: r.try_get("link")?,
                    created_at: r.try_get("created_at")?,
                    read_at: r.try_get("read_at")?,
                })
            })
            .collect()
    }

    /// Marks one of a user's notifications read.
    pub async fn mark_notification_read(&self, user: &UserId, id: &str, now: i64) -> Result<()> {
        let r = sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
            .bind(now)
            .bind(id.to_string())
            .bind(user.as_str().to_string())
            .execute(&self.pool)
            .await?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
