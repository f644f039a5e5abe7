//! Sign-in and sign-out: local accounts, OpenID Connect, the current session.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use parlons_store::{LoginFlow, OidcSubject, SessionRecord, User};
use parlons_types::UserId;
use serde::{Deserialize, Serialize};
use tracing::{info, warn};
use utoipa::ToSchema;

use super::AppState;
use super::api::{ErrorOut, base_url, json, secure_cookies, store_error};
use crate::auth::caller::session_hash;
use crate::auth::ratelimit::Bucket;
use crate::auth::{Caller, cookies, password};
use crate::error::ApiError;
use crate::ids;
use crate::token;

/// A login started at the provider must come back within this time.
const LOGIN_FLOW_TTL_MS: i64 = 10 * 60 * 1000;

/// An account as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct UserOut {
    /// Account id.
    id: String,
    /// Login name (local accounts).
    #[schema(required = true)]
    username: Option<String>,
    /// Display name.
    name: String,
    /// E-mail.
    #[schema(required = true)]
    email: Option<String>,
    /// Instance administrator.
    is_admin: bool,
}

impl From<&User> for UserOut {
    fn from(u: &User) -> Self {
        UserOut {
            id: u.id.to_string(),
            username: u.username.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
            is_admin: u.is_admin,
        }
    }
}

/// The current session.
#[derive(Serialize, ToSchema)]
pub struct MeOut {
    /// The signed-in user, or null.
    #[schema(required = true)]
    user: Option<UserOut>,
    /// Anti-CSRF token to send as `X-CSRF-Token` on state-changing requests.
    #[schema(required = true)]
    csrf: Option<String>,
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = MeOut)))]
pub async fn me(caller: Caller) -> Json<MeOut> {
    match &caller.signed_in {
        Some(s) => Json(MeOut { user: Some((&s.user).into()), csrf: Some(s.session.csrf.clone()) }),
        None => Json(MeOut { user: None, csrf: None }),
    }
}

/// Opens a session for `user`; returns the `Set-Cookie` value and the CSRF token.
async fn open_session(
    state: &AppState,
    headers: &HeaderMap,
    user: &User,
    id_token: Option<String>,
) -> Result<(axum::http::HeaderValue, String), ApiError> {
    let value = ids::random_suffix(43);
    let csrf = ids::random_suffix(32);
    let now = token::unix_now_ms();
    let hours = state.config.auth.session_hours.max(1);
    let rec = SessionRecord {
        id_hash: session_hash(&value),
        user_id: user.id.clone(),
        csrf: csrf.clone(),
        id_token,
        created_at: now,
        expires_at: now + (hours as i64) * 3_600_000,
    };
    state.store.create_session(&rec).await.map_err(store_error)?;
    let cookie = cookies::set(cookies::SESSION, value, (hours * 3600) as i64, secure_cookies(state, headers));
    Ok((cookie, csrf))
}

/// Username and password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// Login name.
    username: String,
    /// Password.
    password: String,
}

/// Sign in with a local account.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginIn,
    responses((status = 200, body = MeOut), (status = 401, body = ErrorOut), (status = 404, body = ErrorOut), (status = 429, body = ErrorOut)))]
pub async fn login(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !state.config.auth.local {
        return Err(ApiError::not_found("local_login_disabled", "local accounts are disabled on this instance"));
    }
    state.limits.check(Bucket::Login, caller.ip)?;
    let input: LoginIn = json(&headers, &body)?;
    let found = if input.username.len() <= 128 {
        state.store.user_with_password(input.username.trim()).await.map_err(store_error)?
    } else {
        None
    };
    let pw = input.password.clone();
    let (user, ok) = match found {
        Some((user, hash)) => {
            let ok = tokio::task::spawn_blocking(move || password::verify(&hash, &pw)).await.unwrap_or(false);
            (Some(user), ok)
        }
        None => {
            // Same work as a wrong password, so that timing does not reveal which accounts exist.
            let _ = tokio::task::spawn_blocking(move || password::verify(password::decoy(), &pw)).await;
            (None, false)
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "wrong username or password"));
    };
    let (cookie, csrf) = open_session(&state, &headers, &user, None).await?;
    info!(user = %user.id, "signed in (local account)");
    let mut resp = Json(MeOut { user: Some((&user).into()), csrf: Some(csrf) }).into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(resp)
}

/// Where to go after signing out.
#[derive(Serialize, ToSchema)]
pub struct LogoutOut {
    /// The provider's end-session URL to visit, for OpenID Connect sessions.
    #[schema(required = true)]
    redirect: Option<String>,
}

