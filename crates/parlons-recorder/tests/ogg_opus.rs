//! Ogg/Opus files from real Opus packets, checked with ffmpeg, ffprobe and an independent Ogg
//! reader: clean decode, duration, granule positions, gaps, late starts, crashes, bad input.

mod common;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use common::*;
use parlons_recorder::{Codec, Error, Frame, OggOpusSpec, OggOpusWriter, Pushed, WriterOptions, recover};

fn spec() -> OggOpusSpec {
    OggOpusSpec { epoch_unix_ms: EPOCH, codec: Codec::Opus, options: WriterOptions::default() }
}

/// Every packet with the granule position of its page, read back with the `ogg` crate (which
/// checks each page's CRC).
fn read_back(path: &Path) -> Vec<ogg::Packet> {
    let mut reader = ogg::PacketReader::new(File::open(path).unwrap());
    let mut packets = Vec::new();
    while let Some(packet) = reader.read_packet().expect("valid Ogg pages") {
        packets.push(packet);
    }
    packets
}

#[test]
fn packets_decode_with_the_right_duration_and_granules() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alice-audio.opus");
    let mut writer = OggOpusWriter::create(&path, spec()).unwrap();
    for t in &fx.opus {
        writer.push(EPOCH + t.ms, &t.frame).unwrap();
    }
    let summary = writer.finish().unwrap();
    assert_eq!(summary.start_ms, Some(0));
    assert_eq!(summary.frames as usize, fx.opus.len());

    assert_decodes_cleanly(&path);
    assert_eq!(streams(&path)[0].0, "opus");
    assert_close(format_duration(&path).unwrap(), SECONDS, 0.05, "duration");

    let packets = read_back(&path);
    assert_eq!(packets.len(), fx.opus.len() + 2, "OpusHead, OpusTags, then every packet");
    assert!(packets[0].data.starts_with(b"OpusHead") && packets[1].data.starts_with(b"OpusTags"));
    let total: u64 = fx.opus.iter().map(|t| opus_samples(&t.frame.data)).sum();
    let last = packets.last().unwrap();
    assert_eq!(last.absgp_page(), total, "granule position = samples written");
    assert!(last.last_in_stream());
    // Pages end at least every 500 ms of audio (25 packets of 20 ms).
    let pages = packets.iter().filter(|p| p.last_in_page()).count();
    assert!(pages >= 2 + fx.opus.len() / 25, "{pages} pages");
}

#[test]
fn a_gap_in_rtp_time_is_filled_with_silence() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gap.opus");
    let mut writer = OggOpusWriter::create(&path, spec()).unwrap();
    let kept: Vec<_> = fx.opus.iter().filter(|t| t.ms < 1_000 || t.ms >= 2_000).collect();
    for t in &kept {
        writer.push(EPOCH + t.ms, &t.frame).unwrap();
    }
    writer.finish().unwrap();
    assert_decodes_cleanly(&path);
    assert_close(format_duration(&path).unwrap(), SECONDS, 0.05, "duration across the gap");
    let fillers = read_back(&path).len() - 2 - kept.len();
    assert_eq!(fillers, fx.opus.len() - kept.len(), "one 20 ms silence packet per missing packet");
}

#[test]
fn a_late_joiner_starts_at_its_offset() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.opus");
    let mut writer = OggOpusWriter::create(&path, spec()).unwrap();
    let mut started = None;
    for t in &fx.opus {
        if let Pushed::Started { start_ms } = writer.push(EPOCH + 7_000 + t.ms, &t.frame).unwrap() {
            started = Some(start_ms);
        }
    }
    assert_eq!(started, Some(7_000));
    let summary = writer.finish().unwrap();
    assert_close(summary.end_ms.unwrap() as f64, 7_000.0 + SECONDS * 1_000.0, 0.02, "end offset");
    assert_decodes_cleanly(&path);
    assert_eq!(first_pts(&path), 0.0);
    assert_close(format_duration(&path).unwrap(), SECONDS, 0.05, "duration");
}

