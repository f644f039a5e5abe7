//! Simulation harness shared by the scenario tests: client peers are plain str0m `Rtc`s, the
//! network is an in-memory queue with a fixed latency and seeded loss, and time is virtual.
//!
//! Each client has two peers (LiveKit v0): a *publisher* `Rtc` that offers, and a *subscriber*
//! `Rtc` that answers the shard's offers. Signalling is instantaneous and done by [`World`] from
//! the shard's events. Media is synthetic: VP8-shaped frames that carry their layer and frame
//! number (so the receiver can count them), and Opus-sized audio frames.
#![allow(dead_code)] // each scenario uses a part of the harness

mod client;
mod media;
mod meter;
mod net;
mod world;

pub use client::*;
pub use media::*;
pub use meter::*;
pub use net::*;
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
