//! The bytes of a WebM file, built in memory: header, clusters, cues, and the in-place patches
//! that finalise a file (shared by [`super::WebmWriter::finish`] and recovery).
//!
//! Layout of every file this crate writes:
//!
//! ```text
//! EBML header
//! Segment (size: 8 bytes, "unknown" until finalised)
//!   Void (96 bytes)            <- becomes SeekHead + Void when finalised
//!   Info (scale 1 ms, apps, DateUTC = wall time of the file's time 0, Void (11 bytes) <- Duration)
//!   Tracks (1: VP8/VP9 video, 2: Opus audio if any)
//!   Cluster*                   <- each written whole, with its size, then flushed
//!   Cues                       <- appended when finalised
//! ```
//!
//! Every cluster is complete on disk before the next one starts, and the segment's size stays
//! "unknown" (like a live stream) until the end, so a file cut after any cluster is a valid WebM.

use std::io::{self, Seek, SeekFrom, Write};

use crate::ebml::{self, id};
use crate::frame::Codec;
use crate::opus;

/// Track number of the video track.
pub(crate) const VIDEO_TRACK: u64 = 1;
/// Track number of the audio track.
pub(crate) const AUDIO_TRACK: u64 = 2;
/// Bytes reserved at the start of the segment for the SeekHead written when finalising.
pub(crate) const SEEK_HEAD_RESERVED: usize = 96;
/// Bytes of a Duration element (2-byte ID, 1-byte size, 8-byte float), reserved in Info.
pub(crate) const DURATION_LEN: usize = 11;
/// Matroska's DateUTC counts nanoseconds from 2001-01-01T00:00:00Z: that instant in Unix ms.
pub(crate) const MATROSKA_EPOCH_UNIX_MS: i64 = 978_307_200_000;
/// Opus needs 80 ms of decoding before a seek point (RFC 7845 §4.6, Matroska's SeekPreRoll).
const OPUS_SEEK_PRE_ROLL_NS: u64 = 80_000_000;

/// Where the patchable parts of a file are (absolute byte offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The Segment's 8-byte size field.
    pub(crate) segment_size_pos: u64,
    /// The first byte of the Segment's data; SeekHead and Cues positions count from here. The
    /// reserved SeekHead area starts here too.
    pub(crate) segment_data: u64,
    /// The Info element.
    pub(crate) info_pos: u64,
    /// The 11 bytes in Info reserved for Duration.
    pub(crate) duration_pos: u64,
    /// The Tracks element.
    pub(crate) tracks_pos: u64,
}

/// A seek point: a cluster that holds a video keyframe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cue {
    /// Time of the keyframe in the file, in milliseconds.
    pub(crate) ms: u64,
    /// Offset of its cluster from [`Layout::segment_data`].
    pub(crate) cluster_pos: u64,
}

/// One frame waiting in the current cluster.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub(crate) track: u64,
    /// Time in the file, in milliseconds.
    pub(crate) ms: u64,
    pub(crate) keyframe: bool,
    pub(crate) data: Vec<u8>,
}

/// What the header describes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HeaderSpec {
    pub(crate) video: Codec,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) audio: bool,
    /// Wall-clock time of the file's time 0 (stored as DateUTC, read back by recovery).
    pub(crate) start_unix_ms: u64,
}

