//! A client: two str0m peers, synthetic capture on the publisher, frames seen on the subscriber.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use parlons_sfu::PeerDirection;
use parlons_types::{ParticipantId, Quality, TrackId};
use str0m::change::SdpPendingOffer;
use str0m::format::Codec;
use str0m::media::{Frequency, KeyframeRequestKind, MediaKind, MediaTime, Mid, Rid};
use str0m::{Candidate, Event, Rtc};

use super::{AUDIO_INTERVAL, FRAME_INTERVAL, KEYFRAME_EVERY, RTP_ORIGIN};
use super::{layer_index, opus_frame, parse_audio, parse_video, vp8_frame};

/// One frame as a subscriber client received it.
#[derive(Debug, Clone)]
pub struct Frame {
    /// When it came out of the subscriber's `Rtc`.
    pub at: Instant,
    /// The track, from the m-line's msid.
    pub track: TrackId,
    /// The layer written in the payload (video).
    pub layer: Option<Quality>,
    /// Capture number written in the payload.
    pub number: u32,
    /// `MediaData::is_keyframe()`.
    pub keyframe: bool,
    /// First and last RTP sequence number (extended).
    pub seq: (u64, u64),
    /// `MediaData::contiguous`.
    pub contiguous: bool,
    /// RTP time (extended numerator).
    pub rtp_time: u64,
}

/// One of a client's two `Rtc`s.
pub struct ClientPeer {
    /// The str0m peer.
    pub rtc: Rtc,
    /// Its host candidate.
    pub addr: SocketAddr,
    pub(crate) timeout: Instant,
    /// DTLS is up (`Event::Connected`).
    pub connected: bool,
}

/// A published track and how much of it was sent.
pub struct Source {
    /// The m-line on the publisher peer.
    pub mid: Mid,
    /// Server id.
    pub track: TrackId,
    /// Captures sent so far (numbers `0..sent`).
    pub sent: u32,
    /// Layers whose next frame must be a keyframe (requested by the shard).
    pub(crate) force_key: [bool; 3],
    /// Keyframes sent: (capture number, layer).
    pub keyframes: Vec<(u32, Option<Quality>)>,
}

/// A participant: two peers, what it publishes, what it received.
pub struct Client {
    /// Server id.
    pub id: ParticipantId,
    /// Publisher peer (the client offers).
    pub publisher: ClientPeer,
    /// Subscriber peer (the shard offers).
    pub subscriber: ClientPeer,
    /// Simulcast video (q, h, f), if published.
    pub video: Option<Source>,
    /// Audio, if published.
    pub audio: Option<Source>,
    /// When capture started (frame 0 of both sources).
    pub media_start: Option<Instant>,
    /// Frames received on the subscriber peer.
    pub frames: Vec<Frame>,
    /// Keyframe requests the publisher peer got: (when, rid).
    pub keyframe_requests: Vec<(Instant, Option<Rid>)>,
    /// Subscriber m-lines and the track each carries.
    pub sub_tracks: HashMap<Mid, TrackId>,
    /// Still in the call.
    pub active: bool,
    /// Was subscribed to something (its subscriber peer must connect).
    pub subscribes: bool,
    /// Publishes its tracks but sends no media (the benchmark's zero-traffic baseline).
    pub muted: bool,
    pub(crate) pending: Option<SdpPendingOffer>,
}

