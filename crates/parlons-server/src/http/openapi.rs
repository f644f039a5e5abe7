//! The OpenAPI 3 document of the product API, generated from the handlers' annotations and
//! served at `/api/v1/openapi.json` (the web client's types are generated from it).

use axum::Json;
use utoipa::OpenApi;

use super::{api, auth_api, join_api, moderation_api, recordings_api, rooms_api};

/// The product API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Parlons product API",
        description = "Accounts, rooms, lobby and moderation. See docs/api.md.",
        license(name = "EUPL-1.2")
    ),
    paths(
        api::config,
        auth_api::me,
        auth_api::login,
        auth_api::logout,
        auth_api::client_token,
        auth_api::notifications,
        auth_api::read_notification,
        rooms_api::create_room,
        rooms_api::list_rooms,
        rooms_api::get_room,
        rooms_api::patch_room,
        rooms_api::delete_room,
        rooms_api::invite_ics,
        rooms_api::members,
        rooms_api::set_member,
        rooms_api::remove_member,
        rooms_api::transfer_owner,
        join_api::join,
        join_api::poll,
        join_api::leave,
        join_api::list,
        join_api::admit,
        join_api::deny,
        join_api::admit_all,
        moderation_api::mute,
        moderation_api::mute_all,
        moderation_api::remove,
        moderation_api::lower_hand,
        moderation_api::set_role,
        moderation_api::end,
        recordings_api::start,
        recordings_api::stop,
        recordings_api::get,
        recordings_api::list,
        recordings_api::download,
        recordings_api::delete,
        recordings_api::share,
        recordings_api::unshare,
        recordings_api::mine,
    )
)]
pub struct ApiDoc;

/// The document as JSON text.
pub fn document() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}

/// `GET /api/v1/openapi.json`
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
