//! The shard: owns every peer, routes datagrams to them, forwards media between them.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use parlons_types::{ParticipantId, TrackId, TrackKind};
use str0m::bwe::{Bitrate, BweKind};
use str0m::media::{Direction, MediaKind, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Rtc};
use tracing::{debug, info, warn};

use crate::command::{Command, DataChannelKind, Output, PeerDirection, PeerState, SfuEvent};
use crate::error::{Result, SfuError};
use crate::peer::{Down, DownState, Member, Peer, PeerKey, UpTrack};

/// Window of the active-speaker detector (LiveKit observes 400 ms).
const SPEAKER_WINDOW: Duration = Duration::from_millis(400);
/// A participant none of whose peers has connected this long after joining is dropped (LiveKit
/// clients connect their publisher peer at once: it carries the data channels).
const ICE_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How often layer rates are measured and allocations revisited.
const RATE_WINDOW: Duration = Duration::from_secs(1);

/// Settings of one shard.
#[derive(Debug, Clone)]
pub struct SfuConfig {
    /// Addresses of the UDP sockets this shard receives on, offered as host candidates.
    pub local_candidates: Vec<SocketAddr>,
    /// Starting egress estimate for each subscriber peer, before TWCC feedback says more.
    pub initial_bitrate_bps: u64,
}

impl SfuConfig {
    /// A configuration with the given host candidates and a 1.5 Mbit/s starting estimate.
    pub fn new(local_candidates: Vec<SocketAddr>) -> Self {
        SfuConfig { local_candidates, initial_bitrate_bps: 1_500_000 }
    }
}

/// One media shard. See the crate documentation for the run loop.
pub struct Sfu {
    config: SfuConfig,
    peers: HashMap<PeerKey, Peer>,
    next_peer: u64,
    members: HashMap<ParticipantId, Member>,
    tracks: HashMap<TrackId, UpTrack>,
    /// (publisher peer, m-line) → track, for incoming media.
    up_by_mid: HashMap<(PeerKey, Mid), TrackId>,
    /// Remote address → peer, a cache in front of `Rtc::accepts`.
    by_addr: HashMap<SocketAddr, PeerKey>,
    /// Peers touched since the last drain.
    dirty: Vec<PeerKey>,
    out: VecDeque<Output>,
    next_speaker_tick: Instant,
    next_rate_tick: Instant,
    last_rate_tick: Instant,
    counters: Counters,
    /// The latest instant an input carried.
    now: Instant,
    /// Latest cumulative NACK count per outgoing stream, to sum them.
    nacks_by_stream: HashMap<(PeerKey, Mid), u64>,
}

/// Cumulative counters of a shard, for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Keyframe requests sent to publishers (after throttling).
    pub keyframe_requests: u64,
    /// NACKs received from subscribers (as of their last stats report).
    pub nacks: u64,
    /// Peers whose ICE is connected.
    pub peers_connected: u64,
    /// All peers (two per participant).
    pub peers: u64,
    /// Published tracks.
    pub tracks: u64,
}

mod media;
mod negotiation;

impl Sfu {
    /// A shard with no participants.
    pub fn new(now: Instant, config: SfuConfig) -> Self {
        Sfu {
            config,
            peers: HashMap::new(),
            next_peer: 1,
            members: HashMap::new(),
            tracks: HashMap::new(),
            up_by_mid: HashMap::new(),
            by_addr: HashMap::new(),
            dirty: Vec::new(),
            out: VecDeque::new(),
            next_speaker_tick: now + SPEAKER_WINDOW,
            next_rate_tick: now + RATE_WINDOW,
            last_rate_tick: now,
            counters: Counters::default(),
            now,
            nacks_by_stream: HashMap::new(),
        }
    }

    /// Cumulative counters.
    pub fn counters(&self) -> Counters {
        Counters { peers: self.peers.len() as u64, tracks: self.tracks.len() as u64, ..self.counters }
    }

    /// Number of participants in the shard.
    pub fn participant_count(&self) -> usize {
        self.members.len()
    }

    /// Feeds a datagram received on a UDP socket at `destination` from `source`. Returns `false`
    /// when it is not a WebRTC datagram or no peer claims it (the caller counts those).
    pub fn handle_receive(
        &mut self,
        now: Instant,
        source: SocketAddr,
        destination: SocketAddr,
        contents: &[u8],
    ) -> bool {
        self.now = self.now.max(now);
        let Ok(contents) = contents.try_into() else {
            return false;
        };
        let input = Input::Receive(now, Receive { proto: Protocol::Udp, source, destination, contents });
        let Some(key) = self.find_peer(source, &input) else {
            return false;
        };
        self.by_addr.insert(source, key);
        self.rtc_input(key, input);
        self.drain_dirty(now);
        true
    }

