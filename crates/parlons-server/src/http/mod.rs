//! The HTTP surface: web client, product API, LiveKit signalling, RoomService, health, metrics.

mod api;
mod assets;
mod auth_api;
mod join_api;
mod metrics;
mod moderation_api;
pub mod openapi;
mod recordings_api;
mod rooms_api;
mod rtc;
mod twirp;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::routing::{get, post, put};
use parlons_media_io::ShardHandle;
use parlons_store::Store;

use crate::access::lobby::Lobby;
use crate::auth::oidc::Oidc;
use crate::auth::ratelimit::RateLimits;
use crate::config::Config;
use crate::error::ApiError;
use crate::rooms::Rooms;
use crate::token::{self, Claims};

/// Largest request body accepted (JSON API, Twirp).
const MAX_BODY: usize = 1024 * 1024;

/// What handlers share.
pub struct AppState {
    /// Effective configuration.
    pub config: Arc<Config>,
    /// Running rooms.
    pub rooms: Rooms,
    /// The media shard (for metrics).
    pub shard: ShardHandle,
    /// Source of signalling session ids.
    pub next_session: AtomicU64,
    /// Accounts, sessions, rooms.
    pub store: Store,
    /// People knocking (owned here, behind one lock never held across `.await`).
    pub lobby: Mutex<Lobby>,
    /// Per-IP rate limits.
    pub limits: RateLimits,
    /// The OpenID Connect provider, when configured.
    pub oidc: Option<Oidc>,
    /// Product webhooks (recordings).
    pub webhooks: crate::webhook::Webhooks,
}

impl AppState {
    /// The lobby (a poisoned lock stays usable: the lobby's maps are valid after any panic).
    pub fn lobby_lock(&self) -> MutexGuard<'_, Lobby> {
        self.lobby.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub use api::store_error;
pub use join_api::lobby_changed;

/// Builds the router.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/rtc", get(rtc::connect))
        .route("/rtc/validate", get(rtc::validate))
        .route("/rtc/v1", get(rtc::v1_not_found))
        .route("/rtc/v1/validate", get(rtc::v1_not_found))
        .route("/twirp/livekit.RoomService/{method}", post(twirp::handle).get(twirp::bad_route))
        .route("/api/v1/config", get(api::config))
        .route("/api/v1/openapi.json", get(openapi::serve))
        .route("/api/v1/me", get(auth_api::me))
        .route("/api/v1/auth/login", post(auth_api::login))
        .route("/api/v1/auth/logout", post(auth_api::logout))
        .route("/api/v1/auth/token", post(auth_api::client_token))
        .route("/api/v1/notifications", get(auth_api::notifications))
        .route("/api/v1/notifications/{id}/read", post(auth_api::read_notification))
        .route("/auth/oidc/login", get(auth_api::oidc_login))
        .route("/auth/callback", get(auth_api::oidc_callback))
        .route("/api/v1/rooms", post(rooms_api::create_room).get(rooms_api::list_rooms))
        .route(
            "/api/v1/rooms/{slug}",
            get(rooms_api::get_room).patch(rooms_api::patch_room).delete(rooms_api::delete_room),
        )
        .route("/api/v1/rooms/{slug}/invite.ics", get(rooms_api::invite_ics))
        .route("/api/v1/rooms/{slug}/members", get(rooms_api::members))
        .route("/api/v1/rooms/{slug}/members/{user_id}", put(rooms_api::set_member).delete(rooms_api::remove_member))
        .route("/api/v1/rooms/{slug}/owner", post(rooms_api::transfer_owner))
        .route("/api/v1/rooms/{slug}/join", post(join_api::join))
        .route("/api/v1/rooms/{slug}/lobby", get(join_api::list))
        .route("/api/v1/rooms/{slug}/lobby/admit-all", post(join_api::admit_all))
        .route("/api/v1/rooms/{slug}/lobby/{lobby_id}", get(join_api::poll).delete(join_api::leave))
        .route("/api/v1/rooms/{slug}/lobby/{lobby_id}/admit", post(join_api::admit))
        .route("/api/v1/rooms/{slug}/lobby/{lobby_id}/deny", post(join_api::deny))
        .route("/api/v1/rooms/{slug}/participants/{identity}/mute", post(moderation_api::mute))
        .route("/api/v1/rooms/{slug}/participants/{identity}/remove", post(moderation_api::remove))
        .route("/api/v1/rooms/{slug}/participants/{identity}/lower-hand", post(moderation_api::lower_hand))
        .route("/api/v1/rooms/{slug}/participants/{identity}/role", put(moderation_api::set_role))
        .route("/api/v1/rooms/{slug}/mute-all", post(moderation_api::mute_all))
        .route("/api/v1/rooms/{slug}/end", post(moderation_api::end))
        .route("/api/v1/rooms/{slug}/recordings", post(recordings_api::start).get(recordings_api::list))
        .route("/api/v1/recordings", get(recordings_api::mine))
        .route("/api/v1/recordings/{id}", get(recordings_api::get).delete(recordings_api::delete))
        .route("/api/v1/recordings/{id}/shares", post(recordings_api::share))
        .route("/api/v1/recordings/{id}/shares/{user_id}", axum::routing::delete(recordings_api::unshare))
        .route("/api/v1/recordings/{id}/stop", post(recordings_api::stop))
        .route("/api/v1/recordings/{id}/files/{file}", get(recordings_api::download))
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics::render))
        .fallback(assets::serve)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// The access token of a request: `Authorization: Bearer …` (Rust/Python SDKs, Twirp) or the
/// `access_token` query parameter (JavaScript SDK).
pub(crate) fn bearer(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::to_string);
    from_header.or_else(|| query.map(str::to_string)).filter(|t| !t.is_empty())
}

/// Verifies a request's token.
pub(crate) fn authenticate(state: &AppState, token: Option<String>) -> Result<Claims, ApiError> {
    let t = token.ok_or_else(|| ApiError::unauthenticated("missing access token"))?;
    token::verify(&t, &state.config.keys).map_err(|e| ApiError::unauthenticated(e.to_string()))
}

/// `Access-Control-Allow-Origin: *`, which the SDK's validate fetch needs to fall back (§2.2).
pub(crate) fn cors_any() -> [(header::HeaderName, HeaderValue); 1] {
    [(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"))]
}