/// The EBML header, the Segment's start, Info and Tracks, to be written at byte offset `base`.
pub(crate) fn header(base: u64, spec: &HeaderSpec) -> (Vec<u8>, Layout) {
    let mut out = Vec::with_capacity(512);
    let mut ebml_header = Vec::new();
    ebml::put_uint(&mut ebml_header, id::EBML_VERSION, 1);
    ebml::put_uint(&mut ebml_header, id::EBML_READ_VERSION, 1);
    ebml::put_uint(&mut ebml_header, id::EBML_MAX_ID_LENGTH, 4);
    ebml::put_uint(&mut ebml_header, id::EBML_MAX_SIZE_LENGTH, 8);
    ebml::put_bytes(&mut ebml_header, id::DOC_TYPE, b"webm");
    // Version 4 for SeekPreRoll (Opus).
    ebml::put_uint(&mut ebml_header, id::DOC_TYPE_VERSION, 4);
    ebml::put_uint(&mut ebml_header, id::DOC_TYPE_READ_VERSION, 2);
    ebml::put_bytes(&mut out, id::EBML, &ebml_header);

    ebml::put_id(&mut out, id::SEGMENT);
    let segment_size_pos = base + out.len() as u64;
    out.extend_from_slice(&ebml::UNKNOWN_SIZE);
    let segment_data = base + out.len() as u64;
    ebml::put_void(&mut out, SEEK_HEAD_RESERVED);

    let info_pos = base + out.len() as u64;
    let mut info = Vec::new();
    ebml::put_uint(&mut info, id::TIMESTAMP_SCALE, 1_000_000);
    let app = concat!("parlons-recorder ", env!("CARGO_PKG_VERSION"));
    ebml::put_bytes(&mut info, id::MUXING_APP, app.as_bytes());
    ebml::put_bytes(&mut info, id::WRITING_APP, app.as_bytes());
    let start = i64::try_from(spec.start_unix_ms).unwrap_or(i64::MAX);
    let date_ns = start.saturating_sub(MATROSKA_EPOCH_UNIX_MS).saturating_mul(1_000_000);
    ebml::put_int8(&mut info, id::DATE_UTC, date_ns);
    let duration_offset = info.len() as u64;
    ebml::put_void(&mut info, DURATION_LEN);
    let before = out.len() as u64;
    ebml::put_bytes(&mut out, id::INFO, &info);
    let info_header_len = out.len() as u64 - before - info.len() as u64;
    let duration_pos = info_pos + info_header_len + duration_offset;

    let tracks_pos = base + out.len() as u64;
    let mut tracks = Vec::new();
    let mut video = Vec::new();
    ebml::put_uint(&mut video, id::TRACK_NUMBER, VIDEO_TRACK);
    ebml::put_uint(&mut video, id::TRACK_UID, VIDEO_TRACK);
    ebml::put_uint(&mut video, id::TRACK_TYPE, 1);
    ebml::put_uint(&mut video, id::FLAG_LACING, 0);
    let codec_id: &[u8] = if spec.video == Codec::Vp9 { b"V_VP9" } else { b"V_VP8" };
    ebml::put_bytes(&mut video, id::CODEC_ID, codec_id);
    let mut picture = Vec::new();
    ebml::put_uint(&mut picture, id::PIXEL_WIDTH, u64::from(spec.width));
    ebml::put_uint(&mut picture, id::PIXEL_HEIGHT, u64::from(spec.height));
    ebml::put_bytes(&mut video, id::VIDEO, &picture);
    ebml::put_bytes(&mut tracks, id::TRACK_ENTRY, &video);
    if spec.audio {
        let mut audio = Vec::new();
        ebml::put_uint(&mut audio, id::TRACK_NUMBER, AUDIO_TRACK);
        ebml::put_uint(&mut audio, id::TRACK_UID, AUDIO_TRACK);
        ebml::put_uint(&mut audio, id::TRACK_TYPE, 2);
        ebml::put_uint(&mut audio, id::FLAG_LACING, 0);
        ebml::put_bytes(&mut audio, id::CODEC_ID, b"A_OPUS");
        ebml::put_bytes(&mut audio, id::CODEC_PRIVATE, &opus::opus_head());
        ebml::put_uint(&mut audio, id::SEEK_PRE_ROLL, OPUS_SEEK_PRE_ROLL_NS);
        let mut sound = Vec::new();
        ebml::put_float(&mut sound, id::SAMPLING_FREQUENCY, f64::from(opus::SAMPLE_RATE));
        ebml::put_uint(&mut sound, id::CHANNELS, u64::from(opus::CHANNELS));
        ebml::put_bytes(&mut audio, id::AUDIO, &sound);
        ebml::put_bytes(&mut tracks, id::TRACK_ENTRY, &audio);
    }
    ebml::put_bytes(&mut out, id::TRACKS, &tracks);

    (out, Layout { segment_size_pos, segment_data, info_pos, duration_pos, tracks_pos })
}

/// A whole Cluster of `blocks`, which must be sorted by time, non-empty, and span less than
/// 32 768 ms (block times are 16-bit offsets from the cluster's time).
pub(crate) fn cluster(blocks: &[Block]) -> Vec<u8> {
    let base_ms = blocks.first().map_or(0, |b| b.ms);
    let payload: usize = blocks.iter().map(|b| b.data.len() + 16).sum();
    let mut content = Vec::with_capacity(payload + 16);
    ebml::put_uint(&mut content, id::TIMESTAMP, base_ms);
    for block in blocks {
        ebml::put_id(&mut content, id::SIMPLE_BLOCK);
        ebml::put_size(&mut content, 4 + block.data.len() as u64);
        // Track numbers 1 and 2 are one-byte vints.
        content.push(0x80 | block.track as u8);
        let relative = i16::try_from(block.ms - base_ms).unwrap_or(i16::MAX);
        content.extend_from_slice(&relative.to_be_bytes());
        content.push(if block.keyframe { 0x80 } else { 0 });
        content.extend_from_slice(&block.data);
    }
    let mut out = Vec::with_capacity(content.len() + 12);
    ebml::put_bytes(&mut out, id::CLUSTER, &content);
    out
}

/// The Cues element listing `cues`.
fn cues_element(cues: &[Cue]) -> Vec<u8> {
    let mut points = Vec::with_capacity(cues.len() * 20);
    for cue in cues {
        let mut positions = Vec::new();
        ebml::put_uint(&mut positions, id::CUE_TRACK, VIDEO_TRACK);
        ebml::put_uint(&mut positions, id::CUE_CLUSTER_POSITION, cue.cluster_pos);
        let mut point = Vec::new();
        ebml::put_uint(&mut point, id::CUE_TIME, cue.ms);
        ebml::put_bytes(&mut point, id::CUE_TRACK_POSITIONS, &positions);
        ebml::put_bytes(&mut points, id::CUE_POINT, &point);
    }
    let mut out = Vec::with_capacity(points.len() + 12);
    ebml::put_bytes(&mut out, id::CUES, &points);
    out
}

