//! The simulated world: one shard, client peers, an in-memory network and a virtual clock.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use parlons_sfu::{Command, Output, PeerDirection, PeerState, Sfu, SfuConfig, SfuError, SfuEvent};
use parlons_types::{ParticipantId, Quality, TrackId, TrackKind};
use str0m::Input;
use str0m::change::{SdpAnswer, SdpOffer};
use str0m::media::{Direction, KeyframeRequestKind, MediaKind};
use str0m::media::{Simulcast, SimulcastLayer};
use str0m::net::{Protocol, Receive};

use super::client::on_client_event;
use super::{Client, Net, SFU_ADDR, SfuMeter, Source, layer_specs};

/// Smallest step of the virtual clock, so a peer that wants "now" again cannot stall the loop.
const MIN_STEP: Duration = Duration::from_micros(100);

/// One shard and its clients on a virtual clock.
pub struct World {
    /// The virtual clock.
    pub now: Instant,
    /// When the world began.
    pub start: Instant,
    /// The shard under test.
    pub sfu: Sfu,
    sfu_timeout: Instant,
    /// The network.
    pub net: Net,
    /// Participants, in creation order.
    pub clients: Vec<Client>,
    /// Every event of the shard, with its time.
    pub events: Vec<(Instant, SfuEvent)>,
    /// Answer the shard's offers at once (else they wait in `held_offers`).
    pub auto_answer: bool,
    /// Offers not answered: (client index, offer id, SDP).
    pub held_offers: Vec<(usize, u32, String)>,
    /// Datagrams `handle_receive` refused.
    pub refused: u64,
    /// Time inside the shard's calls and the datagrams it took and sent (for the benchmark).
    pub meter: SfuMeter,
    next_offer: u32,
}

impl World {
    /// A shard with the default configuration.
    pub fn new() -> Self {
        Self::with_config(|c| c)
    }

