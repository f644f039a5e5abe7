//! Client signal requests, and the RoomService (admin) operations, applied to a room.

use std::collections::HashMap;
use std::time::Instant;

use livekit_protocol as lk;
use lk::signal_request::Message as In;
use lk::signal_response::Message as Out;
use parlons_types::media::{DataChannelKind, DownSettings, MediaCommand};
use parlons_types::{Identity, LayerSpec, ParticipantId, Quality, TrackId, TrackKind};
use prost::Message;
use tracing::debug;

use crate::error::{Result, RoomError};

/// Attributes only the server sets (a participant's role): participants cannot change them.
pub const SERVER_ATTRIBUTES: &[&str] = &["parlons.role"];
use crate::participant::PendingTrack;
use crate::room::Room;

/// Longest name, metadata or attribute value accepted from a client (bytes).
const MAX_TEXT: usize = 64 * 1024;

impl Room {
    /// A signal request from a participant's session.
    pub fn handle_signal(&mut self, now: Instant, from: &ParticipantId, msg: In) -> Result<()> {
        self.now = self.now.max(now);
        self.participant_ref(from)?;
        match msg {
            In::Offer(sd) => {
                self.media(MediaCommand::AcceptOffer { participant: from.clone(), offer_id: sd.id, sdp: sd.sdp });
            }
            In::Answer(sd) => {
                self.media(MediaCommand::AcceptAnswer { participant: from.clone(), offer_id: sd.id, sdp: sd.sdp });
            }
            // The server is ICE-lite with host candidates in its SDP: the client's candidates are
            // learnt from its connectivity checks (peer-reflexive), so trickle needs no action.
            In::Trickle(_) => {}
            In::AddTrack(req) => self.add_track(from, req)?,
            In::Mute(m) => self.set_muted(from, &TrackId::new(m.sid.as_str()), m.muted)?,
            In::Subscription(s) => {
                let mut tracks: Vec<String> = s.track_sids;
                tracks.extend(s.participant_tracks.into_iter().flat_map(|pt| pt.track_sids));
                for t in tracks {
                    let t = TrackId::new(t.as_str());
                    if s.subscribe { self.subscribe(from, &t) } else { self.unsubscribe(from, &t) }
                }
            }
            In::TrackSetting(ts) => {
                // `quality` defaults to LOW (0) on the wire: it only counts when no size is given
                // (adaptive stream always sends the size), as in LiveKit.
                let sized = ts.width > 0 || ts.height > 0;
                let settings = DownSettings {
                    disabled: ts.disabled,
                    max_quality: if sized { Quality::High } else { quality_of(ts.quality) },
                    width: ts.width,
                    height: ts.height,
                };
                for t in ts.track_sids {
                    self.update_settings(from, &TrackId::new(t.as_str()), settings);
                }
            }
            In::Leave(_) => self.remove(now, from, lk::DisconnectReason::ClientInitiated),
            In::UpdateMetadata(u) => self.update_own_metadata(from, u),
            In::Ping(t) => self.signal(from, Out::Pong(t)),
            In::PingReq(p) => {
                // The client measures RTT with its own clock; echo it and add ours as 0 (we have
                // no wall clock here: the driver may fill `timestamp`).
                self.signal(from, Out::PongResp(lk::Pong { last_ping_timestamp: p.timestamp, timestamp: 0 }));
            }
            // All tracks are visible to everybody in the room: per-track permissions come later.
            In::SubscriptionPermission(_) => {}
            // After a resume the peers survived; nothing to reconcile beyond what resume resent.
            In::SyncState(_) => {}
            In::UpdateLayers(_) | In::Simulate(_) | In::UpdateAudioTrack(_) | In::UpdateVideoTrack(_) => {
                debug!(participant = %from, "signal request ignored (not needed by Parlons clients)");
            }
            In::PublishDataTrackRequest(_)
            | In::UnpublishDataTrackRequest(_)
            | In::UpdateDataSubscription(_)
            | In::StoreDataBlobRequest(_)
            | In::GetDataBlobRequest(_) => {
                debug!(participant = %from, "data tracks and blobs are not supported");
            }
        }
        Ok(())
    }

    fn media(&mut self, cmd: MediaCommand) {
        self.out.push_back(crate::effect::Effect::Media(cmd));
    }