    /// Advances time: str0m timers, speaker windows, layer rates.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.now = self.now.max(now);
        let due: Vec<PeerKey> = self.peers.iter().filter(|(_, p)| p.next_timeout <= now).map(|(k, _)| *k).collect();
        for key in due {
            self.rtc_input(key, Input::Timeout(now));
        }
        if now >= self.next_speaker_tick {
            self.next_speaker_tick = now + SPEAKER_WINDOW;
            self.close_speaker_windows();
        }
        if now >= self.next_rate_tick {
            self.next_rate_tick = now + RATE_WINDOW;
            self.expire_unconnected(now);
            self.resend_stale_offers();
            // Subscriptions whose tile size never came now count with their full wish.
            let videos: Vec<TrackId> =
                self.tracks.iter().filter(|(_, t)| t.kind == TrackKind::Video).map(|(id, _)| id.clone()).collect();
            for t in &videos {
                self.update_dynacast(t);
            }
            // Only first offers held back by the grace period (see `negotiate`) wait for a tick.
            let waiting: Vec<ParticipantId> = self
                .members
                .iter()
                .filter(|(_, m)| {
                    !m.publisher_offered && self.peers.get(&m.subscriber).is_some_and(|p| p.offer_seq == 0)
                })
                .map(|(id, _)| id.clone())
                .collect();
            for p in &waiting {
                self.negotiate(p);
            }
            self.measure_rates(now);
            let subscribers: Vec<ParticipantId> = self.members.keys().cloned().collect();
            for s in subscribers {
                self.reallocate(now, &s);
            }
        }
        self.drain_dirty(now);
    }

    /// Applies a command from the control plane.
    pub fn handle_command(&mut self, now: Instant, cmd: Command) -> Result<()> {
        self.now = self.now.max(now);
        let r = self.apply_command(now, cmd);
        self.drain_dirty(now);
        r
    }

    /// The next output. Call until it returns [`Output::Timeout`].
    pub fn poll_output(&mut self) -> Output {
        if let Some(o) = self.out.pop_front() {
            return o;
        }
        let peers = self.peers.values().map(|p| p.next_timeout);
        let t = peers.chain([self.next_speaker_tick, self.next_rate_tick]).min();
        Output::Timeout(t.unwrap_or(self.next_rate_tick))
    }

    fn find_peer(&self, source: SocketAddr, input: &Input<'_>) -> Option<PeerKey> {
        if let Some(k) = self.by_addr.get(&source)
            && self.peers.get(k).is_some_and(|p| p.rtc.accepts(input))
        {
            return Some(*k);
        }
        self.peers.iter().find(|(_, p)| p.rtc.accepts(input)).map(|(k, _)| *k)
    }

    fn apply_command(&mut self, now: Instant, cmd: Command) -> Result<()> {
        match cmd {
            Command::AddParticipant { participant } => self.add_participant(now, participant),
            Command::RemoveParticipant { participant } => {
                self.remove_participant(now, &participant);
                Ok(())
            }
            Command::AcceptOffer { participant, offer_id, sdp } => self.accept_offer(&participant, offer_id, &sdp),
            Command::AcceptAnswer { participant, offer_id, sdp } => {
                self.accept_answer(now, &participant, offer_id, &sdp)
            }
            Command::RestartIce { participant } => {
                let m = self.member(&participant)?;
                let key = m.subscriber;
                if let Some(p) = self.peers.get_mut(&key) {
                    // Nothing to restart on a peer that was never negotiated (its next offer
                    // carries fresh credentials anyway); an ICE-only offer without m-lines is
                    // answered with an empty SDP.
                    p.restart_ice = p.negotiated;
                    // A pending offer will never be answered by the previous signalling session.
                    p.pending_offer = None;
                    p.pending_sdp = None;
                }
                self.reset_negotiating(&participant);
                self.negotiate(&participant);
                Ok(())
            }
            Command::ExpectTrack { participant, track, cid, kind, layers } => {
                self.member(&participant)?;
                self.tracks.insert(track, UpTrack::new(participant, kind, cid, layers));
                Ok(())
            }
            Command::RemoveTrack { track } => {
                self.remove_track(now, &track);
                Ok(())
            }
            Command::StartTap { track } => {
                let up = self.tracks.get_mut(&track).ok_or_else(|| SfuError::UnknownTrack(track.clone()))?;
                up.tap.get_or_insert_with(Default::default);
                Ok(())
            }
            Command::StopTap { track } => {
                if let Some(up) = self.tracks.get_mut(&track) {
                    up.tap = None;
                }
                Ok(())
            }
            Command::Subscribe { subscriber, track } => self.subscribe(now, &subscriber, &track),
            Command::Unsubscribe { subscriber, track } => {
                self.unsubscribe(now, &subscriber, &track);
                Ok(())
            }
            Command::UpdateSubscription { subscriber, track, settings } => {
                let m = self.members.get_mut(&subscriber).ok_or(SfuError::UnknownParticipant(subscriber.clone()))?;
                let d = m.downs.get_mut(&track).ok_or_else(|| SfuError::UnknownTrack(track.clone()))?;
                d.settings = settings;
                d.sized = true;
                self.reallocate(now, &subscriber);
                self.update_dynacast(&track);
                Ok(())
            }
            Command::SendData { participant, channel, payload } => {
                let key = self.member(&participant)?.publisher;
                self.send_data(key, channel, &payload);
                Ok(())
            }
        }
    }

    fn member(&self, p: &ParticipantId) -> Result<&Member> {
        self.members.get(p).ok_or_else(|| SfuError::UnknownParticipant(p.clone()))
    }

    fn new_rtc(&self, now: Instant, direction: PeerDirection) -> Rtc {
        let mut cfg = Rtc::builder().set_ice_lite(true);
        if direction == PeerDirection::Subscribe {
            cfg = cfg
                .enable_bwe(Some(Bitrate::bps(self.config.initial_bitrate_bps)))
                .set_stats_interval(Some(Duration::from_secs(5)));
        }
        let mut rtc = cfg.build(now);
        for addr in &self.config.local_candidates {
            match Candidate::host(*addr, "udp") {
                Ok(c) => {
                    rtc.add_local_candidate(c);
                }
                Err(e) => warn!(%addr, error = ?e, "unusable local candidate"),
            }
        }
        rtc
    }

    fn add_participant(&mut self, now: Instant, participant: ParticipantId) -> Result<()> {
        if self.members.contains_key(&participant) {
            return Err(SfuError::DuplicateParticipant(participant));
        }
        let publisher = PeerKey(self.next_peer);
        let subscriber = PeerKey(self.next_peer + 1);
        self.next_peer += 2;
        let pub_rtc = self.new_rtc(now, PeerDirection::Publish);
        let sub_rtc = self.new_rtc(now, PeerDirection::Subscribe);
        self.peers.insert(publisher, Peer::new(participant.clone(), PeerDirection::Publish, pub_rtc, now));
        self.peers.insert(subscriber, Peer::new(participant.clone(), PeerDirection::Subscribe, sub_rtc, now));
        let estimate_bps = self.config.initial_bitrate_bps;
        self.members.insert(
            participant,
            Member {
                publisher,
                subscriber,
                downs: HashMap::new(),
                estimate_bps,
                added_at: now,
                publisher_offered: false,
            },
        );
        Ok(())
    }

    fn expire_unconnected(&mut self, now: Instant) {
        let stuck: Vec<ParticipantId> = self
            .members
            .iter()
            .filter(|(_, m)| now.saturating_duration_since(m.added_at) >= ICE_CONNECT_TIMEOUT)
            .filter(|(_, m)| {
                [m.publisher, m.subscriber].iter().all(|k| self.peers.get(k).is_none_or(|p| !p.ever_connected))
            })
            .map(|(id, _)| id.clone())
            .collect();
        for p in stuck {
            self.fail(&p, "ICE did not complete");
        }
    }

    fn remove_participant(&mut self, now: Instant, participant: &ParticipantId) {
        let Some(m) = self.members.remove(participant) else {
            return;
        };
        for key in [m.publisher, m.subscriber] {
            if let Some(mut p) = self.peers.remove(&key) {
                if p.connected {
                    self.counters.peers_connected = self.counters.peers_connected.saturating_sub(1);
                }
                let _ = catch_unwind(AssertUnwindSafe(|| p.rtc.disconnect()));
            }
            self.by_addr.retain(|_, k| *k != key);
            self.nacks_by_stream.retain(|(k, _), _| *k != key);
            self.up_by_mid.retain(|(k, _), _| *k != key);
            self.dirty.retain(|k| *k != key);
        }
        for track in m.downs.keys() {
            if let Some(up) = self.tracks.get_mut(track) {
                up.subscribers.retain(|s| s != participant);
            }
            self.update_dynacast(track);
        }
        let own: Vec<TrackId> =
            self.tracks.iter().filter(|(_, t)| &t.publisher == participant).map(|(id, _)| id.clone()).collect();
        for t in own {
            self.remove_track(now, &t);
        }
    }

    fn remove_track(&mut self, now: Instant, track: &TrackId) {
        let Some(up) = self.tracks.remove(track) else {
            return;
        };
        self.up_by_mid.retain(|_, t| t != track);
        for s in &up.subscribers {
            self.drop_down(s, track);
            self.negotiate(s);
            self.reallocate(now, s);
        }
    }

    fn subscribe(&mut self, now: Instant, subscriber: &ParticipantId, track: &TrackId) -> Result<()> {
        let up = self.tracks.get_mut(track).ok_or_else(|| SfuError::UnknownTrack(track.clone()))?;
        let kind = up.kind;
        let m = self.members.get_mut(subscriber).ok_or_else(|| SfuError::UnknownParticipant(subscriber.clone()))?;
        match m.downs.get_mut(track).map(|d| (d.state, d)) {
            None => {
                m.downs.insert(track.clone(), Down::new(kind, now));
            }
            // Subscribed again before the removal was negotiated: keep the m-line.
            Some((DownState::ToStop(mid), d)) => d.state = DownState::Open(mid),
            // The removal is in flight: open a fresh m-line once it is answered.
            Some((DownState::NegotiatingStop(_), d)) => d.reopen = true,
            Some(_) => return Ok(()),
        }
        if !up.subscribers.contains(subscriber) {
            up.subscribers.push(subscriber.clone());
        }
        self.negotiate(subscriber);
        self.reallocate(now, subscriber);
        Ok(())
    }

    fn unsubscribe(&mut self, now: Instant, subscriber: &ParticipantId, track: &TrackId) {
        if let Some(up) = self.tracks.get_mut(track) {
            up.subscribers.retain(|s| s != subscriber);
        }
        self.drop_down(subscriber, track);
        self.negotiate(subscriber);
        self.reallocate(now, subscriber);
        self.update_dynacast(track);
    }

    /// Marks a subscription for removal from the subscriber's SDP.
    fn drop_down(&mut self, subscriber: &ParticipantId, track: &TrackId) {
        let Some(m) = self.members.get_mut(subscriber) else {
            return;
        };
        let Some(d) = m.downs.get_mut(track) else {
            return;
        };
        match d.state {
            DownState::ToOpen => {
                m.downs.remove(track);
            }
            DownState::Open(mid) | DownState::Negotiating(mid) => d.state = DownState::ToStop(mid),
            DownState::ToStop(_) | DownState::NegotiatingStop(_) => {}
        }
    }

    /// After a signalling reset, offers in flight are void: their m-lines go back to the queue.
    fn reset_negotiating(&mut self, participant: &ParticipantId) {
        if let Some(m) = self.members.get_mut(participant) {
            for d in m.downs.values_mut() {
                d.state = match d.state {
                    // The dropped offer never took effect: offer the m-line again.
                    DownState::Negotiating(_) => DownState::ToOpen,
                    DownState::NegotiatingStop(mid) => DownState::ToStop(mid),
                    s => s,
                };
            }
        }
    }

    /// Feeds one input to a peer's `Rtc`, guarding against panics.
    fn rtc_input(&mut self, key: PeerKey, input: Input<'_>) {
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        match catch_unwind(AssertUnwindSafe(|| peer.rtc.handle_input(input))) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => debug!(participant = %peer.participant, error = ?e, "peer refused input"),
            Err(_) => {
                let p = peer.participant.clone();
                self.fail(&p, "peer panicked on input");
                return;
            }
        }
        self.dirty.push(key);
    }

    /// Drains every touched peer until each reports its next timeout.
    fn drain_dirty(&mut self, now: Instant) {
        while let Some(key) = self.dirty.pop() {
            self.drain(now, key);
        }
    }

    fn drain(&mut self, now: Instant, key: PeerKey) {
        loop {
            let Some(peer) = self.peers.get_mut(&key) else {
                return;
            };
            let polled = catch_unwind(AssertUnwindSafe(|| peer.rtc.poll_output()));
            let output = match polled {
                Ok(Ok(o)) => o,
                Ok(Err(e)) => {
                    let p = peer.participant.clone();
                    self.fail(&p, &format!("peer error: {e}"));
                    return;
                }
                Err(_) => {
                    let p = peer.participant.clone();
                    self.fail(&p, "peer panicked while polling");
                    return;
                }
            };
            match output {
                str0m::Output::Timeout(t) => {
                    peer.next_timeout = t;
                    if !peer.rtc.is_alive() {
                        let p = peer.participant.clone();
                        self.fail(&p, "peer closed");
                    }
                    return;
                }
                str0m::Output::Transmit(t) => self.out.push_back(Output::Transmit(t)),
                str0m::Output::Event(e) => self.on_event(now, key, e),
            }
        }
    }

    /// Drops a participant whose peer broke, and tells the control plane.
    fn fail(&mut self, participant: &ParticipantId, reason: &str) {
        warn!(%participant, reason, "peer failed; dropping the participant's media");
        let now = self.now;
        self.remove_participant(now, participant);
        self.out.push_back(Output::Event(SfuEvent::PeerFailed {
            participant: participant.clone(),
            reason: reason.to_string(),
        }));
    }

    fn on_event(&mut self, now: Instant, key: PeerKey, e: Event) {
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        let participant = peer.participant.clone();
        let direction = peer.direction;
        match e {
            Event::IceConnectionStateChange(s) => {
                let connected = matches!(s, IceConnectionState::Connected | IceConnectionState::Completed);
                let disconnected = matches!(s, IceConnectionState::Disconnected);
                if connected != peer.connected && (connected || disconnected) {
                    peer.connected = connected;
                    peer.ever_connected |= connected;
                    if connected {
                        self.counters.peers_connected += 1;
                    } else {
                        self.counters.peers_connected = self.counters.peers_connected.saturating_sub(1);
                    }
                    let state = if connected { PeerState::Connected } else { PeerState::Disconnected };
                    info!(%participant, ?direction, ?state, "peer connectivity");
                    self.out.push_back(Output::Event(SfuEvent::PeerState { participant, direction, state }));
                }
            }
            Event::ChannelOpen(id, label) => {
                if let Some(kind) = DataChannelKind::from_label(&label) {
                    peer.channels.insert(kind, id);
                }
            }
            Event::ChannelClose(id) => peer.channels.retain(|_, c| *c != id),
            Event::ChannelData(d) => {
                let channel = peer.channels.iter().find(|(_, c)| **c == d.id).map(|(k, _)| *k);
                if let Some(channel) = channel {
                    self.out.push_back(Output::Event(SfuEvent::Data { participant, channel, payload: d.data }));
                }
            }
            Event::MediaAdded(m) if direction == PeerDirection::Publish => {
                self.bind_track(key, &participant, m.mid, m.kind, m.simulcast.is_some());
            }
            Event::MediaChanged(m) if direction == PeerDirection::Publish => {
                if matches!(m.direction, Direction::Inactive | Direction::SendOnly) {
                    if let Some(track) = self.up_by_mid.remove(&(key, m.mid)) {
                        if let Some(up) = self.tracks.get_mut(&track) {
                            up.mid = None;
                        }
                        self.out.push_back(Output::Event(SfuEvent::TrackUnbound { participant, track }));
                    }
                } else if m.direction == Direction::RecvOnly && !self.up_by_mid.contains_key(&(key, m.mid)) {
                    let kind = peer.rtc.media(m.mid).map(|x| x.kind()).unwrap_or(MediaKind::Audio);
                    self.bind_track(key, &participant, m.mid, kind, false);
                }
            }
            Event::MediaData(data) if direction == PeerDirection::Publish => self.forward(now, key, data),
            Event::KeyframeRequest(req) if direction == PeerDirection::Subscribe => {
                self.relay_keyframe_request(now, &participant, req.mid);
            }
            Event::EgressBitrateEstimate(BweKind::Twcc { estimate, .. }) if direction == PeerDirection::Subscribe => {
                let bps = estimate.as_u64();
                if let Some(m) = self.members.get_mut(&participant) {
                    let old = m.estimate_bps;
                    m.estimate_bps = bps;
                    // Re-allocate on meaningful moves only; the periodic tick catches the rest.
                    if bps < old * 9 / 10 || bps > old * 11 / 10 {
                        self.reallocate(now, &participant);
                    }
                }
            }
            Event::MediaEgressStats(st) => {
                let prev = self.nacks_by_stream.insert((key, st.mid), st.nacks).unwrap_or(0);
                self.counters.nacks += st.nacks.saturating_sub(prev);
            }
            _ => {}
        }
    }
}