#[test]
fn a_killed_writer_leaves_a_decodable_file_that_recovery_completes() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.opus");
    let mut writer = OggOpusWriter::create(&path, spec()).unwrap();
    for t in &fx.opus {
        writer.push(EPOCH + 2_000 + t.ms, &t.frame).unwrap();
    }
    std::mem::forget(writer);

    assert_decodes_cleanly(&path);
    let on_disk = format_duration(&path).unwrap();
    assert!(on_disk >= SECONDS - 0.52, "audio on disk ends at {on_disk} s");

    // A page torn by the kill.
    let torn = b"OggS\x00\x00\x80\x25\x00\x00\x00\x00\x00\x00";
    OpenOptions::new().append(true).open(&path).unwrap().write_all(torn).unwrap();
    let recovered = recover(&path).unwrap();
    assert!(!recovered.was_complete);
    assert_eq!(recovered.truncated_bytes, torn.len() as u64);
    assert_eq!(recovered.start_unix_ms, Some(EPOCH + 2_000));
    assert_close(recovered.duration_ms as f64 / 1_000.0, on_disk, 0.02, "recovered duration");
    assert_decodes_cleanly(&path);
    assert!(read_back(&path).last().unwrap().last_in_stream(), "the last page is marked end-of-stream");
    assert!(recover(&path).unwrap().was_complete);
}

#[test]
fn only_opus_is_accepted_and_bad_packets_are_skipped() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    for codec in [Codec::H264, Codec::Vp8] {
        let path = dir.path().join("refused.opus");
        let err = OggOpusWriter::create(&path, OggOpusSpec { codec, ..spec() }).unwrap_err();
        assert!(matches!(err, Error::Unsupported { container: "ogg/opus", .. }), "{err}");
        assert!(!path.exists());
    }
    let path = dir.path().join("bad.opus");
    let mut writer = OggOpusWriter::create(&path, spec()).unwrap();
    for (i, t) in fx.opus.iter().enumerate() {
        if i == 10 {
            let empty = Frame { data: vec![], rtp_time: t.frame.rtp_time, clock_rate: 48_000, keyframe: true };
            let err = writer.push(EPOCH + t.ms, &empty).unwrap_err();
            assert!(matches!(err, Error::Corrupt { .. }) && !err.is_fatal());
            let long = Frame { data: vec![0xfb, 0x3f], ..empty };
            assert!(matches!(writer.push(EPOCH + t.ms, &long), Err(Error::Corrupt { .. })));
        }
        writer.push(EPOCH + t.ms, &t.frame).unwrap();
    }
    let summary = writer.finish().unwrap();
    assert_eq!(summary.dropped, 2);
    assert_decodes_cleanly(&path);
}

#[test]
fn a_full_disk_is_an_io_error_and_the_writer_stops() {
    let fx = fixtures();
    let full = FullDisk { inner: std::io::Cursor::new(Vec::new()), room: 3_000 };
    let mut writer = OggOpusWriter::new(full, spec()).unwrap();
    let mut errors = Vec::new();
    for t in &fx.opus {
        if let Err(e) = writer.push(EPOCH + t.ms, &t.frame) {
            errors.push(e);
        }
    }
    assert!(matches!(&errors[0], Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull), "{}", errors[0]);
    assert!(errors[1..].iter().all(|e| matches!(e, Error::Failed)));
    assert!(matches!(writer.flush(), Err(Error::Failed)));
}

#[test]
fn a_writer_that_got_nothing_leaves_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing.opus");
    let writer = OggOpusWriter::create(&path, spec()).unwrap();
    assert_eq!(writer.finish().unwrap().start_ms, None);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    assert!(matches!(recover(&path), Err(Error::NotRecoverable { .. })));
}

#[test]
fn an_empty_end_of_stream_page_is_valid() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("even.opus");
    let mut writer = OggOpusWriter::create(&path, spec()).unwrap();
    // 25 packets of 20 ms fill a 500 ms page exactly: finish has nothing left but the EOS flag.
    for t in &fx.opus[..25] {
        writer.push(EPOCH + t.ms, &t.frame).unwrap();
    }
    writer.flush().unwrap();
    writer.finish().unwrap();
    assert_decodes_cleanly(&path);
    assert_close(format_duration(&path).unwrap(), 0.5, 0.05, "duration");
    assert!(recover(&path).unwrap().was_complete);
}