    /// A shard whose configuration is adjusted by `f`.
    pub fn with_config(f: impl FnOnce(SfuConfig) -> SfuConfig) -> Self {
        str0m::crypto::from_feature_flags().install_process_default();
        // RUST_LOG=parlons_sfu=debug shows what the shard does.
        let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "off".into());
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
        let now = Instant::now();
        let sfu = Sfu::new(now, f(SfuConfig::new(vec![SFU_ADDR])));
        World {
            now,
            start: now,
            sfu,
            sfu_timeout: now,
            net: Net::default(),
            clients: Vec::new(),
            events: Vec::new(),
            auto_answer: true,
            held_offers: Vec::new(),
            refused: 0,
            meter: SfuMeter::default(),
            next_offer: 1,
        }
    }

    /// Seconds since the start, for messages.
    pub fn secs(&self, t: Instant) -> f64 {
        t.saturating_duration_since(self.start).as_secs_f64()
    }

    /// Adds a participant (`AddParticipant`) with two fresh peers; returns its index.
    pub fn add_client(&mut self, name: &str) -> usize {
        let i = self.clients.len();
        let client = Client::new(name, IpAddr::V4(Ipv4Addr::new(198, 18, 1, i as u8 + 1)), self.now);
        let id = client.id.clone();
        self.clients.push(client);
        self.command(Command::AddParticipant { participant: id }).expect("participant added");
        i
    }

    /// The publisher peer offers audio and/or simulcast video (`ExpectTrack`, then `AcceptOffer`).
    pub fn publish(&mut self, c: usize, audio: bool, video: bool) {
        let name = self.clients[c].id.as_str().trim_start_matches("PA_").to_string();
        let stream = format!("stream-{name}");
        let mut api = self.clients[c].publisher.rtc.sdp_api();
        let mut expected = Vec::new();
        if audio {
            let cid = format!("cid-{name}-audio");
            let mid =
                api.add_media(MediaKind::Audio, Direction::SendOnly, Some(stream.clone()), Some(cid.clone()), None);
            expected.push((TrackKind::Audio, cid, mid));
        }
        if video {
            let mut sim = Simulcast::new();
            for q in Quality::ALL {
                sim.add_send_layer(SimulcastLayer::new(q.rid()));
            }
            let cid = format!("cid-{name}-video");
            let mid = api.add_media(MediaKind::Video, Direction::SendOnly, Some(stream), Some(cid.clone()), Some(sim));
            expected.push((TrackKind::Video, cid, mid));
        }
        let (offer, pending) = api.apply().expect("an offer");
        self.clients[c].pending = Some(pending);
        let participant = self.clients[c].id.clone();
        for (kind, cid, mid) in expected {
            let suffix = if kind == TrackKind::Audio { "a" } else { "v" };
            let track = TrackId::new(format!("TR_{name}_{suffix}"));
            let layers = if kind == TrackKind::Video { layer_specs() } else { Vec::new() };
            let cmd =
                Command::ExpectTrack { participant: participant.clone(), track: track.clone(), cid, kind, layers };
            self.command(cmd).expect("track expected");
            let source = Source { mid, track, sent: 0, force_key: [false; 3], keyframes: Vec::new() };
            match kind {
                TrackKind::Audio => self.clients[c].audio = Some(source),
                TrackKind::Video => self.clients[c].video = Some(source),
            }
        }
        let offer_id = self.next_offer;
        self.next_offer += 1;
        let sdp = offer.to_sdp_string();
        self.command(Command::AcceptOffer { participant, offer_id, sdp }).expect("offer accepted");
    }

    /// `Subscribe` client `sub` to a track.
    pub fn subscribe(&mut self, sub: usize, track: &TrackId) {
        self.clients[sub].subscribes = true;
        let subscriber = self.clients[sub].id.clone();
        self.command(Command::Subscribe { subscriber, track: track.clone() }).expect("subscribed");
    }

    /// Applies a command and drains the shard (answering its offers when `auto_answer`).
    pub fn command(&mut self, cmd: Command) -> Result<(), SfuError> {
        let (sfu, now) = (&mut self.sfu, self.now);
        let r = self.meter.time(|| sfu.handle_command(now, cmd));
        self.meter.commands += 1;
        self.drain_sfu();
        r
    }

    /// Feeds one datagram to the shard as if it came from `source`; returns what it said.
    pub fn inject(&mut self, source: SocketAddr, bytes: &[u8]) -> bool {
        let (sfu, now) = (&mut self.sfu, self.now);
        let accepted = self.meter.time(|| sfu.handle_receive(now, source, SFU_ADDR, bytes));
        self.meter.receives += 1;
        self.meter.rx.add(bytes);
        self.drain_sfu();
        accepted
    }

    /// Answers an offer the shard made to client `c` (the client's subscriber peer).
    pub fn answer_offer(&mut self, c: usize, offer_id: u32, sdp: &str) -> Result<(), SfuError> {
        let offer = SdpOffer::from_sdp_string(sdp).expect("shard offers valid SDP");
        let answer = self.clients[c].subscriber.rtc.sdp_api().accept_offer(offer).expect("client accepts the offer");
        self.drain_client(c, PeerDirection::Subscribe);
        let participant = self.clients[c].id.clone();
        self.command(Command::AcceptAnswer { participant, offer_id, sdp: answer.to_sdp_string() })
    }

    /// Client `c`'s subscriber peer sends a PLI for `track` (what a decoder does after a loss).
    pub fn request_keyframe(&mut self, c: usize, track: &TrackId) {
        let client = &mut self.clients[c];
        let mid = client.sub_tracks.iter().find(|(_, t)| *t == track).map(|(m, _)| *m).expect("a subscribed track");
        let mut writer = client.subscriber.rtc.writer(mid).expect("a writer for the m-line");
        writer.request_keyframe(None, KeyframeRequestKind::Pli).expect("a PLI can be sent");
        self.drain_client(c, PeerDirection::Subscribe);
    }

    /// Removes client `c` from the shard; its peers go silent.
    pub fn remove_client(&mut self, c: usize) {
        self.clients[c].active = false;
        let participant = self.clients[c].id.clone();
        self.command(Command::RemoveParticipant { participant }).expect("participant removed");
    }

    /// Tracks the shard reported as bound (and not unbound since).
    pub fn bound_tracks(&self) -> Vec<TrackId> {
        let mut bound = Vec::new();
        for (_, e) in &self.events {
            match e {
                SfuEvent::TrackBound { track, .. } => bound.push(track.clone()),
                SfuEvent::TrackUnbound { track, .. } => bound.retain(|t| t != track),
                _ => {}
            }
        }
        bound
    }

    /// The two-party call most scenarios start from: client 0 ("alice") publishes, client 1
    /// ("bob") subscribes to what she publishes. Returns before ICE is up, so callers can set
    /// tiles or hold offers first.
    pub fn alice_to_bob(audio: bool, video: bool) -> Self {
        let mut w = World::new();
        let (alice, bob) = (w.add_client("alice"), w.add_client("bob"));
        w.publish(alice, audio, video);
        w.wait_bound();
        if video {
            let t = w.clients[alice].video_track();
            w.subscribe(bob, &t);
        }
        if audio {
            let t = w.clients[alice].audio_track();
            w.subscribe(bob, &t);
        }
        w
    }

    /// Runs until every published track is bound.
    pub fn wait_bound(&mut self) {
        let wanted: Vec<TrackId> =
            self.clients.iter().flat_map(|c| [&c.video, &c.audio]).flatten().map(|s| s.track.clone()).collect();
        self.run_until(Duration::from_secs(3), "TrackBound for every published track", |w| {
            let bound = w.bound_tracks();
            wanted.iter().all(|t| bound.contains(t))
        });
    }

    /// Runs until every peer that has something to carry is connected on both ends.
    pub fn wait_connected(&mut self) {
        self.run_until(Duration::from_secs(5), "every publishing and subscribing peer connected", |w| {
            let ups = w.clients.iter().filter(|c| c.video.is_some() || c.audio.is_some());
            let downs = w.clients.iter().filter(|c| c.subscribes);
            let sfu_connected = |p: &ParticipantId, d: PeerDirection| {
                w.events.iter().any(|(_, e)| {
                    matches!(e, SfuEvent::PeerState { participant, direction, state: PeerState::Connected }
                        if participant == p && *direction == d)
                })
            };
            ups.clone().all(|c| c.publisher.connected && sfu_connected(&c.id, PeerDirection::Publish))
                && downs.clone().all(|c| c.subscriber.connected && sfu_connected(&c.id, PeerDirection::Subscribe))
        });
    }

    /// Of the captures of `publisher`'s audio or video taken in `[from, to)`: how many were sent,
    /// and how many distinct ones client `sub` received.
    pub fn delivery(&self, sub: usize, publisher: usize, audio: bool, from: Instant, to: Instant) -> (usize, usize) {
        let p = &self.clients[publisher];
        let source = if audio { &p.audio } else { &p.video };
        let source = source.as_ref().expect("a published source");
        let sent: Vec<u32> = (0..source.sent).filter(|n| (from..to).contains(&p.capture_time(*n, audio))).collect();
        let got: HashSet<u32> = self.clients[sub].frames_of(&source.track).map(|f| f.number).collect();
        (sent.len(), sent.iter().filter(|n| got.contains(n)).count())
    }

    fn index_of(&self, p: &ParticipantId) -> Option<usize> {
        self.clients.iter().position(|c| &c.id == p)
    }

    fn drain_sfu(&mut self) {
        let mut signals = Vec::new();
        loop {
            let sfu = &mut self.sfu;
            let out = self.meter.time(|| sfu.poll_output());
            self.meter.polls += 1;
            match out {
                Output::Transmit(t) => {
                    if self.clients.iter().any(|c| c.subscriber.addr == t.destination) {
                        self.meter.tx_sub.add(&t.contents);
                    } else {
                        self.meter.tx_pub.add(&t.contents);
                    }
                    self.net.send(self.now, t.source, t.destination, &t.contents)
                }
                Output::Event(e) => {
                    if matches!(e, SfuEvent::Answer { .. } | SfuEvent::Offer { .. }) {
                        signals.push(e.clone());
                    }
                    self.events.push((self.now, e));
                }
                Output::Timeout(t) => {
                    self.sfu_timeout = t;
                    break;
                }
            }
        }
        for s in signals {
            match s {
                SfuEvent::Answer { participant, sdp, .. } => {
                    let c = self.index_of(&participant).expect("answer for a known client");
                    let answer = SdpAnswer::from_sdp_string(&sdp).expect("shard answers valid SDP");
                    let pending = self.clients[c].pending.take().expect("an offer in flight");
                    self.clients[c].publisher.rtc.sdp_api().accept_answer(pending, answer).expect("answer accepted");
                    self.drain_client(c, PeerDirection::Publish);
                }
                SfuEvent::Offer { participant, offer_id, sdp } => {
                    let c = self.index_of(&participant).expect("offer for a known client");
                    if self.auto_answer {
                        self.answer_offer(c, offer_id, &sdp).expect("shard accepts the answer to its offer");
                    } else {
                        self.held_offers.push((c, offer_id, sdp));
                    }
                }
                _ => {}
            }
        }
    }

    fn drain_client(&mut self, c: usize, dir: PeerDirection) {
        let now = self.now;
        let client = &mut self.clients[c];
        loop {
            let out = client.peer(dir).rtc.poll_output().expect("client peer polls");
            match out {
                str0m::Output::Timeout(t) => {
                    client.peer(dir).timeout = t;
                    return;
                }
                str0m::Output::Transmit(t) => self.net.send(now, t.source, t.destination, &t.contents),
                str0m::Output::Event(e) => on_client_event(now, client, dir, e),
            }
        }
    }

    fn next_deadline(&self) -> Instant {
        let mut t = self.sfu_timeout;
        if let Some((at, ..)) = self.net.queue.front() {
            t = t.min(*at);
        }
        for c in self.clients.iter().filter(|c| c.active) {
            t = t.min(c.publisher.timeout).min(c.subscriber.timeout);
            if c.muted || !c.publisher.connected || (c.video.is_none() && c.audio.is_none()) {
                continue;
            }
            if c.media_start.is_none() {
                return self.now;
            }
            if let Some(v) = &c.video {
                t = t.min(c.capture_time(v.sent, false));
            }
            if let Some(a) = &c.audio {
                t = t.min(c.capture_time(a.sent, true));
            }
        }
        t
    }

    /// Advances the clock to the next deadline (at most `limit`) and handles everything due.
    pub fn step(&mut self, limit: Instant) {
        self.now = self.next_deadline().min(limit).max(self.now + MIN_STEP);
        let now = self.now;
        while self.net.queue.front().is_some_and(|(at, ..)| *at <= now) {
            let Some((_, source, destination, bytes)) = self.net.queue.pop_front() else { break };
            if destination == SFU_ADDR {
                let sfu = &mut self.sfu;
                let accepted = self.meter.time(|| sfu.handle_receive(now, source, destination, &bytes));
                self.meter.receives += 1;
                self.meter.rx.add(&bytes);
                if !accepted {
                    self.refused += 1;
                }
                self.drain_sfu();
                continue;
            }
            let target = self.clients.iter().enumerate().filter(|(_, c)| c.active).find_map(|(i, c)| {
                (c.publisher.addr == destination)
                    .then_some((i, PeerDirection::Publish))
                    .or_else(|| (c.subscriber.addr == destination).then_some((i, PeerDirection::Subscribe)))
            });
            let Some((c, dir)) = target else { continue };
            let contents = bytes.as_slice().try_into().expect("shard sends valid datagrams");
            let input = Input::Receive(now, Receive { proto: Protocol::Udp, source, destination, contents });
            self.clients[c].peer(dir).rtc.handle_input(input).expect("client takes the datagram");
            self.drain_client(c, dir);
        }
        for c in 0..self.clients.len() {
            self.send_media(c);
        }
        if self.sfu_timeout <= now {
            let sfu = &mut self.sfu;
            self.meter.time(|| sfu.handle_timeout(now));
            self.meter.timeouts += 1;
            self.drain_sfu();
        }
        for c in 0..self.clients.len() {
            for dir in [PeerDirection::Publish, PeerDirection::Subscribe] {
                if self.clients[c].active && self.clients[c].peer(dir).timeout <= now {
                    self.clients[c].peer(dir).rtc.handle_input(Input::Timeout(now)).expect("client timeout");
                    self.drain_client(c, dir);
                }
            }
        }
    }

    /// Runs the world for `d` of virtual time.
    pub fn run_for(&mut self, d: Duration) {
        let end = self.now + d;
        while self.now < end {
            self.step(end);
        }
    }

    /// Runs until `cond` holds; panics with `what` if it does not within `limit`.
    pub fn run_until(&mut self, limit: Duration, what: &str, cond: impl Fn(&World) -> bool) {
        let end = self.now + limit;
        while !cond(self) {
            assert!(self.now < end, "after {limit:?} (at {:.3} s) still waiting for: {what}", self.secs(self.now));
            self.step(end);
        }
    }

    /// Writes every capture that is due on client `c`'s publisher peer.
    fn send_media(&mut self, c: usize) {
        if self.clients[c].write_due_media(self.now) {
            self.drain_client(c, PeerDirection::Publish);
        }
    }
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}
