//! The few EBML (RFC 8794) primitives a WebM writer and its recovery need. Element IDs are kept
//! with their length-marker bits, as the Matroska specification lists them.

/// Matroska / WebM element IDs used here (RFC 9559).
pub(crate) mod id {
    pub(crate) const EBML: u32 = 0x1A45_DFA3;
    pub(crate) const EBML_VERSION: u32 = 0x4286;
    pub(crate) const EBML_READ_VERSION: u32 = 0x42F7;
    pub(crate) const EBML_MAX_ID_LENGTH: u32 = 0x42F2;
    pub(crate) const EBML_MAX_SIZE_LENGTH: u32 = 0x42F3;
    pub(crate) const DOC_TYPE: u32 = 0x4282;
    pub(crate) const DOC_TYPE_VERSION: u32 = 0x4287;
    pub(crate) const DOC_TYPE_READ_VERSION: u32 = 0x4285;
    pub(crate) const VOID: u32 = 0xEC;
    pub(crate) const SEGMENT: u32 = 0x1853_8067;
    pub(crate) const SEEK_HEAD: u32 = 0x114D_9B74;
    pub(crate) const SEEK: u32 = 0x4DBB;
    pub(crate) const SEEK_ID: u32 = 0x53AB;
    pub(crate) const SEEK_POSITION: u32 = 0x53AC;
    pub(crate) const INFO: u32 = 0x1549_A966;
    pub(crate) const TIMESTAMP_SCALE: u32 = 0x2A_D7B1;
    pub(crate) const MUXING_APP: u32 = 0x4D80;
    pub(crate) const WRITING_APP: u32 = 0x5741;
    pub(crate) const DURATION: u32 = 0x4489;
    pub(crate) const DATE_UTC: u32 = 0x4461;
    pub(crate) const TRACKS: u32 = 0x1654_AE6B;
    pub(crate) const TRACK_ENTRY: u32 = 0xAE;
    pub(crate) const TRACK_NUMBER: u32 = 0xD7;
    pub(crate) const TRACK_UID: u32 = 0x73C5;
    pub(crate) const TRACK_TYPE: u32 = 0x83;
    pub(crate) const FLAG_LACING: u32 = 0x9C;
    pub(crate) const CODEC_ID: u32 = 0x86;
    pub(crate) const CODEC_PRIVATE: u32 = 0x63A2;
    pub(crate) const SEEK_PRE_ROLL: u32 = 0x56BB;
    pub(crate) const VIDEO: u32 = 0xE0;
    pub(crate) const PIXEL_WIDTH: u32 = 0xB0;
    pub(crate) const PIXEL_HEIGHT: u32 = 0xBA;
    pub(crate) const AUDIO: u32 = 0xE1;
    pub(crate) const SAMPLING_FREQUENCY: u32 = 0xB5;
    pub(crate) const CHANNELS: u32 = 0x9F;
    pub(crate) const CLUSTER: u32 = 0x1F43_B675;
    pub(crate) const TIMESTAMP: u32 = 0xE7;
    pub(crate) const SIMPLE_BLOCK: u32 = 0xA3;
    pub(crate) const CUES: u32 = 0x1C53_BB6B;
    pub(crate) const CUE_POINT: u32 = 0xBB;
    pub(crate) const CUE_TIME: u32 = 0xB3;
    pub(crate) const CUE_TRACK_POSITIONS: u32 = 0xB7;
    pub(crate) const CUE_TRACK: u32 = 0xF7;
    pub(crate) const CUE_CLUSTER_POSITION: u32 = 0xF1;
}

/// An 8-byte size field meaning "unknown size" (a live stream, or a segment not yet finalised).
pub(crate) const UNKNOWN_SIZE: [u8; 8] = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

/// Appends an element ID (1 to 4 bytes, marker bits included).
pub(crate) fn put_id(out: &mut Vec<u8>, id: u32) {
    let bytes = id.to_be_bytes();
    let skip = match id {
        0..=0xFF => 3,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFF_FFFF => 1,
        _ => 0,
    };
    out.extend_from_slice(&bytes[skip..]);
}

/// Appends a data size in the shortest variable-length integer that holds it.
pub(crate) fn put_size(out: &mut Vec<u8>, size: u64) {
    // A length-L vint holds values below 2^(7L) - 1 (all ones means "unknown").
    let len = (1..=8u32).find(|&len| size < (1u64 << (7 * len)) - 1).unwrap_or(8);
    if len == 8 {
        out.extend_from_slice(&size8(size));
        return;
    }
    let marked = size | (1u64 << (7 * len));
    out.extend_from_slice(&marked.to_be_bytes()[(8 - len as usize)..]);
}

/// A data size written on exactly 8 bytes, so that it can be patched in place later.
pub(crate) fn size8(size: u64) -> [u8; 8] {
    let mut bytes = (size & 0x00ff_ffff_ffff_ffff).to_be_bytes();
    bytes[0] = 0x01;
    bytes
}

