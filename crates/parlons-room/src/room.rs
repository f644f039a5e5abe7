//! The room: membership, publications, subscriptions and their announcements.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use livekit_protocol as lk;
use lk::signal_response::Message as Out;
use parlons_types::media::{DataChannelKind, DownSettings, MediaCommand, MediaEvent, PeerState};
use parlons_types::{Identity, ParticipantId, Quality, RoomId, TrackId};
use tracing::{debug, info, warn};

use crate::data::{self, Refused};
use crate::effect::{Effect, RoomOutput, WebhookKind};
use crate::error::{Result, RoomError};
use crate::join::JoinRequest;
use crate::participant::{Participant, Session};
use crate::{PROTOCOL_VERSION, SERVER_VERSION};

/// Settings of one room.
#[derive(Clone, Debug)]
pub struct RoomConfig {
    /// Server id of this room instance.
    pub sid: RoomId,
    /// The room's name (the LiveKit `room` grant; the slug in Parlons URLs).
    pub name: String,
    /// Maximum participants (0 = unlimited).
    pub max_participants: u32,
    /// How long an empty room lives before it finishes.
    pub empty_timeout: Duration,
    /// How long a participant whose signalling dropped may resume before it is removed.
    pub resume_window: Duration,
    /// Node id reported in `ServerInfo`.
    pub node_id: String,
    /// Unix time of creation, seconds (for `Room.creation_time`).
    pub created_at_unix: i64,
    /// ICE servers handed to clients (none on loopback/LAN).
    pub ice_servers: Vec<lk::IceServer>,
}

impl RoomConfig {
    /// Defaults: no cap, 5 min empty timeout, 20 s resume window (LiveKit's departure timeout).
    pub fn new(sid: RoomId, name: &str) -> Self {
        RoomConfig {
            sid,
            name: name.to_string(),
            max_participants: 0,
            empty_timeout: Duration::from_secs(300),
            resume_window: Duration::from_secs(20),
            node_id: String::new(),
            created_at_unix: 0,
            ice_servers: Vec::new(),
        }
    }
}

/// Most tracks one participant may publish at once.
pub(crate) const MAX_TRACKS_PER_PARTICIPANT: usize = 16;

/// One room. See the crate documentation for the run loop.
pub struct Room {
    pub(crate) config: RoomConfig,
    pub(crate) metadata: String,
    /// A recording runs (shown to clients as `Room.active_recording`).
    pub(crate) recording: bool,
    /// Participants in join order (a small room: a Vec keeps announcements ordered).
    pub(crate) participants: Vec<Participant>,
    /// Suffix of the ids this room mints (unique per room instance).
    id_seq: u64,
    pub(crate) out: VecDeque<Effect>,
    empty_since: Option<Instant>,
    closed: bool,
    /// Latest speaking state per participant, to send changes only.
    speaking: HashMap<ParticipantId, bool>,
    /// The latest instant an input carried (deadlines are expressed from it).
    pub(crate) now: Instant,
}

impl Room {
    /// A new, empty room. Raises `room_started`.
    pub fn new(now: Instant, config: RoomConfig) -> Self {
        let mut room = Room {
            config,
            metadata: String::new(),
            recording: false,
            participants: Vec::new(),
            id_seq: 0,
            out: VecDeque::new(),
            empty_since: Some(now),
            closed: false,
            speaking: HashMap::new(),
            now,
        };
        room.webhook(WebhookKind::RoomStarted, None, None);
        room
    }

    /// The room as LiveKit describes it.
    pub fn info(&self) -> lk::Room {
        lk::Room {
            sid: self.config.sid.to_string(),
            name: self.config.name.clone(),
            empty_timeout: self.config.empty_timeout.as_secs() as u32,
            departure_timeout: self.config.resume_window.as_secs() as u32,
            max_participants: self.config.max_participants,
            creation_time: self.config.created_at_unix,
            creation_time_ms: self.config.created_at_unix * 1000,
            metadata: self.metadata.clone(),
            num_participants: self.participants.iter().filter(|p| !p.permissions.hidden).count() as u32,
            num_publishers: self.participants.iter().filter(|p| !p.info.tracks.is_empty()).count() as u32,
            active_recording: self.recording,
            ..Default::default()
        }
    }

    /// The room's name.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// Current participants (hidden ones included), as LiveKit describes them.
    pub fn participants(&self) -> Vec<lk::ParticipantInfo> {
        self.participants.iter().map(|p| p.info.clone()).collect()
    }

