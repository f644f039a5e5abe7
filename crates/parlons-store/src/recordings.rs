//! Recordings and their files.

use parlons_types::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, StoreError, flag};

/// A recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordingRecord {
    /// Id.
    pub id: String,
    /// The room.
    pub room_id: String,
    /// Who started it (a user), if known.
    pub started_by: Option<UserId>,
    /// `video` or `audio`.
    pub mode: String,
    /// Transcribe afterwards.
    pub transcribe: bool,
    /// `recording`, `finished`, `recovered` or `failed`.
    pub status: String,
    /// Why it failed.
    pub error: Option<String>,
    /// Directory of its files (relative to the recordings root).
    pub dir: String,
    /// Started (Unix ms).
    pub started_at: i64,
    /// Stopped (Unix ms).
    pub stopped_at: Option<i64>,
    /// Deleted after (Unix ms).
    pub expires_at: Option<i64>,
}

/// One file of a recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordingFile {
    /// Recording.
    pub recording_id: String,
    /// Path relative to the recording's directory.
    pub path: String,
    /// `video`, `audio` or `screen`.
    pub kind: String,
    /// Participant identity.
    pub identity: String,
    /// Participant name.
    pub name: String,
    /// Track id.
    pub track_id: String,
    /// Codec(s), e.g. `vp8+opus`.
    pub codec: String,
    /// Start, ms after the recording's start.
    pub start_ms: i64,
    /// End, ms after the recording's start.
    pub end_ms: Option<i64>,
    /// `recording`, `finished`, `recovered` or `failed`.
    pub status: String,
}

const COLUMNS: &str =
    "id, room_id, started_by, mode, transcribe, status, error, dir, started_at, stopped_at, expires_at";

fn recording_from_row(r: &AnyRow) -> Result<RecordingRecord> {
    Ok(RecordingRecord {
        id: r.try_get("id")?,
        room_id: r.try_get("room_id")?,
        started_by: r.try_get::<Option<String>, _>("started_by")?.map(UserId::new),
        mode: r.try_get("mode")?,
        transcribe: flag(r.try_get("transcribe")?),
        status: r.try_get("status")?,
        error: r.try_get("error")?,
        dir: r.try_get("dir")?,
        started_at: r.try_get("started_at")?,
        stopped_at: r.try_get("stopped_at")?,
        expires_at: r.try_get("expires_at")?,
    })
}

fn file_from_row(r: &AnyRow) -> Result<RecordingFile> {
    Ok(RecordingFile {
        recording_id: r.try_get("recording_id")?,
        path: r.try_get("path")?,
        kind: r.try_get("kind")?,
        identity: r.try_get("identity")?,
        name: r.try_get("name")?,
        track_id: r.try_get("track_id")?,
        codec: r.try_get("codec")?,
        start_ms: r.try_get("start_ms")?,
        end_ms: r.try_get("end_ms")?,
        status: r.try_get("status")?,
    })
}

