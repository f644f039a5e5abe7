//! Recordings: start and stop (hosts, or a bearer JWT with `roomRecord`/`roomAdmin` for the
//! room), read, list, download (rights checked), delete.

use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parlons_store::{Job, RecordingFile, RecordingRecord, RoomRecord};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;
use utoipa::ToSchema;

use super::AppState;
use super::api::{ErrorOut, json, rfc3339, store_error};
use super::rooms_api::find_room;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::recording::{self, Mode};

/// What to record.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct StartIn {
    /// `video` (default: cameras, screens and microphones) or `audio` (microphones only).
    #[serde(default)]
    mode: Option<String>,
    /// Transcribe after the meeting.
    #[serde(default)]
    transcribe: Option<bool>,
}

/// One file of a recording.
#[derive(Serialize, ToSchema)]
pub struct FileOut {
    /// `video`, `audio` or `screen`.
    kind: String,
    /// Participant identity.
    identity: String,
    /// Participant name.
    name: String,
    /// Codec(s).
    codec: String,
    /// Start, ms after the recording's start.
    start_ms: i64,
    /// End, ms after the recording's start.
    #[schema(required = true)]
    end_ms: Option<i64>,
    /// `recording`, `finished`, `recovered` or `failed`.
    status: String,
    /// Download URL (rights are checked).
    url: String,
}

/// A recording.
#[derive(Serialize, ToSchema)]
pub struct RecordingOut {
    /// Id.
    id: String,
    /// Room slug.
    room: String,
    /// `video` or `audio`.
    mode: String,
    /// Transcription requested.
    transcribe: bool,
    /// `recording`, `finished`, `recovered` or `failed`.
    status: String,
    /// Why it failed.
    #[schema(required = true)]
    error: Option<String>,
    /// Started (RFC 3339).
    started_at: String,
    /// Stopped (RFC 3339).
    #[schema(required = true)]
    stopped_at: Option<String>,
    /// Deleted after (RFC 3339).
    #[schema(required = true)]
    expires_at: Option<String>,
    /// Per-participant files.
    files: Vec<FileOut>,
    /// The composite video (grid with names, H.264 + AAC), once rendered.
    #[schema(required = true)]
    composite_url: Option<String>,
    /// The composite job: `queued`, `running`, `done` or `failed`; null when none was queued.
    #[schema(required = true)]
    composite_status: Option<String>,
    /// Percent of the composite rendered.
    composite_progress: i64,
    /// Why the composite failed.
    #[schema(required = true)]
    composite_error: Option<String>,
}

/// Recordings of a room.
#[derive(Serialize, ToSchema)]
pub struct RecordingsOut {
    /// Newest first.
    recordings: Vec<RecordingOut>,
}

fn out(rec: RecordingRecord, slug: &str, files: Vec<RecordingFile>, job: Option<Job>) -> RecordingOut {
    let files = files
        .into_iter()
        .map(|f| FileOut {
            url: format!("/api/v1/recordings/{}/files/{}", rec.id, f.path),
            kind: f.kind,
            identity: f.identity,
            name: f.name,
            codec: f.codec,
            start_ms: f.start_ms,
            end_ms: f.end_ms,
            status: f.status,
        })
        .collect();
    RecordingOut {
        room: slug.to_string(),
        mode: rec.mode,
        transcribe: rec.transcribe,
        status: rec.status,
        error: rec.error,
        started_at: rfc3339(rec.started_at),
        stopped_at: rec.stopped_at.map(rfc3339),
        expires_at: rec.expires_at.map(rfc3339),
        files,
        composite_url: job
            .as_ref()
            .filter(|j| j.status == "done")
            .map(|_| format!("/api/v1/recordings/{}/files/{}", rec.id, crate::jobs::composite::FILE_NAME)),
        composite_status: job.as_ref().map(|j| j.status.clone()),
        composite_progress: job.as_ref().map(|j| j.progress).unwrap_or(0),
        composite_error: job.and_then(|j| j.error),
        id: rec.id,
    }
}

/// A recording with its files and composite job.
async fn full(state: &AppState, rec: RecordingRecord, slug: &str) -> Result<RecordingOut, ApiError> {
    let files = state.store.recording_files(&rec.id).await.map_err(store_error)?;
    let job = state.store.job_for(crate::jobs::COMPOSITE, &rec.id).await.map_err(store_error)?;
    Ok(out(rec, slug, files, job))
}

