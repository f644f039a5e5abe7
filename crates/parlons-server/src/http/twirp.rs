//! The RoomService subset over Twirp (`livekit-protocol.md` §10): protobuf or JSON bodies,
//! LiveKit API-key authentication, Twirp error bodies.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parlons_room::RoomError;
use parlons_room::proto as lk;
use parlons_types::{Identity, TrackId};
use prost::Message;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::oneshot;

use super::{AppState, authenticate, bearer};
use crate::rooms::{AdminOp, AdminReply, RoomHandle, RoomInput};
use crate::token::{Claims, VideoGrant};

/// A Twirp error.
struct TwirpError {
    status: StatusCode,
    code: &'static str,
    msg: String,
}

impl TwirpError {
    fn new(status: StatusCode, code: &'static str, msg: impl Into<String>) -> Self {
        TwirpError { status, code, msg: msg.into() }
    }
    fn not_found(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", msg)
    }
    fn denied(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "permission_denied", msg)
    }
    fn invalid(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_argument", msg)
    }
}

impl From<RoomError> for TwirpError {
    fn from(e: RoomError) -> Self {
        match e {
            RoomError::UnknownIdentity(_) | RoomError::UnknownParticipant(_) | RoomError::UnknownTrack(_) => {
                TwirpError::not_found(e.to_string())
            }
            RoomError::NotAllowed(_) => TwirpError::denied(e.to_string()),
            RoomError::Closed => TwirpError::not_found("room is closed"),
            _ => TwirpError::invalid(e.to_string()),
        }
    }
}

impl IntoResponse for TwirpError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "code": self.code, "msg": self.msg, "meta": {} });
        (self.status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
    }
}

/// Body encoding of a call, answered in kind.
#[derive(Clone, Copy)]
enum Codec {
    Protobuf,
    Json,
}

fn decode<T: Message + Default + DeserializeOwned>(codec: Codec, body: &[u8]) -> Result<T, TwirpError> {
    match codec {
        Codec::Protobuf => T::decode(body).map_err(|e| TwirpError::invalid(format!("bad protobuf body: {e}"))),
        Codec::Json if body.is_empty() => Ok(T::default()),
        Codec::Json => serde_json::from_slice(body).map_err(|e| TwirpError::invalid(format!("bad JSON body: {e}"))),
    }
}

fn encode<T: Message + Serialize>(codec: Codec, v: &T) -> Response {
    match codec {
        Codec::Protobuf => ([(header::CONTENT_TYPE, "application/protobuf")], v.encode_to_vec()).into_response(),
        Codec::Json => match serde_json::to_vec(v) {
            Ok(b) => ([(header::CONTENT_TYPE, "application/json")], b).into_response(),
            Err(e) => TwirpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()).into_response(),
        },
    }
}

/// Non-POST calls: Twirp's `bad_route`.
pub async fn bad_route() -> Response {
    TwirpError::new(StatusCode::NOT_FOUND, "bad_route", "Twirp methods are called with POST").into_response()
}

