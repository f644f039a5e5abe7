//! The media plane's error type.

use parlons_types::{ParticipantId, TrackId};

/// What can go wrong when the control plane drives the media plane.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SfuError {
    /// The participant is not (or no longer) in this shard.
    #[error("unknown participant {0}")]
    UnknownParticipant(ParticipantId),
    /// The participant was already added.
    #[error("participant {0} already exists")]
    DuplicateParticipant(ParticipantId),
    /// The track is not known to this shard.
    #[error("unknown track {0}")]
    UnknownTrack(TrackId),
    /// The remote SDP could not be parsed or was refused by str0m.
    #[error("invalid SDP: {0}")]
    InvalidSdp(String),
    /// An answer arrived for an offer that is not the one in flight.
    #[error("answer {got} does not match the offer in flight ({expected:?})")]
    UnexpectedAnswer {
        /// The id the client answered.
        got: u32,
        /// The id of the offer we are waiting for, if any.
        expected: Option<u32>,
    },
    /// A peer's state machine panicked; the participant has been dropped.
    #[error("peer of {0} failed and was removed")]
    PeerPanicked(ParticipantId),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, SfuError>;