impl Store {
    /// Stores a new recording.
    pub async fn create_recording(&self, r: &RecordingRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO recordings (id, room_id, started_by, mode, transcribe, status, error, dir, started_at, stopped_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(r.id.clone())
        .bind(r.room_id.clone())
        .bind(r.started_by.as_ref().map(|u| u.as_str().to_string()))
        .bind(r.mode.clone())
        .bind(i64::from(r.transcribe))
        .bind(r.status.clone())
        .bind(r.error.clone())
        .bind(r.dir.clone())
        .bind(r.started_at)
        .bind(r.stopped_at)
        .bind(r.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A recording by id.
    pub async fn recording(&self, id: &str) -> Result<RecordingRecord> {
        let row = sqlx::query(sql!("SELECT {COLUMNS} FROM recordings WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        recording_from_row(&row)
    }

    /// Recordings of a room, newest first.
    pub async fn recordings_of_room(&self, room_id: &str) -> Result<Vec<RecordingRecord>> {
        let rows = sqlx::query(sql!("SELECT {COLUMNS} FROM recordings WHERE room_id = $1 ORDER BY started_at DESC"))
            .bind(room_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(recording_from_row).collect()
    }

    /// Recordings in a given status (e.g. `recording` at start-up: they were cut by a crash).
    pub async fn recordings_with_status(&self, status: &str) -> Result<Vec<RecordingRecord>> {
        let rows = sqlx::query(sql!("SELECT {COLUMNS} FROM recordings WHERE status = $1 ORDER BY started_at"))
            .bind(status.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(recording_from_row).collect()
    }

    /// Recordings of one room in a given status.
    pub async fn recordings_with_status_in_room(&self, room_id: &str, status: &str) -> Result<Vec<RecordingRecord>> {
        let rows = sqlx::query(sql!(
            "SELECT {COLUMNS} FROM recordings WHERE room_id = $1 AND status = $2 ORDER BY started_at"
        ))
        .bind(room_id.to_string())
        .bind(status.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(recording_from_row).collect()
    }

    /// Recordings whose expiry passed.
    pub async fn expired_recordings(&self, now: i64) -> Result<Vec<RecordingRecord>> {
        let rows =
            sqlx::query(sql!("SELECT {COLUMNS} FROM recordings WHERE expires_at IS NOT NULL AND expires_at <= $1"))
                .bind(now)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(recording_from_row).collect()
    }

    /// Ends a recording with a status (and an error for `failed`).
    pub async fn finish_recording(&self, id: &str, status: &str, error: Option<&str>, stopped_at: i64) -> Result<()> {
        sqlx::query("UPDATE recordings SET status = $1, error = $2, stopped_at = $3 WHERE id = $4")
            .bind(status.to_string())
            .bind(error.map(str::to_string))
            .bind(stopped_at)
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sets when a recording is deleted.
    pub async fn set_recording_expiry(&self, id: &str, expires_at: i64) -> Result<()> {
        sqlx::query("UPDATE recordings SET expires_at = $1 WHERE id = $2")
            .bind(expires_at)
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes a recording and its file rows.
    pub async fn delete_recording(&self, id: &str) -> Result<()> {
        let r = sqlx::query("DELETE FROM recordings WHERE id = $1").bind(id.to_string()).execute(&self.pool).await?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Adds or replaces a file row.
    pub async fn put_recording_file(&self, f: &RecordingFile) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM recording_files WHERE recording_id = $1 AND path = $2")
            .bind(f.recording_id.clone())
            .bind(f.path.clone())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO recording_files (recording_id, path, kind, identity, name, track_id, codec, start_ms, end_ms, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(f.recording_id.clone())
        .bind(f.path.clone())
        .bind(f.kind.clone())
        .bind(f.identity.clone())
        .bind(f.name.clone())
        .bind(f.track_id.clone())
        .bind(f.codec.clone())
        .bind(f.start_ms)
        .bind(f.end_ms)
        .bind(f.status.clone())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Shares a recording with a user (sharing twice is fine).
    pub async fn share_recording(&self, recording_id: &str, user: &UserId, now: i64) -> Result<()> {
        let r = sqlx::query("INSERT INTO recording_shares (recording_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(recording_id.to_string())
            .bind(user.as_str().to_string())
            .bind(now)
            .execute(&self.pool)
            .await;
        match r.map_err(crate::error::unique("share")) {
            Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Stops sharing a recording with a user.
    pub async fn unshare_recording(&self, recording_id: &str, user: &UserId) -> Result<()> {
        sqlx::query("DELETE FROM recording_shares WHERE recording_id = $1 AND user_id = $2")
            .bind(recording_id.to_string())
            .bind(user.as_str().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether a recording is shared with a user.
    pub async fn is_shared_with(&self, recording_id: &str, user: &UserId) -> Result<bool> {
        let row = sqlx::query("SELECT 1 AS one FROM recording_shares WHERE recording_id = $1 AND user_id = $2")
            .bind(recording_id.to_string())
            .bind(user.as_str().to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Users a recording is shared with.
    pub async fn recording_shares(&self, recording_id: &str) -> Result<Vec<UserId>> {
        let rows = sqlx::query("SELECT user_id FROM recording_shares WHERE recording_id = $1 ORDER BY created_at")
            .bind(recording_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(UserId::new(r.try_get::<String, _>("user_id")?))).collect()
    }

    /// Recordings a user started or that were shared with them, newest first.
    pub async fn recordings_of_user(&self, user: &UserId) -> Result<Vec<RecordingRecord>> {
        let rows = sqlx::query(sql!(
            "SELECT {COLUMNS} FROM recordings WHERE started_by = $1 \
             OR id IN (SELECT recording_id FROM recording_shares WHERE user_id = $1) ORDER BY started_at DESC"
        ))
        .bind(user.as_str().to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(recording_from_row).collect()
    }

    /// Files of a recording, in start order.
    pub async fn recording_files(&self, recording_id: &str) -> Result<Vec<RecordingFile>> {
        let rows = sqlx::query(
            "SELECT recording_id, path, kind, identity, name, track_id, codec, start_ms, end_ms, status \
             FROM recording_files WHERE recording_id = $1 ORDER BY start_ms, path",
        )
        .bind(recording_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(file_from_row).collect()
    }
}
