//! What the product API does to running meetings: moderation, live permission changes, host
//! notifications. Every call goes through the room's actor ([`AdminOp`]).

use std::collections::HashMap;

use parlons_room::proto as lk;
use parlons_store::RoomRecord;
use parlons_types::{Identity, TrackId};
use tokio::sync::oneshot;

use super::{AdminOp, AdminReply, RoomHandle, RoomInput};
use crate::access::grants::{HAND_ATTRIBUTE, ROLE_ATTRIBUTE, live_permission};
use crate::error::ApiError;

/// Runs one operation on a running room.
pub async fn admin(room: &RoomHandle, op: AdminOp) -> Result<AdminReply, ApiError> {
    let gone = || ApiError::not_found("meeting_not_running", "the meeting is not running");
    let (tx, rx) = oneshot::channel();
    room.tx.send(RoomInput::Admin(op, tx)).await.map_err(|_| gone())?;
    rx.await.map_err(|_| gone())?.map_err(|e| match e {
        parlons_room::RoomError::UnknownIdentity(_) => {
            ApiError::not_found("participant_not_found", "no such participant in the meeting")
        }
        other => ApiError::bad_request("refused", other.to_string()),
    })
}

/// Participants of a running room (empty when it does not run).
pub async fn participants(room: Option<&RoomHandle>) -> Vec<lk::ParticipantInfo> {
    let Some(room) = room else { return Vec::new() };
    match admin(room, AdminOp::ListParticipants).await {
        Ok(AdminReply::Participants(p)) => p,
        _ => Vec::new(),
    }
}

/// Whether a participant carries a host role attribute.
pub fn is_host_participant(p: &lk::ParticipantInfo) -> bool {
    matches!(p.attributes.get(ROLE_ATTRIBUTE).map(String::as_str), Some("owner" | "admin"))
}

/// Mutes a participant's tracks of `source` (all tracks when `None`); returns how many.
pub async fn mute(room: &RoomHandle, identity: &Identity, source: Option<lk::TrackSource>) -> Result<usize, ApiError> {
    let AdminReply::Participant(p) = admin(room, AdminOp::GetParticipant(identity.clone())).await? else {
        return Ok(0);
    };
    let mut n = 0;
    for t in p.tracks.iter().filter(|t| !t.muted && source.is_none_or(|s| t.source == s as i32)) {
        admin(room, AdminOp::Mute(identity.clone(), TrackId::new(t.sid.as_str()), true)).await?;
        n += 1;
    }
    Ok(n)
}

/// Clears a raised hand.
pub async fn lower_hand(room: &RoomHandle, identity: &Identity) -> Result<(), ApiError> {
    let attributes = HashMap::from([(HAND_ATTRIBUTE.to_string(), String::new())]);
    let op = AdminOp::Update { identity: identity.clone(), name: None, metadata: None, attributes, permission: None };
    admin(room, op).await.map(|_| ())
}

/// Shows a participant's new role and gives them the matching publish permission.
pub async fn set_role(room: &RoomHandle, rec: &RoomRecord, identity: &Identity, role: &str) -> Result<(), ApiError> {
    let host = matches!(role, "owner" | "admin");
    let attributes = HashMap::from([(ROLE_ATTRIBUTE.to_string(), role.to_string())]);
    let op = AdminOp::Update {
        identity: identity.clone(),
        name: None,
        metadata: None,
        attributes,
        permission: Some(live_permission(rec, host)),
    };
    admin(room, op).await.map(|_| ())
}

/// Applies changed settings to a running meeting: cap and publish permissions.
pub async fn apply_settings(room: &RoomHandle, rec: &RoomRecord) -> Result<(), ApiError> {
    admin(room, AdminOp::SetCap(rec.settings.max_participants)).await?;
    for p in participants(Some(room)).await {
        let perm = live_permission(rec, is_host_participant(&p));
        if p.permission.as_ref().is_some_and(|cur| cur.can_publish_sources == perm.can_publish_sources) {
            continue;
        }
        let op = AdminOp::Update {
            identity: Identity::new(p.identity.as_str()),
            name: None,
            metadata: None,
            attributes: HashMap::new(),
            permission: Some(perm),
        };
        // A participant who left meanwhile is not an error.
        let _ = admin(room, op).await;
    }
    Ok(())
}

/// Sends a reliable data packet on `topic` to the hosts in the meeting.
pub async fn notify_hosts(room: &RoomHandle, topic: &str, payload: Vec<u8>) {
    let hosts: Vec<String> =
        participants(Some(room)).await.into_iter().filter(is_host_participant).map(|p| p.identity).collect();
    if hosts.is_empty() {
        return;
    }
    #[allow(deprecated)]
    let packet = lk::DataPacket {
        kind: lk::data_packet::Kind::Reliable as i32,
        destination_identities: hosts.clone(),
        value: Some(lk::data_packet::Value::User(lk::UserPacket {
            payload,
            topic: Some(topic.to_string()),
            destination_identities: hosts,
            ..Default::default()
        })),
        ..Default::default()
    };
    let _ = admin(room, AdminOp::SendData(packet, true)).await;
}
