//! The language between the control plane (rooms) and the media plane (SFU shards).
//!
//! Commands are imperative, events are past-tense facts. They live here, below both planes, so the
//! room crate never depends on str0m and the shard never depends on LiveKit's protobufs.

use crate::{LayerSpec, ParticipantId, Quality, TrackId, TrackKind};

/// Which of a participant's two peers (LiveKit v0 model).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeerDirection {
    /// The client sends media here; the client offers, the server answers.
    Publish,
    /// The server sends media here; the server offers, the client answers.
    Subscribe,
}

/// Connectivity of one peer, as the control plane needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerState {
    /// ICE and DTLS are up.
    Connected,
    /// ICE lost the path (the client may come back, e.g. after an ICE restart).
    Disconnected,
}

/// The two data channels LiveKit clients open (`_reliable`, `_lossy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataChannelKind {
    /// `_reliable`: ordered, retransmitted.
    Reliable,
    /// `_lossy`: unordered, no retransmission.
    Lossy,
}

impl DataChannelKind {
    /// The channel label LiveKit clients use.
    pub fn label(self) -> &'static str {
        match self {
            DataChannelKind::Reliable => "_reliable",
            DataChannelKind::Lossy => "_lossy",
        }
    }

    /// The kind of a channel label, if it is one of LiveKit's data channels.
    pub fn from_label(label: &str) -> Option<Self> {
        match label {
            "_reliable" => Some(DataChannelKind::Reliable),
            "_lossy" => Some(DataChannelKind::Lossy),
            _ => None,
        }
    }
}

/// What a subscriber asked for one video subscription (`UpdateTrackSettings`, adaptive stream).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DownSettings {
    /// The tile is hidden: send nothing.
    pub disabled: bool,
    /// Upper bound on the layer (the deprecated `quality` field; `High` when absent).
    pub max_quality: Quality,
    /// Width of the tile in device pixels (0 = unknown).
    pub width: u32,
    /// Height of the tile in device pixels (0 = unknown).
    pub height: u32,
}

impl Default for DownSettings {
    fn default() -> Self {
        DownSettings { disabled: false, max_quality: Quality::High, width: 0, height: 0 }
    }
}

/// Codec of a tapped frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FrameCodec {
    /// Opus audio.
    Opus,
    /// VP8 video.
    Vp8,
    /// VP9 video.
    Vp9,
    /// H.264 video.
    H264,
    /// AV1 video.
    Av1,
    /// Anything else.
    Other,
}

/// Imperative inputs from the control plane.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaCommand {
    /// Create the participant's two peers.
    AddParticipant {
        /// Who.
        participant: ParticipantId,
    },
    /// Close and forget the participant's peers, its tracks and its subscriptions.
    RemoveParticipant {
        /// Who.
        participant: ParticipantId,
    },
    /// An SDP offer from the client's publisher peer; answered with [`MediaEvent::Answer`].
    AcceptOffer {
        /// Who offered.
        participant: ParticipantId,
        /// The offer's id, echoed in the answer.
        offer_id: u32,
        /// The SDP text.
        sdp: String,
    },
    /// The client's answer to our subscriber offer.
    AcceptAnswer {
        /// Who answered.
        participant: ParticipantId,
        /// The id of the offer being answered.
        offer_id: u32,
        /// The SDP text.
        sdp: String,
    },
    /// Restart ICE on the subscriber peer (resume after a signalling drop): emits a new offer.
    RestartIce {
        /// Who.
        participant: ParticipantId,
    },
    /// A track announced by `add_track`, to be matched with the next m-line of the publisher peer.
    ExpectTrack {
        /// The publisher.
        participant: ParticipantId,
        /// The server id of the track.
        track: TrackId,
        /// The client's id of the track (`MediaStreamTrack.id`, also the msid track id in JS).
        cid: String,
        /// Audio or video.
        kind: TrackKind,
        /// Simulcast layers as described by the client (may be empty).
        layers: Vec<LayerSpec>,
    },
    /// Start copying a track's frames to the control plane ([`MediaEvent::TrackFrame`]), e.g. for
    /// a recording. Video follows the best layer that flows, switching on keyframes.
    StartTap {
        /// Which.
        track: TrackId,
    },
    /// Stop copying a track's frames.
    StopTap {
        /// Which.
        track: TrackId,
    },
    /// Forget a published track (unpublished, or its publisher left).
    RemoveTrack {
        /// Which.
        track: TrackId,
    },
    /// Start sending a track to a subscriber (adds an m-line to its subscriber peer).
    Subscribe {
        /// Who receives.
        subscriber: ParticipantId,
        /// What.
        track: TrackId,
    },
    /// Stop sending a track to a subscriber.
    Unsubscribe {
        /// Who receives.
        subscriber: ParticipantId,
        /// What.
        track: TrackId,
    },
    /// Adaptive-stream settings of one subscription.
    UpdateSubscription {
        /// Who receives.
        subscriber: ParticipantId,
        /// What.
        track: TrackId,
        /// The new settings.
        settings: DownSettings,
    },
    /// Send a data packet (already encoded) to a participant.
    SendData {
        /// Who receives.
        participant: ParticipantId,
        /// On which channel.
        channel: DataChannelKind,
        /// The encoded `DataPacket`.
        payload: Vec<u8>,
    },
}

