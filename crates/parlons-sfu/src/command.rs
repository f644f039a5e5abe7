//! What the shard gives back to its driver.

use std::time::Instant;

pub use parlons_types::media::{
    DataChannelKind, DownSettings, MediaCommand as Command, MediaEvent as SfuEvent, PeerDirection, PeerState,
};

/// What [`crate::Sfu::poll_output`] returns.
#[derive(Debug)]
pub enum Output {
    /// A datagram to send.
    Transmit(str0m::net::Transmit),
    /// A fact for the control plane.
    Event(SfuEvent),
    /// Nothing more until this instant (or new input).
    Timeout(Instant),
}
