//! [`WebmWriter`]: one WebM file per participant video source (VP8 or VP9), with that participant's
//! Opus audio as a second track when asked.
//!
//! Frames wait in memory for at most [`WriterOptions::max_buffered`] of media time (or the next
//! keyframe) and are then written as one whole Cluster and flushed: see [`mux`] for the layout and
//! why a file cut after any cluster still decodes.

pub(crate) mod mux;
pub(crate) mod recover;

use std::fs::{File, OpenOptions};
use std::io::{Seek, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::frame::{Codec, FileSummary, Frame, Pushed, TrackClock, WriterOptions, ns_to_ms};
use crate::{opus, vpx};
use mux::{AUDIO_TRACK, Block, Cue, HeaderSpec, Layout, VIDEO_TRACK};

/// Relative block times are 16-bit: a cluster never spans more than this (ms).
const MAX_CLUSTER_SPAN_MS: u64 = 30_000;
/// Gaps between video frames longer than this are pauses, not frame durations (ms).
const MAX_VIDEO_FRAME_MS: u64 = 1_000;

/// What a WebM file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebmSpec {
    /// The recording's epoch (Unix ms): frame times and [`Pushed::Started`] count from it.
    pub epoch_unix_ms: u64,
    /// The video codec: [`Codec::Vp8`] or [`Codec::Vp9`].
    pub video: Codec,
    /// The audio codec of the second track ([`Codec::Opus`]), or `None` for video only.
    pub audio: Option<Codec>,
    /// Buffering limits.
    pub options: WriterOptions,
}

/// Writes one WebM file. Sans-IO in spirit: no clock and no thread; the caller passes the wall
/// time with each frame and calls [`flush`](Self::flush) about every
/// [`max_buffered`](WriterOptions::max_buffered) when frames stop coming (a muted camera).
///
/// Dropping the writer without [`finish`](Self::finish) writes what is buffered and leaves a file
/// that decodes like one a crash left behind; [`crate::recover`] then adds the duration and the
/// seek index.
pub struct WebmWriter<W: Write + Seek> {
    out: W,
    spec: WebmSpec,
    /// Byte offset of the file's start in `out`.
    base: u64,
    video: TrackClock,
    audio: TrackClock,
    state: State,
    /// Frames of the cluster being gathered, in arrival order.
    cluster: Vec<Block>,
    cues: Vec<Cue>,
    /// End of the last complete element written.
    end: u64,
    /// End of the last frame in the file (ms), with each track's last frame duration.
    end_ms: u64,
    /// The last video frame's time (ms), to estimate the last frame's duration.
    last_video_ms: Option<u64>,
    frames: u64,
    dropped: u64,
}

#[derive(Clone, Copy, Debug)]
enum State {
    /// Nothing written yet: the header needs a keyframe's picture size.
    WaitingForKeyframe,
    /// Header written; `start_ns` (since the epoch) is the file's time 0.
    Writing { layout: Layout, start_ns: u64 },
    /// An I/O error stopped the writer.
    Failed,
}

impl WebmWriter<File> {
    /// Creates the file (it must not exist yet) and a writer for it. Unsupported codecs are refused
    /// before anything is created.
    pub fn create(path: impl AsRef<Path>, spec: WebmSpec) -> Result<Self> {
        check_codecs(&spec)?;
        let file = OpenOptions::new().write(true).create_new(true).open(path)?;
        Self::new(file, spec)
    }
}

impl<W: Write + Seek> WebmWriter<W> {
    /// A writer that writes to `out` from its current position.
    pub fn new(mut out: W, spec: WebmSpec) -> Result<Self> {
        check_codecs(&spec)?;
        let base = out.stream_position()?;
        Ok(Self {
            out,
            spec,
            base,
            video: TrackClock::default(),
            audio: TrackClock::default(),
            state: State::WaitingForKeyframe,
            cluster: Vec::new(),
            cues: Vec::new(),
            end: base,
            end_ms: 0,
            last_video_ms: None,
            frames: 0,
            dropped: 0,
        })
    }

    /// Sets where the video track's RTP clock sits on the wall clock (from an RTCP sender report).
    /// Without it, the first video frame is anchored on the `now_unix_ms` it was pushed with.
    pub fn set_video_anchor(&mut self, anchor: crate::Anchor) {
        self.video.anchor = Some(anchor);
    }

    /// Like [`set_video_anchor`](Self::set_video_anchor), for the audio track.
    pub fn set_audio_anchor(&mut self, anchor: crate::Anchor) {
        self.audio.anchor = Some(anchor);
    }

