//! Crash-safe recording files for Parlons: one WebM per participant video source (VP8/VP9, plus
//! that participant's Opus audio), one Ogg/Opus per participant audio track, and a JSON
//! [`Manifest`] saying who was on which file when.
//!
//! Plain data in, files out: no async runtime, no database, no media engine. The server's recorder
//! (an in-process subscriber) hands each [`Frame`] to a writer together with the wall time it
//! arrived; the writer places it on the recording's timeline and writes it.
//!
//! # Timeline
//!
//! A recording has an epoch (Unix ms). A track's RTP time is mapped to wall time by an
//! [`Anchor`] (from an RTCP sender report when the caller has one, else the first frame's arrival),
//! so files of participants who join late start at the right offset. Inside each file time starts
//! at 0; the offset of that 0 from the epoch is reported as [`Pushed::Started`] and kept in the
//! manifest (`start_ms`), and also stored in the file itself (WebM `DateUTC`, an Ogg comment) so
//! that [`recover`] can find it when the manifest could not be updated in time.
//!
//! # Crash safety
//!
//! A frame reaches the file (the OS page cache, which survives `kill -9`) once the writer has
//! [`WriterOptions::max_buffered`] (500 ms by default) of newer media, or at the next `flush`,
//! which the caller runs on a timer for tracks that went quiet. A kill therefore loses at most
//! about 0.5 s, well inside the 1 s the recording feature promises:
//!
//! - **WebM** is written by this crate's own small Matroska muxer, live-style: the segment size
//!   stays "unknown" and every cluster is written whole, with its size, then flushed. A cluster
//!   closes at each video keyframe and after `max_buffered` of media. A file cut after any cluster
//!   is therefore a valid WebM that `ffmpeg -v error -i FILE -f null -` decodes without a word.
//!   `finish` appends Cues and patches the Duration, a SeekHead and the segment size into room
//!   reserved in the header.
//! - **Ogg/Opus** pages are written whole and flushed every `max_buffered` of audio; a packet
//!   never spans two pages, so a file cut after any page is valid.
//! - After a crash, [`recover`] (or [`Manifest::recover`] for a whole recording) cuts off a cluster
//!   or page torn by the kill and writes what `finish` would have. The manifest marks those files
//!   [`FileStatus::Recovered`].
//!
//! Why not libwebm (the `webm` crate)? Its `Segment` keeps the default 30 s maximum cluster
//! duration (the setter is not exposed), holds audio frames back until the next video frame, and
//! builds C++ with `cc`. A muxer for the handful of elements a recording needs is small, pure Rust
//! and gives the flush points this crate promises. The files are checked with ffmpeg/ffprobe in
//! the crate's tests.
//!
//! # Errors
//!
//! See [`Error`]: an I/O error (a full disk) stops only the writer that met it; a corrupt frame is
//! skipped; an unsupported codec (H.264) is refused before a file is created. Nothing panics on
//! frame data, file contents or names, and each writer owns its own file, so one failing
//! recording never damages another. File names come from [`safe_file_component`] and are checked
//! again when a manifest is read ([`Manifest::path_in`]).
//!
//! # Example
//!
//! ```
//! use parlons_recorder::{Codec, Frame, Manifest, NewFile, OggOpusSpec, OggOpusWriter, Pushed,
//!     RecordingId, TrackRef, FileKind, WriterOptions};
//! use parlons_types::{Identity, TrackId};
//!
//! # fn main() -> Result<(), parlons_recorder::Error> {
//! let dir = std::env::temp_dir().join(format!("parlons-recorder-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let epoch = 1_700_000_000_000;
//! let mut manifest = Manifest::new(RecordingId::new("RC_demo"), epoch);
//! let path = manifest
//!     .add_file(NewFile {
//!         kind: FileKind::Audio,
//!         participant_identity: Identity::new("alice"),
//!         participant_name: "Alice".into(),
//!         tracks: vec![TrackRef { track_id: TrackId::new("TR_mic"), codec: Codec::Opus }],
//!     })
//!     .path
//!     .clone();
//! manifest.write(&dir)?;
//!
//! let spec = OggOpusSpec { epoch_unix_ms: epoch, codec: Codec::Opus, options: WriterOptions::default() };
//! let mut writer = OggOpusWriter::create(Manifest::path_in(&dir, &path)?, spec)?;
//! // Alice joined 2 s after the recording started; one 20 ms Opus packet every 20 ms.
//! for i in 0..100u64 {
//!     let frame = Frame { data: vec![0xf8, 0xff, 0xfe], rtp_time: 5_000 + i * 960, clock_rate: 48_000, keyframe: false };
//!     if let Pushed::Started { start_ms } = writer.push(epoch + 2_000 + i * 20, &frame)? {
//!         assert_eq!(start_ms, 2_000);
//!         manifest.set_started(&path, start_ms)?;
//!         manifest.write(&dir)?;
//!     }
//! }
//! let summary = writer.finish()?;
//! assert_eq!(summary.end_ms, Some(4_000));
//! manifest.set_finished(&path, &summary)?;
//! manifest.write(&dir)?;
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```

mod ebml;
mod error;
mod frame;
mod manifest;
mod names;
mod ogg;
mod opus;
mod recover;
mod vpx;
mod webm;

pub use error::{Error, Result};
pub use frame::{Anchor, Codec, FileSummary, Frame, Pushed, WriterOptions};
pub use manifest::{
    FileEntry, FileKind, FileRecovery, FileStatus, MANIFEST_FILE, MANIFEST_VERSION, Manifest, NewFile, RecordingId,
    TrackRef,
};
pub use names::{is_safe_file_name, safe_file_component};
pub use ogg::{OggOpusSpec, OggOpusWriter};
pub use recover::{Recovered, recover};
pub use webm::{WebmSpec, WebmWriter};
