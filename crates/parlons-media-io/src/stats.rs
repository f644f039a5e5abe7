//! Counters of one shard, read by the metrics endpoint.
//!
//! Plain relaxed atomics: written by the shard task only, read by the scraper; no lock on the
//! media path.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of one shard.
#[derive(Debug, Default)]
pub struct ShardStats {
    /// Datagrams received on the shard's socket.
    pub packets_in: AtomicU64,
    /// Bytes received.
    pub bytes_in: AtomicU64,
    /// Datagrams sent.
    pub packets_out: AtomicU64,
    /// Bytes sent.
    pub bytes_out: AtomicU64,
    /// Datagrams no peer claimed.
    pub packets_unclaimed: AtomicU64,
    /// Participants currently in the shard.
    pub participants: AtomicU64,
    /// Keyframe requests sent to publishers.
    pub keyframe_requests: AtomicU64,
    /// NACKs received from subscribers.
    pub nacks: AtomicU64,
    /// Peers whose ICE is connected.
    pub peers_connected: AtomicU64,
    /// All peers.
    pub peers: AtomicU64,
    /// Published tracks.
    pub tracks: AtomicU64,
}

impl ShardStats {
    pub(crate) fn add(counter: &AtomicU64, v: u64) {
        counter.fetch_add(v, Ordering::Relaxed);
    }

    /// Reads a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