    /// The participant with this identity, if present.
    pub fn participant(&self, identity: &Identity) -> Option<lk::ParticipantInfo> {
        self.participants.iter().find(|p| &p.identity == identity).map(|p| p.info.clone())
    }

    /// Whether the room has been closed (deleted or finished).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Next output; drain until [`RoomOutput::Timeout`].
    pub fn poll_output(&mut self) -> RoomOutput {
        if let Some(e) = self.out.pop_front() {
            return RoomOutput::Effect(e);
        }
        let detached = self.participants.iter().filter_map(|p| match p.session {
            Session::Detached(at) => Some(at + self.config.resume_window),
            Session::Attached => None,
        });
        let empty = self.empty_since.filter(|_| !self.closed).map(|t| t + self.config.empty_timeout);
        let far = self.config.empty_timeout.max(Duration::from_secs(3600));
        let next = detached.chain(empty).min();
        RoomOutput::Timeout(next.unwrap_or(self.now + far))
    }

    /// A participant enters: join response to it, announcement to the others, peers on the SFU,
    /// and subscriptions to what is already published (auto-subscribe).
    pub fn handle_join(&mut self, now: Instant, req: JoinRequest) -> Result<ParticipantId> {
        self.now = self.now.max(now);
        if self.closed {
            return Err(RoomError::Closed);
        }
        if req.identity.as_str().is_empty() {
            return Err(RoomError::InvalidRequest("empty identity"));
        }
        // A second connection with the same identity replaces the first (LiveKit semantics).
        if let Some(old) = self.participants.iter().find(|p| p.identity == req.identity).map(|p| p.id.clone()) {
            info!(room = %self.config.name, identity = %req.identity, "duplicate identity replaces the previous session");
            self.remove(now, &old, lk::DisconnectReason::DuplicateIdentity);
        }
        let visible = self.participants.iter().filter(|p| !p.permissions.hidden).count() as u32;
        if self.config.max_participants > 0 && visible >= self.config.max_participants && !req.permissions.hidden {
            return Err(RoomError::RoomFull(self.config.max_participants));
        }
        let id = ParticipantId::with_suffix(&self.mint());
        let info = lk::ParticipantInfo {
            sid: id.to_string(),
            identity: req.identity.to_string(),
            state: lk::participant_info::State::Joined as i32,
            metadata: req.metadata.clone(),
            joined_at: req.joined_at_ms / 1000,
            joined_at_ms: req.joined_at_ms,
            name: req.name.clone(),
            version: 1,
            permission: Some(req.permissions.to_proto()),
            attributes: req.attributes.clone(),
            client_protocol: req.protocol,
            ..Default::default()
        };
        let p = Participant {
            id: id.clone(),
            identity: req.identity.clone(),
            info,
            permissions: req.permissions.clone(),
            auto_subscribe: req.auto_subscribe,
            name_locked: req.name_locked,
            session: Session::Attached,
            pending: Vec::new(),
            codecs: HashMap::new(),
            subscriptions: Default::default(),
            settings: HashMap::new(),
            last_reliable_seq: 0,
        };
        info!(room = %self.config.name, participant = %id, "participant joined");
        self.out.push_back(Effect::Media(MediaCommand::AddParticipant { participant: id.clone() }));
        let join = self.join_response(&p);
        self.participants.push(p);
        self.empty_since = None;
        self.signal(&id, Out::Join(join));
        self.announce(&id);
        self.webhook(WebhookKind::ParticipantJoined, Some(&id), None);
        if req.auto_subscribe && req.permissions.can_subscribe {
            let tracks: Vec<TrackId> = self
                .participants
                .iter()
                .filter(|o| o.id != id)
                .flat_map(|o| o.info.tracks.iter().map(|t| TrackId::new(t.sid.as_str())))
                .collect();
            for t in tracks {
                self.subscribe(&id, &t);
            }
        }
        Ok(id)
    }

    fn join_response(&self, p: &Participant) -> lk::JoinResponse {
        lk::JoinResponse {
            room: Some(self.info()),
            participant: Some(p.info.clone()),
            other_participants: self.participants.iter().filter(|o| o.is_visible()).map(|o| o.info.clone()).collect(),
            server_version: SERVER_VERSION.to_string(),
            ice_servers: self.config.ice_servers.clone(),
            // Publisher-primary: the client offers first; the server offers the subscriber peer
            // only when it has something to send (docs/protocol.md, "two peers").
            subscriber_primary: false,
            ping_timeout: 15,
            ping_interval: 5,
            server_info: Some(self.server_info()),
            ..Default::default()
        }
    }

