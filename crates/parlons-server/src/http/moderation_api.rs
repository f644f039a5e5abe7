//! Moderation by hosts during a meeting: mute one or everyone, remove (and keep out), lower a
//! hand, promote or demote, end the meeting for everyone.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use parlons_room::proto as lk;
use parlons_store::RoomRecord;
use parlons_types::Identity;
use serde::Deserialize;
use utoipa::ToSchema;

use super::AppState;
use super::api::{ErrorOut, json, store_error};
use super::rooms_api::{RoleIn, hosted_room, may_manage};
use crate::auth::Caller;
use crate::auth::caller::identity_user;
use crate::error::ApiError;
use crate::rooms::{AdminOp, RoomHandle, live};
use crate::token;

/// Which source to mute.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MuteIn {
    /// `microphone`, `camera` or `screen_share` (default: all for one participant, the
    /// microphone for everyone).
    #[serde(default)]
    source: Option<String>,
}

fn source(s: Option<&str>) -> Result<Option<lk::TrackSource>, ApiError> {
    match s {
        None => Ok(None),
        Some("microphone") => Ok(Some(lk::TrackSource::Microphone)),
        Some("camera") => Ok(Some(lk::TrackSource::Camera)),
        Some("screen_share") => Ok(Some(lk::TrackSource::ScreenShare)),
        Some(_) => Err(ApiError::bad_request("invalid_source", "source is microphone, camera or screen_share")),
    }
}

/// The stored room and its running meeting, for a host.
async fn hosted(state: &AppState, caller: &Caller, slug: &str) -> Result<(RoomRecord, RoomHandle), ApiError> {
    let r = hosted_room(state, caller, slug).await?;
    let running = state
        .rooms
        .get(slug)
        .ok_or_else(|| ApiError::not_found("meeting_not_running", "the meeting is not running"))?;
    Ok((r, running))
}

/// Mute a participant.
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/participants/{identity}/mute", tag = "moderation",
    params(("slug" = String, Path), ("identity" = String, Path)), request_body = MuteIn,
    responses((status = 204), (status = 400, body = ErrorOut), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn mute(
    State(state): State<Arc<AppState>>,
    Path((slug, identity)): Path<(String, String)>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (_, running) = hosted(&state, &caller, &slug).await?;
    let input: MuteIn = json(&headers, &body)?;
    live::mute(&running, &Identity::new(identity), source(input.source.as_deref())?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mute everyone but the caller (microphones by default).
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/mute-all", tag = "moderation",
    params(("slug" = String, Path)), request_body = MuteIn,
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn mute_all(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (_, running) = hosted(&state, &caller, &slug).await?;
    let input: MuteIn = json(&headers, &body)?;
    let src = source(input.source.as_deref())?.or(Some(lk::TrackSource::Microphone));
    let me = caller_identity(&caller);
    for p in live::participants(Some(&running)).await {
        if Some(p.identity.as_str()) == me.as_deref() {
            continue;
        }
        // Someone leaving meanwhile is not an error.
        let _ = live::mute(&running, &Identity::new(p.identity.as_str()), src).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

fn caller_identity(caller: &Caller) -> Option<String> {
    if let Some(c) = &caller.bearer {
        return Some(c.sub.clone());
    }
    caller.signed_in.as_ref().map(|s| crate::auth::caller::user_identity(&s.user.id).to_string())
}

/// Remove a participant and keep them out until the meeting ends.
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/participants/{identity}/remove", tag = "moderation",
    params(("slug" = String, Path), ("identity" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn remove(
    State(state): State<Arc<AppState>>,
    Path((slug, identity)): Path<(String, String)>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let (r, running) = hosted(&state, &caller, &slug).await?;
    let identity = Identity::new(identity);
    if caller_identity(&caller).as_deref() == Some(identity.as_str()) {
        return Err(ApiError::bad_request("cannot_remove_self", "leave the meeting instead"));
    }
    // Kept out first, so the person cannot slip back in between the two steps.
    state.store.ban(&r.id, &identity, token::unix_now_ms()).await.map_err(store_error)?;
    live::admin(&running, AdminOp::RemoveParticipant(identity)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lower a participant's raised hand.
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/participants/{identity}/lower-hand", tag = "moderation",
    params(("slug" = String, Path), ("identity" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn lower_hand(
    State(state): State<Arc<AppState>>,
    Path((slug, identity)): Path<(String, String)>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let (_, running) = hosted(&state, &caller, &slug).await?;
    live::lower_hand(&running, &Identity::new(identity)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Promote or demote a signed-in participant (`admin` or `member`).
#[utoipa::path(put, path = "/api/v1/rooms/{slug}/participants/{identity}/role", tag = "moderation",
    params(("slug" = String, Path), ("identity" = String, Path)), request_body = RoleIn,
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut), (status = 409, body = ErrorOut)))]
pub async fn set_role(
    State(state): State<Arc<AppState>>,
    Path((slug, identity)): Path<(String, String)>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (r, running) = hosted(&state, &caller, &slug).await?;
    let input: RoleIn = json(&headers, &body)?;
    let Some(user) = identity_user(&identity) else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "guest_has_no_role",
            "guests cannot hold a role; they must sign in",
        ));
    };
    let current = state.store.role(&r.id, &user).await.map_err(store_error)?;
    may_manage(&state, &caller, &r, current, Some(input.role)).await?;
    state.store.set_role(&r.id, &user, input.role).await.map_err(store_error)?;
    live::set_role(&running, &r, &Identity::new(identity), input.role.as_str()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends a meeting: tokens issued before stop working, people waiting are told, everyone in is
/// disconnected (`ROOM_DELETED`).
pub async fn end_meeting(state: &AppState, r: &RoomRecord) -> Result<(), ApiError> {
    // Tokens carry `iat` in seconds: the end is recorded at the next whole second so a token
    // issued in the same second as the end is refused too.
    let now = (token::unix_now() as i64 + 1) * 1000;
    state.store.end_meeting(&r.id, now).await.map_err(store_error)?;
    state.lobby_lock().end(&r.slug, token::unix_now_ms());
    if let Some(running) = state.rooms.get(&r.slug) {
        let _ = live::admin(&running, AdminOp::Delete).await;
    }
    Ok(())
}

/// End the meeting for everyone.
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/end", tag = "moderation", params(("slug" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn end(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let r = hosted_room(&state, &caller, &slug).await?;
    end_meeting(&state, &r).await?;
    Ok(StatusCode::NO_CONTENT)
}