impl Client {
    /// Frames received of one track, in order.
    pub fn frames_of<'a>(&'a self, track: &'a TrackId) -> impl Iterator<Item = &'a Frame> + 'a {
        self.frames.iter().filter(move |f| &f.track == track)
    }

    /// Capture time of frame `n` of a video (`audio == false`) or audio source.
    pub fn capture_time(&self, n: u32, audio: bool) -> Instant {
        let start = self.media_start.expect("media started");
        start + if audio { AUDIO_INTERVAL * n } else { FRAME_INTERVAL * n }
    }

    /// The published video track.
    pub fn video_track(&self) -> TrackId {
        self.video.as_ref().expect("publishes video").track.clone()
    }

    /// The published audio track.
    pub fn audio_track(&self) -> TrackId {
        self.audio.as_ref().expect("publishes audio").track.clone()
    }

    /// A participant named `name` with two fresh peers on `ip` (ports 5000 and 5001).
    pub(crate) fn new(name: &str, ip: IpAddr, now: Instant) -> Self {
        let peer = |port| {
            let addr = SocketAddr::new(ip, port);
            let mut rtc = Rtc::builder().build(now);
            rtc.add_local_candidate(Candidate::host(addr, "udp").expect("host candidate"));
            ClientPeer { rtc, addr, timeout: now, connected: false }
        };
        Client {
            id: ParticipantId::new(format!("PA_{name}")),
            publisher: peer(5000),
            subscriber: peer(5001),
            video: None,
            audio: None,
            media_start: None,
            frames: Vec::new(),
            keyframe_requests: Vec::new(),
            sub_tracks: HashMap::new(),
            active: true,
            subscribes: false,
            muted: false,
            pending: None,
        }
    }

    pub(crate) fn peer(&mut self, dir: PeerDirection) -> &mut ClientPeer {
        match dir {
            PeerDirection::Publish => &mut self.publisher,
            PeerDirection::Subscribe => &mut self.subscriber,
        }
    }

    /// Writes every capture due at `now` on the publisher peer; `true` if it must be drained.
    pub(crate) fn write_due_media(&mut self, now: Instant) -> bool {
        let client = self;
        if !client.active
            || client.muted
            || !client.publisher.connected
            || (client.video.is_none() && client.audio.is_none())
        {
            return false;
        }
        let start = *client.media_start.get_or_insert(now);
        let rtc = &mut client.publisher.rtc;
        if let Some(v) = &mut client.video {
            while start + FRAME_INTERVAL * v.sent <= now {
                let n = v.sent;
                for layer in Quality::ALL.map(Some) {
                    let i = layer_index(layer);
                    let key = n % KEYFRAME_EVERY == 0 || std::mem::take(&mut v.force_key[i]);
                    if key {
                        v.keyframes.push((n, layer));
                    }
                    let time = MediaTime::new(RTP_ORIGIN[i] + u64::from(n) * 3_000, Frequency::NINETY_KHZ);
                    let w = rtc.writer(v.mid).expect("video writer");
                    let pt = w.payload_params().find(|p| p.spec().codec == Codec::Vp8).expect("VP8").pt();
                    let w = match layer {
                        Some(q) => w.rid(Rid::from(q.rid())),
                        None => w,
                    };
                    w.write(pt, now, time, vp8_frame(layer, n, key)).expect("video written");
                }
                v.sent += 1;
            }
        }
        if let Some(a) = &mut client.audio {
            while start + AUDIO_INTERVAL * a.sent <= now {
                let n = a.sent;
                let w = rtc.writer(a.mid).expect("audio writer");
                let pt = w.payload_params().find(|p| p.spec().codec == Codec::Opus).expect("Opus").pt();
                // Speech in bursts: loud for 2 s, quiet for 1 s.
                let level = if n % 150 < 100 { -20 } else { -90 };
                let time = MediaTime::new(u64::from(n) * 960, Frequency::FORTY_EIGHT_KHZ);
                w.audio_level(level, level > -50).write(pt, now, time, opus_frame(n)).expect("audio written");
                a.sent += 1;
            }
        }
        true
    }
}

pub(crate) fn on_client_event(now: Instant, client: &mut Client, dir: PeerDirection, e: Event) {
    match e {
        Event::Connected => client.peer(dir).connected = true,
        Event::KeyframeRequest(req) if dir == PeerDirection::Publish => {
            client.keyframe_requests.push((now, req.rid));
            if let Some(v) = client.video.as_mut().filter(|v| v.mid == req.mid) {
                match req.rid.and_then(|r| Quality::from_rid(&r)) {
                    Some(q) => v.force_key[q as usize] = true,
                    None => v.force_key = [true; 3],
                }
            }
        }
        Event::MediaAdded(m) if dir == PeerDirection::Subscribe => {
            let track = client.subscriber.rtc.media(m.mid).map(|m| m.track_id().to_string()).unwrap_or_default();
            client.sub_tracks.insert(m.mid, TrackId::new(track));
        }
        Event::MediaData(d) if dir == PeerDirection::Subscribe => {
            let Some(track) = client.sub_tracks.get(&d.mid).cloned() else { return };
            let video = client.subscriber.rtc.media(d.mid).is_some_and(|m| m.kind() == MediaKind::Video);
            let (layer, number) = if video {
                let info = parse_video(&d.data).expect("a frame made by the harness");
                (info.layer, info.number)
            } else {
                (None, parse_audio(&d.data).expect("an audio frame made by the harness"))
            };
            if video && !d.contiguous {
                // What a decoder does after a gap: ask for a picture.
                if let Some(mut w) = client.subscriber.rtc.writer(d.mid) {
                    let _ = w.request_keyframe(None, KeyframeRequestKind::Pli);
                }
            }
            client.frames.push(Frame {
                at: now,
                track,
                layer,
                number,
                keyframe: d.is_keyframe(),
                seq: (**d.seq_range.start(), **d.seq_range.end()),
                contiguous: d.contiguous,
                rtp_time: d.time.numer(),
            });
        }
        _ => {}
    }
}
