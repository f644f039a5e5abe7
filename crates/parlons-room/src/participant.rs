//! One participant as the room sees it.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use livekit_protocol as lk;
use parlons_types::media::DownSettings;
use parlons_types::{Identity, ParticipantId, TrackId};

use crate::join::Permissions;

/// Whether a participant's signalling session is up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Session {
    /// A WebSocket is attached.
    Attached,
    /// The WebSocket dropped at this instant; the participant may resume until the window ends.
    Detached(Instant),
}

/// A track announced with `add_track` whose media has not arrived yet.
#[derive(Clone, Debug)]
pub(crate) struct PendingTrack {
    pub info: lk::TrackInfo,
    /// Codec for dynacast messages (`vp8`, `h264`…).
    pub codec: String,
}

pub(crate) struct Participant {
    pub id: ParticipantId,
    pub identity: Identity,
    /// What others see; `version` grows on every change.
    pub info: lk::ParticipantInfo,
    pub permissions: Permissions,
    pub auto_subscribe: bool,
    /// The name comes from an account and cannot be changed by the participant.
    pub name_locked: bool,
    pub session: Session,
    pub pending: Vec<PendingTrack>,
    /// Codec per published track, for dynacast messages.
    pub codecs: HashMap<TrackId, String>,
    /// Tracks this participant receives.
    pub subscriptions: HashSet<TrackId>,
    /// Adaptive-stream settings, kept even before the subscription exists.
    pub settings: HashMap<TrackId, DownSettings>,
    /// Highest reliable data-packet sequence seen (LiveKit drops replays).
    pub last_reliable_seq: u32,
}

impl Participant {
    /// Bumps the version after a change others must see.
    pub fn touch(&mut self) {
        self.info.version += 1;
    }

    pub fn track(&self, id: &TrackId) -> Option<&lk::TrackInfo> {
        self.info.tracks.iter().find(|t| t.sid == id.as_str())
    }

    pub fn is_visible(&self) -> bool {
        !self.permissions.hidden && self.info.state != lk::participant_info::State::Disconnected as i32
    }
}
