//! The crate's error type.
//!
//! Policy: nothing here panics on frame data, file contents or names. An I/O error (a full disk
//! included) is returned to the caller and stops only the writer that met it ([`Error::is_fatal`]);
//! a bad frame is skipped with [`Error::Corrupt`] and the writer carries on. Each writer owns its
//! own file, so one failing recording never touches another.

use std::path::PathBuf;

use crate::frame::Codec;

/// What can go wrong while recording, recovering or keeping a manifest.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed; a full disk shows up here (`ErrorKind::StorageFull`).
    #[error("recording file I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// The codec cannot be stored in this kind of file (H.264 in WebM, VP8 in Ogg, …).
    #[error("codec {codec} is not supported in a {container} recording")]
    Unsupported {
        /// The codec that was offered.
        codec: Codec,
        /// The container that refused it (`"webm video"`, `"webm audio"`, `"ogg/opus"`).
        container: &'static str,
    },
    /// A frame's bytes are not a valid frame of its codec; the frame was skipped.
    #[error("corrupt {codec} frame: {reason}")]
    Corrupt {
        /// The codec the frame claimed to be.
        codec: Codec,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// Audio was pushed to a WebM writer created without an audio track.
    #[error("this WebM recording has no audio track")]
    NoAudioTrack,
    /// An earlier I/O error stopped this writer: the file holds what was written before it
    /// (see [`crate::recover`]), and nothing more is accepted.
    #[error("this recording writer stopped after an earlier I/O error")]
    Failed,
    /// A path from a manifest or a caller would leave the recording directory, or is not a plain
    /// file name.
    #[error("unsafe recording file path {0:?}")]
    UnsafePath(String),
    /// No file with this path is listed in the manifest.
    #[error("no recording file {0:?} in the manifest")]
    UnknownFile(String),
    /// The manifest is not valid JSON of the expected shape.
    #[error("invalid recording manifest: {0}")]
    Manifest(#[from] serde_json::Error),
    /// The file is not one this crate writes, or holds no media, so there is nothing to recover.
    #[error("cannot recover {path:?}: {reason}")]
    NotRecoverable {
        /// The file.
        path: PathBuf,
        /// Why not.
        reason: &'static str,
    },
}

impl Error {
    /// Whether the writer that returned this error has stopped for good. [`Error::Corrupt`] and
    /// [`Error::NoAudioTrack`] only refuse one frame; I/O errors stop the writer (a half-written
    /// element cannot be continued).
    pub fn is_fatal(&self) -> bool {
        !matches!(self, Error::Corrupt { .. } | Error::NoAudioTrack)
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
