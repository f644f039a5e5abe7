//! What a room asks its driver to do.

use std::time::Instant;

use livekit_protocol as lk;
use parlons_types::ParticipantId;
use parlons_types::media::MediaCommand;

/// The webhook events a room raises (LiveKit names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookKind {
    /// `room_started`
    RoomStarted,
    /// `room_finished`
    RoomFinished,
    /// `participant_joined`
    ParticipantJoined,
    /// `participant_left`
    ParticipantLeft,
    /// `track_published`
    TrackPublished,
    /// `track_unpublished`
    TrackUnpublished,
}

impl WebhookKind {
    /// LiveKit's event name.
    pub fn name(self) -> &'static str {
        match self {
            WebhookKind::RoomStarted => "room_started",
            WebhookKind::RoomFinished => "room_finished",
            WebhookKind::ParticipantJoined => "participant_joined",
            WebhookKind::ParticipantLeft => "participant_left",
            WebhookKind::TrackPublished => "track_published",
            WebhookKind::TrackUnpublished => "track_unpublished",
        }
    }
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send a signal message to one participant's session (dropped if it has none right now).
    Signal {
        /// Recipient.
        to: ParticipantId,
        /// The message.
        msg: lk::signal_response::Message,
    },
    /// Close a participant's signalling session (after the signals queued before this effect).
    CloseSession {
        /// Whose session.
        participant: ParticipantId,
        /// Why, for logs.
        reason: lk::DisconnectReason,
    },
    /// A command for the media plane.
    Media(MediaCommand),
    /// A webhook to deliver (id and timestamp are added by the sender).
    Webhook {
        /// Which event.
        kind: WebhookKind,
        /// The room at the time of the event.
        room: lk::Room,
        /// The participant concerned, if any.
        participant: Option<lk::ParticipantInfo>,
        /// The track concerned, if any.
        track: Option<lk::TrackInfo>,
    },
    /// The room has been empty for its empty timeout, or was deleted: drop it.
    Finished,
}

/// What [`crate::Room::poll_output`] returns.
#[derive(Debug)]
// Moved once from producer to consumer; boxing would only add an allocation per message.
#[allow(clippy::large_enum_variant)]
pub enum RoomOutput {
    /// Something to do.
    Effect(Effect),
    /// Nothing until this instant (or new input).
    Timeout(Instant),
}
