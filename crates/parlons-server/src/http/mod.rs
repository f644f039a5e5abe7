//! The HTTP surface: web client, product API, LiveKit signalling, RoomService, health, metrics.

mod api;
mod assets;
mod metrics;
mod rtc;
mod twirp;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::routing::{get, post};
use parlons_media_io::ShardHandle;

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
}

/// Builds the router.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/rtc", get(rtc::connect))
        .route("/rtc/validate", get(rtc::validate))
        .route("/rtc/v1", get(rtc::v1_not_found))
        .route("/rtc/v1/validate", get(rtc::v1_not_found))
        .route("/twirp/livekit.RoomService/{method}", post(twirp::handle).get(twirp::bad_route))
        .route("/api/v1/config", get(api::config))
        .route("/api/v1/rooms", post(api::create_room))
        .route("/api/v1/rooms/{slug}", get(api::get_room))
        .route("/api/v1/rooms/{slug}/join", post(api::join_room))
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
