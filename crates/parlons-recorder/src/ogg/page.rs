//! Ogg pages (RFC 3533 §6): building them, and checking them when recovering.

/// Header flag: first page of the stream.
pub(crate) const BOS: u8 = 0x02;
/// Header flag: last page of the stream.
pub(crate) const EOS: u8 = 0x04;
/// Bytes of a page header before its lacing values.
pub(crate) const HEADER_LEN: usize = 27;
/// Offset of the header flags.
pub(crate) const FLAGS_AT: usize = 5;
/// Offset of the granule position.
const GRANULE_AT: usize = 6;
/// Offset of the checksum.
const CRC_AT: usize = 22;

/// The Ogg CRC-32: polynomial 0x04c11db7, not reflected, initial value 0, no final XOR.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u32) << 24;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000_0000 != 0 { (crc << 1) ^ 0x04c1_1db7 } else { crc << 1 };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

fn crc32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0, |crc, &b| (crc << 8) ^ CRC_TABLE[((crc >> 24) as u8 ^ b) as usize])
}

/// Lacing values a packet of `len` bytes needs (a packet that is a multiple of 255 ends with a 0).
pub(crate) fn segments_for(len: usize) -> usize {
    len / 255 + 1
}

/// One whole page holding `packets` (at most 255 lacing values in all, checked by the caller).
pub(crate) fn build(serial: u32, sequence: u32, flags: u8, granule: u64, packets: &[&[u8]]) -> Vec<u8> {
    let mut lacing = Vec::with_capacity(255);
    for packet in packets {
        lacing.extend(std::iter::repeat_n(255u8, packet.len() / 255));
        lacing.push((packet.len() % 255) as u8);
    }
    debug_assert!(lacing.len() <= 255);
    let body: usize = packets.iter().map(|p| p.len()).sum();
    let mut page = Vec::with_capacity(HEADER_LEN + lacing.len() + body);
    page.extend_from_slice(b"OggS");
    page.push(0); // version
    page.push(flags);
    page.extend_from_slice(&granule.to_le_bytes());
    page.extend_from_slice(&serial.to_le_bytes());
    page.extend_from_slice(&sequence.to_le_bytes());
    page.extend_from_slice(&[0; 4]); // checksum, computed over the page with this field zero
    page.push(lacing.len() as u8);
    page.extend_from_slice(&lacing);
    for packet in packets {
        page.extend_from_slice(packet);
    }
    set_crc(&mut page);
    page
}

/// Recomputes the checksum of a whole page (after changing its flags).
pub(crate) fn set_crc(page: &mut [u8]) {
    page[CRC_AT..CRC_AT + 4].fill(0);
    let crc = crc32(page);
    page[CRC_AT..CRC_AT + 4].copy_from_slice(&crc.to_le_bytes());
}

/// A page header's length and the length of the whole page, from its first 27 + 255 bytes.
pub(crate) fn page_len(head: &[u8]) -> Option<(usize, usize)> {
    if head.get(..4)? != b"OggS" || *head.get(4)? != 0 {
        return None;
    }
    let count = usize::from(*head.get(HEADER_LEN - 1)?);
    let lacing = head.get(HEADER_LEN..HEADER_LEN + count)?;
    let header_len = HEADER_LEN + count;
    Some((header_len, header_len + lacing.iter().map(|&l| usize::from(l)).sum::<usize>()))
}

/// Whether a whole page's checksum is right.
pub(crate) fn crc_ok(page: &[u8]) -> bool {
    let Some(stored) = page.get(CRC_AT..CRC_AT + 4) else { return false };
    let stored = u32::from_le_bytes([stored[0], stored[1], stored[2], stored[3]]);
    let mut copy = page.to_vec();
    copy[CRC_AT..CRC_AT + 4].fill(0);
    crc32(&copy) == stored
}

/// A page's granule position (`u64::MAX`: no packet ends on this page).
pub(crate) fn granule(page: &[u8]) -> u64 {
    page.get(GRANULE_AT..GRANULE_AT + 8).and_then(|b| b.try_into().ok()).map_or(u64::MAX, u64::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_a_known_page() {
        // The Ogg CRC of "OggS" followed by zeros is a fixed property of the polynomial; check the
        // table against the bitwise definition instead of a magic number.
        let bitwise = |bytes: &[u8]| {
            let mut crc = 0u32;
            for &b in bytes {
                crc ^= u32::from(b) << 24;
                for _ in 0..8 {
                    crc = if crc & 0x8000_0000 != 0 { (crc << 1) ^ 0x04c1_1db7 } else { crc << 1 };
                }
            }
            crc
        };
        let data = b"OggS\x00\x02 parlons recorder page";
        assert_eq!(crc32(data), bitwise(data));
    }

    #[test]
    fn pages_round_trip() {
        let big = vec![7u8; 510];
        let page = build(42, 3, BOS, 960, &[b"abc", &big]);
        let (header_len, len) = page_len(&page).unwrap();
        assert_eq!(header_len, HEADER_LEN + 1 + 3);
        assert_eq!(len, page.len());
        assert!(crc_ok(&page));
        assert_eq!(granule(&page), 960);
        let mut flipped = page.clone();
        flipped[FLAGS_AT] |= EOS;
        assert!(!crc_ok(&flipped));
        set_crc(&mut flipped);
        assert!(crc_ok(&flipped));
        assert_eq!(segments_for(510), 3);
        assert_eq!(segments_for(0), 1);
    }
}
