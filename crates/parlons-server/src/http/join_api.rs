//! Joining a meeting: enter (a LiveKit token), wait in the lobby, or be refused; the lobby's
//! endpoints for knockers and hosts.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parlons_store::RoomRecord;
use parlons_types::Identity;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::api::{ErrorOut, RoomOut, base_url, clean_name, json, room_out, secure_cookies, store_error};
use super::rooms_api::{find_room, hosted_room};
use crate::access::entry::{Entry, Standing, entry};
use crate::access::grants::participant_claims;
use crate::access::lobby::{KnockError, KnockState, POLL_MS, Waiting};
use crate::auth::caller::user_identity;
use crate::auth::ratelimit::Bucket;
use crate::auth::{Caller, cookies};
use crate::error::ApiError;
use crate::ids;
use crate::rooms::live;
use crate::token;

/// Topic of the data packets telling hosts the lobby changed.
pub const LOBBY_TOPIC: &str = "parlons.lobby";
/// Lifetime of the guest browser cookie.
const GUEST_COOKIE_SECS: i64 = 365 * 24 * 3600;

/// Who asks to join.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct JoinIn {
    /// Display name (ignored for signed-in users when names come from the IdP).
    #[serde(default)]
    name: String,
}

/// The answer to a join or a lobby poll.
#[derive(Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
// Built once per request and serialised at once: boxing the room would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum JoinOut {
    /// Come in: connect to `url` with `token`.
    Enter {
        /// LiveKit URL (ws:// or wss://).
        url: String,
        /// LiveKit access token (short-lived; refreshed over signalling).
        token: String,
        /// Your participant identity.
        identity: String,
        /// Your standing: owner, admin, member, user or guest.
        role: String,
        /// The room.
        room: RoomOut,
    },
    /// Wait: poll `GET /api/v1/rooms/{slug}/lobby/{lobby_id}` every `poll_after_ms`.
    Wait {
        /// Lobby entry id (secret).
        lobby_id: String,
        /// Poll interval.
        poll_after_ms: i64,
    },
    /// Not allowed in.
    Refused {
        /// `denied`, `removed`, `room_full` or `meeting_ended`.
        code: String,
        /// Human message.
        message: String,
        /// The host's reason, for `denied`.
        #[schema(required = true)]
        reason: Option<String>,
    },
}

fn refused(code: &str, message: &str, reason: Option<String>) -> (StatusCode, JoinOut) {
    (StatusCode::FORBIDDEN, JoinOut::Refused { code: code.into(), message: message.into(), reason })
}

/// Identity, name and standing of the caller for this room; `set_cookie` when a guest browser
/// gets its id now.
struct Person {
    identity: Identity,
    name: String,
    standing: Standing,
    set_cookie: Option<HeaderValue>,
}

async fn person(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    r: &RoomRecord,
    typed: &str,
) -> Result<Person, ApiError> {
    if let Some(s) = &caller.signed_in {
        let standing = match caller.role(state, &r.id).await? {
            Some(role) => Standing::Role(role),
            None => Standing::SignedIn,
        };
        let name = if state.config.auth.force_idp_names || typed.trim().is_empty() {
            s.user.name.clone()
        } else {
            clean_name(typed)?
        };
        return Ok(Person { identity: user_identity(&s.user.id), name, standing, set_cookie: None });
    }
    let name = clean_name(typed)?;
    let (gid, set_cookie) = match &caller.guest_id {
        Some(g) => (g.clone(), None),
        None => {
            let g = ids::random_suffix(20);
            let c = cookies::set(cookies::GUEST, g.clone(), GUEST_COOKIE_SECS, secure_cookies(state, headers));
            (g, Some(c))
        }
    };
    Ok(Person { identity: Identity::new(format!("g-{gid}")), name, standing: Standing::Guest, set_cookie })
}

/// Refusals that hold whatever the access level: kept out, full.
async fn refusal(
    state: &AppState,
    r: &RoomRecord,
    identity: &Identity,
) -> Result<Option<(StatusCode, JoinOut)>, ApiError> {
    if state.store.is_banned(&r.id, identity).await.map_err(store_error)? {
        return Ok(Some(refused("removed", "you were removed from this meeting", None)));
    }
    let cap = r.settings.max_participants;
    if cap > 0 {
        let running = state.rooms.get(&r.slug);
        let inside = live::participants(running.as_ref()).await;
        let others = inside.iter().filter(|p| p.identity != identity.as_str()).count();
        if others >= cap as usize {
            return Ok(Some(refused("room_full", "this meeting is full", None)));
        }
    }
    Ok(None)
}