/// `POST /twirp/livekit.RoomService/{method}`
pub async fn handle(
    State(state): State<Arc<AppState>>,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let codec = match ct.split(';').next().unwrap_or("").trim() {
        "application/protobuf" | "application/x-protobuf" => Codec::Protobuf,
        "application/json" => Codec::Json,
        other => return TwirpError::invalid(format!("unsupported content type {other:?}")).into_response(),
    };
    let claims = match authenticate(&state, bearer(&headers, None)) {
        Ok(c) => c,
        Err(e) => return TwirpError::new(StatusCode::UNAUTHORIZED, "unauthenticated", e.message).into_response(),
    };
    match call(&state, &method, codec, &claims, &body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn grant(claims: &Claims) -> VideoGrant {
    claims.video.clone().unwrap_or_default()
}

fn require_admin(claims: &Claims, room: &str) -> Result<(), TwirpError> {
    let g = grant(claims);
    if g.room_admin && g.room == room { Ok(()) } else { Err(TwirpError::denied("requires roomAdmin for this room")) }
}

fn running(state: &AppState, room: &str) -> Result<RoomHandle, TwirpError> {
    state.rooms.get(room).ok_or_else(|| TwirpError::not_found(format!("room {room} does not exist")))
}

async fn admin(room: &RoomHandle, op: AdminOp) -> Result<AdminReply, TwirpError> {
    let (tx, rx) = oneshot::channel();
    room.tx.send(RoomInput::Admin(op, tx)).await.map_err(|_| TwirpError::not_found("room is closed"))?;
    let reply = rx.await.map_err(|_| TwirpError::not_found("room is closed"))?;
    Ok(reply?)
}

fn unexpected() -> TwirpError {
    TwirpError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "unexpected room reply")
}

async fn call(
    state: &AppState,
    method: &str,
    codec: Codec,
    claims: &Claims,
    body: &[u8],
) -> Result<Response, TwirpError> {
    match method {
        "CreateRoom" => {
            let req: lk::CreateRoomRequest = decode(codec, body)?;
            if !grant(claims).room_create {
                return Err(TwirpError::denied("requires roomCreate"));
            }
            if req.name.is_empty() || req.name.len() > 256 {
                return Err(TwirpError::invalid("room name must be 1-256 bytes"));
            }
            let room = state.rooms.get_or_create(&req.name, None);
            let op = if req.metadata.is_empty() { AdminOp::Info } else { AdminOp::SetMetadata(req.metadata) };
            let AdminReply::Room(info) = admin(&room, op).await? else { return Err(unexpected()) };
            Ok(encode(codec, &info))
        }
        "ListRooms" => {
            let req: lk::ListRoomsRequest = decode(codec, body)?;
            if !grant(claims).room_list {
                return Err(TwirpError::denied("requires roomList"));
            }
            let mut rooms = Vec::new();
            for h in state.rooms.list() {
                if !req.names.is_empty() && !req.names.contains(&h.name) {
                    continue;
                }
                if let Ok(AdminReply::Room(info)) = admin(&h, AdminOp::Info).await {
                    rooms.push(info);
                }
            }
            Ok(encode(codec, &lk::ListRoomsResponse { rooms }))
        }
        "DeleteRoom" => {
            let req: lk::DeleteRoomRequest = decode(codec, body)?;
            if !grant(claims).room_create {
                return Err(TwirpError::denied("requires roomCreate"));
            }
            let room = running(state, &req.room)?;
            admin(&room, AdminOp::Delete).await?;
            Ok(encode(codec, &lk::DeleteRoomResponse {}))
        }
        "ListParticipants" => {
            let req: lk::ListParticipantsRequest = decode(codec, body)?;
            require_admin(claims, &req.room)?;
            let AdminReply::Participants(participants) =
                admin(&running(state, &req.room)?, AdminOp::ListParticipants).await?
            else {
                return Err(unexpected());
            };
            Ok(encode(codec, &lk::ListParticipantsResponse { participants }))
        }
        "GetParticipant" => {
            let req: lk::RoomParticipantIdentity = decode(codec, body)?;
            require_admin(claims, &req.room)?;
            let op = AdminOp::GetParticipant(Identity::new(req.identity.as_str()));
            let AdminReply::Participant(p) = admin(&running(state, &req.room)?, op).await? else {
                return Err(unexpected());
            };
            Ok(encode(codec, &p))
        }
        "RemoveParticipant" => {
            let req: lk::RoomParticipantIdentity = decode(codec, body)?;
            require_admin(claims, &req.room)?;
            admin(&running(state, &req.room)?, AdminOp::RemoveParticipant(Identity::new(req.identity.as_str())))
                .await?;
            Ok(encode(codec, &lk::RemoveParticipantResponse {}))
        }
        "MutePublishedTrack" => {
            let req: lk::MuteRoomTrackRequest = decode(codec, body)?;
            require_admin(claims, &req.room)?;
            let op =
                AdminOp::Mute(Identity::new(req.identity.as_str()), TrackId::new(req.track_sid.as_str()), req.muted);
            let AdminReply::Track(track) = admin(&running(state, &req.room)?, op).await? else {
                return Err(unexpected());
            };
            Ok(encode(codec, &lk::MuteRoomTrackResponse { track: Some(track) }))
        }
        "UpdateParticipant" => {
            let req: lk::UpdateParticipantRequest = decode(codec, body)?;
            require_admin(claims, &req.room)?;
            let op = AdminOp::Update {
                identity: Identity::new(req.identity.as_str()),
                name: (!req.name.is_empty()).then_some(req.name),
                metadata: (!req.metadata.is_empty()).then_some(req.metadata),
                attributes: req.attributes,
                permission: req.permission,
            };
            let AdminReply::Participant(p) = admin(&running(state, &req.room)?, op).await? else {
                return Err(unexpected());
            };
            Ok(encode(codec, &p))
        }
        "SendData" => {
            let req: lk::SendDataRequest = decode(codec, body)?;
            require_admin(claims, &req.room)?;
            if req.data.len() > 64 * 1024 {
                return Err(TwirpError::invalid("data larger than 64 KiB"));
            }
            let reliable = req.kind != lk::data_packet::Kind::Lossy as i32;
            #[allow(deprecated)]
            let packet = lk::DataPacket {
                kind: req.kind,
                destination_identities: req.destination_identities.clone(),
                value: Some(lk::data_packet::Value::User(lk::UserPacket {
                    payload: req.data,
                    topic: req.topic,
                    destination_identities: req.destination_identities,
                    nonce: req.nonce,
                    ..Default::default()
                })),
                ..Default::default()
            };
            admin(&running(state, &req.room)?, AdminOp::SendData(packet, reliable)).await?;
            Ok(encode(codec, &lk::SendDataResponse {}))
        }
        "UpdateRoomMetadata" => {
            let req: lk::UpdateRoomMetadataRequest = decode(codec, body)?;
            require_admin(claims, &req.room)?;
            let AdminReply::Room(info) = admin(&running(state, &req.room)?, AdminOp::SetMetadata(req.metadata)).await?
            else {
                return Err(unexpected());
            };
            Ok(encode(codec, &info))
        }
        _ => Err(TwirpError::new(StatusCode::NOT_FOUND, "bad_route", format!("method {method} is not implemented"))),
    }
}
