//! Rooms: create, list mine, read, change settings, delete, invitation, members and owner.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parlons_store::{NewRoom, RoomPatch, RoomRecord, RoomSettings, StoreError};
use parlons_types::UserId;
use parlons_types::access::{AccessLevel, RoomRole};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::api::{
    AccessLevelSchema, ErrorOut, PublishOut, RoomOut, RoomRoleSchema, base_url, clean_name, json, parse_rfc3339,
    room_out, store_error,
};
use crate::auth::Caller;
use crate::auth::ratelimit::Bucket;
use crate::error::ApiError;
use crate::ids;
use crate::rooms::live;
use crate::token;

/// Largest participant cap a room may set.
const MAX_CAP: u32 = 10_000;

/// A new room; every field is optional.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CreateRoomIn {
    /// Display name (default: the slug).
    #[serde(default)]
    name: Option<String>,
    /// `public` (default), `trusted` or `restricted`.
    #[schema(value_type = Option<AccessLevelSchema>)]
    #[serde(default)]
    access: Option<AccessLevel>,
    /// Participant cap (0 = none).
    #[serde(default)]
    max_participants: Option<u32>,
    /// Who may publish what.
    #[serde(default)]
    publish: Option<PublishOut>,
    /// Planned start (RFC 3339), for "a meeting for later".
    #[serde(default)]
    scheduled_at: Option<String>,
}

/// Changes to a room; absent fields are kept. `scheduled_at: null` clears the date.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PatchRoomIn {
    /// New name.
    #[serde(default)]
    name: Option<String>,
    /// New access level.
    #[schema(value_type = Option<AccessLevelSchema>)]
    #[serde(default)]
    access: Option<AccessLevel>,
    /// New cap.
    #[serde(default)]
    max_participants: Option<u32>,
    /// Lock or unlock.
    #[serde(default)]
    locked: Option<bool>,
    /// New publish policy.
    #[serde(default)]
    publish: Option<PublishOut>,
    /// New date (RFC 3339) or null.
    #[serde(deserialize_with = "some_or_null")]
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    scheduled_at: Option<Option<String>>,
}

fn some_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

/// Rooms listed for the caller.
#[derive(Serialize, ToSchema)]
pub struct RoomsOut {
    /// Most recently used first.
    rooms: Vec<RoomOut>,
}

fn check_cap(n: u32) -> Result<u32, ApiError> {
    if n > MAX_CAP {
        return Err(ApiError::bad_request("invalid_cap", format!("max_participants is at most {MAX_CAP}")));
    }
    Ok(n)
}

/// A stored room by slug; 404 `room_not_found` otherwise. In development mode
/// (`room.allow_anonymous_create`) an unknown well-formed slug opens a public room, so links
/// typed by hand work.
pub async fn find_room(state: &AppState, slug: &str) -> Result<RoomRecord, ApiError> {
    let missing = || ApiError::not_found("room_not_found", "no such meeting");
    if !ids::is_valid_room_name(slug) {
        return Err(missing());
    }
    match state.store.room(slug).await {
        Ok(r) => Ok(r),
        Err(StoreError::NotFound) if state.config.room.allow_anonymous_create => {
            let new = NewRoom {
                id: ids::random_suffix(16),
                slug: slug.to_string(),
                name: slug.to_string(),
                owner: None,
                settings: RoomSettings::default(),
                now: token::unix_now_ms(),
            };
            match state.store.create_room(new).await {
                Ok(r) => Ok(r),
                Err(StoreError::Conflict(_)) => state.store.room(slug).await.map_err(store_error),
                Err(e) => Err(store_error(e)),
            }
        }
        Err(StoreError::NotFound) => Err(missing()),
        Err(e) => Err(store_error(e)),
    }
}

/// A stored room whose host the caller is (`401`/`403` otherwise).
pub async fn hosted_room(state: &AppState, caller: &Caller, slug: &str) -> Result<RoomRecord, ApiError> {
    let r = find_room(state, slug).await?;
    caller.require_host(state, &r.id, slug).await?;
    Ok(r)
}

/// Create a room.
#[utoipa::path(post, path = "/api/v1/rooms", tag = "rooms", request_body = CreateRoomIn,
    responses((status = 201, body = RoomOut), (status = 400, body = ErrorOut), (status = 401, body = ErrorOut), (status = 429, body = ErrorOut)))]
