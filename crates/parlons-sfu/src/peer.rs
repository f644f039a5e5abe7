//! One str0m `Rtc` and the bookkeeping around it, plus the per-participant and per-track state
//! of the shard.

use std::collections::HashMap;
use std::time::Instant;

use parlons_types::{LayerSpec, ParticipantId, Quality, TrackId, TrackKind};
use str0m::Rtc;
use str0m::change::SdpPendingOffer;
use str0m::channel::ChannelId;
use str0m::media::Mid;

use crate::command::{DataChannelKind, DownSettings, PeerDirection};
use crate::forward::{LayerSwitch, Timeline};
use crate::keyframe::KeyframeThrottle;
use crate::layer::LayerRates;
use crate::speaker::SpeakerDetector;

/// Index of a peer in the shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PeerKey(pub u64);

/// One str0m peer.
pub(crate) struct Peer {
    pub participant: ParticipantId,
    pub direction: PeerDirection,
    pub rtc: Rtc,
    /// When str0m next wants `Input::Timeout`.
    pub next_timeout: Instant,
    /// Whether ICE is currently connected (for the `PeerState` events).
    pub connected: bool,
    /// Whether ICE ever connected (a peer that never does is dropped after a timeout).
    pub ever_connected: bool,
    /// LiveKit data channels opened by the client on this peer.
    pub channels: HashMap<DataChannelKind, ChannelId>,
    /// Subscriber peer: the offer in flight and its id.
    pub pending_offer: Option<(u32, SdpPendingOffer)>,
    /// Subscriber peer: the SDP of the offer in flight, when it was (re)sent, and resends so far.
    pub pending_sdp: Option<(String, Instant, u32)>,
    /// Subscriber peer: id of the last offer made.
    pub offer_seq: u32,
    /// Subscriber peer: the next offer must restart ICE.
    pub restart_ice: bool,
    /// Subscriber peer: an offer/answer exchange has completed at least once.
    pub negotiated: bool,
    /// Subscriber peer: the first m-line offered, which tags the BUNDLE group. It is never
    /// stopped, only made inactive: browsers close the DTLS transport (close_notify), and the
    /// peer with it, when the tagged m-line is rejected or the group is left empty.
    pub bundle_tag: Option<Mid>,
}

impl Peer {
    pub fn new(participant: ParticipantId, direction: PeerDirection, rtc: Rtc, now: Instant) -> Self {
        Peer {
            participant,
            direction,
            rtc,
            next_timeout: now,
            connected: false,
            ever_connected: false,
            channels: HashMap::new(),
            pending_offer: None,
            pending_sdp: None,
            offer_seq: 0,
            restart_ice: false,
            negotiated: false,
            bundle_tag: None,
        }
    }
}

/// A participant in the shard: its two peers and what it receives.
pub(crate) struct Member {
    pub publisher: PeerKey,
    pub subscriber: PeerKey,
    /// Subscriptions, by track.
    pub downs: HashMap<TrackId, Down>,
    /// Latest egress estimate of the subscriber peer (bits per second).
    pub estimate_bps: u64,
    /// When the participant was added (for the ICE timeout and the first offer's grace).
    pub added_at: Instant,
    /// Whether the client has sent its publisher offer (it is ready for ours).
    pub publisher_offered: bool,
}

/// How long a new subscription waits for its tile size before dynacast trusts its wish.
const DYNACAST_SETTLE: std::time::Duration = std::time::Duration::from_secs(1);

/// Negotiation state of one subscription's m-line on the subscriber peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DownState {
    /// Waiting for the next offer.
    ToOpen,
    /// Offered, answer pending.
    Negotiating(Mid),
    /// Media may be written.
    Open(Mid),
    /// To be removed in the next offer.
    ToStop(Mid),
    /// Removal offered, answer pending.
    NegotiatingStop(Mid),
}

