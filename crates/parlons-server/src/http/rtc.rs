//! `/rtc`: LiveKit v0 signalling over WebSocket, and the validate endpoints the SDK falls back on.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::ws::Message;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use futures_util::stream::{SplitSink, SplitStream};
use parlons_room::proto as lk;
use parlons_room::{JoinRequest, Permissions, RoomError};
use parlons_types::{Identity, ParticipantId};
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, info};

use super::{AppState, authenticate, bearer, cors_any};
use crate::error::ApiError;
use crate::ids;
use crate::rooms::{RoomInput, SessionOut};
use crate::session::{self, Ending};
use crate::token::{self, Claims};

/// Largest signalling message accepted (an SDP offer with many m-lines stays far below).
const MAX_WS_MESSAGE: usize = 1024 * 1024;

/// What the query string may carry.
type Params = HashMap<String, String>;

fn claims_for_join(state: &AppState, headers: &HeaderMap, q: &Params) -> Result<Claims, ApiError> {
    let claims = authenticate(state, bearer(headers, q.get("access_token").map(String::as_str)))?;
    let grant = claims.video.clone().unwrap_or_default();
    if claims.sub.is_empty() {
        return Err(ApiError::bad_request("missing_identity", "token has no identity (sub)"));
    }
    if grant.room.is_empty() {
        return Err(ApiError::bad_request("missing_room", "token grants no room"));
    }
    if !grant.room_join {
        return Err(ApiError::unauthenticated("token does not grant roomJoin"));
    }
    if !ids::is_valid_room_name(&grant.room) && grant.room.len() > 256 {
        return Err(ApiError::bad_request("invalid_room", "room name too long"));
    }
    Ok(claims)
}

/// `GET /rtc/validate`: answers what the WebSocket upgrade would have said.
pub async fn validate(State(state): State<Arc<AppState>>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    match claims_for_join(&state, &headers, &q) {
        Ok(_) => (StatusCode::OK, cors_any(), "success").into_response(),
        Err(e) => (e.status, cors_any(), e.message).into_response(),
    }
}

/// `GET /rtc/v1*`: Parlons speaks v0 only; a plain 404 (with CORS) makes the SDK fall back.
pub async fn v1_not_found() -> Response {
    (StatusCode::NOT_FOUND, cors_any(), "404 page not found").into_response()
}

fn permissions(claims: &Claims) -> Permissions {
    let g = claims.video.clone().unwrap_or_default();
    let sources = g
        .can_publish_sources
        .iter()
        .filter_map(|s| match s.as_str() {
            "camera" => Some(lk::TrackSource::Camera),
            "microphone" => Some(lk::TrackSource::Microphone),
            "screen_share" => Some(lk::TrackSource::ScreenShare),
            "screen_share_audio" => Some(lk::TrackSource::ScreenShareAudio),
            _ => None,
        })
        .collect();
    Permissions {
        can_subscribe: g.can_subscribe.unwrap_or(true),
        can_publish: g.can_publish.unwrap_or(true),
        can_publish_data: g.can_publish_data.unwrap_or(true),
        can_publish_sources: sources,
        can_update_metadata: g.can_update_own_metadata.unwrap_or(false),
        hidden: g.hidden,
        recorder: g.recorder,
    }
}

/// `GET /rtc`: verify the token before upgrading, then join or resume.
pub async fn connect(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<Params>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    // The token is checked before the upgrade so that clients get a readable status.
    let claims = match claims_for_join(&state, &headers, &q) {
        Ok(c) => c,
        Err(e) => return (e.status, e.message).into_response(),
    };
    let ws = match ws {
        Ok(ws) => ws.max_message_size(MAX_WS_MESSAGE),
        Err(rejection) => return rejection.into_response(),
    };
    // Rooms of the product API: a token issued before a host ended the meeting, or for someone
    // removed from it, does not open it (on resume either).
    let grant = claims.video.clone().unwrap_or_default();
    let mut cap = None;
    match state.store.room(&grant.room).await {
        Ok(r) => {
            let issued_ms = claims.iat.map(|s| s as i64 * 1000).unwrap_or(0);
            if r.ended_at.is_some_and(|ended| issued_ms < ended) {
                return (StatusCode::UNAUTHORIZED, "the meeting was ended; ask to join again").into_response();
            }
            match state.store.is_banned(&r.id, &Identity::new(claims.sub.as_str())).await {
                Ok(false) => {}
                Ok(true) => return (StatusCode::FORBIDDEN, "removed from this meeting").into_response(),
                Err(e) => return ApiError::internal(e).into_response(),
            }
            if state.rooms.get(&r.slug).is_none() {
                let _ = state.store.touch_room(&r.id, token::unix_now_ms()).await;
            }
            cap = Some(r.settings.max_participants);
        }
        Err(parlons_store::StoreError::NotFound) => {}
        Err(e) => return ApiError::internal(e).into_response(),
    }
    let resume = q.get("reconnect").is_some_and(|v| v == "1" || v == "true");
    let sid = q.get("sid").cloned().filter(|s| !s.is_empty());
    let auto_subscribe = q.get("auto_subscribe").is_none_or(|v| v != "0" && v != "false");
    let protocol = q.get("protocol").and_then(|p| p.parse().ok()).unwrap_or(0);
    ws.on_upgrade(move |socket| async move {
        match (resume, sid) {
            (true, Some(sid)) => resume_session(state, socket, claims, ParticipantId::new(sid)).await,
            _ => join_session(state, socket, claims, auto_subscribe, protocol, cap).await,
        }
    })
}

