//! Meeting tokens minted by the product API: least privilege from the room's publish policy
//! and the person's standing; `roomAdmin` for hosts only; short-lived (refreshed over
//! signalling).

use std::collections::HashMap;

use parlons_room::proto as lk;
use parlons_store::RoomRecord;
use parlons_types::Identity;

use super::entry::Standing;
use crate::token::{self, Claims, VideoGrant};

/// Participant attribute carrying the person's standing (`owner|admin|member|user|guest`).
pub const ROLE_ATTRIBUTE: &str = "parlons.role";
/// Participant attribute of a raised hand (set by the client, cleared by hosts).
pub const HAND_ATTRIBUTE: &str = "parlons.hand";

/// Claims of a participant token for `room`; `name_locked` when the name is the account's.
pub fn participant_claims(
    api_key: &str,
    room: &RoomRecord,
    identity: &Identity,
    name: &str,
    standing: Standing,
    ttl_secs: u64,
    name_locked: bool,
) -> Claims {
    let now = token::unix_now();
    let host = standing.is_host();
    let sources: Vec<String> = room.settings.publish.sources(host).into_iter().map(str::to_string).collect();
    Claims {
        iss: api_key.to_string(),
        sub: identity.as_str().to_string(),
        name: name.to_string(),
        attributes: HashMap::from([(ROLE_ATTRIBUTE.to_string(), standing.attribute().to_string())]),
        exp: now + ttl_secs,
        nbf: Some(now.saturating_sub(60)),
        iat: Some(now),
        parlons_name_locked: name_locked,
        video: Some(VideoGrant {
            room_join: true,
            room: room.slug.clone(),
            room_admin: host,
            can_publish: Some(!sources.is_empty()),
            can_publish_sources: sources,
            can_subscribe: Some(true),
            can_publish_data: Some(true),
            can_update_own_metadata: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The live permission of a participant after a policy or role change.
pub fn live_permission(room: &RoomRecord, host: bool) -> lk::ParticipantPermission {
    let sources: Vec<i32> = room
        .settings
        .publish
        .sources(host)
        .into_iter()
        .filter_map(|s| match s {
            "camera" => Some(lk::TrackSource::Camera as i32),
            "microphone" => Some(lk::TrackSource::Microphone as i32),
            "screen_share" => Some(lk::TrackSource::ScreenShare as i32),
            "screen_share_audio" => Some(lk::TrackSource::ScreenShareAudio as i32),
            _ => None,
        })
        .collect();
    lk::ParticipantPermission {
        can_subscribe: true,
        can_publish: !sources.is_empty(),
        can_publish_data: true,
        can_publish_sources: sources,
        can_update_metadata: true,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use parlons_store::RoomSettings;
    use parlons_types::access::{PublishPolicy, PublishWho, RoomRole};

    use super::*;

    fn room() -> RoomRecord {
        RoomRecord {
            id: "x".into(),
            slug: "abc-defg-hij".into(),
            name: "n".into(),
            settings: RoomSettings {
                publish: PublishPolicy { screen_share: PublishWho::Hosts, ..Default::default() },
                ..Default::default()
            },
            created_at: 0,
            last_used_at: None,
            ended_at: None,
        }
    }

    #[test]
    fn guests_get_least_privilege_and_hosts_get_admin() {
        let g = participant_claims("k", &room(), &Identity::new("g-1"), "G", Standing::Guest, 600, false);
        let v = g.video.clone().unwrap_or_default();
        assert!(!v.room_admin && v.room_join && v.room == "abc-defg-hij");
        assert_eq!(v.can_publish_sources, vec!["camera", "microphone"]);
        assert_eq!(g.attributes.get(ROLE_ATTRIBUTE).map(String::as_str), Some("guest"));
        assert!(g.exp <= token::unix_now() + 600);

        let h =
            participant_claims("k", &room(), &Identity::new("u-US_1"), "H", Standing::Role(RoomRole::Owner), 600, true);
        let v = h.video.unwrap_or_default();
        assert!(v.room_admin);
        assert_eq!(v.can_publish_sources.len(), 4);
        assert_eq!(live_permission(&room(), false).can_publish_sources.len(), 2);
    }
}
