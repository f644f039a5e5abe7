//! Room actors and the registry that finds them.
//!
//! One tokio task per room owns its sans-IO [`parlons_room::Room`]; sessions, the HTTP API and the
//! media dispatcher talk to it with messages ([`RoomInput`]).

mod actor;
pub mod live;
mod registry;

pub use actor::{AdminOp, AdminReply, RecorderEvent, RecorderLink, RoomInput, SESSION_OUTBOX_CAPACITY, SessionOut};
pub use registry::{RoomHandle, Rooms, TapFrame};
