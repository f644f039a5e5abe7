//! The room actor: one task owning one sans-IO room, carrying out its effects.

use std::collections::HashMap;
use std::time::Instant;

use parlons_media_io::ShardHandle;
use parlons_room::proto as lk;
use parlons_room::{Effect, JoinRequest, Room, RoomConfig, RoomError, RoomOutput, WebhookKind};
use parlons_types::media::{MediaCommand, MediaEvent};
use parlons_types::{Identity, ParticipantId, RoomId, TrackId};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, info, warn};

use super::registry::Rooms;
use crate::webhook::Webhooks;

/// Capacity of a session's outbox; a client that cannot keep up is disconnected.
pub const SESSION_OUTBOX_CAPACITY: usize = 512;

/// What a room sends to a session task.
#[derive(Debug)]
// Moved once from producer to consumer; boxing would only add an allocation per message.
#[allow(clippy::large_enum_variant)]
pub enum SessionOut {
    /// A signal message to encode and send.
    Signal(lk::signal_response::Message),
    /// Close the WebSocket (after the messages queued before).
    Close(lk::DisconnectReason),
}

/// RoomService operations, answered through a oneshot.
#[derive(Debug)]
pub enum AdminOp {
    /// `ListParticipants`
    ListParticipants,
    /// `GetParticipant`
    GetParticipant(Identity),
    /// `RemoveParticipant`
    RemoveParticipant(Identity),
    /// `MutePublishedTrack`
    Mute(Identity, TrackId, bool),
    /// `UpdateParticipant`
    Update {
        /// Who.
        identity: Identity,
        /// New name.
        name: Option<String>,
        /// New metadata.
        metadata: Option<String>,
        /// Attribute changes.
        attributes: HashMap<String, String>,
        /// New permission.
        permission: Option<lk::ParticipantPermission>,
    },
    /// `SendData`
    SendData(lk::DataPacket, bool),
    /// `UpdateRoomMetadata`
    SetMetadata(String),
    /// `ListRooms` / `CreateRoom` info.
    Info,
    /// `DeleteRoom`
    Delete,
    /// Changes the participant cap.
    SetCap(u32),
    /// Starts sending every track (present and future) to a recorder.
    StartRecording(RecorderLink),
    /// Stops the recording (its recorder gets [`RecorderEvent::Stop`]).
    StopRecording,
}

/// What a room tells its recorder about tracks.
#[derive(Debug)]
pub enum RecorderEvent {
    /// A track to record; its frames arrive on the link's frame channel.
    Track {
        /// Track id.
        track: TrackId,
        /// Publisher identity.
        identity: String,
        /// Publisher name.
        name: String,
        /// Camera, microphone, screen share…
        source: lk::TrackSource,
        /// Audio or video.
        video: bool,
    },
    /// A track ended (unpublished, or its publisher left).
    TrackGone {
        /// Track id.
        track: TrackId,
    },
    /// The recording stopped (or the room closed): finalize.
    Stop,
}

/// The channels of a running recorder.
#[derive(Debug, Clone)]
pub struct RecorderLink {
    /// Track events.
    pub events: mpsc::UnboundedSender<RecorderEvent>,
    /// Frames of the tapped tracks.
    pub frames: mpsc::Sender<super::TapFrame>,
}

/// Answers to [`AdminOp`]s.
#[derive(Debug)]
pub enum AdminReply {
    /// Participants.
    Participants(Vec<lk::ParticipantInfo>),
    /// One participant.
    Participant(lk::ParticipantInfo),
    /// One track.
    Track(lk::TrackInfo),
    /// The room.
    Room(lk::Room),
    /// Done.
    Done,
}

/// Messages to a room actor.
#[derive(Debug)]
pub enum RoomInput {
    /// A new participant; answered with its id.
    Join {
        /// The validated request.
        req: JoinRequest,
        /// Id of the signalling session (to ignore stale closes).
        session: u64,
        /// Where the room writes to this session.
        outbox: mpsc::Sender<SessionOut>,
        /// The answer.
        reply: oneshot::Sender<Result<ParticipantId, RoomError>>,
    },
    /// A participant's signalling came back.
    Resume {
        /// Who.
        participant: ParticipantId,
        /// The token's identity.
        identity: Identity,
        /// New session id.
        session: u64,
        /// New outbox.
        outbox: mpsc::Sender<SessionOut>,
        /// The answer.
        reply: oneshot::Sender<Result<(), RoomError>>,
    },
    /// A signal request from a session.
    Signal {
        /// From whom.
        participant: ParticipantId,
        /// The request.
        msg: lk::signal_request::Message,
    },
    /// A session's WebSocket ended.
    SessionClosed {
        /// Whose.
        participant: ParticipantId,
        /// Which session (a resumed participant has a newer one).
        session: u64,
    },
    /// A fact from the media plane.
    Media(MediaEvent),
    /// A RoomService operation.
    Admin(AdminOp, oneshot::Sender<Result<AdminReply, RoomError>>),
}