/// Whether the caller may manage the recordings of `r`: a host, or a bearer JWT with
/// `roomRecord` (or `roomAdmin`) for the room.
async fn require_recorder(state: &AppState, caller: &Caller, r: &RoomRecord) -> Result<(), ApiError> {
    if let Some(c) = &caller.bearer
        && c.parlons_rooms.is_empty()
        && c.video.as_ref().is_some_and(|g| g.room_record && g.room == r.slug)
    {
        return Ok(());
    }
    caller.require_host(state, &r.id, &r.slug).await
}

/// A recording and its room, for a caller with rights on it (404 otherwise, so ids do not leak),
/// and whether the caller manages it (hosts, the recorder's token, who started it) or only reads
/// it (a user it is shared with).
async fn visible(state: &AppState, caller: &Caller, id: &str) -> Result<(RecordingRecord, RoomRecord, bool), ApiError> {
    let missing = || ApiError::not_found("recording_not_found", "no such recording");
    if id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(missing());
    }
    let rec = state.store.recording(id).await.map_err(|_| missing())?;
    let room = state.store.room_by_id(&rec.room_id).await.map_err(|_| missing())?;
    let me = caller.signed_in.as_ref().map(|s| &s.user.id);
    let started_it = me.is_some_and(|u| rec.started_by.as_ref() == Some(u));
    if started_it || require_recorder(state, caller, &room).await.is_ok() {
        return Ok((rec, room, true));
    }
    if let Some(u) = me
        && state.store.is_shared_with(&rec.id, u).await.map_err(store_error)?
    {
        return Ok((rec, room, false));
    }
    if caller.signed_in.is_none() && caller.bearer.is_none() {
        return Err(ApiError::unauthenticated("sign in first"));
    }
    Err(missing())
}

/// [`visible`], for callers who manage the recording (403 for those it is only shared with).
async fn managed(state: &AppState, caller: &Caller, id: &str) -> Result<(RecordingRecord, RoomRecord), ApiError> {
    match visible(state, caller, id).await? {
        (rec, room, true) => Ok((rec, room)),
        _ => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "this recording is only shared with you")),
    }
}

/// Start recording a running meeting.
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/recordings", tag = "recordings", params(("slug" = String, Path)), request_body = StartIn,
    responses((status = 201, body = RecordingOut), (status = 400, body = ErrorOut), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut), (status = 409, body = ErrorOut)))]
pub async fn start(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<RecordingOut>), ApiError> {
    let r = find_room(&state, &slug).await?;
    require_recorder(&state, &caller, &r).await?;
    let input: StartIn = json(&headers, &body)?;
    let mode = match input.mode.as_deref() {
        None | Some("video") => Mode::Video,
        Some("audio") => Mode::Audio,
        Some(_) => return Err(ApiError::bad_request("invalid_mode", "mode is video or audio")),
    };
    let by = caller.signed_in.as_ref().map(|s| s.user.id.clone());
    let rec = recording::start(&state, &r, mode, input.transcribe.unwrap_or(false), by).await?;
    Ok((StatusCode::CREATED, Json(out(rec, &slug, Vec::new(), None))))
}

