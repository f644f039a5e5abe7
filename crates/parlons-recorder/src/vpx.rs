//! Just enough of the VP8 and VP9 bitstreams to tell keyframes and read their picture size, which
//! a WebM track header needs before the first frame is written.

/// What a video frame's header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VideoHeader {
    /// An intra frame: decoding can start here.
    pub(crate) keyframe: bool,
    /// Picture width and height, read from keyframes only.
    pub(crate) size: Option<(u32, u32)>,
}

/// Reads a VP8 frame header (RFC 6386 §9.1): a 3-byte frame tag, and for keyframes a start code
/// and two 14-bit dimensions (the top 2 bits are a scaling hint).
pub(crate) fn parse_vp8(data: &[u8]) -> Result<VideoHeader, &'static str> {
    let tag = data.get(..3).ok_or("shorter than the 3-byte frame tag")?;
    if tag[0] & 1 != 0 {
        return Ok(VideoHeader { keyframe: false, size: None });
    }
    let header = data.get(3..10).ok_or("keyframe shorter than its 10-byte header")?;
    if header[..3] != [0x9d, 0x01, 0x2a] {
        return Err("keyframe without the 9d 01 2a start code");
    }
    let width = u32::from(u16::from_le_bytes([header[3], header[4]]) & 0x3fff);
    let height = u32::from(u16::from_le_bytes([header[5], header[6]]) & 0x3fff);
    if width == 0 || height == 0 {
        return Err("keyframe with a zero picture size");
    }
    Ok(VideoHeader { keyframe: true, size: Some((width, height)) })
}

/// Reads a VP9 uncompressed header (VP9 bitstream spec §6.2) up to the frame size. A superframe
/// starts with its first frame, so its header is read the same way.
pub(crate) fn parse_vp9(data: &[u8]) -> Result<VideoHeader, &'static str> {
    const TRUNCATED: &str = "header truncated";
    let mut bits = Bits { data, pos: 0 };
    if bits.read(2).ok_or(TRUNCATED)? != 2 {
        return Err("bad frame marker");
    }
    let low = bits.read(1).ok_or(TRUNCATED)?;
    let high = bits.read(1).ok_or(TRUNCATED)?;
    let profile = (high << 1) | low;
    if profile == 3 {
        bits.read(1).ok_or(TRUNCATED)?;
    }
    let show_existing_frame = bits.read(1).ok_or(TRUNCATED)?;
    if show_existing_frame == 1 {
        return Ok(VideoHeader { keyframe: false, size: None });
    }
    let frame_type = bits.read(1).ok_or(TRUNCATED)?;
    if frame_type != 0 {
        return Ok(VideoHeader { keyframe: false, size: None });
    }
    // show_frame, error_resilient_mode
    bits.read(2).ok_or(TRUNCATED)?;
    if bits.read(24).ok_or(TRUNCATED)? != 0x49_83_42 {
        return Err("keyframe without the 49 83 42 sync code");
    }
    // color_config()
    if profile >= 2 {
        bits.read(1).ok_or(TRUNCATED)?;
    }
    const CS_RGB: u32 = 7;
    let color_space = bits.read(3).ok_or(TRUNCATED)?;
    let odd_profile = profile == 1 || profile == 3;
    if color_space != CS_RGB {
        bits.read(1).ok_or(TRUNCATED)?;
        if odd_profile {
            bits.read(3).ok_or(TRUNCATED)?;
        }
    } else if odd_profile {
        bits.read(1).ok_or(TRUNCATED)?;
    }
    // frame_size()
    let width = bits.read(16).ok_or(TRUNCATED)? + 1;
    let height = bits.read(16).ok_or(TRUNCATED)? + 1;
    Ok(VideoHeader { keyframe: true, size: Some((width, height)) })
}

/// A big-endian bit reader.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    /// The next `n` (at most 32) bits, or `None` past the end.
    fn read(&mut self, n: usize) -> Option<u32> {
        let mut value = 0u32;
        for _ in 0..n {
            let byte = *self.data.get(self.pos / 8)?;
            let bit = (byte >> (7 - self.pos % 8)) & 1;
            value = (value << 1) | u32::from(bit);
            self.pos += 1;
        }
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vp8_keyframe_size_and_interframe() {
        // Frame tag (keyframe, version 0, show_frame), start code, 640 x 360.
        let key = [0x50, 0x2a, 0x01, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01, 0xff];
        assert_eq!(parse_vp8(&key), Ok(VideoHeader { keyframe: true, size: Some((640, 360)) }));
        assert_eq!(parse_vp8(&[0x31, 0x00, 0x00]), Ok(VideoHeader { keyframe: false, size: None }));
    }

    #[test]
    fn vp8_garbage_is_an_error_not_a_panic() {
        assert!(parse_vp8(&[]).is_err());
        assert!(parse_vp8(&[0x00, 0x00, 0x00, 0x01]).is_err());
        assert!(parse_vp8(&[0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0, 0]).is_err());
    }

    #[test]
    fn vp9_keyframe_size() {
        // marker 10, profile 0, show_existing 0, key 0, show 1, error_res 0 -> 1000 0010;
        // sync 49 83 42; color_space 010 (BT.601), range 0, then width-1 = 319, height-1 = 239.
        let mut bits = vec![0b1000_0010, 0x49, 0x83, 0x42];
        // color: 010 0 then 16 bits of 319 then 16 bits of 239, packed from bit 0 of byte 4.
        let tail: u64 = (0b0100u64 << 32) | (319u64 << 16) | 239;
        let tail_bits = 36;
        let padded = tail << (40 - tail_bits);
        bits.extend_from_slice(&padded.to_be_bytes()[3..]);
        assert_eq!(parse_vp9(&bits), Ok(VideoHeader { keyframe: true, size: Some((320, 240)) }));
        // An inter frame: frame_type 1.
        assert_eq!(parse_vp9(&[0b1000_0110]), Ok(VideoHeader { keyframe: false, size: None }));
    }

    #[test]
    fn vp9_garbage_is_an_error_not_a_panic() {
        assert!(parse_vp9(&[]).is_err());
        assert!(parse_vp9(&[0x00]).is_err());
        assert!(parse_vp9(&[0b1000_0010, 0x49]).is_err());
    }
}