pub async fn create_room(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<RoomOut>), ApiError> {
    let owner = caller.signed_in.as_ref().map(|s| s.user.id.clone());
    if owner.is_none() && !caller.may_create_rooms() && !state.config.room.allow_anonymous_create {
        return Err(ApiError::unauthenticated("sign in to create a meeting"));
    }
    state.limits.check(Bucket::Create, caller.ip)?;
    let input: CreateRoomIn = json(&headers, &body)?;
    let settings = RoomSettings {
        access: input.access.unwrap_or(AccessLevel::Public),
        max_participants: check_cap(input.max_participants.unwrap_or(0))?,
        locked: false,
        publish: input.publish.map(Into::into).unwrap_or_default(),
        scheduled_at: input.scheduled_at.as_deref().map(parse_rfc3339).transpose()?,
    };
    let now = token::unix_now_ms();
    // A fresh random slug collides with odds of 1 in 10^13; retry a few times anyway.
    for _ in 0..5 {
        let slug = ids::room_slug();
        let name = match &input.name {
            Some(n) if !n.trim().is_empty() => clean_name(n)?,
            _ => slug.clone(),
        };
        let new =
            NewRoom { id: ids::random_suffix(16), slug, name, owner: owner.clone(), settings: settings.clone(), now };
        match state.store.create_room(new).await {
            Ok(r) => {
                let role = owner.as_ref().map(|_| RoomRole::Owner);
                return Ok((StatusCode::CREATED, Json(room_out(&state, &headers, r, role).await)));
            }
            Err(StoreError::Conflict(_)) => continue,
            Err(e) => return Err(store_error(e)),
        }
    }
    Err(ApiError::internal("could not find a free room slug"))
}

/// The caller's rooms (bearer `roomList`: all rooms).
#[utoipa::path(get, path = "/api/v1/rooms", tag = "rooms",
    responses((status = 200, body = RoomsOut), (status = 401, body = ErrorOut)))]
pub async fn list_rooms(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Json<RoomsOut>, ApiError> {
    let mut rooms = Vec::new();
    if caller.may_list_rooms() {
        for r in state.store.all_rooms(1000).await.map_err(store_error)? {
            rooms.push(room_out(&state, &headers, r, None).await);
        }
    } else {
        let user = caller.user()?;
        for (r, role) in state.store.rooms_of_user(&user.id).await.map_err(store_error)? {
            rooms.push(room_out(&state, &headers, r, Some(role)).await);
        }
    }
    Ok(Json(RoomsOut { rooms }))
}

/// One room.
#[utoipa::path(get, path = "/api/v1/rooms/{slug}", tag = "rooms", params(("slug" = String, Path)),
    responses((status = 200, body = RoomOut), (status = 404, body = ErrorOut)))]
