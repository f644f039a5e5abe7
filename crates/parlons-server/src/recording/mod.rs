//! Recordings inside the server: the recorder is an in-process subscriber. A host starts it; the
//! room taps every track ([`crate::rooms::AdminOp::StartRecording`]); a task per recording
//! ([`task`]) writes one file per participant track with `parlons-recorder`, flushed every
//! second; the database lists recordings and files; a crash leaves files that are marked
//! `recovered` at the next start.

mod task;

use std::path::PathBuf;

use parlons_store::{RecordingRecord, RoomRecord};
use tokio::sync::mpsc;
use tracing::{info, warn};

use crate::config::Config;
use crate::error::ApiError;
use crate::http::AppState;
use crate::http::store_error;
use crate::ids;
use crate::rooms::{AdminOp, RecorderLink, live};
use crate::token;

/// What is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Cameras and screens (with the participant's microphone), and every microphone.
    Video,
    /// Microphones only (for transcription).
    Audio,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Video => "video",
            Mode::Audio => "audio",
        }
    }
}

/// Frames a recorder may lag behind before frames are dropped (about 10 s of a small meeting).
const FRAME_QUEUE: usize = 4096;

/// Root directory of recordings.
pub fn root(config: &Config) -> PathBuf {
    if config.recording.dir.as_os_str().is_empty() {
        config.data.dir.join("recordings")
    } else {
        config.recording.dir.clone()
    }
}

/// Directory of one recording.
pub fn dir_of(config: &Config, rec: &RecordingRecord) -> PathBuf {
    root(config).join(&rec.dir)
}

/// Starts recording the running meeting of `room`.
pub async fn start(
    state: &AppState,
    room: &RoomRecord,
    mode: Mode,
    transcribe: bool,
    started_by: Option<parlons_types::UserId>,
) -> Result<RecordingRecord, ApiError> {
    let running = state.rooms.get(&room.slug).ok_or_else(|| {
        ApiError::new(axum::http::StatusCode::CONFLICT, "meeting_not_running", "nobody is in the meeting")
    })?;
    let id = ids::random_suffix(20);
    let now = token::unix_now_ms();
    let rec = RecordingRecord {
        id: id.clone(),
        room_id: room.id.clone(),
        started_by,
        mode: mode.as_str().into(),
        transcribe,
        status: "recording".into(),
        error: None,
        dir: id.clone(),
        started_at: now,
        stopped_at: None,
        expires_at: None,
    };
    let dir = dir_of(&state.config, &rec);
    tokio::fs::create_dir_all(&dir).await.map_err(ApiError::internal)?;
    state.store.create_recording(&rec).await.map_err(store_error)?;
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let (frames_tx, frames_rx) = mpsc::channel(FRAME_QUEUE);
    let link = RecorderLink { events: events_tx, frames: frames_tx };
    let job = task::Recorder::new(
        state.store.clone(),
        rec.clone(),
        dir,
        mode,
        state.config.recording.expire_days,
        (state.webhooks.clone(), room.slug.clone()),
    );
    tokio::spawn(job.run(events_rx, frames_rx));
    if let Err(e) = live::admin(&running, AdminOp::StartRecording(link)).await {
        // The task sees its channels close and finishes the row.
        let message =
            if e.code == "refused" { "a recording already runs in this meeting".to_string() } else { e.message };
        let _ = state.store.finish_recording(&id, "failed", Some(&message), token::unix_now_ms()).await;
        return Err(ApiError::new(axum::http::StatusCode::CONFLICT, "recording_running", message));
    }
    info!(recording = %id, room = %room.slug, mode = mode.as_str(), "recording started");
    state.webhooks.send_egress("egress_started", egress_info(&rec, &room.slug, &[]));
    Ok(rec)
}