/// One subscription: a track sent to one subscriber.
pub(crate) struct Down {
    pub state: DownState,
    pub kind: TrackKind,
    pub settings: DownSettings,
    pub switch: LayerSwitch,
    pub timeline: Timeline,
    /// Layer the subscriber wants (tile size, before bandwidth), which drives dynacast: the
    /// publisher keeps encoding what someone wants, bandwidth only limits what we forward.
    pub desired: Option<Quality>,
    /// Whether the subscriber was last told this stream is active.
    pub reported_active: bool,
    /// Subscribed again while its removal was being negotiated: reopen after the answer.
    pub reopen: bool,
    /// When the subscription was made, and whether the client has reported its tile size since:
    /// until then it asks dynacast for the low layer only (adaptive-stream clients report within
    /// moments; a fresh subscription must not switch the publisher's high layer on for nothing).
    pub created: Instant,
    pub sized: bool,
}

impl Down {
    pub fn new(kind: TrackKind, now: Instant) -> Self {
        Down {
            state: DownState::ToOpen,
            kind,
            settings: DownSettings::default(),
            switch: LayerSwitch::default(),
            timeline: Timeline::default(),
            desired: None,
            reported_active: true,
            reopen: false,
            created: now,
            sized: false,
        }
    }

    /// The layer this subscription asks the publisher to encode (dynacast).
    pub fn dynacast_want(&self, now: Instant) -> Option<Quality> {
        let settled = self.sized || now.saturating_duration_since(self.created) >= DYNACAST_SETTLE;
        if settled { self.desired } else { self.desired.map(|q| q.min(Quality::Low)) }
    }

    pub fn open_mid(&self) -> Option<Mid> {
        match self.state {
            DownState::Open(m) => Some(m),
            _ => None,
        }
    }
}

/// Per-layer measurements of a published video track.
#[derive(Default, Clone)]
pub(crate) struct LayerStats {
    /// Bytes received since the last rate tick, per layer (index = `Quality as usize`).
    pub bytes: [u64; 3],
    /// When each layer last delivered a frame.
    pub last_seen: [Option<Instant>; 3],
    pub rates: LayerRates,
}

/// A published track.
pub(crate) struct UpTrack {
    pub publisher: ParticipantId,
    pub kind: TrackKind,
    pub cid: String,
    pub layers: Vec<LayerSpec>,
    /// The publisher peer's m-line carrying it, once bound.
    pub mid: Option<Mid>,
    /// Whether the m-line announced simulcast.
    pub simulcast: bool,
    pub stats: LayerStats,
    /// One throttle per layer (index 3 = no simulcast).
    pub keyframe: [KeyframeThrottle; 4],
    pub speaker: SpeakerDetector,
    pub subscribers: Vec<ParticipantId>,
    /// Last dynacast maximum reported (`Some(None)` = nobody watches).
    pub reported_max: Option<Option<Quality>>,
    /// Frames copied to the control plane (recording), if tapped.
    pub tap: Option<Tap>,
}

/// A track tapped for the control plane: the best live layer, with continuous RTP time.
#[derive(Default)]
pub(crate) struct Tap {
    pub switch: crate::forward::LayerSwitch,
    pub timeline: crate::forward::Timeline,
}

impl UpTrack {
    pub fn new(publisher: ParticipantId, kind: TrackKind, cid: String, layers: Vec<LayerSpec>) -> Self {
        let mut stats = LayerStats::default();
        for l in &layers {
            stats.rates.announced[l.quality as usize] = u64::from(l.bitrate);
        }
        UpTrack {
            publisher,
            kind,
            cid,
            layers,
            mid: None,
            simulcast: false,
            stats,
            keyframe: Default::default(),
            speaker: SpeakerDetector::default(),
            subscribers: Vec::new(),
            reported_max: None,
            tap: None,
        }
    }

    /// Whether a layer delivered a frame within the last second.
    pub fn layer_live(&self, q: Quality, now: Instant) -> bool {
        self.stats.last_seen[q as usize]
            .is_some_and(|t| now.saturating_duration_since(t) < std::time::Duration::from_secs(1))
    }

    /// The layer actually sent for an allocated one: itself if it flows, else the best live one
    /// below, else the lowest live one above; the allocated layer if none flows yet.
    pub fn available(&self, want: Quality, now: Instant) -> Quality {
        if self.layer_live(want, now) {
            return want;
        }
        let below = Quality::ALL.iter().rev().copied().find(|&q| q < want && self.layer_live(q, now));
        let above = Quality::ALL.iter().copied().find(|&q| q > want && self.layer_live(q, now));
        below.or(above).unwrap_or(want)
    }
}