async fn join_session(
    state: Arc<AppState>,
    socket: WebSocket,
    claims: Claims,
    auto_subscribe: bool,
    protocol: i32,
    cap: Option<u32>,
) {
    let (mut sink, stream) = socket.split();
    let grant = claims.video.clone().unwrap_or_default();
    let room = state.rooms.get_or_create(&grant.room, cap);
    let (session, out_tx, out_rx) = new_session(&state);
    let mut req = JoinRequest::new(Identity::new(claims.sub.as_str()), &claims.name);
    req.metadata = claims.metadata.clone();
    req.attributes = claims.attributes.clone();
    req.permissions = permissions(&claims);
    req.auto_subscribe = auto_subscribe;
    req.protocol = protocol;
    req.joined_at_ms = token::unix_now_ms();
    req.name_locked = claims.parlons_name_locked;
    let (reply_tx, reply_rx) = oneshot::channel();
    let out_tx_refresh = out_tx.clone();
    let input = RoomInput::Join { req, session, outbox: out_tx, reply: reply_tx };
    if room.tx.send(input).await.is_err() {
        session::refuse(&mut sink, lk::DisconnectReason::RoomClosed, lk::leave_request::Action::Reconnect).await;
        return;
    }
    let participant = match reply_rx.await {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => {
            info!(room = %room.name, error = %e, "join refused");
            let reason = match e {
                RoomError::RoomFull(_) => lk::DisconnectReason::JoinFailure,
                _ => lk::DisconnectReason::StateMismatch,
            };
            session::refuse(&mut sink, reason, lk::leave_request::Action::Disconnect).await;
            return;
        }
        Err(_) => {
            session::refuse(&mut sink, lk::DisconnectReason::RoomClosed, lk::leave_request::Action::Reconnect).await;
            return;
        }
    };
    spawn_refresher(&state, &claims, out_tx_refresh);
    serve(sink, stream, participant, session, room.tx, out_rx).await;
}

async fn resume_session(state: Arc<AppState>, socket: WebSocket, claims: Claims, participant: ParticipantId) {
    let (mut sink, stream) = socket.split();
    let grant = claims.video.clone().unwrap_or_default();
    let Some(room) = state.rooms.get(&grant.room) else {
        debug!(%participant, "resume for a room that is gone; asking for a full rejoin");
        session::refuse(&mut sink, lk::DisconnectReason::StateMismatch, lk::leave_request::Action::Reconnect).await;
        return;
    };
    let (session, out_tx, out_rx) = new_session(&state);
    let (reply_tx, reply_rx) = oneshot::channel();
    let out_tx_refresh = out_tx.clone();
    let input = RoomInput::Resume {
        participant: participant.clone(),
        identity: Identity::new(claims.sub.as_str()),
        session,
        outbox: out_tx,
        reply: reply_tx,
    };
    let accepted = room.tx.send(input).await.is_ok() && matches!(reply_rx.await, Ok(Ok(())));
    if !accepted {
        // LiveKit's answer when it no longer knows the participant: the client rejoins in full.
        debug!(%participant, "resume refused; asking for a full rejoin");
        session::refuse(&mut sink, lk::DisconnectReason::StateMismatch, lk::leave_request::Action::Reconnect).await;
        return;
    }
    spawn_refresher(&state, &claims, out_tx_refresh);
    serve(sink, stream, participant, session, room.tx, out_rx).await;
}

/// Sends the client a fresh token (same grants, new expiry) every half token lifetime, as
/// LiveKit does, so reconnections after the original token expired still work.
fn spawn_refresher(state: &AppState, claims: &Claims, outbox: mpsc::Sender<SessionOut>) {
    let Some(secret) = state.config.keys.get(&claims.iss).cloned() else { return };
    let ttl = state.config.auth.token_ttl_secs;
    let mut claims = claims.clone();
    tokio::spawn(async move {
        let every = std::time::Duration::from_secs((ttl / 2).max(30));
        loop {
            tokio::select! {
                _ = outbox.closed() => return,
                _ = tokio::time::sleep(every) => {}
            }
            let now = token::unix_now();
            claims.exp = now + ttl;
            claims.iat = Some(now);
            claims.nbf = Some(now.saturating_sub(60));
            let Ok(t) = token::sign(&claims, &secret) else { return };
            if outbox.send(SessionOut::Signal(lk::signal_response::Message::RefreshToken(t))).await.is_err() {
                return;
            }
        }
    });
}

/// A fresh session id and the outbox its room writes to.
fn new_session(state: &AppState) -> (u64, mpsc::Sender<SessionOut>, mpsc::Receiver<SessionOut>) {
    let (tx, rx) = mpsc::channel(crate::rooms::SESSION_OUTBOX_CAPACITY);
    (state.next_session.fetch_add(1, Ordering::Relaxed), tx, rx)
}

/// Runs an admitted session; a dropped socket leaves the participant resumable.
async fn serve(
    sink: SplitSink<WebSocket, Message>,
    stream: SplitStream<WebSocket>,
    participant: ParticipantId,
    session: u64,
    room: mpsc::Sender<RoomInput>,
    outbox: mpsc::Receiver<SessionOut>,
) {
    let ending = session::run(sink, stream, participant.clone(), room.clone(), outbox).await;
    if ending == Ending::Dropped {
        let _ = room.send(RoomInput::SessionClosed { participant, session }).await;
    }
}
