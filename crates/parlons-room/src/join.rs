//! What a participant brings when it joins: identity, name and the grants of its token.

use std::collections::HashMap;

use livekit_protocol as lk;
use parlons_types::Identity;

/// Permissions from the token's video grant (absent publish/subscribe/data grants mean allowed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permissions {
    /// May receive tracks.
    pub can_subscribe: bool,
    /// May publish tracks.
    pub can_publish: bool,
    /// May send data packets.
    pub can_publish_data: bool,
    /// Sources it may publish (empty = any).
    pub can_publish_sources: Vec<lk::TrackSource>,
    /// May change its own name, metadata and attributes.
    pub can_update_metadata: bool,
    /// Invisible to others (recorders, agents).
    pub hidden: bool,
    /// A recorder.
    pub recorder: bool,
}

impl Default for Permissions {
    fn default() -> Self {
        Permissions {
            can_subscribe: true,
            can_publish: true,
            can_publish_data: true,
            can_publish_sources: Vec::new(),
            can_update_metadata: false,
            hidden: false,
            recorder: false,
        }
    }
}

impl Permissions {
    /// As LiveKit's protobuf.
    pub fn to_proto(&self) -> lk::ParticipantPermission {
        lk::ParticipantPermission {
            can_subscribe: self.can_subscribe,
            can_publish: self.can_publish,
            can_publish_data: self.can_publish_data,
            can_publish_sources: self.can_publish_sources.iter().map(|s| *s as i32).collect(),
            hidden: self.hidden,
            recorder: self.recorder,
            can_update_metadata: self.can_update_metadata,
            ..Default::default()
        }
    }

    /// From LiveKit's protobuf (RoomService `UpdateParticipant`).
    pub fn from_proto(p: &lk::ParticipantPermission) -> Self {
        Permissions {
            can_subscribe: p.can_subscribe,
            can_publish: p.can_publish,
            can_publish_data: p.can_publish_data,
            can_publish_sources: p
                .can_publish_sources
                .iter()
                .filter_map(|s| lk::TrackSource::try_from(*s).ok())
                .collect(),
            can_update_metadata: p.can_update_metadata,
            hidden: p.hidden,
            recorder: p.recorder,
        }
    }

    /// Whether a track of this source may be published.
    pub fn may_publish(&self, source: lk::TrackSource) -> bool {
        self.can_publish && (self.can_publish_sources.is_empty() || self.can_publish_sources.contains(&source))
    }
}

/// A validated request to enter a room.
#[derive(Clone, Debug)]
pub struct JoinRequest {
    /// The token's `sub`.
    pub identity: Identity,
    /// Display name.
    pub name: String,
    /// Opaque application metadata.
    pub metadata: String,
    /// Key/value attributes.
    pub attributes: HashMap<String, String>,
    /// Grants.
    pub permissions: Permissions,
    /// Subscribe to everything published (the `auto_subscribe` query parameter).
    pub auto_subscribe: bool,
    /// Client protocol version (`protocol` query parameter).
    pub protocol: i32,
    /// Unix time of the join in milliseconds (the room has no wall clock).
    pub joined_at_ms: i64,
    /// The name comes from the participant's account: it cannot change it.
    pub name_locked: bool,
}

impl JoinRequest {
    /// A join with default grants, auto-subscribe on.
    pub fn new(identity: Identity, name: &str) -> Self {
        JoinRequest {
            identity,
            name: name.to_string(),
            metadata: String::new(),
            attributes: HashMap::new(),
            permissions: Permissions::default(),
            auto_subscribe: true,
            protocol: crate::PROTOCOL_VERSION,
            joined_at_ms: 0,
            name_locked: false,
        }
    }
}
