//! Sans-IO control plane of Parlons: one [`Room`] holds its participants, their tracks and
//! subscriptions, and speaks LiveKit's signalling semantics (protocol 17, v0 two-peer mode).
//!
//! The room never touches a socket, a task or a clock. The server's room actor feeds it
//! ([`Room::handle_join`], [`Room::handle_signal`], [`Room::handle_media`], …, each with `now`) and
//! drains [`Room::poll_output`] until it returns [`RoomOutput::Timeout`], carrying out each
//! [`Effect`]: send a signal message to one participant, run a media command on the SFU, close a
//! session, fire a webhook.
//!
//! ```
//! use std::time::Instant;
//! use parlons_room::{Effect, JoinRequest, Room, RoomConfig, RoomOutput};
//! use parlons_types::{Identity, RoomId};
//!
//! let now = Instant::now();
//! let mut room = Room::new(now, RoomConfig::new(RoomId::new("RM_demo"), "demo"));
//! let alice = room.handle_join(now, JoinRequest::new(Identity::new("alice"), "Alice")).unwrap();
//! let mut sent_join = false;
//! loop {
//!     match room.poll_output() {
//!         RoomOutput::Effect(Effect::Signal { to, .. }) if to == alice => sent_join = true,
//!         RoomOutput::Effect(_) => {}
//!         RoomOutput::Timeout(_) => break,
//!     }
//! }
//! assert!(sent_join);
//! ```

// Clients of protocol 17 still read fields LiveKit marks deprecated (UserPacket identities,
// TrackInfo.layers, subscribed_qualities…): Parlons fills both the old and the new ones.
#![allow(deprecated)]

mod data;
mod effect;
mod error;
mod join;
mod participant;
mod room;
mod signal;

pub use effect::{Effect, RoomOutput, WebhookKind};
pub use error::{Result, RoomError};
pub use join::{JoinRequest, Permissions};
pub use room::{Room, RoomConfig};

/// LiveKit's protobuf types, as Parlons uses them.
pub use livekit_protocol as proto;

/// The LiveKit server version Parlons reports. livekit-client refuses an empty version and gates
/// features on it (`docs/protocol.md` explains the choice): 1.13.5 keeps dynacast on, allows RPC
/// (≥ 1.8.0) and keeps VP9/AV1 as SVC (rid simulcast for them needs > 1.13.6).
pub const SERVER_VERSION: &str = "1.13.5";
/// The signalling protocol version spoken (livekit-client 2.23 / livekit-server 1.13).
pub const PROTOCOL_VERSION: i32 = 17;