/// Facts the shard reports to the control plane.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaEvent {
    /// The answer to a publisher offer.
    Answer {
        /// Who offered.
        participant: ParticipantId,
        /// The offer's id.
        offer_id: u32,
        /// The SDP text.
        sdp: String,
    },
    /// A subscriber-peer offer to send to the client (one in flight at a time).
    Offer {
        /// Who must answer.
        participant: ParticipantId,
        /// The offer's id.
        offer_id: u32,
        /// The SDP text.
        sdp: String,
    },
    /// A track's media section appeared on the publisher peer: media can flow.
    TrackBound {
        /// The publisher.
        participant: ParticipantId,
        /// The track.
        track: TrackId,
    },
    /// The publisher stopped sending a track (its m-line became inactive).
    TrackUnbound {
        /// The publisher.
        participant: ParticipantId,
        /// The track.
        track: TrackId,
    },
    /// A data packet arrived on one of the participant's data channels.
    Data {
        /// The sender.
        participant: ParticipantId,
        /// The channel it came on.
        channel: DataChannelKind,
        /// The raw bytes (an encoded `DataPacket`, not yet validated).
        payload: Vec<u8>,
    },
    /// A peer's connectivity changed.
    PeerState {
        /// Whose peer.
        participant: ParticipantId,
        /// Which peer.
        direction: PeerDirection,
        /// The new state.
        state: PeerState,
    },
    /// A peer failed (bad SDP state, internal panic): the participant's media is gone.
    PeerFailed {
        /// Whose peer.
        participant: ParticipantId,
        /// Why, for logs and the close reason.
        reason: String,
    },
    /// The participant sent an SDP that does not parse (malformed or hostile). Its peers are
    /// untouched; the control plane decides (Parlons ends the session with a clear reason).
    NegotiationFailed {
        /// Who sent it.
        participant: ParticipantId,
        /// What was wrong, for logs.
        reason: String,
    },
    /// A participant's speaking state changed (sent on change only).
    AudioLevel {
        /// The speaker.
        participant: ParticipantId,
        /// Smoothed linear level in 0..=1.
        level: f32,
        /// Whether the participant is speaking.
        active: bool,
    },
    /// The highest layer any subscriber wants of a track changed (dynacast).
    SubscribedQualities {
        /// The publisher.
        participant: ParticipantId,
        /// The track.
        track: TrackId,
        /// The highest wanted layer, `None` when nobody watches.
        max: Option<Quality>,
    },
    /// One frame of a tapped track ([`MediaCommand::StartTap`]).
    TrackFrame {
        /// The track.
        track: TrackId,
        /// Its codec.
        codec: FrameCodec,
        /// RTP time, extended to 64 bits and continuous across layer switches.
        rtp_time: u64,
        /// RTP clock rate (Hz).
        clock_rate: u32,
        /// A video keyframe.
        keyframe: bool,
        /// The depacketized frame.
        data: Vec<u8>,
    },
    /// A subscription was paused (hidden tile, not enough bandwidth) or resumed.
    StreamState {
        /// The subscriber.
        subscriber: ParticipantId,
        /// The publisher of the track.
        publisher: ParticipantId,
        /// The track.
        track: TrackId,
        /// `true` when media flows.
        active: bool,
    },
}
