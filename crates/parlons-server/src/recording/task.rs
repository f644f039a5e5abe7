//! The task of one recording: receives the room's track events and the tapped frames, writes one
//! file per participant track (WebM for cameras and screens, Ogg/Opus for microphones), flushes
//! every second, and keeps the database's file list current.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use parlons_recorder as rec;
use parlons_room::proto as lk;
use parlons_store::{RecordingFile, RecordingRecord, Store};
use parlons_types::TrackId;
use parlons_types::media::FrameCodec;
use tokio::sync::mpsc;
use tracing::{info, warn};

use super::Mode;
use crate::rooms::{RecorderEvent, TapFrame};
use crate::token;

/// How often buffered media is forced to disk, and the most media a writer buffers: together they
/// bound what a crash loses (target: ≤ 1 s).
const FLUSH_EVERY: Duration = Duration::from_millis(250);
const MAX_BUFFERED: Duration = Duration::from_millis(300);

enum Writer {
    /// A camera or screen, with the participant's microphone when it had one at the start.
    Webm {
        w: rec::WebmWriter<std::fs::File>,
        with_audio: bool,
    },
    Ogg(rec::OggOpusWriter<std::fs::File>),
}

struct Track {
    identity: String,
    name: String,
    kind: &'static str,
    source: &'static str,
    file: Option<(String, Writer)>,
    /// Frames refused (unsupported codec, disk errors): the track is skipped, others go on.
    failed: bool,
}

/// One recording's writer task.
pub struct Recorder {
    store: Store,
    rec: RecordingRecord,
    dir: PathBuf,
    mode: Mode,
    expire_days: u64,
    tracks: HashMap<TrackId, Track>,
    names: HashMap<String, u32>,
    /// Where to announce the end, and the room's slug.
    webhooks: (crate::webhook::Webhooks, String),
}

fn codec(c: FrameCodec) -> Option<rec::Codec> {
    match c {
        FrameCodec::Opus => Some(rec::Codec::Opus),
        FrameCodec::Vp8 => Some(rec::Codec::Vp8),
        FrameCodec::Vp9 => Some(rec::Codec::Vp9),
        FrameCodec::H264 => Some(rec::Codec::H264),
        _ => None,
    }
}

fn source_name(s: lk::TrackSource) -> &'static str {
    match s {
        lk::TrackSource::Camera => "camera",
        lk::TrackSource::Microphone => "microphone",
        lk::TrackSource::ScreenShare => "screen",
        lk::TrackSource::ScreenShareAudio => "screen-audio",
        _ => "track",
    }
}

impl Recorder {
    /// A recorder writing into `dir`.
    pub fn new(
        store: Store,
        rec: RecordingRecord,
        dir: PathBuf,
        mode: Mode,
        expire_days: u64,
        webhooks: (crate::webhook::Webhooks, String),
    ) -> Self {
        Recorder { store, rec, dir, mode, expire_days, tracks: HashMap::new(), names: HashMap::new(), webhooks }
    }