/// A SeekHead pointing at Info, Tracks and (if any) Cues, padded with a Void to exactly
/// [`SEEK_HEAD_RESERVED`] bytes. Positions are fixed-width so the size never depends on them.
fn seek_head(layout: &Layout, cues_pos: Option<u64>) -> Vec<u8> {
    let mut seeks = Vec::new();
    let targets = [(id::INFO, Some(layout.info_pos)), (id::TRACKS, Some(layout.tracks_pos)), (id::CUES, cues_pos)];
    for (target, pos) in targets {
        let Some(pos) = pos else { continue };
        let mut seek = Vec::new();
        ebml::put_bytes(&mut seek, id::SEEK_ID, &target.to_be_bytes());
        ebml::put_uint8(&mut seek, id::SEEK_POSITION, pos - layout.segment_data);
        ebml::put_bytes(&mut seeks, id::SEEK, &seek);
    }
    let mut out = Vec::with_capacity(SEEK_HEAD_RESERVED);
    ebml::put_bytes(&mut out, id::SEEK_HEAD, &seeks);
    // Three seeks take 68 bytes, leaving at least 28 for the Void.
    let padding = SEEK_HEAD_RESERVED - out.len();
    ebml::put_void(&mut out, padding);
    out
}

/// Finalises a file whose clusters end at `end`: appends Cues, then patches Duration, the SeekHead
/// and the Segment's size in their reserved places. Each step leaves a decodable file, so a crash
/// in the middle of it loses nothing. Returns the new end of the file.
pub(crate) fn finalize<W: Write + Seek>(
    out: &mut W,
    layout: &Layout,
    end: u64,
    cues: &[Cue],
    duration_ms: f64,
) -> io::Result<u64> {
    let mut end = end;
    let mut cues_pos = None;
    if !cues.is_empty() {
        let element = cues_element(cues);
        out.seek(SeekFrom::Start(end))?;
        out.write_all(&element)?;
        cues_pos = Some(end);
        end += element.len() as u64;
    }
    let mut duration = Vec::with_capacity(DURATION_LEN);
    ebml::put_float(&mut duration, id::DURATION, duration_ms);
    out.seek(SeekFrom::Start(layout.duration_pos))?;
    out.write_all(&duration)?;
    out.seek(SeekFrom::Start(layout.segment_data))?;
    out.write_all(&seek_head(layout, cues_pos))?;
    out.seek(SeekFrom::Start(layout.segment_size_pos))?;
    out.write_all(&ebml::size8(end - layout.segment_data))?;
    out.seek(SeekFrom::Start(end))?;
    out.flush()?;
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seek_head_fills_its_reservation() {
        let layout =
            Layout { segment_size_pos: 40, segment_data: 48, info_pos: 144, duration_pos: 200, tracks_pos: 300 };
        assert_eq!(seek_head(&layout, Some(100_000)).len(), SEEK_HEAD_RESERVED);
        assert_eq!(seek_head(&layout, None).len(), SEEK_HEAD_RESERVED);
    }

    #[test]
    fn header_positions_point_at_their_elements() {
        let spec =
            HeaderSpec { video: Codec::Vp8, width: 320, height: 240, audio: true, start_unix_ms: 1_700_000_000_000 };
        let (bytes, layout) = header(0, &spec);
        let at = |pos: u64| ebml::read_id(&bytes[pos as usize..]).map(|(id, _)| id);
        assert_eq!(at(layout.segment_data), Some(id::VOID));
        assert_eq!(at(layout.info_pos), Some(id::INFO));
        assert_eq!(at(layout.duration_pos), Some(id::VOID));
        assert_eq!(at(layout.tracks_pos), Some(id::TRACKS));
        assert_eq!(&bytes[layout.segment_size_pos as usize..][..8], &ebml::UNKNOWN_SIZE);
    }

    #[test]
    fn cluster_times_are_relative() {
        let blocks = [
            Block { track: 1, ms: 1_000, keyframe: true, data: vec![1, 2] },
            Block { track: 2, ms: 1_300, keyframe: true, data: vec![3] },
        ];
        let bytes = cluster(&blocks);
        assert_eq!(ebml::read_id(&bytes), Some((id::CLUSTER, 4)));
        // Cluster header (4 + 1), Timestamp (1 + 1 + 2), then the first block.
        assert_eq!(&bytes[9..], &[0xa3, 0x86, 0x81, 0, 0, 0x80, 1, 2, 0xa3, 0x85, 0x82, 0x01, 0x2c, 0x80, 3]);
    }
}
