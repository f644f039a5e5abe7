//! Recovery of a WebM file this crate wrote (see [`crate::recover`]).

use std::fs::File;
use std::path::Path;

use super::mux::{self, Cue, DURATION_LEN, Layout, MATROSKA_EPOCH_UNIX_MS, SEEK_HEAD_RESERVED};
use crate::ebml::{self, id};
use crate::error::Result;
use crate::opus;
use crate::recover::{Recovered, not_recoverable, read_at};

/// Clusters are at most a few seconds of media; anything bigger is garbage.
const MAX_CLUSTER_BYTES: u64 = 256 << 20;

/// An element header: its ID, where its data starts, and its data size (`None`: unknown).
struct Element {
    id: u32,
    data: u64,
    size: Option<u64>,
}

fn element_at(file: &mut File, pos: u64) -> Result<Option<Element>> {
    let head = read_at(file, pos, 12)?;
    let Some((id, id_len)) = ebml::read_id(&head) else { return Ok(None) };
    let Some((size, size_len)) = ebml::read_vint(&head[id_len..]) else { return Ok(None) };
    Ok(Some(Element { id, data: pos + (id_len + size_len) as u64, size }))
}

/// One child element inside a parent's data.
struct Child<'a> {
    id: u32,
    /// Offset of the child (its ID) in the parent's data.
    pos: usize,
    /// Offset just past the child.
    end: usize,
    body: &'a [u8],
}

/// The children of an element's data, up to the first malformed one.
fn children(data: &[u8]) -> impl Iterator<Item = Child<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let (id, id_len) = ebml::read_id(data.get(pos..)?)?;
        let (size, size_len) = ebml::read_vint(data.get(pos + id_len..)?)?;
        let start = pos + id_len + size_len;
        let end = start.checked_add(usize::try_from(size?).ok()?)?;
        let child = Child { id, pos, end, body: data.get(start..end)? };
        pos = end;
        Some(child)
    })
}

/// What the clusters hold, gathered while scanning them.
#[derive(Default)]
struct Media {
    video_track: Option<u64>,
    audio_track: Option<u64>,
    end_ms: u64,
    last_video_ms: Option<u64>,
    cues: Vec<Cue>,
    blocks: u64,
}

impl Media {
    /// Reads one cluster's blocks; `None` if it is not a well-formed cluster of ours.
    fn add_cluster(&mut self, data: &[u8], cluster_pos: u64) -> Option<()> {
        let mut base_ms = None;
        let mut cue = None;
        for child in children(data) {
            match child.id {
                id::TIMESTAMP => base_ms = Some(ebml::read_uint(child.body)?),
                id::SIMPLE_BLOCK => {
                    let body = child.body;
                    let (track, len) = ebml::read_vint(body)?;
                    let track = track?;
                    let header = body.get(len..len + 3)?;
                    let relative = i64::from(i16::from_be_bytes([header[0], header[1]]));
                    let keyframe = header[2] & 0x80 != 0;
                    let payload = body.get(len + 3..)?;
                    let ms = u64::try_from(i64::try_from(base_ms?).ok()? + relative).ok()?;
                    self.add_block(track, ms, payload);
                    if keyframe && Some(track) == self.video_track && cue.is_none() {
                        cue = Some(Cue { ms, cluster_pos });
                    }
                }
                _ => {}
            }
        }
        base_ms?;
        self.cues.extend(cue);
        Some(())
    }

    fn add_block(&mut self, track: u64, ms: u64, payload: &[u8]) {
        self.blocks += 1;
        self.end_ms = self.end_ms.max(ms);
        if Some(track) == self.audio_track {
            let samples = opus::packet_samples(payload).unwrap_or(0);
            self.end_ms = self.end_ms.max(ms + u64::from(samples) * 1_000 / u64::from(opus::SAMPLE_RATE));
        } else if Some(track) == self.video_track {
            if let Some(last) = self.last_video_ms {
                let gap = ms.saturating_sub(last);
                if gap <= 1_000 {
                    self.end_ms = self.end_ms.max(ms + gap);
                }
            }
            self.last_video_ms = Some(ms);
        }
    }

