//! Media: forwarding frames, keyframe requests, layer allocation, dynacast, speakers, rates.

use super::Sfu;
use crate::command::{Output, SfuEvent};
use crate::forward::Verdict;
use crate::layer::{allocate, desired_quality};
use crate::peer::PeerKey;
use parlons_types::{ParticipantId, Quality, TrackId, TrackKind};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;
use str0m::bwe::Bitrate;
use str0m::media::{KeyframeRequestKind, MediaData, MediaTime, Mid, Rid};
use tracing::{debug, warn};

/// Our name for str0m's codec of a frame.
fn frame_codec(c: str0m::format::Codec) -> parlons_types::media::FrameCodec {
    use parlons_types::media::FrameCodec;
    use str0m::format::Codec;
    match c {
        Codec::Opus => FrameCodec::Opus,
        Codec::Vp8 => FrameCodec::Vp8,
        Codec::Vp9 => FrameCodec::Vp9,
        Codec::H264 => FrameCodec::H264,
        Codec::Av1 => FrameCodec::Av1,
        _ => FrameCodec::Other,
    }
}

impl Sfu {
    /// Sends one incoming frame to every subscriber of its track.
    pub(super) fn forward(&mut self, now: Instant, key: PeerKey, data: MediaData) {
        let Some(track) = self.up_by_mid.get(&(key, data.mid)).cloned() else {
            return;
        };
        let Sfu { tracks, members, peers, dirty, out, .. } = self;
        let Some(up) = tracks.get_mut(&track) else {
            return;
        };
        let layer = data.rid.as_ref().and_then(|r| Quality::from_rid(r));
        let keyframe = data.is_keyframe();
        if let Some(q) = layer {
            up.stats.bytes[q as usize] += data.data.len() as u64;
            up.stats.last_seen[q as usize] = Some(now);
        } else if up.kind == TrackKind::Video {
            up.stats.bytes[Quality::High as usize] += data.data.len() as u64;
            up.stats.last_seen[Quality::High as usize] = Some(now);
        }
        if up.kind == TrackKind::Audio
            && let Some(level) = data.ext_vals.audio_level
        {
            up.speaker.observe(level);
        }
        // Layers some subscriber waits a keyframe of (index 3 = no simulcast).
        let mut want_keyframe = [false; 4];
        for s in &up.subscribers {
            let Some(m) = members.get_mut(s) else { continue };
            let Some(d) = m.downs.get_mut(&track) else { continue };
            let Some(mid) = d.open_mid() else { continue };
            let verdict = if up.kind == TrackKind::Audio {
                Verdict::Forward
            } else {
                let v = d.switch.verdict(layer, keyframe);
                if d.switch.awaiting_keyframe()
                    && let Some(t) = d.switch.target
                {
                    want_keyframe[t.map(|q| q as usize).unwrap_or(3)] = true;
                }
                v
            };
            if verdict == Verdict::Drop {
                continue;
            }
            let clock = data.time.frequency();
            if verdict == Verdict::SwitchAndForward {
                d.timeline.rebase(data.time.numer(), data.network_time, clock.get());
            }
            let out_time = MediaTime::new(d.timeline.map(data.time.numer(), data.network_time), clock);
            let Some(peer) = peers.get_mut(&m.subscriber) else { continue };
            let wrote = catch_unwind(AssertUnwindSafe(|| {
                let Some(writer) = peer.rtc.writer(mid) else { return Ok(()) };
                let Some(pt) = writer.match_params(data.params) else { return Ok(()) };
                let writer = match data.ext_vals.audio_level {
                    Some(l) => writer.audio_level(l, data.ext_vals.voice_activity.unwrap_or(false)),
                    None => writer,
                };
                writer.write(pt, data.network_time, out_time, data.data.clone())
            }));
            match wrote {
                Ok(Ok(())) => dirty.push(m.subscriber),
                Ok(Err(e)) => debug!(subscriber = %s, error = ?e, "write refused"),
                Err(_) => warn!(subscriber = %s, "subscriber peer panicked on write"),
            }
        }
        // A tap (recording) follows the best layer that flows.
        // Only tapped tracks pay for choosing the tap's layer (this runs for every forwarded frame).
        let tap_target =
            if up.tap.is_some() && layer.is_some() { Some(up.available(Quality::High, now)) } else { None };
        if let Some(tap) = up.tap.as_mut() {
            let verdict = if up.kind == TrackKind::Audio {
                Verdict::Forward
            } else {
                tap.switch.target = Some(tap_target);
                let v = tap.switch.verdict(layer, keyframe);
                if tap.switch.awaiting_keyframe() {
                    want_keyframe[tap_target.map(|q| q as usize).unwrap_or(3)] = true;
                }
                v
            };
            if verdict != Verdict::Drop {
                let clock = data.time.frequency().get();
                if verdict == Verdict::SwitchAndForward {
                    tap.timeline.rebase(data.time.numer(), data.network_time, clock);
                }
                let rtp_time = tap.timeline.map(data.time.numer(), data.network_time);
                out.push_back(Output::Event(SfuEvent::TrackFrame {
                    track: track.clone(),
                    codec: frame_codec(data.params.spec().codec),
                    rtp_time,
                    clock_rate: clock,
                    keyframe,
                    data: data.data.to_vec(),
                }));
            }
        }
        let layers = [Some(Quality::Low), Some(Quality::Medium), Some(Quality::High), None];
        for (layer, _) in layers.into_iter().zip(want_keyframe).filter(|(_, w)| *w) {
            self.request_keyframe(now, &track, layer);
        }
    }