pub(super) struct RoomActor {
    room: Room,
    sid: RoomId,
    rooms: Rooms,
    inbox: mpsc::Sender<RoomInput>,
    shard: ShardHandle,
    webhooks: Webhooks,
    sessions: HashMap<ParticipantId, (u64, mpsc::Sender<SessionOut>)>,
    finished: bool,
    /// The running recording and the tracks it taps.
    recorder: Option<(RecorderLink, Vec<TrackId>)>,
    /// Tap commands to send to the shard at the next drain.
    pending_taps: Vec<MediaCommand>,
}

impl RoomActor {
    pub fn new(
        config: RoomConfig,
        rooms: Rooms,
        inbox: mpsc::Sender<RoomInput>,
        shard: ShardHandle,
        webhooks: Webhooks,
    ) -> Self {
        let sid = config.sid.clone();
        let room = Room::new(Instant::now(), config);
        RoomActor {
            room,
            sid,
            rooms,
            inbox,
            shard,
            webhooks,
            sessions: HashMap::new(),
            finished: false,
            recorder: None,
            pending_taps: Vec::new(),
        }
    }

    pub async fn run(mut self, mut rx: mpsc::Receiver<RoomInput>, cancel: CancellationToken) {
        let span = tracing::info_span!("room", room = %self.room.name());
        async move {
            loop {
                let deadline = self.drain().await;
                if self.finished {
                    break;
                }
                tokio::select! {
                    _ = cancel.cancelled() => {
                        self.room.close(Instant::now(), lk::DisconnectReason::ServerShutdown);
                        self.drain().await;
                        break;
                    }
                    input = rx.recv() => match input {
                        Some(i) => self.handle(i),
                        None => break,
                    },
                    _ = tokio::time::sleep_until(deadline.into()) => self.room.handle_timeout(Instant::now()),
                }
            }
            self.rooms.forget_room(self.room.name(), &self.sid);
            for (p, _) in self.sessions.drain() {
                self.rooms.remove_route(&p);
            }
        }
        .instrument(span)
        .await
    }

    fn handle(&mut self, input: RoomInput) {
        let now = Instant::now();
        match input {
            RoomInput::Join { req, session, outbox, reply } => {
                let r = self.room.handle_join(now, req);
                if let Ok(id) = &r {
                    // Register before draining, so the join response reaches the new session.
                    self.sessions.insert(id.clone(), (session, outbox));
                    self.rooms.add_route(id.clone(), self.inbox.clone());
                }
                let _ = reply.send(r);
            }
            RoomInput::Resume { participant, identity, session, outbox, reply } => {
                let r = self.room.handle_resume(now, &participant, &identity);
                if r.is_ok()
                    && let Some((_, old)) = self.sessions.insert(participant.clone(), (session, outbox))
                {
                    let _ = old.try_send(SessionOut::Close(lk::DisconnectReason::Migration));
                }
                let _ = reply.send(r);
            }
            RoomInput::Signal { participant, msg } => {
                if let Err(e) = self.room.handle_signal(now, &participant, msg) {
                    debug!(%participant, error = %e, "signal request refused");
                }
            }
            RoomInput::SessionClosed { participant, session } => {
                if self.sessions.get(&participant).is_some_and(|(s, _)| *s == session) {
                    self.sessions.remove(&participant);
                    self.room.handle_session_closed(now, &participant);
                }
            }
            RoomInput::Media(ev) => self.room.handle_media(now, ev),
            RoomInput::Admin(op, reply) => {
                let r = self.admin(now, op);
                let _ = reply.send(r);
            }
        }
    }

    fn admin(&mut self, now: Instant, op: AdminOp) -> Result<AdminReply, RoomError> {
        let op = match op {
            AdminOp::StartRecording(link) => {
                if self.recorder.is_some() {
                    return Err(RoomError::NotAllowed("a recording already runs"));
                }
                self.recorder = Some((link, Vec::new()));
                for p in self.room.participants() {
                    for t in &p.tracks {
                        self.tap_track(&p, t);
                    }
                }
                return Ok(AdminReply::Room(self.room.admin_set_recording(now, true)));
            }
            AdminOp::StopRecording => {
                self.stop_recording();
                return Ok(AdminReply::Room(self.room.admin_set_recording(now, false)));
            }
            other => other,
        };
        let room = &mut self.room;
        Ok(match op {
            AdminOp::ListParticipants => AdminReply::Participants(
                room.participants().into_iter().filter(|p| !p.permission.as_ref().is_some_and(|x| x.hidden)).collect(),
            ),
            AdminOp::GetParticipant(i) => {
                AdminReply::Participant(room.participant(&i).ok_or(RoomError::UnknownIdentity(i))?)
            }
            AdminOp::RemoveParticipant(i) => {
                room.admin_remove(now, &i)?;
                AdminReply::Done
            }
            AdminOp::Mute(i, t, muted) => AdminReply::Track(room.admin_mute(now, &i, &t, muted)?),
            AdminOp::Update { identity, name, metadata, attributes, permission } => {
                AdminReply::Participant(room.admin_update(now, &identity, name, metadata, attributes, permission)?)
            }
            AdminOp::SendData(packet, reliable) => {
                room.admin_send_data(now, packet, reliable);
                AdminReply::Done
            }
            AdminOp::SetMetadata(m) => AdminReply::Room(room.admin_set_metadata(now, m)),
            AdminOp::Info => AdminReply::Room(room.info()),
            AdminOp::SetCap(n) => {
                room.admin_set_max_participants(n);
                AdminReply::Done
            }
            // Answered before the room is borrowed (they need the actor's own state).
            AdminOp::StartRecording(_) | AdminOp::StopRecording => AdminReply::Done,
            AdminOp::Delete => {
                room.close(now, lk::DisconnectReason::RoomDeleted);
                AdminReply::Done
            }
        })
    }