/// The `enter` answer: a token for this person and this room only.
async fn enter(
    state: &AppState,
    headers: &HeaderMap,
    r: RoomRecord,
    identity: &Identity,
    name: &str,
    standing: Standing,
) -> Result<(StatusCode, JoinOut), ApiError> {
    let Some((key, secret)) = state.config.keys.iter().next() else {
        return Err(ApiError::internal("no API key configured"));
    };
    let name_locked = state.config.auth.force_idp_names && standing != Standing::Guest;
    let claims = participant_claims(key, &r, identity, name, standing, state.config.auth.token_ttl_secs, name_locked);
    let token = token::sign(&claims, secret).map_err(ApiError::internal)?;
    let url = base_url(state, headers).replacen("http", "ws", 1);
    let role = standing.attribute().to_string();
    let my_role = match standing {
        Standing::Role(role) => Some(role),
        _ => None,
    };
    let room = room_out(state, headers, r, my_role).await;
    Ok((StatusCode::OK, JoinOut::Enter { url, token, identity: identity.to_string(), role, room }))
}

fn answer((status, out): (StatusCode, JoinOut), set_cookie: Option<HeaderValue>) -> Response {
    let mut resp = (status, Json(out)).into_response();
    if let Some(c) = set_cookie {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

/// Ask to join a meeting: `enter` (200), `wait` (202, knock) or `refused` (403).
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/join", tag = "join", params(("slug" = String, Path)), request_body = JoinIn,
    responses((status = 200, body = JoinOut), (status = 202, body = JoinOut), (status = 403, body = JoinOut),
        (status = 400, body = ErrorOut), (status = 404, body = ErrorOut), (status = 429, body = ErrorOut)))]
pub async fn join(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    state.limits.check(Bucket::Join, caller.ip)?;
    let input: JoinIn = json(&headers, &body)?;
    let r = find_room(&state, &slug).await?;
    let p = person(&state, &caller, &headers, &r, &input.name).await?;
    if let Some(no) = refusal(&state, &r, &p.identity).await? {
        return Ok(answer(no, p.set_cookie));
    }
    match entry(&r.settings, p.standing) {
        Entry::Enter => Ok(answer(enter(&state, &headers, r, &p.identity, &p.name, p.standing).await?, p.set_cookie)),
        Entry::Knock => {
            state.limits.check(Bucket::Knock, caller.ip)?;
            let id = ids::random_suffix(32);
            let now = token::unix_now_ms();
            let knocked = state.lobby_lock().knock(&slug, id, p.identity.clone(), p.name.clone(), p.standing, now);
            let lobby_id = match knocked {
                Ok(id) => id,
                Err(KnockError::Full) => {
                    return Err(ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "lobby_full",
                        "too many people are waiting",
                    ));
                }
            };
            lobby_changed(&state, &slug).await;
            Ok(answer((StatusCode::ACCEPTED, JoinOut::Wait { lobby_id, poll_after_ms: POLL_MS }), p.set_cookie))
        }
    }
}

/// Tells the hosts in the meeting how many people wait.
pub async fn lobby_changed(state: &AppState, slug: &str) {
    let Some(running) = state.rooms.get(slug) else { return };
    let waiting = state.lobby_lock().waiting(slug).len();
    let payload = serde_json::json!({ "waiting": waiting }).to_string().into_bytes();
    live::notify_hosts(&running, LOBBY_TOPIC, payload).await;
}

/// Where my knock stands (the waiting page polls this; a knock not polled for 15 s expires).
#[utoipa::path(get, path = "/api/v1/rooms/{slug}/lobby/{lobby_id}", tag = "join",
    params(("slug" = String, Path), ("lobby_id" = String, Path)),
    responses((status = 200, body = JoinOut), (status = 403, body = JoinOut), (status = 404, body = ErrorOut)))]
