//! Product API (`/api/v1`) shared pieces: instance configuration, request parsing, names,
//! links, times, and the room representation. Endpoints live in `auth_api`, `rooms_api`,
//! `join_api` and `moderation_api`; the contract is `docs/api.md` and `/api/v1/openapi.json`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use parlons_store::{RoomRecord, StoreError};
use parlons_types::access::{AccessLevel, PublishPolicy, RoomRole};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use crate::error::ApiError;

/// Longest display name.
pub const MAX_NAME_CHARS: usize = 64;

/// Instance facts the web client needs before anything else.
#[derive(Serialize, ToSchema)]
pub struct ConfigOut {
    /// Server version.
    version: &'static str,
    /// Development mode.
    dev: bool,
    /// Anyone may create rooms.
    anonymous_rooms: bool,
    /// How people sign in.
    auth: AuthMethods,
}

/// Sign-in methods.
#[derive(Serialize, ToSchema)]
pub struct AuthMethods {
    /// Local accounts (username + password).
    local: bool,
    /// The OpenID Connect provider, if configured.
    #[schema(required = true)]
    oidc: Option<OidcMethod>,
    /// Signed-in users appear under their account's name.
    force_idp_names: bool,
}

/// An OpenID Connect provider as shown on the sign-in page.
#[derive(Serialize, ToSchema)]
pub struct OidcMethod {
    /// Button label.
    name: String,
}

/// Instance configuration for the web client.
#[utoipa::path(get, path = "/api/v1/config", tag = "instance", responses((status = 200, body = ConfigOut)))]
pub async fn config(State(state): State<Arc<AppState>>) -> Json<ConfigOut> {
    let a = &state.config.auth;
    Json(ConfigOut {
        version: env!("CARGO_PKG_VERSION"),
        dev: state.config.dev,
        anonymous_rooms: state.config.room.allow_anonymous_create,
        auth: AuthMethods {
            local: a.local,
            oidc: state.oidc.as_ref().map(|_| OidcMethod { name: a.oidc.name.clone() }),
            force_idp_names: a.force_idp_names,
        },
    })
}

/// Schema of `AccessLevel` (the type lives in `parlons-types`, which stays free of API concerns).
#[derive(ToSchema)]
#[schema(as = AccessLevel)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum AccessLevelSchema {
    /// Anyone with the link enters.
    Public,
    /// Signed-in users enter; guests knock.
    Trusted,
    /// People with a role enter; everyone else knocks.
    Restricted,
}

/// Schema of `RoomRole`.
#[derive(ToSchema)]
#[schema(as = RoomRole)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum RoomRoleSchema {
    /// The one owner.
    Owner,
    /// A host.
    Admin,
    /// May enter restricted rooms.
    Member,
}

/// Schema of `PublishWho`.
#[derive(ToSchema)]
#[schema(as = PublishWho)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum PublishWhoSchema {
    /// Every participant.
    Everyone,
    /// Owner and admins only.
    Hosts,
}

/// The error every endpoint documents.
#[derive(Serialize, ToSchema)]
pub struct ErrorOut {
    /// Stable machine-readable code.
    pub code: String,
    /// Human message.
    pub message: String,
}

/// Public base URL: the configured one, else derived from the request's `Host`.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
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

/// Whether cookies get the `Secure` flag (the public URL is https).
pub fn secure_cookies(state: &AppState, headers: &HeaderMap) -> bool {
    base_url(state, headers).starts_with("https://")
}

/// A Host header we are willing to echo in links: host[:port], no path or spaces.
fn is_host(h: &str) -> bool {
    !h.is_empty() && h.len() <= 255 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

/// Parses a JSON body, answering malformed ones with our error shape (not axum's plain text).
/// An empty body reads as `{}`.
pub fn json<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, ApiError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"));
    if body != b"{}" && !is_json {
        return Err(ApiError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_content_type",
            "request bodies are JSON (Content-Type: application/json)",
        ));
    }
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request("invalid_body", format!("invalid JSON body: {e}")))
}

/// A display name: trimmed, no control characters, 1–64 characters. Kept verbatim otherwise:
/// clients escape it when they show it.
pub fn clean_name(raw: &str) -> Result<String, ApiError> {
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

/// Unix milliseconds as RFC 3339.
pub fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// RFC 3339 as Unix milliseconds.
pub fn parse_rfc3339(s: &str) -> Result<i64, ApiError> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        .map_err(|_| ApiError::bad_request("invalid_time", "times are RFC 3339, e.g. 2026-12-01T09:30:00Z"))
}