/// A recording in LiveKit's `EgressInfo` form (times in nanoseconds).
pub fn egress_info(
    rec: &RecordingRecord,
    slug: &str,
    files: &[parlons_store::RecordingFile],
) -> parlons_room::proto::EgressInfo {
    use parlons_room::proto as lk;
    let status = match rec.status.as_str() {
        "recording" => lk::EgressStatus::EgressActive,
        "failed" => lk::EgressStatus::EgressFailed,
        _ => lk::EgressStatus::EgressComplete,
    };
    lk::EgressInfo {
        egress_id: rec.id.clone(),
        room_id: rec.room_id.clone(),
        room_name: slug.to_string(),
        status: status as i32,
        started_at: rec.started_at * 1_000_000,
        ended_at: rec.stopped_at.unwrap_or(0) * 1_000_000,
        updated_at: token::unix_now_ms() * 1_000_000,
        error: rec.error.clone().unwrap_or_default(),
        file_results: files
            .iter()
            .map(|f| lk::FileInfo {
                filename: f.path.clone(),
                started_at: (rec.started_at + f.start_ms) * 1_000_000,
                ended_at: f.end_ms.map(|e| (rec.started_at + e) * 1_000_000).unwrap_or(0),
                duration: f.end_ms.map(|e| (e - f.start_ms) * 1_000_000).unwrap_or(0),
                location: format!("/api/v1/recordings/{}/files/{}", rec.id, f.path),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

/// Stops the recording `id` of `room` (a no-op when it is not running any more).
pub async fn stop(state: &AppState, room: &RoomRecord, id: &str) -> Result<(), ApiError> {
    let rec = state.store.recording(id).await.map_err(store_error)?;
    if rec.status != "recording" {
        return Ok(());
    }
    if let Some(running) = state.rooms.get(&room.slug) {
        let _ = live::admin(&running, AdminOp::StopRecording).await;
    }
    // The task finishes the row; wait briefly so the answer shows the final state.
    for _ in 0..50 {
        match state.store.recording(id).await {
            Ok(r) if r.status != "recording" => return Ok(()),
            _ => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    Ok(())
}

/// Deletes a recording's files and rows.
pub async fn delete(state: &AppState, rec: &RecordingRecord) -> Result<(), ApiError> {
    let dir = dir_of(&state.config, rec);
    if let Err(e) = tokio::fs::remove_dir_all(&dir).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        return Err(ApiError::internal(format!("deleting {}: {e}", dir.display())));
    }
    state.store.delete_recording(&rec.id).await.map_err(store_error)?;
    state.store.delete_jobs_of(&rec.id).await.map_err(store_error)
}

/// At start-up: recordings still marked `recording` were cut by a crash. Their files hold what
/// was flushed (at most 1 s is lost); they are marked `recovered`.
pub async fn recover(state: &AppState) {
    let Ok(cut) = state.store.recordings_with_status("recording").await else { return };
    for rec in cut {
        let dir = dir_of(&state.config, &rec);
        let stopped = task::recover_files(&state.store, &rec, &dir).await.unwrap_or(rec.started_at);
        if let Err(e) = state.store.finish_recording(&rec.id, "recovered", None, stopped).await {
            warn!(recording = %rec.id, error = %e, "could not mark a recording as recovered");
            continue;
        }
        info!(recording = %rec.id, "recording recovered after a crash");
        task::notify_owners(&state.store, &rec, "recovered").await;
        if let (Ok(done), Ok(files), Ok(room)) = (
            state.store.recording(&rec.id).await,
            state.store.recording_files(&rec.id).await,
            state.store.room_by_id(&rec.room_id).await,
        ) {
            state.webhooks.send_egress("egress_ended", egress_info(&done, &room.slug, &files));
        }
        if rec.mode == "video"
            && let Err(e) = crate::jobs::queue_composite(&state.store, &rec.id).await
        {
            warn!(recording = %rec.id, error = %e, "could not queue the composite video");
        }
        if state.config.recording.expire_days > 0 {
            let _ = state
                .store
                .set_recording_expiry(&rec.id, stopped + state.config.recording.expire_days as i64 * 86_400_000)
                .await;
        }
    }
}

/// Deletes recordings whose expiry passed.
pub async fn expire(state: &AppState) {
    let Ok(old) = state.store.expired_recordings(token::unix_now_ms()).await else { return };
    for rec in old {
        match delete(state, &rec).await {
            Ok(()) => info!(recording = %rec.id, "expired recording deleted"),
            Err(e) => warn!(recording = %rec.id, error = e.message, "deleting an expired recording failed"),
        }
    }
}
