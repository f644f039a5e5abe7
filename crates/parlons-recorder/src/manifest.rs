//! The recording's manifest: who was on which file, when, and in what state. Kept as
//! `manifest.json` in the recording's directory and replaced atomically on every change, so a
//! crash leaves either the old or the new version, never a torn one.

use std::fmt;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parlons_types::{Identity, TrackId};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::frame::{Codec, FileSummary};
use crate::names::{is_safe_file_name, safe_file_component};
use crate::recover::{Recovered, recover};

/// The manifest's file name inside a recording's directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The manifest format version this crate writes.
pub const MANIFEST_VERSION: u32 = 1;

/// Identifies one recording (one room, one start/stop interval).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordingId(Arc<str>);

impl RecordingId {
    /// Wraps an id made by the server or read from storage.
    pub fn new(id: impl Into<Arc<str>>) -> Self {
        Self(id.into())
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RecordingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Camera video (WebM), with the participant's microphone as a second track when present.
    Video,
    /// Microphone audio (Ogg/Opus).
    Audio,
    /// Screen-share video (WebM).
    Screen,
    /// Screen-share audio (Ogg/Opus).
    ScreenAudio,
}

impl FileKind {
    /// The name used in file names and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Video => "video",
            FileKind::Audio => "audio",
            FileKind::Screen => "screen",
            FileKind::ScreenAudio => "screen_audio",
        }
    }

    /// The file extension: `webm` for video kinds, `opus` (Ogg/Opus) for audio kinds.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Video | FileKind::Screen => "webm",
            FileKind::Audio | FileKind::ScreenAudio => "opus",
        }
    }
}

/// Where a file stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// A writer is (or was, until a crash) writing it.
    Recording,
    /// Its writer finished normally.
    Finished,
    /// Its writer died (crash, `kill -9`); [`Manifest::recover`] completed the file.
    Recovered,
    /// It holds nothing usable; `error` says why.
    Failed,
}

/// One published track stored in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackRef {
    /// The track's server id.
    pub track_id: TrackId,
    /// Its codec.
    pub codec: Codec,
}

/// One file of the recording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// File name, relative to the recording's directory (always a single safe component).
    pub path: String,
    /// What it holds.
    pub kind: FileKind,
    /// The participant's identity (the access token's `sub`).
    pub participant_identity: Identity,
    /// The participant's display name when the file started.
    pub participant_name: String,
    /// The tracks in the file: the video first, then the audio, for WebM files.
    pub tracks: Vec<TrackRef>,
    /// Offset of the file's time 0 from the recording's epoch (ms), once known.
    pub start_ms: Option<u64>,
    /// Offset of the file's end from the recording's epoch (ms), once known.
    pub end_ms: Option<u64>,
    /// Where the file stands.
    pub status: FileStatus,
    /// Why the file failed, for [`FileStatus::Failed`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What the caller knows when it opens a new file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFile {
    /// What it will hold.
    pub kind: FileKind,
    /// The participant's identity.
    pub participant_identity: Identity,
    /// The participant's display name.
    pub participant_name: String,
    /// Its tracks (video first).
    pub tracks: Vec<TrackRef>,
}

/// One result of [`Manifest::recover`].
#[derive(Debug)]
pub struct FileRecovery {
    /// The file (as in [`FileEntry::path`]).
    pub path: String,
    /// What recovery found, or why the file was marked [`FileStatus::Failed`].
    pub result: Result<Recovered>,
}

