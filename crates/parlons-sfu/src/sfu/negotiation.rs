//! SDP: publisher offers answered, subscriber offers made, m-lines bound to announced tracks.

use super::Sfu;
use crate::command::{DataChannelKind, Output, SfuEvent};
use crate::error::{Result, SfuError};
use crate::peer::{DownState, PeerKey, UpTrack};
use parlons_types::{ParticipantId, TrackId, TrackKind};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};
use str0m::change::{SdpAnswer, SdpOffer};
use str0m::media::{Direction, MediaKind, Mid};
use tracing::debug;

/// How long a new participant's first subscriber offer waits for its publisher offer.
const FIRST_OFFER_GRACE: Duration = Duration::from_millis(1500);
/// An unanswered subscriber offer is sent again after this long.
const OFFER_RESEND_AFTER: Duration = Duration::from_secs(3);
/// At most this many resends of one offer.
const OFFER_RESENDS: u32 = 3;

impl Sfu {
    /// Reports an SDP that does not even parse (malformed or hostile) to the control plane, and
    /// builds the error for the caller.
    fn refuse_sdp(&mut self, participant: &ParticipantId, reason: String) -> SfuError {
        self.out.push_back(Output::Event(SfuEvent::NegotiationFailed {
            participant: participant.clone(),
            reason: reason.clone(),
        }));
        SfuError::InvalidSdp(reason)
    }

    pub(super) fn accept_offer(&mut self, participant: &ParticipantId, offer_id: u32, sdp: &str) -> Result<()> {
        let key = self.member(participant)?.publisher;
        let offer = SdpOffer::from_sdp_string(sdp).map_err(|e| self.refuse_sdp(participant, e.to_string()))?;
        let peer = self.peers.get_mut(&key).ok_or_else(|| SfuError::UnknownParticipant(participant.clone()))?;
        let r = catch_unwind(AssertUnwindSafe(|| peer.rtc.sdp_api().accept_offer(offer)));
        self.dirty.push(key);
        match r {
            Ok(Ok(answer)) => {
                if let Some(m) = self.members.get_mut(participant) {
                    m.publisher_offered = true;
                }
                self.out.push_back(Output::Event(SfuEvent::Answer {
                    participant: participant.clone(),
                    offer_id,
                    sdp: answer.to_sdp_string(),
                }));
                self.negotiate(participant);
                Ok(())
            }
            // str0m refused the content (e.g. mid-renegotiation quirks of a client during a resume):
            // refused, reported to the caller, the session goes on.
            Ok(Err(e)) => Err(SfuError::InvalidSdp(e.to_string())),
            Err(_) => {
                self.fail(participant, "publisher peer panicked on an offer");
                Err(SfuError::PeerPanicked(participant.clone()))
            }
        }
    }

