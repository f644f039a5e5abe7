//! Product API (`/api/v1`): create rooms and mint LiveKit tokens for people who may enter.
//!
//! Accounts, access levels and the lobby come with the accounts issue; until then a room can be
//! created by anyone when `room.allow_anonymous_create` is on (`--dev`), and anyone holding the
//! link may join.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};

use super::AppState;
use crate::error::ApiError;
use crate::ids;
use crate::token::{self, Claims, VideoGrant};

/// Lifetime of a participant token. Reconnections reuse it, so it outlives a long meeting.
const TOKEN_TTL_SECS: u64 = 12 * 3600;
/// Longest display name.
const MAX_NAME_CHARS: usize = 64;

#[derive(Serialize)]
pub struct ConfigOut {
    version: &'static str,
    dev: bool,
    anonymous_rooms: bool,
}

/// `GET /api/v1/config`
pub async fn config(State(state): State<Arc<AppState>>) -> Json<ConfigOut> {
    Json(ConfigOut {
        version: env!("CARGO_PKG_VERSION"),
        dev: state.config.dev,
        anonymous_rooms: state.config.room.allow_anonymous_create,
    })
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CreateRoomIn {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Serialize)]
pub struct RoomOut {
    slug: String,
    url: String,
    name: String,
}

fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if !state.config.http.public_url.is_empty() {
        return state.config.http.public_url.trim_end_matches('/').to_string();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| is_host(h));
    let proto =
        headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).filter(|p| *p == "https").unwrap_or("http");
    match host {
        Some(h) => format!("{proto}://{h}"),
        None => format!("http://{}", state.config.http.addr),
    }
}

/// A Host header we are willing to echo in links: host[:port], no path or spaces.
fn is_host(h: &str) -> bool {
    !h.is_empty() && h.len() <= 255 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

/// Parses a JSON body, answering malformed ones with our error shape (not axum's plain text).
fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request("invalid_body", format!("invalid JSON body: {e}")))
}

fn clean_name(raw: &str) -> Result<String, ApiError> {
    let name: String = raw.trim().chars().filter(|c| !c.is_control()).collect();
    if name.is_empty() {
        return Err(ApiError::bad_request("invalid_name", "a display name is required"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::bad_request(
            "invalid_name",
            format!("display names are at most {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name)
}

/// `POST /api/v1/rooms`
pub async fn create_room(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<RoomOut>), ApiError> {
    if !state.config.room.allow_anonymous_create {
        return Err(ApiError::unauthenticated("sign in to create a meeting"));
    }
    let input: CreateRoomIn =
        if body.iter().all(u8::is_ascii_whitespace) { CreateRoomIn::default() } else { json(&body)? };
    let slug = ids::room_slug();
    let name = match input.name {
        Some(n) if !n.trim().is_empty() => clean_name(&n)?,
        _ => slug.clone(),
    };
    state.rooms.get_or_create(&slug);
    let url = format!("{}/r/{slug}", base_url(&state, &headers));
    Ok((StatusCode::CREATED, Json(RoomOut { slug, url, name })))
}

#[derive(Serialize)]
pub struct RoomInfoOut {
    slug: String,
    name: String,
    active: bool,
}

/// Whether the meeting runs; 404 for a malformed slug, or for one that does not run when nobody
/// may open meetings (with `allow_anonymous_create`, a link reopens a meeting that is not running:
/// rooms are not persisted yet).
fn meeting(state: &AppState, slug: &str) -> Result<bool, ApiError> {
    let active = ids::is_valid_room_name(slug) && state.rooms.get(slug).is_some();
    if !ids::is_valid_room_name(slug) || (!active && !state.config.room.allow_anonymous_create) {
        return Err(ApiError::not_found("room_not_found", "no such meeting"));
    }
    Ok(active)
}

/// `GET /api/v1/rooms/{slug}`
pub async fn get_room(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
) -> Result<Json<RoomInfoOut>, ApiError> {
    let active = meeting(&state, &slug)?;
    Ok(Json(RoomInfoOut { name: slug.clone(), slug, active }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinIn {
    name: String,
}

#[derive(Serialize)]
pub struct JoinOut {
    url: String,
    token: String,
    identity: String,
    room: RoomInfoOut,
}

/// `POST /api/v1/rooms/{slug}/join`: a token for this room, as a guest.
pub async fn join_room(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<JoinOut>, ApiError> {
    let input: JoinIn = json(&body)?;
    meeting(&state, &slug)?;
    let name = clean_name(&input.name)?;
    let Some((key, secret)) = state.config.keys.iter().next() else {
        return Err(ApiError::internal("no API key configured"));
    };
    let identity = format!("guest-{}", ids::random_suffix(10));
    let claims = Claims {
        iss: key.clone(),
        sub: identity.clone(),
        name,
        exp: token::unix_now() + TOKEN_TTL_SECS,
        nbf: Some(token::unix_now().saturating_sub(60)),
        video: Some(VideoGrant {
            room_join: true,
            room: slug.clone(),
            can_publish: Some(true),
            can_subscribe: Some(true),
            can_publish_data: Some(true),
            can_update_own_metadata: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    };
    let token = token::sign(&claims, secret).map_err(ApiError::internal)?;
    let base = base_url(&state, &headers);
    let url = base.replacen("http", "ws", 1);
    Ok(Json(JoinOut { url, token, identity, room: RoomInfoOut { name: slug.clone(), slug, active: true } }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(clean_name("  Alice \n").unwrap(), "Alice");
        assert!(clean_name("   ").is_err());
        assert!(clean_name(&"é".repeat(65)).is_err());
        assert_eq!(clean_name(&"é".repeat(64)).unwrap().chars().count(), 64);
    }

    #[test]
    fn hostile_host_headers_are_not_echoed() {
        assert!(is_host("127.0.0.1:7880"));
        assert!(is_host("[::1]:7880"));
        assert!(!is_host("evil.com/path"));
        assert!(!is_host("a b"));
    }
}
