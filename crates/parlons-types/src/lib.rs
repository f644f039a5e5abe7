//! Typed identifiers shared by the Parlons crates.
//!
//! Server-assigned ids follow LiveKit's shapes so the official SDKs accept them:
//! `PA_…` for participants, `TR_…` for tracks, `RM_…` for rooms. Display names and client-chosen
//! identities are kept apart from these ids (`Identity` is the JWT `sub`).
//!
//! Ids are cheap to clone (`Arc<str>` inside) because they travel on every control message.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub mod access;
pub mod media;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The LiveKit-style prefix of this kind of id.
            pub const PREFIX: &'static str = $prefix;

            /// Wraps an id received on the wire or read from storage.
            pub fn new(s: impl Into<Arc<str>>) -> Self {
                Self(s.into())
            }

            /// Makes a fresh id: the prefix followed by `suffix` (callers pass random characters).
            pub fn with_suffix(suffix: &str) -> Self {
                Self(format!("{}{}", $prefix, suffix).into())
            }

            /// The id as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::new(s)
            }
        }
    };
}

string_id!(
    /// Server id of one participant in one room (`PA_…`). A full rejoin gets a new one; a resume keeps it.
    ParticipantId,
    "PA_"
);
string_id!(
    /// Server id of one published track (`TR_…`).
    TrackId,
    "TR_"
);
string_id!(
    /// Server id of one room instance (`RM_…`).
    RoomId,
    "RM_"
);
string_id!(
    /// An account (`US_…`): a local user or an OpenID Connect subject.
    UserId,
    "US_"
);
string_id!(
    /// The participant's identity as given by its access token (`sub`); unique within a room.
    Identity,
    ""
);

/// The kind of a published track.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrackKind {
    /// Microphone or screen-share audio.
    Audio,
    /// Camera or screen-share video.
    Video,
}

/// Simulcast quality of a video layer, as LiveKit numbers them (`q`, `h`, `f` rids).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Quality {
    /// `q`: quarter resolution.
    Low,
    /// `h`: half resolution.
    Medium,
    /// `f`: full resolution.
    High,
}

impl Quality {
    /// All qualities, lowest first.
    pub const ALL: [Quality; 3] = [Quality::Low, Quality::Medium, Quality::High];

    /// The RTP stream id the JavaScript SDK uses for this quality.
    pub fn rid(self) -> &'static str {
        match self {
            Quality::Low => "q",
            Quality::Medium => "h",
            Quality::High => "f",
        }
    }

    /// The quality of a simulcast rid, if it is one LiveKit clients use.
    pub fn from_rid(rid: &str) -> Option<Quality> {
        match rid {
            "q" => Some(Quality::Low),
            "h" => Some(Quality::Medium),
            "f" => Some(Quality::High),
            _ => None,
        }
    }

    /// One step down, if any.
    pub fn lower(self) -> Option<Quality> {
        match self {
            Quality::Low => None,
            Quality::Medium => Some(Quality::Low),
            Quality::High => Some(Quality::Medium),
        }
    }
}

/// One simulcast layer as the publisher described it (`AddTrackRequest.layers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerSpec {
    /// Which layer.
    pub quality: Quality,
    /// Encoded width in pixels (0 when unknown).
    pub width: u32,
    /// Encoded height in pixels (0 when unknown).
    pub height: u32,
    /// Target bitrate in bits per second (0 when unknown).
    pub bitrate: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_prefix_and_display() {
        let p = ParticipantId::with_suffix("abc");
        assert_eq!(p.as_str(), "PA_abc");
        assert_eq!(p.to_string(), "PA_abc");
        assert_eq!(serde_json::to_string(&p).unwrap_or_default(), "\"PA_abc\"");
    }

    #[test]
    fn quality_rids_round_trip() {
        for q in Quality::ALL {
            assert_eq!(Quality::from_rid(q.rid()), Some(q));
        }
        assert_eq!(Quality::from_rid("x"), None);
        assert_eq!(Quality::High.lower(), Some(Quality::Medium));
        assert_eq!(Quality::Low.lower(), None);
    }
}