    pub(super) fn accept_answer(
        &mut self,
        now: Instant,
        participant: &ParticipantId,
        offer_id: u32,
        sdp: &str,
    ) -> Result<()> {
        let key = self.member(participant)?.subscriber;
        let answer = SdpAnswer::from_sdp_string(sdp).map_err(|e| self.refuse_sdp(participant, e.to_string()))?;
        let peer = self.peers.get_mut(&key).ok_or_else(|| SfuError::UnknownParticipant(participant.clone()))?;
        let expected = peer.pending_offer.as_ref().map(|(id, _)| *id);
        // The Rust SDK (and so the Python one) leaves the answer's id at 0: with one offer in
        // flight at a time, 0 can only mean that offer.
        if expected.is_none() || (offer_id != 0 && expected != Some(offer_id)) {
            return Err(SfuError::UnexpectedAnswer { got: offer_id, expected });
        }
        peer.pending_sdp = None;
        let Some((_, pending)) = peer.pending_offer.take() else {
            return Err(SfuError::UnexpectedAnswer { got: offer_id, expected });
        };
        let r = catch_unwind(AssertUnwindSafe(|| peer.rtc.sdp_api().accept_answer(pending, answer)));
        self.dirty.push(key);
        match r {
            Ok(Ok(())) => {
                if let Some(p) = self.peers.get_mut(&key) {
                    p.negotiated = true;
                }
            }
            Ok(Err(e)) => {
                debug!(%participant, offer_id, error = %e, sdp, "answer refused");
                return Err(SfuError::InvalidSdp(e.to_string()));
            }
            Err(_) => {
                self.fail(participant, "subscriber peer panicked on an answer");
                return Err(SfuError::PeerPanicked(participant.clone()));
            }
        }
        if let Some(m) = self.members.get_mut(participant) {
            m.downs.retain(|_, d| d.reopen || !matches!(d.state, DownState::NegotiatingStop(_)));
            for d in m.downs.values_mut().filter(|d| d.reopen) {
                d.reopen = false;
                d.state = DownState::ToOpen;
                d.switch = Default::default();
                d.timeline = Default::default();
            }
            for d in m.downs.values_mut() {
                if let DownState::Negotiating(mid) = d.state {
                    d.state = DownState::Open(mid);
                }
            }
        }
        self.negotiate(participant);
        self.reallocate(now, participant);
        Ok(())
    }