    fn server_info(&self) -> lk::ServerInfo {
        lk::ServerInfo {
            edition: lk::server_info::Edition::Standard as i32,
            version: SERVER_VERSION.to_string(),
            protocol: PROTOCOL_VERSION,
            node_id: self.config.node_id.clone(),
            ..Default::default()
        }
    }

    /// A participant's signalling came back (`reconnect=1&sid=…`): answer `reconnect`, resend the
    /// room state, and restart ICE on its subscriber peer. Its peers and tracks survived the drop.
    pub fn handle_resume(&mut self, now: Instant, id: &ParticipantId, identity: &Identity) -> Result<()> {
        self.now = self.now.max(now);
        let p = self.participant_mut(id)?;
        if &p.identity != identity {
            return Err(RoomError::IdentityMismatch);
        }
        p.session = Session::Attached;
        info!(participant = %id, "participant resumed");
        let reconnect = lk::ReconnectResponse {
            ice_servers: self.config.ice_servers.clone(),
            server_info: Some(self.server_info()),
            ..Default::default()
        };
        self.signal(id, Out::Reconnect(reconnect));
        let everyone: Vec<lk::ParticipantInfo> =
            self.participants.iter().filter(|o| o.is_visible()).map(|o| o.info.clone()).collect();
        self.signal(id, Out::Update(lk::ParticipantUpdate { participants: everyone }));
        self.signal(id, Out::RoomUpdate(lk::RoomUpdate { room: Some(self.info()) }));
        self.out.push_back(Effect::Media(MediaCommand::RestartIce { participant: id.clone() }));
        Ok(())
    }

    /// The participant's WebSocket dropped without a `leave`: keep it (and its media) for the
    /// resume window.
    pub fn handle_session_closed(&mut self, now: Instant, id: &ParticipantId) {
        self.now = self.now.max(now);
        if let Ok(p) = self.participant_mut(id)
            && p.session == Session::Attached
        {
            debug!(participant = %id, "signalling dropped; waiting for a resume");
            p.session = Session::Detached(now);
        }
    }

