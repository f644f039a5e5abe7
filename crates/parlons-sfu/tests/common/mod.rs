//! Simulation harness shared by the scenario tests: client peers are plain str0m `Rtc`s, the
//! network is an in-memory queue with a fixed latency and seeded loss, and time is virtual.
//!
//! Each client has two peers (LiveKit v0): a *publisher* `Rtc` that offers, and a *subscriber*
//! `Rtc` that answers the shard's offers. Signalling is instantaneous and done by [`World`] from
//! the shard's events. Media is synthetic: VP8-shaped frames that carry their layer and frame
//! number (so the receiver can count them), and Opus-sized audio frames.
#![allow(dead_code)] // each scenario uses a part of the harness

mod media;
mod world;

pub use media::*;
pub use world::*;

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use parlons_types::{LayerSpec, Quality};

/// The shard's only host candidate.
pub const SFU_ADDR: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::new(198, 18, 0, 1)), 7882);
/// One-way latency of every link.
pub const LATENCY: Duration = Duration::from_millis(10);

/// The three layers every video publisher announces (q, h, f).
pub fn layer_specs() -> Vec<LayerSpec> {
    vec![
        LayerSpec { quality: Quality::Low, width: 320, height: 180, bitrate: 150_000 },
        LayerSpec { quality: Quality::Medium, width: 640, height: 360, bitrate: 500_000 },
        LayerSpec { quality: Quality::High, width: 1280, height: 720, bitrate: 1_700_000 },
    ]
}

/// xorshift64*: a tiny seeded PRNG, so losses and garbage are reproducible.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    /// A generator from a seed (0 is remapped).
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}
