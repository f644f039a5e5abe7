//! The job queue: rows claimed by one worker at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
//! a single-writer `UPDATE … RETURNING` on SQLite), with progress, heartbeats, retries of jobs
//! whose worker died, and a final status.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Dialect, Result, Store, StoreError};

/// A job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// Id.
    pub id: String,
    /// What to do (`composite`, `transcribe`…).
    pub kind: String,
    /// What it is about (a recording id).
    pub subject: String,
    /// Parameters (JSON).
    pub payload: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// Percent done.
    pub progress: i64,
    /// Why it failed.
    pub error: Option<String>,
    /// Claims so far.
    pub attempts: i64,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Finished (Unix ms).
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, kind, subject, payload, status, progress, error, attempts, created_at, finished_at";

fn job_from_row(r: &AnyRow) -> Result<Job> {
    Ok(Job {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        subject: r.try_get("subject")?,
        payload: r.try_get("payload")?,
        status: r.try_get("status")?,
        progress: r.try_get("progress")?,
        error: r.try_get("error")?,
        attempts: r.try_get("attempts")?,
        created_at: r.try_get("created_at")?,
        finished_at: r.try_get("finished_at")?,
    })
}

impl Store {
    /// Queues a job.
    pub async fn enqueue_job(&self, id: &str, kind: &str, subject: &str, payload: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO jobs (id, kind, subject, payload, status, progress, attempts, created_at) VALUES ($1, $2, $3, $4, 'queued', 0, 0, $5)",
        )
        .bind(id.to_string())
        .bind(kind.to_string())
        .bind(subject.to_string())
        .bind(payload.to_string())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Claims the oldest queued job of `kind` for `worker`, if any. Two workers never get the same job.
    pub async fn claim_job(&self, kind: &str, worker: &str, now: i64) -> Result<Option<Job>> {
        let lock = match self.dialect {
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
            // SQLite serialises writers: the UPDATE below is atomic on its own.
            Dialect::Sqlite => "",
        };
        let row = sqlx::query(sql!(
            "UPDATE jobs SET status = 'running', locked_by = $1, started_at = $2, heartbeat_at = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND kind = $3 ORDER BY created_at, id LIMIT 1{lock}) \
             AND status = 'queued' RETURNING {COLUMNS}"
        ))
        .bind(worker.to_string())
        .bind(now)
        .bind(kind.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// Records progress (and that the worker is alive).
    pub async fn job_progress(&self, id: &str, progress: i64, now: i64) -> Result<()> {
        sqlx::query("UPDATE jobs SET progress = $1, heartbeat_at = $2 WHERE id = $3 AND status = 'running'")
            .bind(progress.clamp(0, 100))
            .bind(now)
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends a job: `done`, or `failed` with a reason.
    pub async fn finish_job(&self, id: &str, error: Option<&str>, now: i64) -> Result<()> {
        let status = if error.is_some() { "failed" } else { "done" };
        sqlx::query(
            "UPDATE jobs SET status = $1, error = $2, finished_at = $3, progress = CASE WHEN $1 = 'done' THEN 100 ELSE progress END \
             WHERE id = $4",
        )
        .bind(status)
        .bind(error.map(str::to_string))
        .bind(now)
        .bind(id.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Puts back in the queue running jobs whose worker stopped beating before `stale_before`
    /// (a crashed worker); after `max_attempts` claims they fail instead. Returns how many.
    pub async fn requeue_stale_jobs(&self, stale_before: i64, max_attempts: i64, now: i64) -> Result<u64> {
        let failed = sqlx::query(
            "UPDATE jobs SET status = 'failed', error = 'the worker stopped too many times', finished_at = $1 \
             WHERE status = 'running' AND heartbeat_at < $2 AND attempts >= $3",
        )
        .bind(now)
        .bind(stale_before)
        .bind(max_attempts)
        .execute(&self.pool)
        .await?;
        let requeued = sqlx::query(
            "UPDATE jobs SET status = 'queued', locked_by = NULL WHERE status = 'running' AND heartbeat_at < $1",
        )
        .bind(stale_before)
        .execute(&self.pool)
        .await?;
        Ok(failed.rows_affected() + requeued.rows_affected())
    }

    /// The latest job of `kind` about `subject`.
    pub async fn job_for(&self, kind: &str, subject: &str) -> Result<Option<Job>> {
        let row = sqlx::query(sql!(
            "SELECT {COLUMNS} FROM jobs WHERE kind = $1 AND subject = $2 ORDER BY created_at DESC, id DESC LIMIT 1"
        ))
        .bind(kind.to_string())
        .bind(subject.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// A job by id.
    pub async fn job(&self, id: &str) -> Result<Job> {
        let row = sqlx::query(sql!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        job_from_row(&row)
    }

    /// Re-queues a failed job (a retry asked by a person).
    pub async fn retry_job(&self, id: &str) -> Result<()> {
        let r = sqlx::query(
            "UPDATE jobs SET status = 'queued', error = NULL, progress = 0 WHERE id = $1 AND status = 'failed'",
        )
        .bind(id.to_string())
        .execute(&self.pool)
        .await?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Deletes the jobs about `subject` (its recording was deleted).
    pub async fn delete_jobs_of(&self, subject: &str) -> Result<()> {
        sqlx::query("DELETE FROM jobs WHERE subject = $1").bind(subject.to_string()).execute(&self.pool).await?;
        Ok(())
    }
}