    /// The file's time 0 as an offset from the epoch (ms), once the first keyframe is written.
    pub fn start_ms(&self) -> Option<u64> {
        match self.state {
            State::Writing { start_ns, .. } => Some(ns_to_ms(start_ns)),
            _ => None,
        }
    }

    /// Adds a video frame received at wall time `now_unix_ms`.
    ///
    /// Errors: [`Error::Corrupt`] (frame skipped, writer usable), [`Error::Io`] (writer stopped),
    /// [`Error::Failed`] after an earlier I/O error.
    pub fn push_video(&mut self, now_unix_ms: u64, frame: &Frame) -> Result<Pushed> {
        if let State::Failed = self.state {
            return Err(Error::Failed);
        }
        let codec = self.spec.video;
        let parsed = match codec {
            Codec::Vp9 => vpx::parse_vp9(&frame.data),
            _ => vpx::parse_vp8(&frame.data),
        };
        let header = parsed.map_err(|reason| {
            self.dropped += 1;
            Error::Corrupt { codec, reason }
        })?;
        let Some(ns) = self.video.place(codec, self.spec.epoch_unix_ms, now_unix_ms, frame)? else {
            return Ok(self.drop_frame(Pushed::Late));
        };
        let mut pushed = Pushed::Buffered;
        let start_ns = match self.state {
            State::Writing { start_ns, .. } => start_ns,
            State::Failed => return Err(Error::Failed),
            State::WaitingForKeyframe => match header.size {
                Some((width, height)) if header.keyframe => {
                    self.write_header(ns, width, height)?;
                    pushed = Pushed::Started { start_ms: ns_to_ms(ns) };
                    ns
                }
                _ => return Ok(self.drop_frame(Pushed::WaitingForKeyframe)),
            },
        };
        if ns < start_ns || self.video.last_ns.is_some_and(|last| ns < last) {
            return Ok(self.drop_frame(Pushed::Late));
        }
        self.video.last_ns = Some(ns);
        let ms = ns_to_ms(ns - start_ns);
        if let Some(last) = self.last_video_ms {
            let gap = ms.saturating_sub(last);
            if gap <= MAX_VIDEO_FRAME_MS {
                self.end_ms = self.end_ms.max(ms + gap);
            }
        }
        self.last_video_ms = Some(ms);
        self.end_ms = self.end_ms.max(ms);
        let block = Block { track: VIDEO_TRACK, ms, keyframe: header.keyframe, data: frame.data.clone() };
        self.add_block(block)?;
        Ok(pushed)
    }

    /// Adds an Opus packet of the participant's audio, received at wall time `now_unix_ms`. Audio
    /// before the first video keyframe is dropped ([`Pushed::WaitingForKeyframe`]).
    ///
    /// Errors: as [`push_video`](Self::push_video), and [`Error::NoAudioTrack`] when the writer
    /// was created without one.
    pub fn push_audio(&mut self, now_unix_ms: u64, frame: &Frame) -> Result<Pushed> {
        if let State::Failed = self.state {
            return Err(Error::Failed);
        }
        let Some(codec) = self.spec.audio else { return Err(Error::NoAudioTrack) };
        let samples = opus::packet_samples(&frame.data).map_err(|reason| {
            self.dropped += 1;
            Error::Corrupt { codec, reason }
        })?;
        let Some(ns) = self.audio.place(codec, self.spec.epoch_unix_ms, now_unix_ms, frame)? else {
            return Ok(self.drop_frame(Pushed::Late));
        };
        let State::Writing { start_ns, .. } = self.state else {
            return Ok(self.drop_frame(Pushed::WaitingForKeyframe));
        };
        if ns < start_ns || self.audio.last_ns.is_some_and(|last| ns < last) {
            return Ok(self.drop_frame(Pushed::Late));
        }
        self.audio.last_ns = Some(ns);
        let ms = ns_to_ms(ns - start_ns);
        self.end_ms = self.end_ms.max(ms + u64::from(samples) * 1_000 / u64::from(opus::SAMPLE_RATE));
        // Matroska marks every audio frame as a keyframe.
        self.add_block(Block { track: AUDIO_TRACK, ms, keyframe: true, data: frame.data.clone() })?;
        Ok(Pushed::Buffered)
    }

    /// Writes the frames gathered so far as a cluster and flushes the file. Call it about every
    /// [`max_buffered`](WriterOptions::max_buffered) of wall time when no frames arrive.
    pub fn flush(&mut self) -> Result<()> {
        match self.state {
            State::Failed => Err(Error::Failed),
            State::WaitingForKeyframe => Ok(()),
            State::Writing { .. } => self.write_cluster(),
        }
    }