    fn add_track(&mut self, from: &ParticipantId, req: lk::AddTrackRequest) -> Result<()> {
        let source = lk::TrackSource::try_from(req.source).unwrap_or(lk::TrackSource::Unknown);
        let kind = match lk::TrackType::try_from(req.r#type) {
            Ok(lk::TrackType::Audio) => TrackKind::Audio,
            Ok(lk::TrackType::Video) => TrackKind::Video,
            _ => return self.refuse(from, 0, lk::request_response::Reason::UnsupportedType, "unsupported track type"),
        };
        if req.cid.is_empty() || req.cid.len() > 256 || req.name.len() > 256 {
            return Err(RoomError::InvalidRequest("add_track needs a short, non-empty cid"));
        }
        let p = self.participant_ref(from)?;
        if !p.permissions.may_publish(source) {
            return self.refuse(
                from,
                0,
                lk::request_response::Reason::NotAllowed,
                "not allowed to publish this source",
            );
        }
        if p.info.tracks.len() + p.pending.len() >= crate::room::MAX_TRACKS_PER_PARTICIPANT {
            return self.refuse(from, 0, lk::request_response::Reason::LimitExceeded, "too many tracks");
        }
        if p.pending.iter().any(|t| t.info.sid.is_empty() && t.info.name == req.cid) {
            return Ok(());
        }
        let track = TrackId::with_suffix(&self.mint());
        let codec = req.simulcast_codecs.iter().map(|c| c.codec.to_lowercase()).find(|c| !c.is_empty());
        let mime = match (kind, codec.as_deref()) {
            (TrackKind::Audio, _) => "audio/opus".to_string(),
            (TrackKind::Video, Some(c)) => format!("video/{c}"),
            (TrackKind::Video, None) => "video/vp8".to_string(),
        };
        let layers: Vec<LayerSpec> = req
            .layers
            .iter()
            .map(|l| LayerSpec { quality: quality_of(l.quality), width: l.width, height: l.height, bitrate: l.bitrate })
            .collect();
        let info = lk::TrackInfo {
            sid: track.to_string(),
            r#type: req.r#type,
            name: req.name.clone(),
            muted: req.muted,
            width: req.width,
            height: req.height,
            simulcast: req.layers.len() > 1,
            disable_dtx: req.disable_dtx,
            source: req.source,
            layers: req.layers.clone(),
            mime_type: mime,
            stereo: req.stereo,
            disable_red: req.disable_red,
            encryption: req.encryption,
            stream: req.stream.clone(),
            audio_features: req.audio_features.clone(),
            ..Default::default()
        };
        let p = self.participant_mut(from)?;
        p.pending.push(PendingTrack { info: info.clone(), codec: codec.unwrap_or_else(|| "vp8".into()) });
        self.media(MediaCommand::ExpectTrack { participant: from.clone(), track, cid: req.cid.clone(), kind, layers });
        // Answered at once: livekit-client awaits this before it renegotiates.
        self.signal(from, Out::TrackPublished(lk::TrackPublishedResponse { cid: req.cid, track: Some(info) }));
        Ok(())
    }

    fn refuse(
        &mut self,
        to: &ParticipantId,
        request_id: u32,
        reason: lk::request_response::Reason,
        why: &str,
    ) -> Result<()> {
        let resp =
            lk::RequestResponse { request_id, reason: reason as i32, message: why.to_string(), ..Default::default() };
        self.signal(to, Out::RequestResponse(resp));
        Ok(())
    }

    fn set_muted(&mut self, id: &ParticipantId, track: &TrackId, muted: bool) -> Result<()> {
        let p = self.participant_mut(id)?;
        let in_tracks = p.info.tracks.iter_mut().find(|t| t.sid == track.as_str());
        match in_tracks {
            Some(t) => {
                if t.muted == muted {
                    return Ok(());
                }
                t.muted = muted;
            }
            None => {
                // Muted before its media arrived: remember it in the pending info.
                let pending = p.pending.iter_mut().find(|t| t.info.sid == track.as_str());
                let Some(t) = pending else {
                    return Err(RoomError::UnknownTrack(track.clone()));
                };
                t.info.muted = muted;
                return Ok(());
            }
        }
        p.touch();
        self.announce(id);
        Ok(())
    }

    fn update_own_metadata(&mut self, from: &ParticipantId, u: lk::UpdateParticipantMetadata) {
        let Ok(p) = self.participant_ref(from) else {
            return;
        };
        if !p.permissions.can_update_metadata {
            let _ =
                self.refuse(from, u.request_id, lk::request_response::Reason::NotAllowed, "cannot update own metadata");
            return;
        }
        let too_long = u.name.len() > 256
            || u.metadata.len() > MAX_TEXT
            || u.attributes.iter().any(|(k, v)| k.len() > 256 || v.len() > MAX_TEXT)
            || u.attributes.len() > 64;
        if too_long {
            let _ = self.refuse(from, u.request_id, lk::request_response::Reason::LimitExceeded, "metadata too large");
            return;
        }
        if p.name_locked && !u.name.is_empty() && u.name != p.info.name {
            let _ = self.refuse(
                from,
                u.request_id,
                lk::request_response::Reason::NotAllowed,
                "the name comes from the account",
            );
            return;
        }
        if u.attributes.keys().any(|k| SERVER_ATTRIBUTES.contains(&k.as_str())) {
            let _ = self.refuse(
                from,
                u.request_id,
                lk::request_response::Reason::NotAllowed,
                "attribute set by the server",
            );
            return;
        }
        let name = (!u.name.is_empty()).then_some(u.name);
        let metadata = (!u.metadata.is_empty()).then_some(u.metadata);
        self.apply_participant_update(from, name, metadata, u.attributes);
        let ok = lk::RequestResponse {
            request_id: u.request_id,
            reason: lk::request_response::Reason::Ok as i32,
            ..Default::default()
        };
        self.signal(from, Out::RequestResponse(ok));
    }