    /// Time passes: expire detached participants and the empty room.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.now = self.now.max(now);
        let window = self.config.resume_window;
        let expired: Vec<ParticipantId> = self
            .participants
            .iter()
            .filter(|p| matches!(p.session, Session::Detached(at) if now >= at + window))
            .map(|p| p.id.clone())
            .collect();
        for id in expired {
            info!(participant = %id, "resume window elapsed; participant removed");
            self.remove(now, &id, lk::DisconnectReason::SignalClose);
        }
        if let Some(since) = self.empty_since
            && !self.closed
            && now >= since + self.config.empty_timeout
        {
            self.finish();
        }
    }

    /// Facts from the media plane.
    pub fn handle_media(&mut self, now: Instant, ev: MediaEvent) {
        self.now = self.now.max(now);
        match ev {
            MediaEvent::Answer { participant, offer_id, sdp } => {
                let sd = lk::SessionDescription { r#type: "answer".into(), sdp, id: offer_id, ..Default::default() };
                self.signal(&participant, Out::Answer(sd));
            }
            MediaEvent::Offer { participant, offer_id, sdp } => {
                let sd = lk::SessionDescription { r#type: "offer".into(), sdp, id: offer_id, ..Default::default() };
                self.signal(&participant, Out::Offer(sd));
            }
            MediaEvent::TrackBound { participant, track } => self.publish_bound(&participant, &track),
            MediaEvent::TrackUnbound { participant, track } => self.unpublish(&participant, &track),
            MediaEvent::Data { participant, channel, payload } => self.relay_data(&participant, channel, &payload),
            MediaEvent::PeerState { participant, direction, state } => {
                debug!(%participant, ?direction, ?state, "peer state");
                if state == PeerState::Disconnected {
                    // The client notices too and resumes or rejoins; the resume window (or a
                    // leave) ends the participant, not ICE alone.
                }
            }
            MediaEvent::PeerFailed { participant, reason } => {
                warn!(%participant, reason, "media failed; removing participant");
                self.remove(now, &participant, lk::DisconnectReason::StateMismatch);
            }
            MediaEvent::NegotiationFailed { participant, reason } => {
                warn!(%participant, reason, "unusable SDP; ending the session");
                self.remove(now, &participant, lk::DisconnectReason::StateMismatch);
            }
            MediaEvent::AudioLevel { participant, level, active } => self.speaker_changed(&participant, level, active),
            MediaEvent::SubscribedQualities { participant, track, max } => {
                self.send_subscribed_qualities(&participant, &track, max);
            }
            // Tapped frames go to recorders, never to rooms.
            MediaEvent::TrackFrame { .. } => {}
            MediaEvent::StreamState { subscriber, publisher, track, active } => {
                let state = if active { lk::StreamState::Active } else { lk::StreamState::Paused };
                let info = lk::StreamStateInfo {
                    participant_sid: publisher.to_string(),
                    track_sid: track.to_string(),
                    state: state as i32,
                };
                self.signal(&subscriber, Out::StreamStateUpdate(lk::StreamStateUpdate { stream_states: vec![info] }));
            }
        }
    }

    /// Removes a participant for good: `leave` to it, `DISCONNECTED` to the others, media gone.
    pub(crate) fn remove(&mut self, now: Instant, id: &ParticipantId, reason: lk::DisconnectReason) {
        let Some(pos) = self.participants.iter().position(|p| &p.id == id) else {
            return;
        };
        if reason != lk::DisconnectReason::ClientInitiated {
            let leave = lk::LeaveRequest {
                reason: reason as i32,
                action: lk::leave_request::Action::Disconnect as i32,
                ..Default::default()
            };
            self.signal(id, Out::Leave(leave));
        }
        self.out.push_back(Effect::CloseSession { participant: id.clone(), reason });
        let mut gone = self.participants.remove(pos);
        gone.info.state = lk::participant_info::State::Disconnected as i32;
        gone.info.disconnect_reason = reason as i32;
        gone.touch();
        for t in &gone.info.tracks {
            self.webhook_with(WebhookKind::TrackUnpublished, Some(gone.info.clone()), Some(t.clone()));
        }
        for o in &mut self.participants {
            for t in &gone.info.tracks {
                o.subscriptions.remove(&TrackId::new(t.sid.as_str()));
            }
        }
        self.out.push_back(Effect::Media(MediaCommand::RemoveParticipant { participant: id.clone() }));
        if !gone.permissions.hidden {
            let upd = lk::ParticipantUpdate { participants: vec![gone.info.clone()] };
            for o in self.participants.iter().map(|o| o.id.clone()).collect::<Vec<_>>() {
                self.signal(&o, Out::Update(upd.clone()));
            }
        }
        self.speaking.remove(id);
        info!(room = %self.config.name, participant = %id, ?reason, "participant left");
        self.webhook_with(WebhookKind::ParticipantLeft, Some(gone.info), None);
        if self.participants.is_empty() {
            self.empty_since = Some(now);
        }
    }

    /// Closes the room: everybody leaves with `reason`, then the room finishes.
    pub fn close(&mut self, now: Instant, reason: lk::DisconnectReason) {
        self.now = self.now.max(now);
        let ids: Vec<ParticipantId> = self.participants.iter().map(|p| p.id.clone()).collect();
        for id in ids {
            self.remove(now, &id, reason);
        }
        self.finish();
    }

    fn finish(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        info!(room = %self.config.name, "room finished");
        self.webhook(WebhookKind::RoomFinished, None, None);
        self.out.push_back(Effect::Finished);
    }

    pub(crate) fn participant_mut(&mut self, id: &ParticipantId) -> Result<&mut Participant> {
        self.participants.iter_mut().find(|p| &p.id == id).ok_or_else(|| RoomError::UnknownParticipant(id.clone()))
    }

    pub(crate) fn participant_ref(&self, id: &ParticipantId) -> Result<&Participant> {
        self.participants.iter().find(|p| &p.id == id).ok_or_else(|| RoomError::UnknownParticipant(id.clone()))
    }

    pub(crate) fn by_identity(&self, identity: &Identity) -> Result<ParticipantId> {
        self.participants
            .iter()
            .find(|p| &p.identity == identity)
            .map(|p| p.id.clone())
            .ok_or_else(|| RoomError::UnknownIdentity(identity.clone()))
    }

    pub(crate) fn mint(&mut self) -> String {
        self.id_seq += 1;
        let room = self.config.sid.as_str().trim_start_matches(RoomId::PREFIX);
        format!("{room}{:06}", self.id_seq)
    }

    pub(crate) fn signal(&mut self, to: &ParticipantId, msg: Out) {
        self.out.push_back(Effect::Signal { to: to.clone(), msg });
    }

    /// Sends a participant's current info to everyone else (and to itself when `to_self`).
    pub(crate) fn announce_to(&mut self, id: &ParticipantId, to_self: bool) {
        let Ok(p) = self.participant_ref(id) else {
            return;
        };
        if p.permissions.hidden {
            if to_self {
                let upd = lk::ParticipantUpdate { participants: vec![p.info.clone()] };
                self.signal(id, Out::Update(upd));
            }
            return;
        }
        let upd = lk::ParticipantUpdate { participants: vec![p.info.clone()] };
        let targets: Vec<ParticipantId> =
            self.participants.iter().filter(|o| to_self || &o.id != id).map(|o| o.id.clone()).collect();
        for t in targets {
            self.signal(&t, Out::Update(upd.clone()));
        }
    }

    pub(crate) fn announce(&mut self, id: &ParticipantId) {
        self.announce_to(id, false);
    }

    /// A track's media arrived: it becomes visible and others subscribe.
    fn publish_bound(&mut self, publisher: &ParticipantId, track: &TrackId) {
        let Ok(p) = self.participant_mut(publisher) else {
            return;
        };
        let Some(pos) = p.pending.iter().position(|t| t.info.sid == track.as_str()) else {
            return;
        };
        let pending = p.pending.remove(pos);
        p.codecs.insert(track.clone(), pending.codec.clone());
        p.info.tracks.push(pending.info.clone());
        p.info.is_publisher = true;
        p.touch();
        let info = p.info.clone();
        debug!(participant = %publisher, %track, "track published");
        self.announce(publisher);
        self.webhook_with(WebhookKind::TrackPublished, Some(info), Some(pending.info));
        let subscribers: Vec<ParticipantId> = self
            .participants
            .iter()
            .filter(|o| &o.id != publisher && o.auto_subscribe && o.permissions.can_subscribe)
            .map(|o| o.id.clone())
            .collect();
        for s in subscribers {
            self.subscribe(&s, track);
        }
    }

    /// A track is gone (m-line inactive, or the publisher unpublished it).
    pub(crate) fn unpublish(&mut self, publisher: &ParticipantId, track: &TrackId) {
        let Ok(p) = self.participant_mut(publisher) else {
            return;
        };
        let Some(pos) = p.info.tracks.iter().position(|t| t.sid == track.as_str()) else {
            return;
        };
        let removed = p.info.tracks.remove(pos);
        p.codecs.remove(track);
        p.info.is_publisher = !p.info.tracks.is_empty();
        p.touch();
        let info = p.info.clone();
        self.out.push_back(Effect::Media(MediaCommand::RemoveTrack { track: track.clone() }));
        for o in &mut self.participants {
            o.subscriptions.remove(track);
        }
        let resp = lk::TrackUnpublishedResponse { track_sid: track.to_string() };
        self.signal(publisher, Out::TrackUnpublished(resp));
        self.announce(publisher);
        self.webhook_with(WebhookKind::TrackUnpublished, Some(info), Some(removed));
    }

    pub(crate) fn subscribe(&mut self, subscriber: &ParticipantId, track: &TrackId) {
        let Ok(s) = self.participant_mut(subscriber) else {
            return;
        };
        if !s.permissions.can_subscribe || !s.subscriptions.insert(track.clone()) {
            return;
        }
        let settings = s.settings.get(track).copied();
        self.out
            .push_back(Effect::Media(MediaCommand::Subscribe { subscriber: subscriber.clone(), track: track.clone() }));
        if let Some(settings) = settings {
            self.out.push_back(Effect::Media(MediaCommand::UpdateSubscription {
                subscriber: subscriber.clone(),
                track: track.clone(),
                settings,
            }));
        }
    }

    pub(crate) fn unsubscribe(&mut self, subscriber: &ParticipantId, track: &TrackId) {
        let Ok(s) = self.participant_mut(subscriber) else {
            return;
        };
        if s.subscriptions.remove(track) {
            self.out.push_back(Effect::Media(MediaCommand::Unsubscribe {
                subscriber: subscriber.clone(),
                track: track.clone(),
            }));
        }
    }

    pub(crate) fn update_settings(&mut self, subscriber: &ParticipantId, track: &TrackId, settings: DownSettings) {
        let Ok(s) = self.participant_mut(subscriber) else {
            return;
        };
        s.settings.insert(track.clone(), settings);
        if s.subscriptions.contains(track) {
            self.out.push_back(Effect::Media(MediaCommand::UpdateSubscription {
                subscriber: subscriber.clone(),
                track: track.clone(),
                settings,
            }));
        }
    }

    /// Relays a data packet from a participant (see [`crate::data`]).
    fn relay_data(&mut self, from: &ParticipantId, channel: DataChannelKind, payload: &[u8]) {
        let Ok(p) = self.participant_mut(from) else {
            return;
        };
        if !p.permissions.can_publish_data {
            debug!(participant = %from, "data packet without canPublishData; dropped");
            return;
        }
        let identity = p.identity.to_string();
        let sid = p.id.to_string();
        let relay = match data::prepare(
            payload,
            channel == DataChannelKind::Reliable,
            &identity,
            &sid,
            &mut p.last_reliable_seq,
        ) {
            Ok(r) => r,
            Err(Refused::Replay) => return,
            Err(e) => {
                debug!(participant = %from, reason = ?e, "data packet refused");
                return;
            }
        };
        self.deliver_data(Some(from), channel, relay.bytes, &relay.destinations);
    }

    /// Sends encoded data to `destinations` (identities; empty = everyone but the sender).
    pub(crate) fn deliver_data(
        &mut self,
        from: Option<&ParticipantId>,
        channel: DataChannelKind,
        bytes: Vec<u8>,
        destinations: &[String],
    ) {
        let targets: Vec<ParticipantId> = self
            .participants
            .iter()
            .filter(|o| Some(&o.id) != from)
            .filter(|o| destinations.is_empty() || destinations.iter().any(|d| d == o.identity.as_str()))
            .map(|o| o.id.clone())
            .collect();
        for t in targets {
            self.out.push_back(Effect::Media(MediaCommand::SendData {
                participant: t,
                channel,
                payload: bytes.clone(),
            }));
        }
    }

    fn speaker_changed(&mut self, id: &ParticipantId, level: f32, active: bool) {
        if self.participant_ref(id).is_err() {
            return;
        }
        self.speaking.insert(id.clone(), active);
        let info = lk::SpeakerInfo { sid: id.to_string(), level, active };
        let msg = lk::SpeakersChanged { speakers: vec![info] };
        let everyone: Vec<ParticipantId> = self.participants.iter().map(|p| p.id.clone()).collect();
        for p in everyone {
            self.signal(&p, Out::SpeakersChanged(msg.clone()));
        }
    }

    fn send_subscribed_qualities(&mut self, publisher: &ParticipantId, track: &TrackId, max: Option<Quality>) {
        let Ok(p) = self.participant_ref(publisher) else {
            return;
        };
        let codec = p.codecs.get(track).cloned().unwrap_or_else(|| "vp8".to_string());
        let qualities: Vec<lk::SubscribedQuality> = Quality::ALL
            .iter()
            .map(|q| lk::SubscribedQuality { quality: video_quality(*q) as i32, enabled: max.is_some_and(|m| *q <= m) })
            .collect();
        let upd = lk::SubscribedQualityUpdate {
            track_sid: track.to_string(),
            subscribed_qualities: qualities.clone(),
            subscribed_codecs: vec![lk::SubscribedCodec { codec, qualities }],
        };
        self.signal(publisher, Out::SubscribedQualityUpdate(upd));
    }

    pub(crate) fn webhook(
        &mut self,
        kind: WebhookKind,
        participant: Option<&ParticipantId>,
        track: Option<lk::TrackInfo>,
    ) {
        let info = participant.and_then(|id| self.participant_ref(id).ok()).map(|p| p.info.clone());
        self.webhook_with(kind, info, track);
    }

    fn webhook_with(
        &mut self,
        kind: WebhookKind,
        participant: Option<lk::ParticipantInfo>,
        track: Option<lk::TrackInfo>,
    ) {
        if participant.as_ref().is_some_and(|p| p.permission.as_ref().is_some_and(|perm| perm.hidden)) {
            return;
        }
        let room = self.info();
        self.out.push_back(Effect::Webhook { kind, room, participant, track });
    }
}

/// LiveKit's numbering of simulcast qualities.
pub(crate) fn video_quality(q: Quality) -> lk::VideoQuality {
    match q {
        Quality::Low => lk::VideoQuality::Low,
        Quality::Medium => lk::VideoQuality::Medium,
        Quality::High => lk::VideoQuality::High,
    }
}
