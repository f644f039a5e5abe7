//! The simulated network and its seeded randomness.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::Instant;

use super::LATENCY;

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

/// The network: a FIFO (the latency is fixed) and a seeded loss per directed link.
#[derive(Default)]
pub struct Net {
    pub(crate) queue: VecDeque<(Instant, SocketAddr, SocketAddr, Vec<u8>)>,
    loss: HashMap<(SocketAddr, SocketAddr), (f64, XorShift)>,
    /// Datagrams dropped by the loss model.
    pub dropped: u64,
    /// Datagrams sent (dropped ones included).
    pub sent: u64,
}

impl Net {
    /// Drops a fraction `p` of the datagrams from `from` to `to`, with its own generator so the
    /// pattern on one link does not depend on the traffic of the others.
    pub fn set_loss(&mut self, from: SocketAddr, to: SocketAddr, p: f64, seed: u64) {
        self.loss.insert((from, to), (p, XorShift::new(seed)));
    }

    pub(crate) fn send(&mut self, now: Instant, source: SocketAddr, destination: SocketAddr, contents: &[u8]) {
        self.sent += 1;
        if let Some((p, rng)) = self.loss.get_mut(&(source, destination))
            && rng.chance(*p)
        {
            self.dropped += 1;
            return;
        }
        self.queue.push_back((now + LATENCY, source, destination, contents.to_vec()));
    }
}
