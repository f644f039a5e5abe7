//! The caller of an API request, resolved once per request by the [`Caller`] extractor:
//! a bearer JWT (service or meeting token), else a browser session cookie, plus the guest
//! browser id and the client IP. Extracting a `Caller` also enforces CSRF protection: a
//! state-changing request authenticated by the session cookie must echo the session's
//! `X-CSRF-Token`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use parlons_store::{SessionRecord, User};
use parlons_types::access::RoomRole;
use parlons_types::{Identity, UserId};
use sha2::{Digest, Sha256};

use super::cookies;
use crate::error::ApiError;
use crate::http::{AppState, authenticate, bearer};
use crate::token::{self, Claims};

/// Header carrying the anti-CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in browser.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The account.
    pub user: User,
    /// Its session.
    pub session: SessionRecord,
}

/// Who is calling.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The session's user, when the request came with a live session cookie (and no bearer).
    pub signed_in: Option<SignedIn>,
    /// Verified bearer JWT claims.
    pub bearer: Option<Claims>,
    /// The guest browser id cookie, if the browser has one.
    pub guest_id: Option<String>,
    /// Client address (for rate limits).
    pub ip: IpAddr,
}

/// SHA-256 (hex) of a session cookie value: what the database stores.
pub fn session_hash(value: &str) -> String {
    let d = Sha256::digest(value.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The participant identity of a user.
pub fn user_identity(id: &UserId) -> Identity {
    Identity::new(format!("u-{}", id.as_str()))
}

/// The user behind a participant identity made by [`user_identity`].
pub fn identity_user(identity: &str) -> Option<UserId> {
    identity.strip_prefix("u-").filter(|s| s.starts_with(UserId::PREFIX)).map(UserId::new)
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Caller {
    /// Resolves the caller of a request.
    pub async fn resolve(state: &AppState, headers: &HeaderMap, ip: IpAddr) -> Result<Caller, ApiError> {
        let guest_id = cookies::get(headers, cookies::GUEST).filter(|g| g.bytes().all(|b| b.is_ascii_alphanumeric()));
        if let Some(t) = bearer(headers, None) {
            let claims = authenticate(state, Some(t))?;
            return Ok(Caller { signed_in: None, bearer: Some(claims), guest_id, ip });
        }
        let mut signed_in = None;
        if let Some(value) = cookies::get(headers, cookies::SESSION) {
            let found =
                state.store.session(&session_hash(&value), token::unix_now_ms()).await.map_err(ApiError::internal)?;
            signed_in = found.map(|(session, user)| SignedIn { user, session });
        }
        Ok(Caller { signed_in, bearer: None, guest_id, ip })
    }

    /// The signed-in user, or `401`.
    pub fn user(&self) -> Result<&User, ApiError> {
        self.signed_in.as_ref().map(|s| &s.user).ok_or_else(|| ApiError::unauthenticated("sign in first"))
    }

    /// Whether the bearer token grants `roomCreate`.
    pub fn may_create_rooms(&self) -> bool {
        self.bearer.as_ref().and_then(|c| c.video.as_ref()).is_some_and(|g| g.room_create)
    }

    /// Whether a bearer token covers room `slug`: API keys' tokens cover every room, an API
    /// client's access token only the rooms it is scoped to.
    pub fn in_scope(&self, slug: &str) -> bool {
        match &self.bearer {
            Some(c) if c.parlons_rooms.is_empty() => true,
            Some(c) => c.parlons_rooms.iter().any(|r| r == "*" || r == slug),
            None => false,
        }
    }

    /// Whether the bearer token grants `roomList`.
    pub fn may_list_rooms(&self) -> bool {
        self.bearer.as_ref().and_then(|c| c.video.as_ref()).is_some_and(|g| g.room_list)
    }

    /// Whether the caller hosts room `slug` (whose id is `room_id`): a signed-in owner or admin,
    /// or a bearer JWT with `roomAdmin` for it. A meeting token of a user is honoured only while
    /// that user still holds a host role (a demoted host's token stops working at once).
    pub async fn is_host(&self, state: &AppState, room_id: &str, slug: &str) -> Result<bool, ApiError> {
        if let Some(c) = &self.bearer {
            if !c.parlons_rooms.is_empty() {
                return Ok(self.in_scope(slug));
            }
            let admin = c.video.as_ref().is_some_and(|g| g.room_admin && g.room == slug);
            if !admin {
                return Ok(false);
            }
            return match identity_user(&c.sub) {
                Some(user) => Ok(role(state, room_id, &user).await?.is_some_and(RoomRole::is_host)),
                None => Ok(true),
            };
        }
        match &self.signed_in {
            Some(s) => Ok(role(state, room_id, &s.user.id).await?.is_some_and(RoomRole::is_host)),
            None => Ok(false),
        }
    }

    /// `401` for anonymous callers, `403 forbidden` for callers who do not host the room.
    pub async fn require_host(&self, state: &AppState, room_id: &str, slug: &str) -> Result<(), ApiError> {
        if self.signed_in.is_none() && self.bearer.is_none() {
            return Err(ApiError::unauthenticated("sign in first"));
        }
        if !self.is_host(state, room_id, slug).await? {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "only hosts may do this"));
        }
        Ok(())
    }

    /// The caller's role on a room, as a signed-in user.
    pub async fn role(&self, state: &AppState, room_id: &str) -> Result<Option<RoomRole>, ApiError> {
        match &self.signed_in {
            Some(s) => role(state, room_id, &s.user.id).await,
            None => Ok(None),
        }
    }
}

async fn role(state: &AppState, room_id: &str, user: &UserId) -> Result<Option<RoomRole>, ApiError> {
    state.store.role(room_id, user).await.map_err(ApiError::internal)
}

fn client_ip(parts: &Parts) -> IpAddr {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let caller = Caller::resolve(state, &parts.headers, client_ip(parts)).await?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if let Some(s) = &caller.signed_in
            && !safe
        {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !constant_time_eq(sent, &s.session.csrf) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf_failed",
                    "missing or wrong X-CSRF-Token header for a cookie-authenticated request",
                ));
            }
        }
        Ok(caller)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_map_to_users_and_back() {
        let u = UserId::new("US_abc");
        let i = user_identity(&u);
        assert_eq!(i.as_str(), "u-US_abc");
        assert_eq!(identity_user(i.as_str()), Some(u));
        assert_eq!(identity_user("g-abc"), None);
        assert_eq!(identity_user("u-nope"), None);
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
        assert_eq!(session_hash("x").len(), 64);
    }
}