    /// Makes the next subscriber offer if there are changes and none is in flight.
    pub(super) fn negotiate(&mut self, participant: &ParticipantId) {
        let Some(m) = self.members.get_mut(participant) else {
            return;
        };
        let Some(peer) = self.peers.get_mut(&m.subscriber) else {
            return;
        };
        if peer.pending_offer.is_some() {
            return;
        }
        // livekit-client drops a subscriber offer that arrives before it has set up its peers
        // (right after the join response). Its publisher offer says it is ready; a client that
        // never sends one gets its first offer after FIRST_OFFER_GRACE.
        let ready = m.publisher_offered || self.now.saturating_duration_since(m.added_at) >= FIRST_OFFER_GRACE;
        if peer.offer_seq == 0 && !ready {
            return;
        }
        let tracks = &self.tracks;
        let key = m.subscriber;
        let restart = peer.restart_ice;
        let mut tag = peer.bundle_tag;
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut api = peer.rtc.sdp_api();
            let mut changed = Vec::new();
            for (tid, d) in m.downs.iter_mut() {
                match d.state {
                    DownState::ToOpen => {
                        let Some(up) = tracks.get(tid) else { continue };
                        let kind = match up.kind {
                            TrackKind::Audio => MediaKind::Audio,
                            TrackKind::Video => MediaKind::Video,
                        };
                        // livekit-client splits the stream id at '|' into participant and track sids.
                        let stream_id = format!("{}|{}", up.publisher, tid);
                        let mid =
                            api.add_media(kind, Direction::SendOnly, Some(stream_id), Some(tid.to_string()), None);
                        tag.get_or_insert(mid);
                        changed.push((tid.clone(), DownState::Negotiating(mid)));
                    }
                    DownState::ToStop(mid) => {
                        if tag == Some(mid) {
                            api.set_direction(mid, Direction::Inactive);
                        } else {
                            api.stop_media(mid);
                        }
                        changed.push((tid.clone(), DownState::NegotiatingStop(mid)));
                    }
                    _ => {}
                }
            }
            if restart {
                api.ice_restart(true);
            }
            let applied = if api.has_changes() { api.apply() } else { None };
            (changed, applied)
        }));
        let (changed, applied) = match result {
            Ok(r) => r,
            Err(_) => {
                let p = participant.clone();
                self.fail(&p, "subscriber peer panicked while offering");
                return;
            }
        };
        let Some((offer, pending)) = applied else {
            return;
        };
        for (tid, state) in changed {
            if let Some(d) = m.downs.get_mut(&tid) {
                d.state = state;
            }
        }
        peer.bundle_tag = tag;
        peer.offer_seq += 1;
        peer.restart_ice = false;
        let offer_id = peer.offer_seq;
        peer.pending_offer = Some((offer_id, pending));
        let sdp = offer.to_sdp_string();
        peer.pending_sdp = Some((sdp.clone(), self.now, 0));
        self.dirty.push(key);
        self.out.push_back(Output::Event(SfuEvent::Offer { participant: participant.clone(), offer_id, sdp }));
    }

    /// Offers the client has not answered in OFFER_RESEND_AFTER are sent again with a new id: a
    /// client may drop an offer (see `negotiate`), and one in flight blocks every later change.
    pub(super) fn resend_stale_offers(&mut self) {
        let now = self.now;
        for peer in self.peers.values_mut() {
            let Some((id, _)) = peer.pending_offer.as_mut() else { continue };
            let Some((sdp, at, tries)) = peer.pending_sdp.as_mut() else { continue };
            if now.saturating_duration_since(*at) < OFFER_RESEND_AFTER || *tries >= OFFER_RESENDS {
                continue;
            }
            peer.offer_seq += 1;
            *id = peer.offer_seq;
            *at = now;
            *tries += 1;
            debug!(participant = %peer.participant, offer_id = *id, "subscriber offer unanswered; sending it again");
            self.out.push_back(Output::Event(SfuEvent::Offer {
                participant: peer.participant.clone(),
                offer_id: *id,
                sdp: sdp.clone(),
            }));
        }
    }

    pub(super) fn send_data(&mut self, key: PeerKey, channel: DataChannelKind, payload: &[u8]) {
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        let Some(id) = peer.channels.get(&channel).copied() else {
            debug!(participant = %peer.participant, ?channel, "data channel not open; packet dropped");
            return;
        };
        let r = catch_unwind(AssertUnwindSafe(|| peer.rtc.channel(id).map(|mut ch| ch.write(true, payload))));
        match r {
            Ok(Some(Err(e))) => debug!(error = ?e, "data channel write failed"),
            Ok(_) => {}
            Err(_) => {
                let p = peer.participant.clone();
                self.fail(&p, "peer panicked on a data channel write");
                return;
            }
        }
        self.dirty.push(key);
    }

    /// Matches a new publisher m-line to a track announced by `add_track`: by client id (the msid
    /// track id equals the cid for livekit-client), else the first unbound track of the same kind
    /// (the Rust/Python SDK's msid is not its cid).
    pub(super) fn bind_track(
        &mut self,
        key: PeerKey,
        participant: &ParticipantId,
        mid: Mid,
        kind: MediaKind,
        simulcast: bool,
    ) {
        let msid_track = self.peers.get(&key).and_then(|p| p.rtc.media(mid)).map(|m| m.track_id().to_string());
        let kind = if kind == MediaKind::Audio { TrackKind::Audio } else { TrackKind::Video };
        let unbound = |t: &&UpTrack| &t.publisher == participant && t.mid.is_none() && t.kind == kind;
        let by_cid = self
            .tracks
            .iter()
            .filter(|(_, t)| unbound(t))
            .find(|(_, t)| msid_track.as_deref() == Some(t.cid.as_str()))
            .map(|(id, _)| id.clone());
        let chosen = by_cid.or_else(|| {
            // Oldest unbound first: track ids are ordered by creation (monotonic suffix).
            let mut c: Vec<&TrackId> = self.tracks.iter().filter(|(_, t)| unbound(t)).map(|(id, _)| id).collect();
            c.sort();
            c.first().map(|id| (*id).clone())
        });
        let Some(track) = chosen else {
            debug!(%participant, ?msid_track, "media section without a pending track");
            return;
        };
        if let Some(up) = self.tracks.get_mut(&track) {
            up.mid = Some(mid);
            up.simulcast = simulcast || up.layers.len() > 1;
        }
        self.up_by_mid.insert((key, mid), track.clone());
        self.out.push_back(Output::Event(SfuEvent::TrackBound { participant: participant.clone(), track }));
    }
}
