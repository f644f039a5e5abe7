//! Sans-IO media plane of Parlons.
//!
//! One [`Sfu`] is one shard: many participants, each with two str0m peers (LiveKit's v0
//! two-PeerConnection model: the client offers on its *publisher* peer, the server offers on its
//! *subscriber* peer). The shard forwards media between them, choosing a simulcast layer for
//! each subscription from the tile size the client reports and from the subscriber's bandwidth
//! estimate, and reports facts (answers, offers, data packets, audio levels, wanted layers) as
//! [`SfuEvent`]s. It knows nothing about rooms: the control plane decides who subscribes to what.
//!
//! There are no sockets, tasks or clocks here: every input carries `now`, and after each input the
//! caller drains [`Sfu::poll_output`] until it returns [`Output::Timeout`]. The shard drains every
//! str0m `Rtc` it touches itself, so str0m's own "drain until timeout" rule cannot be broken by a
//! caller. A panic inside one peer's `Rtc` drops that participant only ([`SfuEvent::PeerFailed`]).
//!
//! ```
//! use std::time::Instant;
//! use parlons_sfu::{Command, Output, Sfu, SfuConfig};
//! use parlons_types::ParticipantId;
//!
//! let now = Instant::now();
//! let config = SfuConfig::new(vec!["127.0.0.1:50000".parse().unwrap()]);
//! let mut sfu = Sfu::new(now, config);
//! sfu.handle_command(now, Command::AddParticipant { participant: ParticipantId::new("PA_a") })
//!     .unwrap();
//! // Drain: transmit datagrams, hand events to the control plane, then sleep until the deadline.
//! loop {
//!     match sfu.poll_output() {
//!         Output::Transmit(_datagram) => { /* socket.send_to(..) */ }
//!         Output::Event(_event) => { /* to the room */ }
//!         Output::Timeout(_deadline) => break,
//!     }
//! }
//! ```

mod command;
mod error;
mod forward;
mod keyframe;
mod layer;
mod peer;
mod sfu;
mod speaker;

pub use command::{Command, DataChannelKind, DownSettings, Output, PeerDirection, PeerState, SfuEvent};
pub use error::{Result, SfuError};
pub use forward::Timeline;
pub use keyframe::KeyframeThrottle;
pub use layer::{LayerRates, allocate, desired_quality};
pub use sfu::{Counters, Sfu, SfuConfig};
pub use speaker::SpeakerDetector;

/// str0m types that appear in this crate's API (datagrams in and out).
pub mod net {
    pub use str0m::net::Transmit;
}