    /// Starts tapping one track for the running recording.
    fn tap_track(&mut self, p: &lk::ParticipantInfo, t: &lk::TrackInfo) {
        let Some((link, tapped)) = self.recorder.as_mut() else { return };
        if p.permission.as_ref().is_some_and(|x| x.hidden) {
            return;
        }
        let track = TrackId::new(t.sid.as_str());
        if tapped.contains(&track) {
            return;
        }
        let event = RecorderEvent::Track {
            track: track.clone(),
            identity: p.identity.clone(),
            name: p.name.clone(),
            source: lk::TrackSource::try_from(t.source).unwrap_or_default(),
            video: t.r#type == lk::TrackType::Video as i32,
        };
        if link.events.send(event).is_err() {
            return;
        }
        self.rooms.add_tap(track.clone(), link.frames.clone());
        tapped.push(track.clone());
        self.pending_taps.push(MediaCommand::StartTap { track });
    }

    fn untap_track(&mut self, track: &TrackId) {
        let Some((link, tapped)) = self.recorder.as_mut() else { return };
        if let Some(pos) = tapped.iter().position(|t| t == track) {
            tapped.remove(pos);
            self.rooms.remove_tap(track);
            let _ = link.events.send(RecorderEvent::TrackGone { track: track.clone() });
            self.pending_taps.push(MediaCommand::StopTap { track: track.clone() });
        }
    }

    fn stop_recording(&mut self) {
        if let Some((link, tapped)) = self.recorder.take() {
            for t in tapped {
                self.rooms.remove_tap(&t);
                self.pending_taps.push(MediaCommand::StopTap { track: t });
            }
            let _ = link.events.send(RecorderEvent::Stop);
        }
    }

    /// Carries out every pending effect; returns the room's next deadline.
    async fn drain(&mut self) -> Instant {
        for cmd in std::mem::take(&mut self.pending_taps) {
            if self.shard.send(cmd).await.is_err() {
                warn!("media shard stopped; tap command dropped");
            }
        }
        loop {
            match self.room.poll_output() {
                RoomOutput::Timeout(t) => return t,
                RoomOutput::Effect(e) => self.apply(e).await,
            }
        }
    }

    async fn apply(&mut self, e: Effect) {
        match e {
            Effect::Signal { to, msg } => {
                let Some((_, tx)) = self.sessions.get(&to) else {
                    return;
                };
                if let Err(mpsc::error::TrySendError::Full(_)) = tx.try_send(SessionOut::Signal(msg)) {
                    warn!(participant = %to, "client cannot keep up with signalling; closing its session");
                    let _ = tx.try_send(SessionOut::Close(lk::DisconnectReason::SignalClose));
                    self.sessions.remove(&to);
                    self.room.handle_session_closed(Instant::now(), &to);
                }
            }
            Effect::CloseSession { participant, reason } => {
                if let Some((_, tx)) = self.sessions.remove(&participant) {
                    let _ = tx.try_send(SessionOut::Close(reason));
                }
            }
            Effect::Media(cmd) => {
                if let MediaCommand::RemoveParticipant { participant } = &cmd {
                    self.rooms.remove_route(participant);
                }
                if self.shard.send(cmd).await.is_err() {
                    warn!("media shard stopped; command dropped");
                }
            }
            Effect::Webhook { kind, room, participant, track } => {
                match (kind, &participant, &track) {
                    (WebhookKind::TrackPublished, Some(p), Some(t)) => self.tap_track(p, t),
                    (WebhookKind::TrackUnpublished, _, Some(t)) => self.untap_track(&TrackId::new(t.sid.as_str())),
                    _ => {}
                }
                self.webhooks.send(kind, room, participant, track)
            }
            Effect::Finished => {
                info!("room closed");
                self.stop_recording();
                self.finished = true;
            }
        }
    }
}
