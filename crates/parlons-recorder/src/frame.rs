//! What the writers take in: codecs, frames, and the clock that places frames on the recording's
//! timeline.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A media codec as the SFU negotiated it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Codec {
    /// VP8 video (WebM).
    Vp8,
    /// VP9 video (WebM).
    Vp9,
    /// Opus audio (WebM or Ogg).
    Opus,
    /// H.264 video: negotiated by some clients, not recordable (WebM cannot hold it); writers refuse
    /// it with [`Error::Unsupported`].
    H264,
}

impl Codec {
    /// The lowercase name used in manifests and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Codec::Vp8 => "vp8",
            Codec::Vp9 => "vp9",
            Codec::Opus => "opus",
            Codec::H264 => "h264",
        }
    }
}

impl fmt::Display for Codec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One whole media frame of one track (str0m's frame mode: depacketised, in order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The codec payload: a VP8/VP9 frame or one Opus packet.
    pub data: Vec<u8>,
    /// RTP timestamp extended to 64 bits (no wrap-around), in `clock_rate` units.
    pub rtp_time: u64,
    /// RTP clock rate of the track (90 000 for video, 48 000 for Opus).
    pub clock_rate: u32,
    /// Whether the sender marked this frame as a keyframe. For VP8 and VP9 the writers read the
    /// bitstream instead, which cannot disagree with what the decoder will see.
    pub keyframe: bool,
}

/// Where a track's RTP clock sits on the wall clock: RTP time `rtp_time` was sampled at Unix time
/// `unix_ms`.
///
/// The best anchor comes from an RTCP sender report (its NTP time and RTP time), which keeps the
/// tracks of different participants in sync. Without one, writers anchor a track on its first frame
/// and the `now_unix_ms` it was pushed with (arrival time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// An RTP timestamp of the track, extended like [`Frame::rtp_time`].
    pub rtp_time: u64,
    /// The Unix time (milliseconds) at which that RTP timestamp was sampled.
    pub unix_ms: u64,
}

/// Tunables shared by the writers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriterOptions {
    /// The most media kept in memory before it is written to the file (a WebM cluster, an Ogg page).
    /// This bounds what a crash loses. Default: 500 ms.
    pub max_buffered: Duration,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self { max_buffered: Duration::from_millis(500) }
    }
}

/// What happened to a pushed frame. Nothing here is an error: dropped frames are expected around
/// joins, keyframe waits and jitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pushed {
    /// Accepted; it reaches the file within [`WriterOptions::max_buffered`] of media time, or at the
    /// next [`flush`](crate::WebmWriter::flush).
    Buffered,
    /// Accepted, and it is the first frame of the file: the file's time 0 is `start_ms` after the
    /// recording's epoch. Store it in the manifest ([`crate::Manifest::set_started`]).
    Started {
        /// Offset of the file's start from the recording's epoch, in milliseconds.
        start_ms: u64,
    },
    /// Dropped: a video file starts on a keyframe (which carries the picture size). The caller
    /// should ask the publisher for one (a throttled PLI).
    WaitingForKeyframe,
    /// Dropped: earlier than the previous frame of its track, than the file's start, or than the
    /// recording's epoch.
    Late,
}

/// What a writer recorded, returned when it finishes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileSummary {
    /// Offset of the file's time 0 from the recording's epoch; `None` if no frame was written.
    pub start_ms: Option<u64>,
    /// Offset of the end of the last frame from the recording's epoch.
    pub end_ms: Option<u64>,
    /// Frames (Opus packets included) written to the file, over all tracks.
    pub frames: u64,
    /// Frames dropped as [`Pushed::Late`] or [`Pushed::WaitingForKeyframe`], or skipped as corrupt.
    pub dropped: u64,
}

/// The clock of one track: its anchor, once known, and the last timestamp written (to keep each
/// track monotonic).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TrackClock {
    pub(crate) anchor: Option<Anchor>,
    /// Last accepted position on the recording timeline, in nanoseconds since the epoch.
    pub(crate) last_ns: Option<u64>,
}

impl TrackClock {
    /// Nanoseconds since the recording's epoch at which `frame` was sampled, or `None` if that is
    /// before the epoch. Anchors the track on this frame if it has no anchor yet.
    pub(crate) fn place(
        &mut self,
        codec: Codec,
        epoch_unix_ms: u64,
        now_unix_ms: u64,
        frame: &Frame,
    ) -> Result<Option<u64>> {
        if frame.clock_rate == 0 {
            return Err(Error::Corrupt { codec, reason: "RTP clock rate is 0" });
        }
        let anchor = *self.anchor.get_or_insert(Anchor { rtp_time: frame.rtp_time, unix_ms: now_unix_ms });
        let offset_ns = (i128::from(anchor.unix_ms) - i128::from(epoch_unix_ms)) * 1_000_000;
        let rtp_delta = i128::from(frame.rtp_time) - i128::from(anchor.rtp_time);
        let ns = offset_ns + rtp_delta * 1_000_000_000 / i128::from(frame.clock_rate);
        Ok(u64::try_from(ns).ok())
    }
}

/// Milliseconds in `ns` nanoseconds, rounded to the nearest.
pub(crate) fn ns_to_ms(ns: u64) -> u64 {
    ns.saturating_add(500_000) / 1_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(rtp_time: u64) -> Frame {
        Frame { data: vec![], rtp_time, clock_rate: 90_000, keyframe: false }
    }

    #[test]
    fn first_frame_anchors_on_arrival() {
        let mut clock = TrackClock::default();
        let at = clock.place(Codec::Vp8, 1_000, 3_500, &frame(900_000)).unwrap();
        assert_eq!(at, Some(2_500_000_000));
        // One second of RTP time later.
        let at = clock.place(Codec::Vp8, 1_000, 9_999, &frame(990_000)).unwrap();
        assert_eq!(at, Some(3_500_000_000));
    }

    #[test]
    fn sender_report_anchor_wins_and_before_epoch_is_none() {
        let mut clock = TrackClock { anchor: Some(Anchor { rtp_time: 48_000, unix_ms: 10_000 }), last_ns: None };
        assert_eq!(
            clock.place(Codec::Opus, 10_000, 0, &Frame { clock_rate: 48_000, ..frame(96_000) }).unwrap(),
            Some(1_000_000_000)
        );
        assert_eq!(clock.place(Codec::Opus, 10_000, 0, &Frame { clock_rate: 48_000, ..frame(0) }).unwrap(), None);
    }

    #[test]
    fn zero_clock_rate_is_corrupt() {
        let mut clock = TrackClock::default();
        let err = clock.place(Codec::Vp8, 0, 0, &Frame { clock_rate: 0, ..frame(0) }).unwrap_err();
        assert!(matches!(err, Error::Corrupt { .. }));
    }
}