pub async fn get_room(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Json<RoomOut>, ApiError> {
    let r = find_room(&state, &slug).await?;
    let role = caller.role(&state, &r.id).await?;
    Ok(Json(room_out(&state, &headers, r, role).await))
}

/// Change a room's settings (hosts). A new access level or an unlock admits the people waiting
/// who may now enter; a new publish policy applies at once.
#[utoipa::path(patch, path = "/api/v1/rooms/{slug}", tag = "rooms", params(("slug" = String, Path)), request_body = PatchRoomIn,
    responses((status = 200, body = RoomOut), (status = 400, body = ErrorOut), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn patch_room(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<RoomOut>, ApiError> {
    hosted_room(&state, &caller, &slug).await?;
    let input: PatchRoomIn = json(&headers, &body)?;
    let patch = RoomPatch {
        name: input.name.as_deref().map(clean_name).transpose()?,
        access: input.access,
        max_participants: input.max_participants.map(check_cap).transpose()?,
        locked: input.locked,
        publish: input.publish.map(Into::into),
        scheduled_at: match input.scheduled_at {
            None => None,
            Some(None) => Some(None),
            Some(Some(s)) => Some(Some(parse_rfc3339(&s)?)),
        },
    };
    let updated = state.store.update_room(&slug, &patch).await.map_err(store_error)?;
    let admitted = state.lobby_lock().reevaluate(&slug, &updated.settings, token::unix_now_ms());
    if let Some(running) = state.rooms.get(&slug) {
        live::apply_settings(&running, &updated).await?;
        if admitted > 0 {
            super::join_api::lobby_changed(&state, &slug).await;
        }
    }
    let role = caller.role(&state, &updated.id).await?;
    Ok(Json(room_out(&state, &headers, updated, role).await))
}

/// Delete a room (owner, or bearer `roomCreate`); a running meeting ends.
#[utoipa::path(delete, path = "/api/v1/rooms/{slug}", tag = "rooms", params(("slug" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn delete_room(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let r = find_room(&state, &slug).await?;
    let owner = caller.role(&state, &r.id).await? == Some(RoomRole::Owner);
    let service = caller.may_create_rooms() && caller.in_scope(&slug);
    if !(owner || service) {
        if caller.signed_in.is_none() && caller.bearer.is_none() {
            return Err(ApiError::unauthenticated("sign in first"));
        }
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "only the owner deletes a room"));
    }
    super::moderation_api::end_meeting(&state, &r).await?;
    state.store.delete_room(&slug).await.map_err(store_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Escapes a TEXT value of an iCalendar file (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn ics_time(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .map(|t| {
            format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        })
        .unwrap_or_default()
}

/// The invitation as an iCalendar event (the planned date, or the next hour).
pub fn invitation(r: &RoomRecord, url: &str, now_ms: i64) -> String {
    let start = r.settings.scheduled_at.unwrap_or(now_ms + 3_600_000);
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Parlons//Parlons//EN".into(),
        "METHOD:PUBLISH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}@parlons", r.id),
        format!("DTSTAMP:{}", ics_time(now_ms)),
        format!("DTSTART:{}", ics_time(start)),
        "DURATION:PT1H".into(),
        format!("SUMMARY:{}", ics_text(&r.name)),
        format!("LOCATION:{}", ics_text(url)),
        format!("URL:{url}"),
        format!("DESCRIPTION:{}", ics_text(&format!("Join the meeting: {url}"))),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ];
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out
}

/// Download an `.ics` invitation.
#[utoipa::path(get, path = "/api/v1/rooms/{slug}/invite.ics", tag = "rooms", params(("slug" = String, Path)),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorOut)))]
pub async fn invite_ics(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let r = find_room(&state, &slug).await?;
    let url = format!("{}/r/{}", base_url(&state, &headers), r.slug);
    let body = invitation(&r, &url, token::unix_now_ms());
    let disposition = format!("attachment; filename=\"{}.ics\"", r.slug);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// A user with a role on a room.
#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    /// Account id.
    user_id: String,
    /// Name.
    name: String,
    /// E-mail.
    #[schema(required = true)]
    email: Option<String>,
    /// `owner`, `admin` or `member`.
    #[schema(value_type = RoomRoleSchema)]
    role: RoomRole,
}

/// Members of a room.
#[derive(Serialize, ToSchema)]
pub struct MembersOut {
    /// Owner first.
    members: Vec<MemberOut>,
}

/// List the people with a role on the room (hosts).
#[utoipa::path(get, path = "/api/v1/rooms/{slug}/members", tag = "rooms", params(("slug" = String, Path)),
    responses((status = 200, body = MembersOut), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn members(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
) -> Result<Json<MembersOut>, ApiError> {
    let r = hosted_room(&state, &caller, &slug).await?;
    let members = state
        .store
        .members(&r.id)
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|m| MemberOut { user_id: m.user.id.to_string(), name: m.user.name, email: m.user.email, role: m.role })
        .collect();
    Ok(Json(MembersOut { members }))
}

/// A role to give.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    /// `admin` or `member`.
    #[schema(value_type = RoomRoleSchema)]
    pub role: RoomRole,
}

/// Whether the caller may give or take `role` on the room: hosts manage members; only the
/// owner (or a service token) makes or unmakes admins.
pub async fn may_manage(
    state: &AppState,
    caller: &Caller,
    r: &RoomRecord,
    target_current: Option<RoomRole>,
    role: Option<RoomRole>,
) -> Result<(), ApiError> {
    caller.require_host(state, &r.id, &r.slug).await?;
    let is_owner = caller.role(state, &r.id).await? == Some(RoomRole::Owner)
        || caller.bearer.as_ref().is_some_and(|c| crate::auth::caller::identity_user(&c.sub).is_none());
    let touches_admin = role == Some(RoomRole::Admin) || target_current == Some(RoomRole::Admin);
    if role == Some(RoomRole::Owner) || target_current == Some(RoomRole::Owner) {
        return Err(ApiError::new(StatusCode::CONFLICT, "owner_required", "a room always keeps its owner"));
    }
    if touches_admin && !is_owner {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "only the owner makes or unmakes admins"));
    }
    Ok(())
}

