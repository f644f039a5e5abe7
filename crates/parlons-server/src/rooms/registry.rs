//! Finds or creates the actor of a room, and routes media events to the room of a participant.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use parlons_media_io::ShardHandle;
use parlons_room::RoomConfig;
use parlons_types::media::{FrameCodec, MediaEvent};
use parlons_types::{ParticipantId, RoomId, TrackId};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::debug;

use super::actor::{RoomActor, RoomInput};
use crate::config::Config;
use crate::ids;
use crate::webhook::Webhooks;

/// Capacity of a room actor's inbox.
const ROOM_INBOX: usize = 1024;

/// A running room.
#[derive(Clone)]
pub struct RoomHandle {
    /// The room's name.
    pub name: String,
    /// The room's server id.
    pub sid: RoomId,
    /// The actor's inbox.
    pub tx: mpsc::Sender<RoomInput>,
}

/// Shared tables. The lock is held only to read or change a map, never across `.await`.
#[derive(Default)]
struct Tables {
    rooms: HashMap<String, RoomHandle>,
    /// Participant → room inbox, for media events.
    routes: HashMap<ParticipantId, mpsc::Sender<RoomInput>>,
    /// Tapped track → where its frames go (a recording).
    taps: HashMap<TrackId, mpsc::Sender<TapFrame>>,
}

/// One frame of a tapped track.
#[derive(Debug)]
pub struct TapFrame {
    /// The track.
    pub track: TrackId,
    /// Its codec.
    pub codec: FrameCodec,
    /// Continuous RTP time.
    pub rtp_time: u64,
    /// RTP clock rate.
    pub clock_rate: u32,
    /// A video keyframe.
    pub keyframe: bool,
    /// The frame.
    pub data: Vec<u8>,
}

/// All rooms of this node.
#[derive(Clone)]
pub struct Rooms {
    tables: Arc<Mutex<Tables>>,
    config: Arc<Config>,
    shard: ShardHandle,
    webhooks: Webhooks,
    cancel: CancellationToken,
    tracker: TaskTracker,
}

impl Rooms {
    /// An empty registry whose rooms use `shard` for media.
    pub fn new(
        config: Arc<Config>,
        shard: ShardHandle,
        webhooks: Webhooks,
        cancel: CancellationToken,
        tracker: TaskTracker,
    ) -> Self {
        Rooms { tables: Arc::default(), config, shard, webhooks, cancel, tracker }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tables> {
        // A poisoned lock means a panic while a map was being changed; the maps stay usable.
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The room, if it runs.
    pub fn get(&self, name: &str) -> Option<RoomHandle> {
        self.lock().rooms.get(name).cloned()
    }

    /// The room, started if needed; `cap` overrides the configured participant cap.
    pub fn get_or_create(&self, name: &str, cap: Option<u32>) -> RoomHandle {
        let mut t = self.lock();
        if let Some(h) = t.rooms.get(name)
            && !h.tx.is_closed()
        {
            return h.clone();
        }
        let sid = RoomId::with_suffix(&ids::random_suffix(12));
        let mut rc = RoomConfig::new(sid.clone(), name);
        rc.empty_timeout = Duration::from_secs(self.config.room.empty_timeout_secs);
        rc.resume_window = Duration::from_secs(self.config.room.resume_window_secs);
        rc.max_participants = cap.filter(|&c| c > 0).unwrap_or(self.config.room.max_participants);
        rc.node_id = self.config.node_id.clone();
        rc.created_at_unix = crate::token::unix_now() as i64;
        let (tx, rx) = mpsc::channel(ROOM_INBOX);
        let handle = RoomHandle { name: name.to_string(), sid, tx: tx.clone() };
        t.rooms.insert(name.to_string(), handle.clone());
        drop(t);
        let actor = RoomActor::new(rc, self.clone(), tx, self.shard.clone(), self.webhooks.clone());
        self.tracker.spawn(actor.run(rx, self.cancel.clone()));
        debug!(room = name, "room started");
        handle
    }

    /// Names of running rooms.
    pub fn list(&self) -> Vec<RoomHandle> {
        self.lock().rooms.values().cloned().collect()
    }

    pub(crate) fn forget_room(&self, name: &str, sid: &RoomId) {
        let mut t = self.lock();
        if t.rooms.get(name).is_some_and(|h| &h.sid == sid) {
            t.rooms.remove(name);
        }
    }

    pub(crate) fn add_route(&self, p: ParticipantId, tx: mpsc::Sender<RoomInput>) {
        self.lock().routes.insert(p, tx);
    }

    pub(crate) fn remove_route(&self, p: &ParticipantId) {
        self.lock().routes.remove(p);
    }

    /// Sends the frames of `track` to `to` (until [`Rooms::remove_tap`]).
    pub(crate) fn add_tap(&self, track: TrackId, to: mpsc::Sender<TapFrame>) {
        self.lock().taps.insert(track, to);
    }

    pub(crate) fn remove_tap(&self, track: &TrackId) {
        self.lock().taps.remove(track);
    }

    /// Number of participants routed on this node.
    pub fn participant_count(&self) -> usize {
        self.lock().routes.len()
    }

    /// Delivers media events to the rooms of their participants until the shard stops.
    pub async fn dispatch_media(self, mut events: mpsc::UnboundedReceiver<MediaEvent>) {
        while let Some(ev) = events.recv().await {
            if let MediaEvent::TrackFrame { track, codec, rtp_time, clock_rate, keyframe, data } = ev {
                let tap = self.lock().taps.get(&track).cloned();
                if let Some(tx) = tap {
                    let frame = TapFrame { track, codec, rtp_time, clock_rate, keyframe, data };
                    // Never stall media dispatch: a recorder that cannot keep up loses frames (counted by it).
                    if tx.try_send(frame).is_err() {
                        debug!("tap full or gone; frame dropped");
                    }
                }
                continue;
            }
            let p = match &ev {
                MediaEvent::Answer { participant, .. }
                | MediaEvent::Offer { participant, .. }
                | MediaEvent::TrackBound { participant, .. }
                | MediaEvent::TrackUnbound { participant, .. }
                | MediaEvent::Data { participant, .. }
                | MediaEvent::PeerState { participant, .. }
                | MediaEvent::PeerFailed { participant, .. }
                | MediaEvent::NegotiationFailed { participant, .. }
                | MediaEvent::AudioLevel { participant, .. }
                | MediaEvent::SubscribedQualities { participant, .. } => participant.clone(),
                MediaEvent::StreamState { subscriber, .. } => subscriber.clone(),
                MediaEvent::TrackFrame { .. } => continue,
            };
            let route = self.lock().routes.get(&p).cloned();
            match route {
                Some(tx) => {
                    if tx.send(RoomInput::Media(ev)).await.is_err() {
                        debug!(participant = %p, "room gone; media event dropped");
                    }
                }
                None => debug!(participant = %p, "media event for an unknown participant"),
            }
        }
    }
}