/// The manifest of one recording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version ([`MANIFEST_VERSION`]).
    pub version: u32,
    /// The recording.
    pub recording_id: RecordingId,
    /// The recording's time 0, in Unix milliseconds: all `start_ms`/`end_ms` count from it.
    pub epoch_unix_ms: u64,
    /// Every file, in the order they were opened.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    /// An empty manifest for a recording that starts at `epoch_unix_ms`.
    pub fn new(recording_id: RecordingId, epoch_unix_ms: u64) -> Self {
        Self { version: MANIFEST_VERSION, recording_id, epoch_unix_ms, files: Vec::new() }
    }

    /// Adds a file in [`FileStatus::Recording`] under a new, safe and unique name
    /// (`{identity}-{kind}-{track}.{ext}`, with `-2`, `-3`… on a clash, e.g. after a reconnect
    /// that kept the track id) and returns it; open the writer at [`Self::path_in`].
    pub fn add_file(&mut self, file: NewFile) -> &FileEntry {
        let track =
            file.tracks.first().map_or_else(|| "track".to_string(), |t| safe_file_component(t.track_id.as_str()));
        let stem =
            format!("{}-{}-{}", safe_file_component(file.participant_identity.as_str()), file.kind.as_str(), track);
        let ext = file.kind.extension();
        let mut path = format!("{stem}.{ext}");
        let mut n = 2;
        while self.files.iter().any(|f| f.path == path) {
            path = format!("{stem}-{n}.{ext}");
            n += 1;
        }
        self.files.push(FileEntry {
            path,
            kind: file.kind,
            participant_identity: file.participant_identity,
            participant_name: file.participant_name,
            tracks: file.tracks,
            start_ms: None,
            end_ms: None,
            status: FileStatus::Recording,
            error: None,
        });
        // Just pushed.
        self.files.last().expect("a file was just added")
    }

    /// The file entry with this path.
    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.path == path)
    }

    fn file_mut(&mut self, path: &str) -> Result<&mut FileEntry> {
        self.files.iter_mut().find(|f| f.path == path).ok_or_else(|| Error::UnknownFile(path.to_string()))
    }

    /// Records the file's start, from [`crate::Pushed::Started`].
    pub fn set_started(&mut self, path: &str, start_ms: u64) -> Result<()> {
        self.file_mut(path)?.start_ms = Some(start_ms);
        Ok(())
    }

    /// Marks the file finished with what its writer's `finish` returned.
    pub fn set_finished(&mut self, path: &str, summary: &FileSummary) -> Result<()> {
        let file = self.file_mut(path)?;
        file.status = FileStatus::Finished;
        file.start_ms = summary.start_ms.or(file.start_ms);
        file.end_ms = summary.end_ms;
        Ok(())
    }

    /// Marks the file failed, saying why (an I/O error, no media…).
    pub fn set_failed(&mut self, path: &str, reason: impl fmt::Display) -> Result<()> {
        let file = self.file_mut(path)?;
        file.status = FileStatus::Failed;
        file.error = Some(reason.to_string());
        Ok(())
    }

    /// Removes a file from the manifest (an empty file the caller deleted).
    pub fn remove_file(&mut self, path: &str) -> Result<FileEntry> {
        let index =
            self.files.iter().position(|f| f.path == path).ok_or_else(|| Error::UnknownFile(path.to_string()))?;
        Ok(self.files.remove(index))
    }

    /// The full path of a file in the recording's directory `dir`, refusing any name that is not
    /// a single safe component ([`Error::UnsafePath`]), whatever the manifest on disk says.
    pub fn path_in(dir: &Path, file: &str) -> Result<PathBuf> {
        if !is_safe_file_name(file) || file == MANIFEST_FILE {
            return Err(Error::UnsafePath(file.to_string()));
        }
        Ok(dir.join(file))
    }

    /// Writes `dir/manifest.json` atomically: a temporary file, synced, renamed over the old one,
    /// then the directory synced.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self)?;
        let tmp = dir.join(format!(".{MANIFEST_FILE}.tmp"));
        let mut file = File::create(&tmp)?;
        file.write_all(&json)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, dir.join(MANIFEST_FILE))?;
        File::open(dir)?.sync_all()?;
        Ok(())
    }

    /// Reads `dir/manifest.json`, refusing one whose file names are not safe.
    pub fn load(dir: &Path) -> Result<Self> {
        let manifest: Manifest = serde_json::from_slice(&fs::read(dir.join(MANIFEST_FILE))?)?;
        for file in &manifest.files {
            Self::path_in(dir, &file.path)?;
        }
        Ok(manifest)
    }

    /// After a crash: completes every file still in [`FileStatus::Recording`] with
    /// [`crate::recover`] and marks it [`FileStatus::Recovered`] (or [`FileStatus::Failed`] when it
    /// holds no media or cannot be read). Files are handled one by one; one bad file does not stop
    /// the others. Write the manifest afterwards.
    pub fn recover(&mut self, dir: &Path) -> Vec<FileRecovery> {
        let epoch = self.epoch_unix_ms;
        let mut results = Vec::new();
        for file in self.files.iter_mut().filter(|f| f.status == FileStatus::Recording) {
            let result = Self::path_in(dir, &file.path).and_then(recover);
            match &result {
                Ok(recovered) => {
                    file.status = FileStatus::Recovered;
                    if file.start_ms.is_none() {
                        file.start_ms = recovered.start_unix_ms.map(|unix| unix.saturating_sub(epoch));
                    }
                    file.end_ms = file.start_ms.map(|start| start + recovered.duration_ms);
                }
                Err(e) => {
                    file.status = FileStatus::Failed;
                    file.error = Some(e.to_string());
                }
            }
            results.push(FileRecovery { path: file.path.clone(), result });
        }
        results
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_file(identity: &str, kind: FileKind, track: &str) -> NewFile {
        NewFile {
            kind,
            participant_identity: Identity::new(identity),
            participant_name: format!("Name of {identity}"),
            tracks: vec![TrackRef { track_id: TrackId::new(track), codec: Codec::Vp8 }],
        }
    }

    #[test]
    fn paths_are_safe_and_unique() {
        let mut manifest = Manifest::new(RecordingId::new("RC_1"), 1_000);
        let a = manifest.add_file(new_file("alice", FileKind::Video, "TR_a")).path.clone();
        assert_eq!(a, "alice-video-TR_a.webm");
        let again = manifest.add_file(new_file("alice", FileKind::Video, "TR_a")).path.clone();
        assert_eq!(again, "alice-video-TR_a-2.webm");
        let evil = manifest.add_file(new_file("../../etc/passwd", FileKind::Audio, "TR_/../x")).path.clone();
        assert!(is_safe_file_name(&evil), "{evil}");
        assert!(evil.ends_with(".opus"));
    }

    #[test]
    fn path_in_refuses_traversal() {
        let dir = Path::new("/rec");
        assert_eq!(Manifest::path_in(dir, "a.webm").unwrap(), Path::new("/rec/a.webm"));
        for bad in ["../a.webm", "/etc/passwd", "a/b", "..", "", MANIFEST_FILE] {
            assert!(matches!(Manifest::path_in(dir, bad), Err(Error::UnsafePath(_))), "{bad}");
        }
    }

    #[test]
    fn json_shape() {
        let mut manifest = Manifest::new(RecordingId::new("RC_1"), 1_700_000_000_000);
        let path = manifest.add_file(new_file("bob", FileKind::ScreenAudio, "TR_s")).path.clone();
        manifest.set_started(&path, 1_500).unwrap();
        let json = serde_json::to_value(&manifest).unwrap();
        assert_eq!(json["recording_id"], "RC_1");
        assert_eq!(json["files"][0]["kind"], "screen_audio");
        assert_eq!(json["files"][0]["status"], "recording");
        assert_eq!(json["files"][0]["tracks"][0]["codec"], "vp8");
        assert_eq!(json["files"][0]["start_ms"], 1_500);
        assert!(json["files"][0].get("error").is_none());
        assert!(matches!(manifest.set_started("nope", 1), Err(Error::UnknownFile(_))));
    }
}