    /// Writes what is buffered, the seek index (Cues), the duration and the segment size. A file
    /// that never got a keyframe stays empty (`start_ms: None`); the caller may delete it.
    pub fn finish(mut self) -> Result<FileSummary> {
        let layout = match self.state {
            State::Failed => return Err(Error::Failed),
            State::WaitingForKeyframe => return Ok(self.summary()),
            State::Writing { layout, .. } => layout,
        };
        self.write_cluster()?;
        if let Err(e) = mux::finalize(&mut self.out, &layout, self.end, &self.cues, self.end_ms as f64) {
            self.state = State::Failed;
            return Err(e.into());
        }
        Ok(self.summary())
    }

    fn summary(&self) -> FileSummary {
        let start_ms = self.start_ms();
        FileSummary {
            start_ms,
            end_ms: start_ms.map(|start| start + self.end_ms),
            frames: self.frames,
            dropped: self.dropped,
        }
    }

    fn drop_frame(&mut self, why: Pushed) -> Pushed {
        self.dropped += 1;
        why
    }

    fn write_header(&mut self, start_ns: u64, width: u32, height: u32) -> Result<()> {
        let spec = HeaderSpec {
            video: self.spec.video,
            width,
            height,
            audio: self.spec.audio.is_some(),
            start_unix_ms: self.spec.epoch_unix_ms + ns_to_ms(start_ns),
        };
        let (bytes, layout) = mux::header(self.base, &spec);
        self.write_out(&bytes)?;
        self.state = State::Writing { layout, start_ns };
        Ok(())
    }

    /// Adds a frame to the current cluster, first closing the cluster if the frame starts a new
    /// one: a video keyframe (a seek point), or a frame `max_buffered` past the cluster's first.
    fn add_block(&mut self, block: Block) -> Result<()> {
        if let (Some(min), Some(max)) =
            (self.cluster.iter().map(|b| b.ms).min(), self.cluster.iter().map(|b| b.ms).max())
        {
            let max_buffered_ms = (self.spec.options.max_buffered.as_millis() as u64).min(MAX_CLUSTER_SPAN_MS);
            let seek_point = block.track == VIDEO_TRACK && block.keyframe;
            let too_long = block.ms >= min + max_buffered_ms;
            let too_wide = max.saturating_sub(block.ms) > MAX_CLUSTER_SPAN_MS;
            if seek_point || too_long || too_wide {
                self.write_cluster()?;
            }
        }
        self.frames += 1;
        self.cluster.push(block);
        Ok(())
    }

    fn write_cluster(&mut self) -> Result<()> {
        let State::Writing { layout, .. } = self.state else { return Ok(()) };
        if self.cluster.is_empty() {
            return Ok(());
        }
        let mut blocks = std::mem::take(&mut self.cluster);
        // Tracks interleave by time; sorting is stable, so each track keeps its order.
        blocks.sort_by_key(|b| b.ms);
        let cluster_pos = self.end - layout.segment_data;
        let bytes = mux::cluster(&blocks);
        self.write_out(&bytes)?;
        if let Some(key) = blocks.iter().find(|b| b.track == VIDEO_TRACK && b.keyframe) {
            self.cues.push(Cue { ms: key.ms, cluster_pos });
        }
        Ok(())
    }

    /// Writes whole elements and flushes; any error stops the writer for good.
    fn write_out(&mut self, bytes: &[u8]) -> Result<()> {
        let written = self.out.write_all(bytes).and_then(|()| self.out.flush());
        if let Err(e) = written {
            self.state = State::Failed;
            return Err(e.into());
        }
        self.end += bytes.len() as u64;
        Ok(())
    }
}

impl<W: Write + Seek> Drop for WebmWriter<W> {
    /// Best effort: writes the frames still buffered (an unwinding task, a forgotten `finish`),
    /// leaving the file as a crash would, minus the loss. Errors have nowhere to go.
    fn drop(&mut self) {
        if let State::Writing { .. } = self.state {
            let _ = self.write_cluster();
        }
    }
}

fn check_codecs(spec: &WebmSpec) -> Result<()> {
    if !matches!(spec.video, Codec::Vp8 | Codec::Vp9) {
        return Err(Error::Unsupported { codec: spec.video, container: "webm video" });
    }
    match spec.audio {
        Some(codec) if codec != Codec::Opus => Err(Error::Unsupported { codec, container: "webm audio" }),
        _ => Ok(()),
    }
}

impl<W: Write + Seek> std::fmt::Debug for WebmWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebmWriter")
            .field("spec", &self.spec)
            .field("start_ms", &self.start_ms())
            .field("frames", &self.frames)
            .field("dropped", &self.dropped)
            .finish_non_exhaustive()
    }
}