    /// Runs until the room says stop (or goes away).
    pub async fn run(
        mut self,
        mut events: mpsc::UnboundedReceiver<RecorderEvent>,
        mut frames: mpsc::Receiver<TapFrame>,
    ) {
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        let mut error = None;
        loop {
            tokio::select! {
                ev = events.recv() => match ev {
                    Some(RecorderEvent::Track { track, identity, name, source, video }) => {
                        if video && self.mode == Mode::Audio {
                            continue;
                        }
                        let kind = match (video, source) {
                            (true, lk::TrackSource::ScreenShare) => "screen",
                            (true, _) => "video",
                            (false, _) => "audio",
                        };
                        self.tracks.insert(track, Track { identity, name, kind, source: source_name(source), file: None, failed: false });
                    }
                    Some(RecorderEvent::TrackGone { track }) => {
                        if let Some(t) = self.tracks.remove(&track) {
                            self.close(t).await;
                        }
                    }
                    Some(RecorderEvent::Stop) | None => break,
                },
                f = frames.recv() => match f {
                    Some(frame) => {
                        if let Err(e) = self.write(frame).await {
                            error = Some(e);
                        }
                    }
                    None => break,
                },
                _ = tick.tick() => self.flush(),
            }
        }
        // Frames already queued belong to the recording.
        while let Ok(frame) = frames.try_recv() {
            let _ = self.write(frame).await;
        }
        for (_, t) in std::mem::take(&mut self.tracks) {
            self.close(t).await;
        }
        let now = token::unix_now_ms();
        // A recording that never started (the room refused it) was already marked failed.
        if self.store.recording(&self.rec.id).await.is_ok_and(|r| r.status != "recording") {
            return;
        }
        let status = if error.is_some()
            && self.store.recording_files(&self.rec.id).await.map(|f| f.is_empty()).unwrap_or(true)
        {
            "failed"
        } else {
            "finished"
        };
        if let Err(e) = self.store.finish_recording(&self.rec.id, status, error.as_deref(), now).await {
            warn!(recording = %self.rec.id, error = %e, "could not finish the recording's row");
        }
        if status == "finished"
            && self.mode == Mode::Video
            && let Err(e) = crate::jobs::queue_composite(&self.store, &self.rec.id).await
        {
            warn!(recording = %self.rec.id, error = %e, "could not queue the composite video");
        }
        if self.expire_days > 0 {
            let _ = self.store.set_recording_expiry(&self.rec.id, now + self.expire_days as i64 * 86_400_000).await;
        }
        info!(recording = %self.rec.id, status, "recording stopped");
        notify_owners(&self.store, &self.rec, status).await;
        if let (Ok(rec), Ok(files)) =
            (self.store.recording(&self.rec.id).await, self.store.recording_files(&self.rec.id).await)
        {
            let (hooks, slug) = &self.webhooks;
            hooks.send_egress("egress_ended", super::egress_info(&rec, slug, &files));
        }
    }

    fn file_name(&mut self, t: &Track, ext: &str) -> String {
        let base = format!("{}-{}", rec::safe_file_component(&t.identity), t.source);
        let n = self.names.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { format!("{base}.{ext}") } else { format!("{base}-{n}.{ext}") }
    }

    async fn write(&mut self, frame: TapFrame) -> Result<(), String> {
        let epoch = self.rec.started_at as u64;
        let now = token::unix_now_ms() as u64;
        let Some(mut t) = self.tracks.remove(&frame.track) else { return Ok(()) };
        let result = self.write_to(&mut t, &frame, epoch, now).await;
        self.tracks.insert(frame.track.clone(), t);
        result
    }

