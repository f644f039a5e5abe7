//! Opus packet durations (from the TOC byte, RFC 6716 §3.1) and the Ogg/Opus headers (RFC 7845),
//! without a C library.

/// Opus always runs a 48 kHz clock in its containers.
pub(crate) const SAMPLE_RATE: u32 = 48_000;
/// WebRTC negotiates `opus/48000/2`; mono packets decode into both channels.
pub(crate) const CHANNELS: u8 = 2;
/// A 20 ms packet that decodes to silence (CELT, fullband, mono, the "silence" flag set): fills
/// gaps in Ogg files, whose timeline is the sum of packet durations.
pub(crate) const SILENCE_20MS: [u8; 3] = [0xf8, 0xff, 0xfe];
/// Samples in [`SILENCE_20MS`].
pub(crate) const SILENCE_SAMPLES: u64 = 960;

/// Samples (at 48 kHz) that one Opus packet decodes to.
pub(crate) fn packet_samples(packet: &[u8]) -> Result<u32, &'static str> {
    let toc = *packet.first().ok_or("empty packet")?;
    let config = toc >> 3;
    // Frame duration in units of 2.5 ms (120 samples).
    let units: u32 = match config {
        0..=11 => [4, 8, 16, 24][usize::from(config % 4)],
        12..=15 => [4, 8][usize::from(config % 2)],
        _ => [1, 2, 4, 8][usize::from(config % 4)],
    };
    let frames = match toc & 0b11 {
        0 => 1,
        1 | 2 => 2,
        _ => u32::from(*packet.get(1).ok_or("code 3 packet without a frame count")? & 0x3f),
    };
    if frames == 0 {
        return Err("code 3 packet with no frames");
    }
    let samples = units * 120 * frames;
    // RFC 6716 §3.2.5: a packet holds at most 120 ms.
    if samples > 5_760 {
        return Err("packet longer than 120 ms");
    }
    Ok(samples)
}

/// The `OpusHead` identification header (RFC 7845 §5.1): stereo, no pre-skip, channel mapping 0.
///
/// Pre-skip is 0 because the recording starts mid-stream at a time given by RTP, not at the start
/// of an encoder: skipping samples would shift the audio against the video.
pub(crate) fn opus_head() -> Vec<u8> {
    let mut head = Vec::with_capacity(19);
    head.extend_from_slice(b"OpusHead");
    head.push(1); // version
    head.push(CHANNELS);
    head.extend_from_slice(&0u16.to_le_bytes()); // pre-skip
    head.extend_from_slice(&SAMPLE_RATE.to_le_bytes()); // input sample rate (informational)
    head.extend_from_slice(&0i16.to_le_bytes()); // output gain
    head.push(0); // channel mapping family 0: mono or stereo
    head
}

/// The `OpusTags` comment header (RFC 7845 §5.2) with the given `KEY=value` comments.
pub(crate) fn opus_tags(comments: &[String]) -> Vec<u8> {
    let vendor = concat!("parlons-recorder ", env!("CARGO_PKG_VERSION"));
    let mut tags = Vec::new();
    tags.extend_from_slice(b"OpusTags");
    push_len_prefixed(&mut tags, vendor.as_bytes());
    tags.extend_from_slice(&u32::try_from(comments.len()).unwrap_or(0).to_le_bytes());
    for comment in comments {
        push_len_prefixed(&mut tags, comment.as_bytes());
    }
    tags
}

fn push_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    // Comments are short strings this crate makes; u32 always holds their length.
    let len = u32::try_from(bytes.len()).expect("comment shorter than 4 GiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_from_toc() {
        assert_eq!(packet_samples(&[0xfc, 0x00]), Ok(960)); // CELT FB 20 ms, code 0
        assert_eq!(packet_samples(&SILENCE_20MS), Ok(960));
        assert_eq!(packet_samples(&[0x78]), Ok(960)); // hybrid FB 20 ms (config 15)
        assert_eq!(packet_samples(&[0x08]), Ok(960)); // SILK NB 20 ms (config 1)
        assert_eq!(packet_samples(&[0x18]), Ok(2_880)); // SILK NB 60 ms (config 3)
        assert_eq!(packet_samples(&[0x81]), Ok(240)); // CELT NB 2.5 ms, code 1: two frames
        assert_eq!(packet_samples(&[0xfb, 0x06]), Ok(5_760)); // 6 x 20 ms
    }

    #[test]
    fn bad_packets_are_errors() {
        assert!(packet_samples(&[]).is_err());
        assert!(packet_samples(&[0xfb]).is_err());
        assert!(packet_samples(&[0xfb, 0x00]).is_err());
        assert!(packet_samples(&[0xfb, 0x07]).is_err()); // 140 ms
    }

    #[test]
    fn headers_have_the_rfc_7845_layout() {
        let head = opus_head();
        assert_eq!(head.len(), 19);
        assert_eq!(&head[..8], b"OpusHead");
        assert_eq!(head[9], 2);
        let tags = opus_tags(&["A=b".to_string()]);
        assert_eq!(&tags[..8], b"OpusTags");
        assert!(tags.ends_with(&[3, 0, 0, 0, b'A', b'=', b'b']));
    }
}
