//! Recovery after a crash: [`recover`] makes a file that a killed writer left behind complete.
//!
//! The writers keep every file decodable at all times (whole clusters and pages, flushed), so a
//! killed file already plays up to its last flush. Recovery then cuts off a partly written
//! cluster or page, if the kill landed in the middle of one, and writes what `finish` would have:
//! for WebM the duration, the seek index and the segment size; for Ogg the end-of-stream flag.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::{Error, Result};

/// What [`recover`] found and did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recovered {
    /// Media in the file, in milliseconds from its time 0.
    pub duration_ms: u64,
    /// Wall-clock time (Unix ms) of the file's time 0, as the writer stored it in the file
    /// (WebM `DateUTC`, an Ogg comment), so a manifest that missed [`crate::Pushed::Started`] can
    /// still place the file.
    pub start_unix_ms: Option<u64>,
    /// Bytes cut off the end: a cluster or page that the crash interrupted.
    pub truncated_bytes: u64,
    /// The file had been finished normally; nothing was changed.
    pub was_complete: bool,
}

/// Completes a WebM or Ogg/Opus file written by this crate whose writer never finished (a crash,
/// `kill -9`, a full disk). Running it on a finished file changes nothing.
///
/// Errors: [`Error::NotRecoverable`] for a file that holds no media (the writer was killed before
/// the first keyframe or packet) or that this crate did not write; [`Error::Io`].
pub fn recover(path: impl AsRef<Path>) -> Result<Recovered> {
    let path = path.as_ref();
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let magic = read_at(&mut file, 0, 4)?;
    let recovered = match magic.as_slice() {
        [] => return Err(not_recoverable(path, "the file is empty: no media was written")),
        b"OggS" => crate::ogg::recover::recover_ogg(&mut file, path)?,
        [0x1a, 0x45, 0xdf, 0xa3] => crate::webm::recover::recover_webm(&mut file, path)?,
        _ => return Err(not_recoverable(path, "not a WebM or Ogg file")),
    };
    if !recovered.was_complete {
        file.sync_all()?;
    }
    Ok(recovered)
}

pub(crate) fn not_recoverable(path: &Path, reason: &'static str) -> Error {
    Error::NotRecoverable { path: path.to_path_buf(), reason }
}

/// Up to `len` bytes at `pos` (fewer at the end of the file).
pub(crate) fn read_at(file: &mut File, pos: u64, len: usize) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(pos))?;
    let mut buf = Vec::with_capacity(len);
    file.by_ref().take(len as u64).read_to_end(&mut buf)?;
    Ok(buf)
}