/// Stop a recording (stopping one that already stopped is not an error).
#[utoipa::path(post, path = "/api/v1/recordings/{id}/stop", tag = "recordings", params(("id" = String, Path)),
    responses((status = 200, body = RecordingOut), (status = 401, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn stop(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<RecordingOut>, ApiError> {
    let (_, room) = managed(&state, &caller, &id).await?;
    recording::stop(&state, &room, &id).await?;
    let rec = state.store.recording(&id).await.map_err(store_error)?;
    Ok(Json(full(&state, rec, &room.slug).await?))
}

/// One recording with its files.
#[utoipa::path(get, path = "/api/v1/recordings/{id}", tag = "recordings", params(("id" = String, Path)),
    responses((status = 200, body = RecordingOut), (status = 401, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<RecordingOut>, ApiError> {
    let (rec, room, _) = visible(&state, &caller, &id).await?;
    Ok(Json(full(&state, rec, &room.slug).await?))
}

/// Recordings of a room (hosts).
#[utoipa::path(get, path = "/api/v1/rooms/{slug}/recordings", tag = "recordings", params(("slug" = String, Path)),
    responses((status = 200, body = RecordingsOut), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
) -> Result<Json<RecordingsOut>, ApiError> {
    let r = find_room(&state, &slug).await?;
    require_recorder(&state, &caller, &r).await?;
    let mut recordings = Vec::new();
    for rec in state.store.recordings_of_room(&r.id).await.map_err(store_error)? {
        recordings.push(full(&state, rec, &slug).await?);
    }
    Ok(Json(RecordingsOut { recordings }))
}

/// Download one file of a recording.
#[utoipa::path(get, path = "/api/v1/recordings/{id}/files/{file}", tag = "recordings",
    params(("id" = String, Path), ("file" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = String), (status = 401, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn download(
    State(state): State<Arc<AppState>>,
    Path((id, file)): Path<(String, String)>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (rec, _, _) = visible(&state, &caller, &id).await?;
    let missing = || ApiError::not_found("file_not_found", "no such file in this recording");
    // Only names the recording lists are served: no path ever comes from the request.
    let files = state.store.recording_files(&id).await.map_err(store_error)?;
    let composite_done = file == crate::jobs::composite::FILE_NAME
        && state
            .store
            .job_for(crate::jobs::COMPOSITE, &id)
            .await
            .map_err(store_error)?
            .is_some_and(|j| j.status == "done");
    let path_name = if composite_done {
        file.clone()
    } else {
        files.into_iter().find(|f| f.path == file).ok_or_else(missing)?.path
    };
    let path = recording::dir_of(&state.config, &rec).join(&path_name);
    if !path.is_file() {
        return Err(missing());
    }
    // ServeFile answers Range requests (seeking in the browser's player) and HEAD.
    let mut req = axum::http::Request::builder().method(axum::http::Method::GET);
    for h in [header::RANGE, header::IF_RANGE, header::IF_MODIFIED_SINCE, header::IF_UNMODIFIED_SINCE] {
        if let Some(v) = headers.get(&h) {
            req = req.header(h, v);
        }
    }
    let req = req.body(Body::empty()).map_err(ApiError::internal)?;
    let mime = if path_name.ends_with(".webm") {
        "video/webm"
    } else if path_name.ends_with(".mp4") {
        "video/mp4"
    } else {
        "audio/ogg"
    };
    let served = tower_http::services::ServeFile::new_with_mime(&path, &mime.parse().map_err(ApiError::internal)?)
        .oneshot(req)
        .await
        .map_err(ApiError::internal)?;
    let mut resp = served.map(Body::new).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&format!("inline; filename=\"{path_name}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// Whom to share with.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareIn {
    /// Login name or e-mail address of a user.
    user: String,
}

/// Share a recording with another user (who may then list, play and download it).
#[utoipa::path(post, path = "/api/v1/recordings/{id}/shares", tag = "recordings", params(("id" = String, Path)), request_body = ShareIn,
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn share(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (rec, _) = managed(&state, &caller, &id).await?;
    let input: ShareIn = json(&headers, &body)?;
    let user = state
        .store
        .find_user(input.user.trim())
        .await
        .map_err(store_error)?
        .ok_or_else(|| ApiError::not_found("user_not_found", "no user with this login name or e-mail"))?;
    state.store.share_recording(&rec.id, &user.id, crate::token::unix_now_ms()).await.map_err(store_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop sharing a recording with a user.
#[utoipa::path(delete, path = "/api/v1/recordings/{id}/shares/{user_id}", tag = "recordings",
    params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn unshare(
    State(state): State<Arc<AppState>>,
    Path((id, user_id)): Path<(String, String)>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let (rec, _) = managed(&state, &caller, &id).await?;
    state.store.unshare_recording(&rec.id, &parlons_types::UserId::new(user_id)).await.map_err(store_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Recordings I started or that were shared with me (signed-in users).
#[utoipa::path(get, path = "/api/v1/recordings", tag = "recordings",
    responses((status = 200, body = RecordingsOut), (status = 401, body = ErrorOut)))]
pub async fn mine(State(state): State<Arc<AppState>>, caller: Caller) -> Result<Json<RecordingsOut>, ApiError> {
    let user = caller.user()?.clone();
    let mut recordings = Vec::new();
    for rec in state.store.recordings_of_user(&user.id).await.map_err(store_error)? {
        if let Ok(room) = state.store.room_by_id(&rec.room_id).await {
            recordings.push(full(&state, rec, &room.slug).await?);
        }
    }
    Ok(Json(RecordingsOut { recordings }))
}

/// Delete a recording and its files (hosts).
#[utoipa::path(delete, path = "/api/v1/recordings/{id}", tag = "recordings", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 404, body = ErrorOut), (status = 409, body = ErrorOut)))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let (rec, _) = managed(&state, &caller, &id).await?;
    if rec.status == "recording" {
        return Err(ApiError::new(StatusCode::CONFLICT, "recording_running", "stop the recording first"));
    }
    recording::delete(&state, &rec).await?;
    Ok(StatusCode::NO_CONTENT)
}