    /// Applies name/metadata/attribute changes (an empty attribute value deletes the key) and
    /// tells everybody, the participant included.
    fn apply_participant_update(
        &mut self,
        id: &ParticipantId,
        name: Option<String>,
        metadata: Option<String>,
        attributes: HashMap<String, String>,
    ) {
        let Ok(p) = self.participant_mut(id) else {
            return;
        };
        if let Some(n) = name {
            p.info.name = n;
        }
        if let Some(m) = metadata {
            p.info.metadata = m;
        }
        for (k, v) in attributes {
            if v.is_empty() {
                p.info.attributes.remove(&k);
            } else {
                p.info.attributes.insert(k, v);
            }
        }
        p.touch();
        self.announce_to(id, true);
    }

    // ---- RoomService operations (roomAdmin) ----

    /// `RemoveParticipant`.
    pub fn admin_remove(&mut self, now: Instant, identity: &Identity) -> Result<()> {
        self.now = self.now.max(now);
        let id = self.by_identity(identity)?;
        self.remove(now, &id, lk::DisconnectReason::ParticipantRemoved);
        Ok(())
    }

    /// `MutePublishedTrack`: the server mutes a track and tells its publisher (`mute`) and the
    /// others (participant update). Unmuting by the server is refused, as LiveKit does by default.
    pub fn admin_mute(
        &mut self,
        now: Instant,
        identity: &Identity,
        track: &TrackId,
        muted: bool,
    ) -> Result<lk::TrackInfo> {
        self.now = self.now.max(now);
        if !muted {
            return Err(RoomError::NotAllowed("remote unmute is disabled"));
        }
        let id = self.by_identity(identity)?;
        self.set_muted(&id, track, true)?;
        self.signal(&id, Out::Mute(lk::MuteTrackRequest { sid: track.to_string(), muted: true }));
        let p = self.participant_ref(&id)?;
        p.track(track).cloned().ok_or_else(|| RoomError::UnknownTrack(track.clone()))
    }

    /// `UpdateParticipant`.
    pub fn admin_update(
        &mut self,
        now: Instant,
        identity: &Identity,
        name: Option<String>,
        metadata: Option<String>,
        attributes: HashMap<String, String>,
        permission: Option<lk::ParticipantPermission>,
    ) -> Result<lk::ParticipantInfo> {
        self.now = self.now.max(now);
        let id = self.by_identity(identity)?;
        if let Some(perm) = permission {
            let p = self.participant_mut(&id)?;
            p.permissions = crate::join::Permissions::from_proto(&perm);
            p.info.permission = Some(perm);
            // Revoked sources stop at once, as LiveKit does: tracks no longer allowed are unpublished.
            let perms = p.permissions.clone();
            let allowed = |source: i32| perms.may_publish(lk::TrackSource::try_from(source).unwrap_or_default());
            p.pending.retain(|t| allowed(t.info.source));
            let revoked: Vec<TrackId> =
                p.info.tracks.iter().filter(|t| !allowed(t.source)).map(|t| TrackId::new(t.sid.as_str())).collect();
            for t in revoked {
                self.unpublish(&id, &t);
            }
        }
        self.apply_participant_update(&id, name, metadata, attributes);
        Ok(self.participant_ref(&id)?.info.clone())
    }

    /// Changes the participant cap (0 = none); people already in stay.
    pub fn admin_set_max_participants(&mut self, max: u32) {
        self.config.max_participants = max;
    }

    /// `SendData`: a server-originated packet to some identities (empty = everybody).
    pub fn admin_send_data(&mut self, now: Instant, packet: lk::DataPacket, reliable: bool) {
        self.now = self.now.max(now);
        let destinations = packet.destination_identities.clone();
        let channel = if reliable { DataChannelKind::Reliable } else { DataChannelKind::Lossy };
        self.deliver_data(None, channel, packet.encode_to_vec(), &destinations);
    }

    /// `UpdateRoomMetadata`: stored and sent to everybody as `room_update`.
    pub fn admin_set_metadata(&mut self, now: Instant, metadata: String) -> lk::Room {
        self.now = self.now.max(now);
        self.metadata = metadata;
        self.broadcast_room_update()
    }

    /// Says whether a recording runs (`Room.active_recording`: the clients' recording indicator).
    pub fn admin_set_recording(&mut self, now: Instant, active: bool) -> lk::Room {
        self.now = self.now.max(now);
        self.recording = active;
        self.broadcast_room_update()
    }

    fn broadcast_room_update(&mut self) -> lk::Room {
        let info = self.info();
        let everyone: Vec<ParticipantId> = self.participants.iter().map(|p| p.id.clone()).collect();
        for p in everyone {
            self.signal(&p, Out::RoomUpdate(lk::RoomUpdate { room: Some(info.clone()) }));
        }
        info
    }
}

/// LiveKit's `VideoQuality` number as a Parlons quality (`OFF` and unknown values mean high).
pub(crate) fn quality_of(v: i32) -> Quality {
    match lk::VideoQuality::try_from(v) {
        Ok(lk::VideoQuality::Low) => Quality::Low,
        Ok(lk::VideoQuality::Medium) => Quality::Medium,
        _ => Quality::High,
    }
}