    fn read_tracks(&mut self, data: &[u8]) {
        for entry in children(data).filter(|child| child.id == id::TRACK_ENTRY) {
            let mut number = None;
            let mut kind = None;
            for field in children(entry.body) {
                match field.id {
                    id::TRACK_NUMBER => number = ebml::read_uint(field.body),
                    id::TRACK_TYPE => kind = ebml::read_uint(field.body),
                    _ => {}
                }
            }
            match kind {
                Some(1) => self.video_track = number,
                Some(2) => self.audio_track = number,
                _ => {}
            }
        }
    }
}

/// Scans the file, cuts off a torn cluster, and finalises it in place.
pub(crate) fn recover_webm(file: &mut File, path: &Path) -> Result<Recovered> {
    const FOREIGN: &str = "not a WebM file written by parlons-recorder";
    let len = file.metadata()?.len();
    let Some(header) = element_at(file, 0)? else { return Err(not_recoverable(path, FOREIGN)) };
    let Some(header_size) = header.size else { return Err(not_recoverable(path, FOREIGN)) };
    let segment_pos = header.data + header_size;
    let segment = match element_at(file, segment_pos)? {
        Some(segment) if segment.id == id::SEGMENT && segment.data == segment_pos + 12 => segment,
        _ => return Err(not_recoverable(path, "no media: the file ends before its first cluster")),
    };
    let segment_end = segment.size.map_or(len, |size| segment.data + size);

    let mut media = Media::default();
    let mut info = None;
    let mut duration_pos = None;
    let mut start_unix_ms = None;
    let mut tracks_pos = None;
    let mut reserved_ok = false;
    let mut good_end = None;
    let mut pos = segment.data;
    while pos < segment_end.min(len) {
        let Some(element) = element_at(file, pos)? else { break };
        let Some(size) = element.size else { break };
        let end = element.data + size;
        if end > len || (element.id == id::CLUSTER && size > MAX_CLUSTER_BYTES) {
            break;
        }
        match element.id {
            // The area finalisation rewrites: our 96-byte Void, or the SeekHead written over it.
            id::VOID if pos == segment.data => reserved_ok = end - pos == SEEK_HEAD_RESERVED as u64,
            id::SEEK_HEAD if pos == segment.data => reserved_ok = end - pos < SEEK_HEAD_RESERVED as u64,
            id::INFO => {
                info = Some(pos);
                let body = read_at(file, element.data, size as usize)?;
                for child in children(&body) {
                    match child.id {
                        id::DATE_UTC => {
                            let ns = child.body.try_into().map(i64::from_be_bytes).unwrap_or(0);
                            start_unix_ms = u64::try_from(ns / 1_000_000 + MATROSKA_EPOCH_UNIX_MS).ok();
                        }
                        id::VOID | id::DURATION if duration_pos.is_none() && child.end - child.pos == DURATION_LEN => {
                            duration_pos = Some(element.data + child.pos as u64);
                        }
                        _ => {}
                    }
                }
            }
            id::TRACKS => {
                tracks_pos = Some(pos);
                media.read_tracks(&read_at(file, element.data, size as usize)?);
            }
            id::CLUSTER => {
                let body = read_at(file, element.data, size as usize)?;
                if media.add_cluster(&body, pos - segment.data).is_none() {
                    break;
                }
                good_end = Some(end);
            }
            _ => {}
        }
        pos = end;
    }

    let (Some(info_pos), Some(duration_pos), Some(tracks_pos), true) = (info, duration_pos, tracks_pos, reserved_ok)
    else {
        return Err(not_recoverable(path, FOREIGN));
    };
    let Some(good_end) = good_end.filter(|_| media.blocks > 0) else {
        return Err(not_recoverable(path, "no media: the file ends before its first cluster"));
    };
    let duration_ms = media.end_ms;
    if segment.size.is_some() && segment_end == len && pos == len {
        return Ok(Recovered { duration_ms, start_unix_ms, truncated_bytes: 0, was_complete: true });
    }
    debug_assert!(good_end <= len);
    let layout =
        Layout { segment_size_pos: segment_pos + 4, segment_data: segment.data, info_pos, duration_pos, tracks_pos };
    file.set_len(good_end)?;
    mux::finalize(file, &layout, good_end, &media.cues, duration_ms as f64)?;
    Ok(Recovered { duration_ms, start_unix_ms, truncated_bytes: len - good_end, was_complete: false })
}
