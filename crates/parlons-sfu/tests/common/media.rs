//! Synthetic media: VP8-shaped video frames and Opus-sized audio frames that carry a frame number.
//!
//! A video frame is a VP8 frame as str0m's depacketizer sees it: the first byte's P bit (bit 0) is
//! clear on keyframes, which also carry the start code `9d 01 2a` and the picture size. After the
//! 10-byte VP8 header comes a marker (magic byte, layer, frame number) that the test reads back.

use std::time::Duration;

use parlons_types::Quality;

/// 30 frames per second.
pub const FRAME_INTERVAL: Duration = Duration::from_nanos(33_333_333);
/// 20 ms Opus frames.
pub const AUDIO_INTERVAL: Duration = Duration::from_millis(20);
/// A periodic keyframe every 3 s (every 90th frame).
pub const KEYFRAME_EVERY: u32 = 90;
/// Delta-frame sizes of q, h, f (about 150 kbit/s, 500 kbit/s and 1.7 Mbit/s at 30 fps);
/// keyframes are twice as large. Frames of h and f span several packets.
pub const VIDEO_SIZES: [usize; 3] = [600, 2_000, 7_000];
/// RTP origin of each layer: unrelated, as in a browser, so a switch must re-base timestamps.
pub const RTP_ORIGIN: [u64; 3] = [12_345, 40_000_000, 2_700_000_000];
/// Size of an audio frame.
pub const AUDIO_SIZE: usize = 80;

const MAGIC: u8 = 0xA5;
const NO_LAYER: u8 = 0xFF;
const DIMS: [(u16, u16); 3] = [(320, 180), (640, 360), (1280, 720)];

/// What a received video frame says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameInfo {
    /// The simulcast layer it was encoded for (`None`: no simulcast).
    pub layer: Option<Quality>,
    /// Capture number (the same on every layer of one capture).
    pub number: u32,
    /// The VP8 P bit says keyframe.
    pub vp8_keyframe: bool,
    /// Width from the keyframe header (0 on delta frames).
    pub width: u16,
}

/// Index of a layer in the per-layer tables (`None`: the single layer, sized like `f`).
pub fn layer_index(layer: Option<Quality>) -> usize {
    layer.map_or(2, |q| q as usize)
}

/// One encoded video frame.
pub fn vp8_frame(layer: Option<Quality>, number: u32, keyframe: bool) -> Vec<u8> {
    let i = layer_index(layer);
    let size = VIDEO_SIZES[i] * if keyframe { 2 } else { 1 };
    let mut f = vec![number as u8; size];
    let first_partition = (size as u32 - 10) & 0x7_FFFF;
    let tag = (first_partition << 5) | (1 << 4) | u32::from(!keyframe);
    f[..3].copy_from_slice(&tag.to_le_bytes()[..3]);
    if keyframe {
        let (w, h) = DIMS[i];
        f[3..6].copy_from_slice(&[0x9d, 0x01, 0x2a]);
        f[6..8].copy_from_slice(&w.to_le_bytes());
        f[8..10].copy_from_slice(&h.to_le_bytes());
    } else {
        f[3..10].fill(0);
    }
    f[10] = MAGIC;
    f[11] = layer.map_or(NO_LAYER, |q| q as u8);
    f[12..16].copy_from_slice(&number.to_be_bytes());
    f
}

/// Reads back a frame made by [`vp8_frame`].
pub fn parse_video(data: &[u8]) -> Option<FrameInfo> {
    if data.len() < 16 || data[10] != MAGIC {
        return None;
    }
    let layer = match data[11] {
        NO_LAYER => None,
        i => Some(*Quality::ALL.get(usize::from(i))?),
    };
    let vp8_keyframe = data[0] & 1 == 0;
    let has_start_code = data[3..6] == [0x9d, 0x01, 0x2a];
    let width = if vp8_keyframe && has_start_code { u16::from_le_bytes([data[6], data[7]]) & 0x3FFF } else { 0 };
    let number = u32::from_be_bytes([data[12], data[13], data[14], data[15]]);
    Some(FrameInfo { layer, number, vp8_keyframe: vp8_keyframe && has_start_code, width })
}

/// One Opus-sized audio frame (TOC byte, marker, number).
pub fn opus_frame(number: u32) -> Vec<u8> {
    let mut f = vec![number as u8; AUDIO_SIZE];
    f[0] = 0xFC;
    f[1] = MAGIC;
    f[2..6].copy_from_slice(&number.to_be_bytes());
    f
}

/// Reads back the number of an audio frame made by [`opus_frame`].
pub fn parse_audio(data: &[u8]) -> Option<u32> {
    if data.len() < 6 || data[1] != MAGIC {
        return None;
    }
    Some(u32::from_be_bytes([data[2], data[3], data[4], data[5]]))
}