/// Give a user a role on the room.
#[utoipa::path(put, path = "/api/v1/rooms/{slug}/members/{user_id}", tag = "rooms",
    params(("slug" = String, Path), ("user_id" = String, Path)), request_body = RoleIn,
    responses((status = 204), (status = 400, body = ErrorOut), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut), (status = 409, body = ErrorOut)))]
pub async fn set_member(
    State(state): State<Arc<AppState>>,
    Path((slug, user_id)): Path<(String, String)>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let r = find_room(&state, &slug).await?;
    let input: RoleIn = json(&headers, &body)?;
    let user = UserId::new(user_id);
    state.store.user(&user).await.map_err(|_| ApiError::not_found("user_not_found", "no such user"))?;
    let current = state.store.role(&r.id, &user).await.map_err(store_error)?;
    may_manage(&state, &caller, &r, current, Some(input.role)).await?;
    state.store.set_role(&r.id, &user, input.role).await.map_err(store_error)?;
    if let Some(running) = state.rooms.get(&slug) {
        let identity = crate::auth::caller::user_identity(&user);
        let _ = live::set_role(&running, &r, &identity, input.role.as_str()).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Take a user's role away.
#[utoipa::path(delete, path = "/api/v1/rooms/{slug}/members/{user_id}", tag = "rooms",
    params(("slug" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut), (status = 409, body = ErrorOut)))]
pub async fn remove_member(
    State(state): State<Arc<AppState>>,
    Path((slug, user_id)): Path<(String, String)>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let r = find_room(&state, &slug).await?;
    let user = UserId::new(user_id);
    let current = state.store.role(&r.id, &user).await.map_err(store_error)?;
    may_manage(&state, &caller, &r, current, None).await?;
    state.store.remove_member(&r.id, &user).await.map_err(store_error)?;
    if let Some(running) = state.rooms.get(&slug) {
        let identity = crate::auth::caller::user_identity(&user);
        let _ = live::set_role(&running, &r, &identity, "user").await;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The new owner.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerIn {
    /// Account id of the new owner.
    user_id: String,
}

/// Hand ownership over (owner only); the previous owner becomes an admin.
#[utoipa::path(post, path = "/api/v1/rooms/{slug}/owner", tag = "rooms", params(("slug" = String, Path)), request_body = OwnerIn,
    responses((status = 204), (status = 401, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
pub async fn transfer_owner(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let r = find_room(&state, &slug).await?;
    let me = caller.user()?.clone();
    if caller.role(&state, &r.id).await? != Some(RoomRole::Owner) {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "only the owner hands ownership over"));
    }
    let input: OwnerIn = json(&headers, &body)?;
    let to = UserId::new(input.user_id);
    state.store.user(&to).await.map_err(|_| ApiError::not_found("user_not_found", "no such user"))?;
    state.store.transfer_owner(&r.id, &to).await.map_err(store_error)?;
    if let Some(running) = state.rooms.get(&slug) {
        let _ = live::set_role(&running, &r, &crate::auth::caller::user_identity(&to), "owner").await;
        let _ = live::set_role(&running, &r, &crate::auth::caller::user_identity(&me.id), "admin").await;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitations_are_valid_icalendar() {
        let r = RoomRecord {
            id: "abc".into(),
            slug: "abc-defg-hij".into(),
            name: "Weekly; sync, team\nnotes".into(),
            settings: RoomSettings { scheduled_at: Some(1_790_000_000_000), ..Default::default() },
            created_at: 0,
            last_used_at: None,
            ended_at: None,
        };
        let ics = invitation(&r, "http://x/r/abc-defg-hij", 1_789_000_000_000);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("SUMMARY:Weekly\\; sync\\, team\\nnotes\r\n"));
        assert!(ics.contains("DTSTART:20260921T"), "{ics}");
        assert!(ics.lines().all(|l| !l.is_empty()));
    }
}