pub async fn poll(
    State(state): State<Arc<AppState>>,
    Path((slug, lobby_id)): Path<(String, String)>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let now = token::unix_now_ms();
    // The entry is bound to the browser that knocked (session user or guest cookie): its id
    // alone, which hosts see, does not hand anyone the knocker's token.
    let me = knocker(&caller);
    let knock = me.and_then(|me| state.lobby_lock().poll(&slug, &lobby_id, &me, now));
    let Some(k) = knock else {
        return Err(ApiError::not_found("knock_not_found", "this lobby entry expired; ask to join again"));
    };
    let out = match k.state {
        KnockState::Waiting => (StatusCode::OK, JoinOut::Wait { lobby_id, poll_after_ms: POLL_MS }),
        KnockState::Denied(reason) => refused("denied", "a host did not let you in", reason),
        KnockState::Ended => refused("meeting_ended", "the meeting has ended", None),
        KnockState::Admitted => {
            let r = find_room(&state, &slug).await?;
            match refusal(&state, &r, &k.identity).await? {
                Some(no) => no,
                None => enter(&state, &headers, r, &k.identity, &k.name, k.standing).await?,
            }
        }
    };
    Ok(answer(out, None))
}

fn knocker(caller: &Caller) -> Option<Identity> {
    match (&caller.signed_in, &caller.guest_id) {
        (Some(s), _) => Some(user_identity(&s.user.id)),
        (None, Some(g)) => Some(Identity::new(format!("g-{g}"))),
        (None, None) => None,
    }
}

/// Leave the lobby.
#[utoipa::path(delete, path = "/api/v1/rooms/{slug}/lobby/{lobby_id}", tag = "join",
    params(("slug" = String, Path), ("lobby_id" = String, Path)), responses((status = 204), (status = 404, body = ErrorOut)))]
pub async fn leave(
    State(state): State<Arc<AppState>>,
    Path((slug, lobby_id)): Path<(String, String)>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let left = knocker(&caller).is_some_and(|me| state.lobby_lock().leave(&slug, &lobby_id, &me));
    if !left {
        return Err(ApiError::not_found("knock_not_found", "no such lobby entry"));
    }
    lobby_changed(&state, &slug).await;
    Ok(StatusCode::NO_CONTENT)
}

/// People waiting.
#[derive(Serialize, ToSchema)]
pub struct LobbyOut {
    /// Longest-waiting first.
    waiting: Vec<Waiting>,
}

/// Who is waiting (hosts).
#[utoipa::path(get, path = "/api/v1/rooms/{slug}/lobby", tag = "join", params(("slug" = String, Path)),
    responses((status = 200, body = LobbyOut), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
) -> Result<Json<LobbyOut>, ApiError> {
    hosted_room(&state, &caller, &slug).await?;
    let waiting = state.lobby_lock().waiting(&slug);
    Ok(Json(LobbyOut { waiting }))
}

/// Why someone is turned away.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DenyIn {
    /// Shown to the knocker.
    #[serde(default)]
    reason: Option<String>,
}

/// Let someone in (hosts).
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/lobby/{lobby_id}/admit", tag = "join",
    params(("slug" = String, Path), ("lobby_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn admit(
    State(state): State<Arc<AppState>>,
    Path((slug, lobby_id)): Path<(String, String)>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    hosted_room(&state, &caller, &slug).await?;
    if !state.lobby_lock().admit(&slug, &lobby_id, token::unix_now_ms()) {
        return Err(ApiError::not_found("knock_not_found", "nobody waits under this id"));
    }
    lobby_changed(&state, &slug).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Turn someone away (hosts).
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/lobby/{lobby_id}/deny", tag = "join",
    params(("slug" = String, Path), ("lobby_id" = String, Path)), request_body = DenyIn,
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn deny(
    State(state): State<Arc<AppState>>,
    Path((slug, lobby_id)): Path<(String, String)>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    hosted_room(&state, &caller, &slug).await?;
    let input: DenyIn = json(&headers, &body)?;
    let reason = input.reason.map(|s| s.chars().filter(|c| !c.is_control()).take(200).collect::<String>());
    if !state.lobby_lock().deny(&slug, &lobby_id, reason.filter(|s| !s.trim().is_empty()), token::unix_now_ms()) {
        return Err(ApiError::not_found("knock_not_found", "nobody waits under this id"));
    }
    lobby_changed(&state, &slug).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Let everyone waiting in (hosts).
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/lobby/admit-all", tag = "join", params(("slug" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn admit_all(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    hosted_room(&state, &caller, &slug).await?;
    state.lobby_lock().admit_all(&slug, token::unix_now_ms());
    lobby_changed(&state, &slug).await;
    Ok(StatusCode::NO_CONTENT)
}
