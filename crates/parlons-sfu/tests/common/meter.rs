//! A meter on the shard's own calls, for the forwarding benchmark (`bench_forwarding.rs`): wall
//! time spent inside `Sfu::handle_*` and `Sfu::poll_output` (client peers and the network are not
//! counted), and the datagrams the shard took in and sent out, sorted by what their first bytes say
//! they are. Scenario tests ignore it; metering does not change what the world does.

use std::ops::Sub;
use std::time::{Duration, Instant};

/// What a datagram is, by its first byte (RFC 7983) and, for RTP/RTCP, the payload type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// STUN (first byte 0..=3).
    Stun,
    /// DTLS (20..=63).
    Dtls,
    /// RTCP (first byte 128..=191, payload type 192..=223 with the marker bit).
    Rtcp,
    /// RTP with this payload type (SRTP leaves the header in the clear).
    Rtp(u8),
    /// RTP with this payload type and the padding bit set (BWE padding/probes).
    RtpPadded(u8),
    /// Anything else.
    Other,
}

impl Wire {
    /// Classifies one datagram.
    pub fn of(b: &[u8]) -> Wire {
        match b.first() {
            Some(0..=3) => Wire::Stun,
            Some(20..=63) => Wire::Dtls,
            Some(128..=191) if b.len() >= 2 => {
                let pt = b[1] & 0x7F;
                if (64..=95).contains(&pt) {
                    Wire::Rtcp
                } else if b[0] & 0x20 != 0 {
                    Wire::RtpPadded(pt)
                } else {
                    Wire::Rtp(pt)
                }
            }
            _ => Wire::Other,
        }
    }
}

/// Datagrams and bytes of one direction, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireCount {
    /// STUN datagrams.
    pub stun: u64,
    /// DTLS datagrams.
    pub dtls: u64,
    /// RTCP datagrams.
    pub rtcp: u64,
    /// RTP datagrams by payload type (padded ones included).
    pub rtp: [u64; 128],
    /// RTP datagrams with the padding bit set, by payload type.
    pub rtp_padded: [u64; 128],
    /// Bytes of the RTP datagrams by payload type.
    pub rtp_bytes: [u64; 128],
    /// Unclassified datagrams.
    pub other: u64,
    /// All bytes.
    pub bytes: u64,
}

impl Default for WireCount {
    fn default() -> Self {
        WireCount {
            stun: 0,
            dtls: 0,
            rtcp: 0,
            rtp: [0; 128],
            rtp_padded: [0; 128],
            rtp_bytes: [0; 128],
            other: 0,
            bytes: 0,
        }
    }
}

impl WireCount {
    /// Counts one datagram.
    pub fn add(&mut self, b: &[u8]) {
        self.bytes += b.len() as u64;
        match Wire::of(b) {
            Wire::Stun => self.stun += 1,
            Wire::Dtls => self.dtls += 1,
            Wire::Rtcp => self.rtcp += 1,
            Wire::Rtp(pt) => {
                self.rtp[usize::from(pt)] += 1;
                self.rtp_bytes[usize::from(pt)] += b.len() as u64;
            }
            Wire::RtpPadded(pt) => {
                self.rtp[usize::from(pt)] += 1;
                self.rtp_padded[usize::from(pt)] += 1;
                self.rtp_bytes[usize::from(pt)] += b.len() as u64;
            }
            Wire::Other => self.other += 1,
        }
    }

    /// RTP datagrams whose payload type passes `f`.
    pub fn rtp_where(&self, f: impl Fn(u8) -> bool) -> u64 {
        (0..128u8).filter(|pt| f(*pt)).map(|pt| self.rtp[usize::from(pt)]).sum()
    }

    /// RTP datagrams without the padding bit whose payload type passes `f`.
    pub fn unpadded_where(&self, f: impl Fn(u8) -> bool) -> u64 {
        (0..128u8).filter(|pt| f(*pt)).map(|pt| self.rtp[usize::from(pt)] - self.rtp_padded[usize::from(pt)]).sum()
    }

    /// All RTP datagrams with the padding bit.
    pub fn padded_total(&self) -> u64 {
        self.rtp_padded.iter().sum()
    }

    /// All RTP datagrams.
    pub fn rtp_total(&self) -> u64 {
        self.rtp.iter().sum()
    }

    /// All datagrams.
    pub fn total(&self) -> u64 {
        self.stun + self.dtls + self.rtcp + self.other + self.rtp_total()
    }
}

impl Sub for WireCount {
    type Output = WireCount;
    fn sub(self, o: WireCount) -> WireCount {
        let mut r = WireCount {
            stun: self.stun - o.stun,
            dtls: self.dtls - o.dtls,
            rtcp: self.rtcp - o.rtcp,
            other: self.other - o.other,
            bytes: self.bytes - o.bytes,
            ..WireCount::default()
        };
        for i in 0..128 {
            r.rtp[i] = self.rtp[i] - o.rtp[i];
            r.rtp_padded[i] = self.rtp_padded[i] - o.rtp_padded[i];
            r.rtp_bytes[i] = self.rtp_bytes[i] - o.rtp_bytes[i];
        }
        r
    }
}

/// Cumulative time inside the shard and its traffic. Take a copy before and after a window and
/// subtract.
#[derive(Debug, Clone, Copy, Default)]
pub struct SfuMeter {
    /// Wall time inside `handle_receive`, `handle_timeout`, `handle_command` and `poll_output`.
    pub busy: Duration,
    /// Calls of `handle_receive`.
    pub receives: u64,
    /// Calls of `handle_timeout`.
    pub timeouts: u64,
    /// Calls of `handle_command`.
    pub commands: u64,
    /// Calls of `poll_output`.
    pub polls: u64,
    /// Datagrams the shard was given (refused ones included).
    pub rx: WireCount,
    /// Datagrams the shard sent to subscriber peers (port 5001 of a client).
    pub tx_sub: WireCount,
    /// Datagrams the shard sent to publisher peers.
    pub tx_pub: WireCount,
}

impl SfuMeter {
    /// Runs `f` (one call into the shard) and adds its wall time.
    #[inline(always)]
    pub(crate) fn time<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let t0 = Instant::now();
        let r = f();
        self.busy += t0.elapsed();
        r
    }

    /// Calls into the shard of every kind.
    pub fn calls(&self) -> u64 {
        self.receives + self.timeouts + self.commands + self.polls
    }
}

impl Sub for SfuMeter {
    type Output = SfuMeter;
    fn sub(self, o: SfuMeter) -> SfuMeter {
        SfuMeter {
            busy: self.busy - o.busy,
            receives: self.receives - o.receives,
            timeouts: self.timeouts - o.timeouts,
            commands: self.commands - o.commands,
            polls: self.polls - o.polls,
            rx: self.rx - o.rx,
            tx_sub: self.tx_sub - o.tx_sub,
            tx_pub: self.tx_pub - o.tx_pub,
        }
    }
}