    async fn write_to(&mut self, t: &mut Track, frame: &TapFrame, epoch: u64, now: u64) -> Result<(), String> {
        if t.failed {
            return Ok(());
        }
        let Some(c) = codec(frame.codec) else {
            t.failed = true;
            return Err(format!("{}: unsupported codec", t.identity));
        };
        if t.file.is_none() {
            let (ext, is_video) = if t.kind == "audio" { ("ogg", false) } else { ("webm", true) };
            let name = self.file_name(t, ext);
            let path = self.dir.join(&name);
            let options = rec::WriterOptions { max_buffered: MAX_BUFFERED };
            let opened = if is_video {
                // A camera file carries the participant's microphone when there is one.
                let with_audio = t.kind == "video"
                    && self.tracks.values().any(|o| o.identity == t.identity && o.source == "microphone");
                let spec = rec::WebmSpec {
                    epoch_unix_ms: epoch,
                    video: c,
                    audio: with_audio.then_some(rec::Codec::Opus),
                    options,
                };
                rec::WebmWriter::create(&path, spec).map(|w| Writer::Webm { w, with_audio })
            } else {
                let spec = rec::OggOpusSpec { epoch_unix_ms: epoch, codec: c, options };
                rec::OggOpusWriter::create(&path, spec).map(Writer::Ogg)
            };
            match opened {
                Ok(w) => t.file = Some((name, w)),
                Err(e) => {
                    t.failed = true;
                    warn!(recording = %self.rec.id, identity = %t.identity, error = %e, "cannot record this track");
                    return Err(format!("{}: {e}", t.identity));
                }
            }
        }
        let Some((name, w)) = t.file.as_mut() else { return Ok(()) };
        let f = rec::Frame {
            data: frame.data.clone(),
            rtp_time: frame.rtp_time,
            clock_rate: frame.clock_rate,
            keyframe: frame.keyframe,
        };
        let pushed = match w {
            Writer::Webm { w, .. } => w.push_video(now, &f),
            Writer::Ogg(w) => w.push(now, &f),
        };
        if t.source == "microphone" {
            self.pair_audio(&t.identity, now, &f);
        }
        match pushed {
            Ok(rec::Pushed::Started { start_ms }) => {
                let row = RecordingFile {
                    recording_id: self.rec.id.clone(),
                    path: name.clone(),
                    kind: t.kind.to_string(),
                    identity: t.identity.clone(),
                    name: t.name.clone(),
                    track_id: frame.track.to_string(),
                    codec: c.as_str().to_string(),
                    start_ms: start_ms as i64,
                    end_ms: None,
                    status: "recording".into(),
                };
                if let Err(e) = self.store.put_recording_file(&row).await {
                    warn!(recording = %self.rec.id, error = %e, "could not list a recording file");
                }
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(e) => {
                warn!(recording = %self.rec.id, identity = %t.identity, error = %e, "recording this track failed");
                t.failed = true;
                Err(format!("{}: {e}", t.identity))
            }
        }
    }

    /// Copies a microphone frame into the participant's camera file, when it carries audio.
    fn pair_audio(&mut self, identity: &str, now: u64, f: &rec::Frame) {
        for o in self.tracks.values_mut().filter(|o| o.identity == identity && o.kind == "video") {
            if let Some((_, Writer::Webm { w, with_audio: true })) = o.file.as_mut()
                && let Err(e) = w.push_audio(now, f)
            {
                warn!(identity, error = %e, "writing audio into a camera file failed");
            }
        }
    }

    fn flush(&mut self) {
        for t in self.tracks.values_mut() {
            let Some((_, w)) = t.file.as_mut() else { continue };
            let r = match w {
                Writer::Webm { w, .. } => w.flush(),
                Writer::Ogg(w) => w.flush(),
            };
            if let Err(e) = r {
                warn!(identity = %t.identity, error = %e, "flushing a recording file failed");
                t.failed = true;
            }
        }
    }

    async fn close(&mut self, t: Track) {
        let Some((name, w)) = t.file else { return };
        let summary = match w {
            Writer::Webm { w, .. } => w.finish(),
            Writer::Ogg(w) => w.finish(),
        };
        let (end, status) = match summary {
            Ok(s) => (s.end_ms.map(|e| e as i64), if t.failed { "failed" } else { "finished" }),
            Err(e) => {
                warn!(identity = %t.identity, error = %e, "finishing a recording file failed");
                (None, "failed")
            }
        };
        let rows = self.store.recording_files(&self.rec.id).await.unwrap_or_default();
        if let Some(mut row) = rows.into_iter().find(|r| r.path == name) {
            row.end_ms = end;
            row.status = status.into();
            let _ = self.store.put_recording_file(&row).await;
        }
    }
}

/// Tells the room's owner and whoever started the recording that it is ready (or failed), in the
/// app. The text is the client's (translated): the notification carries its kind and the room's name.
pub async fn notify_owners(store: &Store, rec: &RecordingRecord, status: &str) {
    let Ok(room) = store.room_by_id(&rec.room_id).await else { return };
    let mut users: Vec<parlons_types::UserId> = store
        .members(&room.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m.role == parlons_types::access::RoomRole::Owner)
        .map(|m| m.user.id)
        .collect();
    if let Some(by) = &rec.started_by
        && !users.contains(by)
    {
        users.push(by.clone());
    }
    let kind = if status == "failed" { "recording_failed" } else { "recording_ready" };
    for user_id in users {
        let n = parlons_store::Notification {
            id: crate::ids::random_suffix(20),
            user_id,
            kind: kind.into(),
            title: room.name.clone(),
            link: format!("/rooms/{}/recordings", room.slug),
            created_at: token::unix_now_ms(),
            read_at: None,
        };
        if let Err(e) = store.notify(&n).await {
            warn!(error = %e, "could not store a notification");
        }
    }
}

/// After a crash: the recording's files hold what was flushed; rows still `recording` become
/// `recovered` (with an end read from the file when the recorder can tell). Returns the latest end
/// (Unix ms) for the recording's `stopped_at`.
pub async fn recover_files(store: &Store, recording: &RecordingRecord, dir: &Path) -> Option<i64> {
    let rows = store.recording_files(&recording.id).await.ok()?;
    let mut last = None;
    for mut row in rows.into_iter().filter(|r| r.status == "recording") {
        let path = dir.join(&row.path);
        let end = rec::recover(&path).ok().map(|r| row.start_ms + r.duration_ms as i64);
        row.end_ms = end.or(row.end_ms);
        row.status = "recovered".into();
        last = last.max(row.end_ms.map(|e| recording.started_at + e));
        let _ = store.put_recording_file(&row).await;
    }
    last
}