    /// A subscriber lost a picture: ask the publisher for a keyframe of the layer it receives.
    pub(super) fn relay_keyframe_request(&mut self, now: Instant, subscriber: &ParticipantId, mid: Mid) {
        let Some(m) = self.members.get(subscriber) else {
            return;
        };
        let found = m.downs.iter().find(|(_, d)| d.open_mid() == Some(mid));
        let Some((track, d)) = found else {
            return;
        };
        let layer = d.switch.current.or(d.switch.target).flatten();
        let track = track.clone();
        self.request_keyframe(now, &track, layer);
    }

    pub(super) fn request_keyframe(&mut self, now: Instant, track: &TrackId, layer: Option<Quality>) {
        let Some(up) = self.tracks.get_mut(track) else {
            return;
        };
        let Some(mid) = up.mid else {
            return;
        };
        let slot = layer.map(|q| q as usize).unwrap_or(3);
        if !up.keyframe[slot].allow(now) {
            return;
        }
        let Some(key) = self.members.get(&up.publisher).map(|m| m.publisher) else {
            return;
        };
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        let rid = layer.map(|q| Rid::from(q.rid()));
        let r = catch_unwind(AssertUnwindSafe(|| {
            peer.rtc.writer(mid).map(|mut w| w.request_keyframe(rid, KeyframeRequestKind::Pli))
        }));
        match r {
            Ok(Some(Ok(()))) => self.counters.keyframe_requests += 1,
            Ok(Some(Err(e))) => debug!(%track, error = ?e, "keyframe request refused"),
            _ => {}
        }
        self.dirty.push(key);
    }

