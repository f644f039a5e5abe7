//! The control plane's error type. Every variant maps to a stable code for clients and logs.

use parlons_types::{Identity, ParticipantId, TrackId};

/// Why a room refused an input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RoomError {
    /// The participant is not in this room.
    #[error("participant {0} is not in the room")]
    UnknownParticipant(ParticipantId),
    /// No participant with this identity is in the room.
    #[error("no participant with identity {0}")]
    UnknownIdentity(Identity),
    /// The track does not exist in this room.
    #[error("track {0} is not in the room")]
    UnknownTrack(TrackId),
    /// The room is full.
    #[error("the room is full ({0} participants)")]
    RoomFull(u32),
    /// A resume named a participant whose identity differs from the token's.
    #[error("the session does not belong to this identity")]
    IdentityMismatch,
    /// The request is malformed (empty ids, too many tracks, …).
    #[error("invalid request: {0}")]
    InvalidRequest(&'static str),
    /// The participant lacks the permission for this request.
    #[error("not allowed: {0}")]
    NotAllowed(&'static str),
    /// The room has been closed.
    #[error("the room is closed")]
    Closed,
}

impl RoomError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            RoomError::UnknownParticipant(_) | RoomError::UnknownIdentity(_) => "participant_not_found",
            RoomError::UnknownTrack(_) => "track_not_found",
            RoomError::RoomFull(_) => "room_full",
            RoomError::IdentityMismatch => "identity_mismatch",
            RoomError::InvalidRequest(_) => "invalid_request",
            RoomError::NotAllowed(_) => "not_allowed",
            RoomError::Closed => "room_closed",
        }
    }
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, RoomError>;
