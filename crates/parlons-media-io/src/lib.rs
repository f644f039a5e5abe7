//! The tokio driver of the Parlons media plane: the only place where tokio meets str0m.
//!
//! [`spawn_shard`] runs one [`parlons_sfu::Sfu`] in one task that owns one UDP socket. The task is
//! a single `tokio::select!` over cancellation, the next str0m deadline, incoming datagrams and
//! commands; every branch is cancel-safe. Facts from the shard go out on an unbounded channel so
//! the media task never waits for the control plane (events are few: answers, offers, levels).

mod shard;
mod stats;

pub use shard::{ShardHandle, spawn_shard};
pub use stats::ShardStats;