    /// Chooses the layer of each of a subscriber's video subscriptions.
    pub(super) fn reallocate(&mut self, now: Instant, subscriber: &ParticipantId) {
        let Some(m) = self.members.get_mut(subscriber) else {
            return;
        };
        let mut ids: Vec<TrackId> =
            m.downs.iter().filter(|(_, d)| d.kind == TrackKind::Video).map(|(t, _)| t.clone()).collect();
        ids.sort();
        let wants: Vec<_> = ids
            .iter()
            .map(|t| {
                let up = self.tracks.get(t);
                let desired = up.and_then(|up| desired_quality(&m.downs[t].settings, &up.layers));
                (desired, up.map(|u| u.stats.rates).unwrap_or_default())
            })
            .collect();
        let allocated = allocate(m.estimate_bps, &wants);
        let desired_total: u64 = wants.iter().filter_map(|(q, r)| q.map(|q| r.of(q))).sum();
        let mut touched = Vec::new();
        for (t, q) in ids.iter().zip(&allocated) {
            let Some(d) = m.downs.get_mut(t) else { continue };
            let Some(up) = self.tracks.get(t) else { continue };
            let target = match q {
                None => None,
                Some(_) if !up.simulcast => Some(None),
                Some(q) => Some(Some(up.available(*q, now))),
            };
            let desired = wants.iter().zip(&ids).find(|(_, id)| *id == t).and_then(|(w, _)| w.0);
            if d.desired != desired {
                d.desired = desired;
                touched.push(t.clone());
            }
            if d.switch.target != target {
                debug!(%subscriber, track = %t, ?target, allocated = ?q, estimate = m.estimate_bps, "layer target");
            }
            d.switch.target = target;
            let active = target.is_some();
            if active != d.reported_active {
                d.reported_active = active;
                self.out.push_back(Output::Event(SfuEvent::StreamState {
                    subscriber: subscriber.clone(),
                    publisher: up.publisher.clone(),
                    track: t.clone(),
                    active,
                }));
            }
        }
        if let Some(peer) = self.peers.get_mut(&m.subscriber) {
            // Probe towards what the tiles want (plus audio headroom) so layers can go up.
            let desired = Bitrate::bps(desired_total.max(300_000) + 100_000);
            let min = Bitrate::bps(0);
            let _ = catch_unwind(AssertUnwindSafe(|| peer.rtc.bwe().set_bitrate(min, desired)));
            self.dirty.push(m.subscriber);
        }
        for t in touched {
            self.update_dynacast(&t);
        }
    }

    /// Tells the publisher (through the control plane) the highest layer anyone wants.
    pub(super) fn update_dynacast(&mut self, track: &TrackId) {
        let now = self.now;
        let Some(up) = self.tracks.get_mut(track) else {
            return;
        };
        if up.kind != TrackKind::Video {
            return;
        }
        let max = up
            .subscribers
            .iter()
            .filter_map(|s| self.members.get(s).and_then(|m| m.downs.get(track)).and_then(|d| d.dynacast_want(now)))
            .max();
        if up.reported_max != Some(max) {
            up.reported_max = Some(max);
            self.out.push_back(Output::Event(SfuEvent::SubscribedQualities {
                participant: up.publisher.clone(),
                track: track.clone(),
                max,
            }));
        }
    }

    pub(super) fn close_speaker_windows(&mut self) {
        for up in self.tracks.values_mut().filter(|t| t.kind == TrackKind::Audio) {
            if let Some((level, active)) = up.speaker.close_window() {
                self.out.push_back(Output::Event(SfuEvent::AudioLevel {
                    participant: up.publisher.clone(),
                    level,
                    active,
                }));
            }
        }
    }

    pub(super) fn measure_rates(&mut self, now: Instant) {
        let secs = now.saturating_duration_since(self.last_rate_tick).as_secs_f64().max(0.001);
        self.last_rate_tick = now;
        for (id, up) in self.tracks.iter_mut() {
            if up.kind == TrackKind::Video {
                let live: Vec<bool> = Quality::ALL.iter().map(|q| up.layer_live(*q, now)).collect();
                debug!(track = %id, rates = ?up.stats.rates.bps, ?live, "layer rates");
            }
            for i in 0..3 {
                let bps = (up.stats.bytes[i] as f64 * 8.0 / secs) as u64;
                up.stats.bytes[i] = 0;
                let old = up.stats.rates.bps[i];
                // Smooth over a few seconds: keyframes make single windows jumpy.
                up.stats.rates.bps[i] = if old == 0 { bps } else { (old * 3 + bps) / 4 };
            }
        }
    }
}