/// Sign out (and get the provider's sign-out URL when the session came from it).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 200, body = LogoutOut), (status = 403, body = ErrorOut)))]
pub async fn logout(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut redirect = None;
    if let Some(s) = &caller.signed_in {
        state.store.delete_session(&s.session.id_hash).await.map_err(store_error)?;
        if let (Some(oidc), Some(idt)) = (&state.oidc, &s.session.id_token) {
            redirect = oidc.logout_url(Some(idt), &format!("{}/", base_url(&state, &headers))).await;
        }
    }
    let mut resp = Json(LogoutOut { redirect }).into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookies::clear(cookies::SESSION, secure_cookies(&state, &headers)));
    Ok(resp)
}

/// OAuth 2 client-credentials request (RFC 6749 §4.4), as a form or JSON; the client may also
/// authenticate with HTTP Basic.
#[derive(Deserialize, Default, ToSchema)]
#[serde(default)]
pub struct TokenIn {
    /// Must be `client_credentials`.
    grant_type: String,
    /// Client id (when not in the Basic header).
    client_id: Option<String>,
    /// Client secret (when not in the Basic header).
    client_secret: Option<String>,
}

/// An access token for the product API (RFC 6749 §5.1).
#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    /// Bearer JWT.
    access_token: String,
    /// Always `Bearer`.
    token_type: &'static str,
    /// Lifetime in seconds.
    expires_in: u64,
}

/// OAuth 2 error answer (RFC 6749 §5.2).
#[derive(Serialize, ToSchema)]
pub struct OAuthErrorOut {
    /// `invalid_request`, `invalid_client`, `unsupported_grant_type`.
    error: &'static str,
    /// Human text.
    error_description: &'static str,
}

fn oauth_error(status: StatusCode, error: &'static str, error_description: &'static str) -> Response {
    (status, Json(OAuthErrorOut { error, error_description })).into_response()
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    use base64::Engine as _;
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let b64 = v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic "))?;
    let raw = base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Client-credentials grant for other services: an access token whose rights are the client's
/// configuration (`[api_clients.<id>]`): administer its rooms, create rooms if allowed.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    request_body(content = TokenIn, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = TokenOut), (status = 400, body = OAuthErrorOut), (status = 401, body = OAuthErrorOut), (status = 429, body = ErrorOut)))]
pub async fn client_token(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(e) = state.limits.check(Bucket::Login, caller.ip) {
        return e.into_response();
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
    let parsed: Result<TokenIn, ()> = if is_json {
        serde_json::from_slice(&body).map_err(|_| ())
    } else {
        serde_urlencoded::from_bytes(&body).map_err(|_| ())
    };
    let Ok(input) = parsed else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "the body is not a valid token request");
    };
    if input.grant_type != "client_credentials" {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "only client_credentials is supported");
    }
    let creds = basic_credentials(&headers).or_else(|| input.client_id.clone().zip(input.client_secret.clone()));
    let Some((id, secret)) = creds else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client credentials are required");
    };
    let client = state.config.api_clients.get(&id);
    let ok = client.is_some_and(|c| crate::auth::caller::constant_time_eq(c.secret.expose(), &secret));
    let (Some(client), true) = (client, ok) else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client or wrong secret");
    };
    let Some((key, signing)) = state.config.keys.iter().next() else {
        return ApiError::internal("no API key configured").into_response();
    };
    let ttl = state.config.auth.token_ttl_secs;
    let now = token::unix_now();
    let all = client.rooms.iter().any(|r| r == "*");
    let claims = token::Claims {
        iss: key.clone(),
        sub: format!("client:{id}"),
        exp: now + ttl,
        nbf: Some(now.saturating_sub(60)),
        iat: Some(now),
        // An empty scope must not read as "an API key's token" (which covers every room).
        parlons_rooms: if client.rooms.is_empty() { vec!["-".into()] } else { client.rooms.clone() },
        video: Some(token::VideoGrant { room_create: client.create_rooms, room_list: all, ..Default::default() }),
        ..Default::default()
    };
    match token::sign(&claims, signing) {
        Ok(t) => Json(TokenOut { access_token: t, token_type: "Bearer", expires_in: ttl }).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// An in-app notification. The client words it from `kind` (`recording_ready`,
/// `recording_failed`) and `subject` (the room's name).
#[derive(Serialize, ToSchema)]
pub struct NotificationOut {
    /// Id.
    id: String,
    /// What happened.
    kind: String,
    /// What it is about (a room's name).
    subject: String,
    /// Where to go in the web client.
    link: String,
    /// When (RFC 3339).
    created_at: String,
    /// Already read.
    read: bool,
}

/// My notifications.
#[derive(Serialize, ToSchema)]
pub struct NotificationsOut {
    /// Newest first (at most 50).
    notifications: Vec<NotificationOut>,
    /// How many are unread.
    unread: usize,
}

/// My latest notifications (signed-in users).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "auth",
    responses((status = 200, body = NotificationsOut), (status = 401, body = ErrorOut)))]
