//! Background jobs on the database queue: claimed by `parlons serve` (by default) or by
//! `parlons worker` processes on other machines sharing the database and the files.

pub mod composite;

use std::time::Duration;

use parlons_store::{Job, Store};
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::config::Config;
use crate::ids;
use crate::token;

/// Queue of composite renderings.
pub const COMPOSITE: &str = "composite";
/// How often an idle worker looks for work.
const POLL: Duration = Duration::from_secs(2);
/// A running job whose worker did not beat for this long is given to another worker.
const STALE_MS: i64 = 120_000;
/// Claims before a job is given up.
const MAX_ATTEMPTS: i64 = 3;

/// Queues the composite of a recording.
pub async fn queue_composite(store: &Store, recording_id: &str) -> anyhow::Result<()> {
    let id = ids::random_suffix(20);
    store.enqueue_job(&id, COMPOSITE, recording_id, "{}", token::unix_now_ms()).await?;
    Ok(())
}

/// Runs jobs of `queues` until cancelled.
pub async fn work(store: Store, config: std::sync::Arc<Config>, queues: Vec<String>, cancel: CancellationToken) {
    let worker = format!("{}-{}", config.node_id, ids::random_suffix(6));
    info!(%worker, ?queues, "job worker started");
    loop {
        let now = token::unix_now_ms();
        let _ = store.requeue_stale_jobs(now - STALE_MS, MAX_ATTEMPTS, now).await;
        let mut did = false;
        for q in &queues {
            match store.claim_job(q, &worker, token::unix_now_ms()).await {
                Ok(Some(job)) => {
                    did = true;
                    run(&store, &config, job).await;
                }
                Ok(None) => {}
                Err(e) => warn!(error = %e, "claiming a job failed"),
            }
        }
        if !did {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(POLL) => {}
            }
        } else if cancel.is_cancelled() {
            return;
        }
    }
}

async fn run(store: &Store, config: &Config, job: Job) {
    info!(job = %job.id, kind = %job.kind, subject = %job.subject, "job started");
    let result = match job.kind.as_str() {
        COMPOSITE => run_composite(store, config, &job).await,
        other => Err(anyhow::anyhow!("unknown job kind {other}")),
    };
    let now = token::unix_now_ms();
    match result {
        Ok(()) => {
            let _ = store.finish_job(&job.id, None, now).await;
            info!(job = %job.id, "job done");
        }
        Err(e) => {
            let msg = format!("{e:#}");
            warn!(job = %job.id, error = %msg, "job failed");
            let _ = store.finish_job(&job.id, Some(&msg), now).await;
        }
    }
}

async fn run_composite(store: &Store, config: &Config, job: &Job) -> anyhow::Result<()> {
    let rec = store.recording(&job.subject).await?;
    let dir = crate::recording::dir_of(config, &rec);
    let files = store.recording_files(&rec.id).await?;
    let inputs = composite::inputs(&dir, &files)?;
    if !inputs.iter().any(|i| i.video) {
        anyhow::bail!("nothing to show: the recording has no camera or screen file");
    }
    let duration = files.iter().filter_map(|f| f.end_ms).max().unwrap_or(0).max(1000);
    let out = dir.join(composite::FILE_NAME);
    let tmp = dir.join(format!(".{}.part.mp4", composite::FILE_NAME));
    let args = composite::ffmpeg_args(&inputs, duration, &tmp);
    let id = job.id.clone();
    let (tx, mut rx) = tokio::sync::watch::channel(0i64);
    let reporter = {
        let store = store.clone();
        tokio::spawn(async move {
            while rx.changed().await.is_ok() {
                let p = *rx.borrow();
                let _ = store.job_progress(&id, p, token::unix_now_ms()).await;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        })
    };
    let rendered = composite::render(args, duration, |p| {
        let _ = tx.send(p);
    })
    .await;
    drop(tx);
    let _ = reporter.await;
    for i in &inputs {
        if let Some(n) = &i.name_file {
            let _ = std::fs::remove_file(n);
        }
    }
    if let Err(e) = rendered {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &out)?;
    Ok(())
}