/// Appends an unsigned-integer element in as few bytes as needed.
pub(crate) fn put_uint(out: &mut Vec<u8>, id: u32, value: u64) {
    let len = (8 - value.leading_zeros() as usize / 8).max(1);
    put_id(out, id);
    put_size(out, len as u64);
    out.extend_from_slice(&value.to_be_bytes()[8 - len..]);
}

/// Appends an unsigned-integer element on a fixed 8 bytes (its size is known before its value).
pub(crate) fn put_uint8(out: &mut Vec<u8>, id: u32, value: u64) {
    put_id(out, id);
    put_size(out, 8);
    out.extend_from_slice(&value.to_be_bytes());
}

/// Appends a signed-integer element on a fixed 8 bytes.
pub(crate) fn put_int8(out: &mut Vec<u8>, id: u32, value: i64) {
    put_id(out, id);
    put_size(out, 8);
    out.extend_from_slice(&value.to_be_bytes());
}

/// Appends an 8-byte float element.
pub(crate) fn put_float(out: &mut Vec<u8>, id: u32, value: f64) {
    put_id(out, id);
    put_size(out, 8);
    out.extend_from_slice(&value.to_be_bytes());
}

/// Appends a binary or string element.
pub(crate) fn put_bytes(out: &mut Vec<u8>, id: u32, value: &[u8]) {
    put_id(out, id);
    put_size(out, value.len() as u64);
    out.extend_from_slice(value);
}

/// Appends a Void element of exactly `total` bytes (at least 2), reserving room to patch later.
pub(crate) fn put_void(out: &mut Vec<u8>, total: usize) {
    debug_assert!(total >= 2);
    put_id(out, id::VOID);
    if total - 2 < 127 {
        put_size(out, (total - 2) as u64);
        out.resize(out.len() + total - 2, 0);
    } else {
        out.extend_from_slice(&size8((total - 9) as u64));
        out.resize(out.len() + total - 9, 0);
    }
}

/// Reads an element ID at the start of `buf`: the ID (marker bits kept) and its length.
pub(crate) fn read_id(buf: &[u8]) -> Option<(u32, usize)> {
    let first = *buf.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 4 {
        return None;
    }
    let bytes = buf.get(..len)?;
    Some((bytes.iter().fold(0u32, |id, &b| (id << 8) | u32::from(b)), len))
}

/// Reads a variable-length integer at the start of `buf`: its value (`None` for "unknown", all
/// value bits set) and its length.
pub(crate) fn read_vint(buf: &[u8]) -> Option<(Option<u64>, usize)> {
    let first = *buf.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let bytes = buf.get(..len)?;
    let mask = if len == 8 { 0 } else { 0xffu8 >> len };
    let value = bytes[1..].iter().fold(u64::from(first & mask), |v, &b| (v << 8) | u64::from(b));
    let all_ones = (1u64 << (7 * len)) - 1;
    Some(((value != all_ones).then_some(value), len))
}

/// Reads an unsigned integer from an element's data (at most 8 bytes).
pub(crate) fn read_uint(data: &[u8]) -> Option<u64> {
    (data.len() <= 8).then(|| data.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_minimal_and_round_trip() {
        for (size, bytes) in [
            (0u64, vec![0x80]),
            (126, vec![0xfe]),
            (127, vec![0x40, 0x7f]),
            (16_382, vec![0x7f, 0xfe]),
            (16_383, vec![0x20, 0x3f, 0xff]),
        ] {
            let mut out = Vec::new();
            put_size(&mut out, size);
            assert_eq!(out, bytes, "size {size}");
            assert_eq!(read_vint(&out), Some((Some(size), bytes.len())));
        }
        assert_eq!(read_vint(&UNKNOWN_SIZE), Some((None, 8)));
        assert_eq!(read_vint(&size8(1234)), Some((Some(1234), 8)));
        assert_eq!(read_vint(&[0xff]), Some((None, 1)));
        assert_eq!(read_vint(&[0x00]), None);
        assert_eq!(read_vint(&[0x40]), None);
    }

    #[test]
    fn ids_and_uints() {
        let mut out = Vec::new();
        put_uint(&mut out, id::TIMESTAMP_SCALE, 1_000_000);
        assert_eq!(out, [0x2a, 0xd7, 0xb1, 0x83, 0x0f, 0x42, 0x40]);
        assert_eq!(read_id(&out), Some((id::TIMESTAMP_SCALE, 3)));
        let mut out = Vec::new();
        put_uint(&mut out, id::TRACK_NUMBER, 0);
        assert_eq!(out, [0xd7, 0x81, 0x00]);
        assert_eq!(read_uint(&[0x0f, 0x42, 0x40]), Some(1_000_000));
    }

    #[test]
    fn voids_have_the_asked_length() {
        for total in [2, 11, 128, 129, 200] {
            let mut out = Vec::new();
            put_void(&mut out, total);
            assert_eq!(out.len(), total);
            let (id, id_len) = read_id(&out).unwrap();
            assert_eq!(id, id::VOID);
            let (size, size_len) = read_vint(&out[id_len..]).unwrap();
            assert_eq!(size.unwrap() as usize + id_len + size_len, total);
        }
    }
}