pub async fn notifications(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<NotificationsOut>, ApiError> {
    let user = caller.user()?;
    let list = state.store.notifications(&user.id, 50).await.map_err(store_error)?;
    let unread = list.iter().filter(|n| n.read_at.is_none()).count();
    let notifications = list
        .into_iter()
        .map(|n| NotificationOut {
            id: n.id,
            kind: n.kind,
            subject: n.title,
            link: n.link,
            created_at: super::api::rfc3339(n.created_at),
            read: n.read_at.is_some(),
        })
        .collect();
    Ok(Json(NotificationsOut { notifications, unread }))
}

/// Mark one of my notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "auth", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn read_notification(
    State(state): State<Arc<AppState>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let user = caller.user()?;
    state
        .store
        .mark_notification_read(&user.id, &id, token::unix_now_ms())
        .await
        .map_err(|_| ApiError::not_found("notification_not_found", "no such unread notification"))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Query of `/auth/oidc/login`.
#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// Only same-site relative paths are followed after a login.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() <= 512 => n.to_string(),
        _ => "/".to_string(),
    }
}

/// `302 Found` to `location` (what providers and browsers expect in a login flow).
fn found(location: &str) -> Response {
    match axum::http::HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::FOUND, [(header::LOCATION, v)]).into_response(),
        Err(_) => error_page(StatusCode::BAD_GATEWAY, "The identity provider gave an unusable address."),
    }
}

fn redirect_uri(state: &AppState, headers: &HeaderMap) -> String {
    format!("{}/auth/callback", base_url(state, headers))
}

fn error_page(status: StatusCode, message: &str) -> Response {
    // A tiny page in both languages; the message is ours (never the provider's raw text).
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in failed — Parlons</title></head>\
         <body><main><h1>Sign-in failed</h1><p>{message}</p><p lang=\"fr\">La connexion a échoué.</p>\
         <p><a href=\"/login\">Try again / Réessayer</a></p></main></body></html>"
    );
    (status, Html(body)).into_response()
}

/// `GET /auth/oidc/login?next=/path`: off to the provider.
pub async fn oidc_login(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<StartQuery>,
) -> Response {
    let Some(oidc) = &state.oidc else {
        return error_page(StatusCode::NOT_FOUND, "No identity provider is configured on this instance.");
    };
    let start = match oidc.start(&redirect_uri(&state, &headers)).await {
        Ok(s) => s,
        Err(e) => {
            warn!(error = %e, "cannot start an OpenID Connect login");
            return error_page(StatusCode::BAD_GATEWAY, "The identity provider cannot be reached.");
        }
    };
    let now = token::unix_now_ms();
    let flow = LoginFlow {
        state: start.state,
        nonce: start.nonce,
        pkce_verifier: start.pkce_verifier,
        next_path: safe_next(q.next.as_deref()),
        created_at: now,
    };
    let _ = state.store.prune_login_flows(now - LOGIN_FLOW_TTL_MS).await;
    if let Err(e) = state.store.put_login_flow(&flow).await {
        return store_error(e).into_response();
    }
    found(&start.url)
}

/// Query of the provider's callback.
#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/callback`: back from the provider.
pub async fn oidc_callback(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let Some(oidc) = &state.oidc else {
        return error_page(StatusCode::NOT_FOUND, "No identity provider is configured on this instance.");
    };
    if q.error.is_some() {
        return error_page(StatusCode::UNAUTHORIZED, "The identity provider did not sign you in.");
    }
    let (Some(code), Some(st)) = (q.code, q.state) else {
        return error_page(StatusCode::BAD_REQUEST, "The sign-in answer is incomplete.");
    };
    let now = token::unix_now_ms();
    let flow = match state.store.take_login_flow(&st, now - LOGIN_FLOW_TTL_MS).await {
        Ok(Some(f)) => f,
        Ok(None) => return error_page(StatusCode::BAD_REQUEST, "This sign-in link expired or was already used."),
        Err(e) => return store_error(e).into_response(),
    };
    let id = match oidc.finish(&redirect_uri(&state, &headers), &code, &flow.nonce, &flow.pkce_verifier).await {
        Ok(i) => i,
        Err(e) => {
            warn!(error = %e, "OpenID Connect login refused");
            return error_page(StatusCode::UNAUTHORIZED, "The identity provider's answer could not be verified.");
        }
    };
    let subject = OidcSubject { issuer: id.issuer.clone(), subject: id.subject.clone() };
    let new_id = UserId::with_suffix(&ids::random_suffix(16));
    let user = match state.store.upsert_oidc_user(&subject, &id.name, id.email.as_deref(), new_id, now).await {
        Ok(u) => u,
        Err(e) => return store_error(e).into_response(),
    };
    let (cookie, _) = match open_session(&state, &headers, &user, Some(id.id_token)).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    info!(user = %user.id, "signed in (OpenID Connect)");
    let mut resp = found(&flow.next_path);
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_paths_are_followed() {
        assert_eq!(safe_next(Some("/rooms")), "/rooms");
        assert_eq!(safe_next(Some("//evil.example/x")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