/// Store errors as API errors.
pub fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("not_found", "no such item"),
        StoreError::Conflict(what) => {
            ApiError::new(axum::http::StatusCode::CONFLICT, "conflict", format!("{what} already exists"))
        }
        StoreError::Rule(r) => ApiError::new(axum::http::StatusCode::CONFLICT, "owner_required", r.to_string()),
        other => ApiError::internal(other),
    }
}

/// A room as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct RoomOut {
    /// Readable id in links (`abc-defg-hij`).
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Link to the meeting.
    pub url: String,
    /// Who enters directly.
    #[schema(value_type = AccessLevelSchema)]
    pub access: AccessLevel,
    /// Participant cap (0 = none).
    pub max_participants: u32,
    /// Everyone but hosts knocks.
    pub locked: bool,
    /// Who may publish what.
    pub publish: PublishOut,
    /// The caller's role, if any.
    #[schema(required = true, value_type = Option<RoomRoleSchema>)]
    pub my_role: Option<RoomRole>,
    /// Planned start (RFC 3339).
    #[schema(required = true)]
    pub scheduled_at: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last meeting (RFC 3339).
    #[schema(required = true)]
    pub last_used_at: Option<String>,
    /// A meeting runs now.
    pub active: bool,
    /// People in the meeting now.
    pub participants: u32,
    /// Id of the recording running now, if any (people joining are told before they enter).
    #[schema(required = true)]
    pub recording: Option<String>,
}

/// Publish policy: `everyone` or `hosts` per source.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct PublishOut {
    /// Camera.
    #[schema(value_type = PublishWhoSchema)]
    pub camera: parlons_types::access::PublishWho,
    /// Microphone.
    #[schema(value_type = PublishWhoSchema)]
    pub microphone: parlons_types::access::PublishWho,
    /// Screen share.
    #[schema(value_type = PublishWhoSchema)]
    pub screen_share: parlons_types::access::PublishWho,
}

impl From<PublishPolicy> for PublishOut {
    fn from(p: PublishPolicy) -> Self {
        PublishOut { camera: p.camera, microphone: p.microphone, screen_share: p.screen_share }
    }
}

impl From<PublishOut> for PublishPolicy {
    fn from(p: PublishOut) -> Self {
        PublishPolicy { camera: p.camera, microphone: p.microphone, screen_share: p.screen_share }
    }
}

/// Builds the API view of a room.
pub async fn room_out(state: &AppState, headers: &HeaderMap, r: RoomRecord, my_role: Option<RoomRole>) -> RoomOut {
    let running = state.rooms.get(&r.slug);
    let participants = crate::rooms::live::participants(running.as_ref()).await.len() as u32;
    let recording = state
        .store
        .recordings_with_status_in_room(&r.id, "recording")
        .await
        .ok()
        .and_then(|v| v.into_iter().next())
        .map(|rec| rec.id);
    RoomOut {
        url: format!("{}/r/{}", base_url(state, headers), r.slug),
        slug: r.slug,
        name: r.name,
        access: r.settings.access,
        max_participants: r.settings.max_participants,
        locked: r.settings.locked,
        publish: r.settings.publish.into(),
        my_role,
        scheduled_at: r.settings.scheduled_at.map(rfc3339),
        created_at: rfc3339(r.created_at),
        last_used_at: r.last_used_at.map(rfc3339),
        active: running.is_some(),
        participants,
        recording,
    }
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
        assert_eq!(clean_name("<script>x</script>").unwrap(), "<script>x</script>", "kept, escaped by clients");
    }

    #[test]
    fn hostile_host_headers_are_not_echoed() {
        assert!(is_host("127.0.0.1:7880"));
        assert!(is_host("[::1]:7880"));
        assert!(!is_host("evil.com/path"));
        assert!(!is_host("a b"));
    }

    #[test]
    fn times_round_trip() {
        let ms = 1_790_000_000_000;
        assert_eq!(parse_rfc3339(&rfc3339(ms)).unwrap(), ms);
        assert!(parse_rfc3339("tomorrow").is_err());
    }
}
