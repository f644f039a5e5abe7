//! WebM files from real VP8/VP9 and Opus frames, checked with ffmpeg and ffprobe: clean decode,
//! durations, frame counts, late starts, crashes, bad input and a full disk.

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use common::*;
use parlons_recorder::{Codec, Error, Frame, Pushed, WebmSpec, WebmWriter, WriterOptions, recover};

fn spec(video: Codec, audio: Option<Codec>) -> WebmSpec {
    WebmSpec { epoch_unix_ms: EPOCH, video, audio, options: WriterOptions::default() }
}

/// Pushes video (and audio) as if they arrived in real time `join_ms` after the epoch, up to
/// `until_ms` of source time. Returns how many video and audio frames were accepted.
fn push_all<W: Write + std::io::Seek>(
    writer: &mut WebmWriter<W>,
    video: &[Timed],
    audio: &[Timed],
    join_ms: u64,
    until_ms: u64,
) -> (u64, u64) {
    let (mut v, mut a) = (0, 0);
    for (is_video, t) in interleave(video, audio).into_iter().filter(|(_, t)| t.ms < until_ms) {
        let now = EPOCH + join_ms + t.ms;
        let pushed = if is_video { writer.push_video(now, &t.frame) } else { writer.push_audio(now, &t.frame) };
        match pushed.expect("push") {
            Pushed::Buffered | Pushed::Started { .. } if is_video => v += 1,
            Pushed::Buffered | Pushed::Started { .. } => a += 1,
            other => panic!("frame at {} ms dropped: {other:?}", t.ms),
        }
    }
    (v, a)
}

#[test]
fn vp8_with_opus_decodes_with_the_right_duration_and_frame_counts() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alice-video.webm");
    let mut writer = WebmWriter::create(&path, spec(Codec::Vp8, Some(Codec::Opus))).unwrap();
    let (v, a) = push_all(&mut writer, &fx.vp8, &fx.opus, 0, u64::MAX);
    let summary = writer.finish().unwrap();
    assert_eq!(summary.start_ms, Some(0));
    assert_eq!(summary.frames, v + a);
    assert_eq!(summary.dropped, 0);

    assert_decodes_cleanly(&path);
    let streams = streams(&path);
    assert_eq!(streams, [("vp8".to_string(), v, 320), ("opus".to_string(), a, 0)]);
    assert_eq!(v as usize, fx.vp8.len());
    assert_close(format_duration(&path).expect("a finished file has a duration"), SECONDS, 0.05, "duration");
    assert_eq!(first_pts(&path), 0.0);
    let end_ms = summary.end_ms.unwrap() as f64;
    assert_close(end_ms / 1_000.0, SECONDS, 0.05, "summary end");
    // A finished file needs no recovery.
    assert!(recover(&path).unwrap().was_complete);
}

#[test]
fn vp9_video_only_decodes() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bob-screen.webm");
    let mut writer = WebmWriter::create(&path, spec(Codec::Vp9, None)).unwrap();
    let (v, _) = push_all(&mut writer, &fx.vp9, &[], 0, u64::MAX);
    writer.finish().unwrap();
    assert_decodes_cleanly(&path);
    assert_eq!(streams(&path), [("vp9".to_string(), v, 320)]);
    assert_close(format_duration(&path).unwrap(), SECONDS, 0.05, "duration");
}

#[test]
fn a_late_joiner_starts_at_its_offset_and_at_zero_inside_the_file() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.webm");
    let mut writer = WebmWriter::create(&path, spec(Codec::Vp8, Some(Codec::Opus))).unwrap();
    let first = &fx.vp8[0];
    assert_eq!(writer.push_video(EPOCH + 4_250, &first.frame).unwrap(), Pushed::Started { start_ms: 4_250 });
    assert_eq!(writer.start_ms(), Some(4_250));
    for t in &fx.vp8[1..] {
        writer.push_video(EPOCH + 4_250 + t.ms, &t.frame).unwrap();
    }
    let summary = writer.finish().unwrap();
    assert_eq!(summary.start_ms, Some(4_250));
    assert_close(summary.end_ms.unwrap() as f64, 4_250.0 + SECONDS * 1_000.0, 0.02, "end offset");
    assert_decodes_cleanly(&path);
    assert_eq!(first_pts(&path), 0.0);
}

#[test]
fn an_rtcp_anchor_places_frames_on_the_sender_clock() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anchored.webm");
    let mut writer = WebmWriter::create(&path, spec(Codec::Vp8, None)).unwrap();
    // The sender report says the first frame was captured 1.5 s after the epoch, although it
    // arrives (now) much later.
    writer.set_video_anchor(parlons_recorder::Anchor { rtp_time: fx.vp8[0].frame.rtp_time, unix_ms: EPOCH + 1_500 });
    assert_eq!(writer.push_video(EPOCH + 9_000, &fx.vp8[0].frame).unwrap(), Pushed::Started { start_ms: 1_500 });
}

#[test]
fn video_waits_for_a_keyframe_and_audio_before_it_is_dropped() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wait.webm");
    let mut writer = WebmWriter::create(&path, spec(Codec::Vp8, Some(Codec::Opus))).unwrap();
    let second_key = fx.vp8.iter().skip(1).position(|t| t.frame.data[0] & 1 == 0).expect("a second keyframe") + 1;
    for t in &fx.vp8[1..second_key] {
        assert_eq!(writer.push_video(EPOCH + t.ms, &t.frame).unwrap(), Pushed::WaitingForKeyframe);
    }
    assert_eq!(writer.push_audio(EPOCH, &fx.opus[0].frame).unwrap(), Pushed::WaitingForKeyframe);
    let key = &fx.vp8[second_key];
    assert_eq!(writer.push_video(EPOCH + key.ms, &key.frame).unwrap(), Pushed::Started { start_ms: key.ms });
    let summary = writer.finish().unwrap();
    assert_eq!(summary.dropped, second_key as u64);
    assert_decodes_cleanly(&path);
}

#[test]
fn a_killed_writer_leaves_a_decodable_file_that_recovery_completes() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.webm");
    let mut writer = WebmWriter::create(&path, spec(Codec::Vp8, Some(Codec::Opus))).unwrap();
    let (v, _) = push_all(&mut writer, &fx.vp8, &fx.opus, 0, u64::MAX);
    // A crash: no finish, no destructor.
    std::mem::forget(writer);

    // What a kill -9 leaves: ffmpeg decodes it without a word, up to the last flushed cluster.
    assert_decodes_cleanly(&path);
    let streams = streams(&path);
    let decoded = streams[0].1;
    let max_lost = (WriterOptions::default().max_buffered.as_millis() as u64 * 30).div_ceil(1_000) + 1;
    assert!(decoded + max_lost >= v, "only {decoded} of {v} video frames survived the kill");
    let on_disk = last_packet_end(&path);
    assert!(on_disk >= SECONDS - 0.55, "media on disk ends at {on_disk} s");

    // A kill in the middle of a write leaves a torn cluster behind: recovery cuts it off.
    let torn = [0x1f, 0x43, 0xb6, 0x75, 0x01, 0, 0, 0, 0, 0, 0x40, 0, 0xe7, 0x82, 0x0b];
    OpenOptions::new().append(true).open(&path).unwrap().write_all(&torn).unwrap();
    let recovered = recover(&path).unwrap();
    assert!(!recovered.was_complete);
    assert_eq!(recovered.truncated_bytes, torn.len() as u64);
    assert_eq!(recovered.start_unix_ms, Some(EPOCH));
    assert_close(recovered.duration_ms as f64 / 1_000.0, on_disk, 0.05, "recovered duration");
    assert_decodes_cleanly(&path);
    assert_close(format_duration(&path).expect("recovery writes the duration"), on_disk, 0.05, "duration");
    // Recovering twice changes nothing.
    assert!(recover(&path).unwrap().was_complete);
}

#[test]
fn flush_writes_what_an_idle_track_buffered() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idle.webm");
    let mut writer = WebmWriter::create(&path, spec(Codec::Vp8, None)).unwrap();
    for t in &fx.vp8[..5] {
        writer.push_video(EPOCH + t.ms, &t.frame).unwrap();
    }
    writer.flush().unwrap();
    std::mem::forget(writer);
    assert_decodes_cleanly(&path);
    assert_eq!(streams(&path)[0].1, 5);
}

#[test]
fn unsupported_codecs_are_refused_before_a_file_exists() {
    let dir = tempfile::tempdir().unwrap();
    for (video, audio) in [(Codec::H264, None), (Codec::Opus, None), (Codec::Vp8, Some(Codec::Vp8))] {
        let path = dir.path().join("refused.webm");
        let err = WebmWriter::create(&path, spec(video, audio)).unwrap_err();
        assert!(matches!(err, Error::Unsupported { .. }), "{err}");
        assert!(err.to_string().contains("not supported"), "{err}");
        assert!(!path.exists());
    }
    let err = WebmWriter::create(dir.path().join("h264.webm"), spec(Codec::H264, Some(Codec::Opus))).unwrap_err();
    assert_eq!(err.to_string(), "codec h264 is not supported in a webm video recording");
}

#[test]
fn corrupt_frames_are_skipped_and_the_file_stays_clean() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corrupt.webm");
    let mut writer = WebmWriter::create(&path, spec(Codec::Vp8, Some(Codec::Opus))).unwrap();
    let garbage = Frame { data: vec![0x00, 0x01], rtp_time: 0, clock_rate: 90_000, keyframe: true };
    let err = writer.push_video(EPOCH, &garbage).unwrap_err();
    assert!(matches!(err, Error::Corrupt { codec: Codec::Vp8, .. }) && !err.is_fatal(), "{err}");
    let empty = Frame { data: vec![], rtp_time: 0, clock_rate: 48_000, keyframe: true };
    assert!(matches!(writer.push_audio(EPOCH, &empty), Err(Error::Corrupt { codec: Codec::Opus, .. })));
    let half = fx.vp8.len() / 2;
    push_all(&mut writer, &fx.vp8[..half], &[], 0, u64::MAX);
    assert!(writer.push_video(EPOCH + 1_500, &garbage).is_err());
    push_all(&mut writer, &fx.vp8[half..], &[], 0, u64::MAX);
    let summary = writer.finish().unwrap();
    assert_eq!(summary.dropped, 3);
    assert_decodes_cleanly(&path);
    assert_eq!(streams(&path)[0].1 as usize, fx.vp8.len());
    // Audio to a writer without an audio track is refused, not fatal.
    let mut video_only = WebmWriter::create(dir.path().join("v.webm"), spec(Codec::Vp8, None)).unwrap();
    let err = video_only.push_audio(EPOCH, &fx.opus[0].frame).unwrap_err();
    assert!(matches!(err, Error::NoAudioTrack) && !err.is_fatal());
}

#[test]
fn late_frames_are_dropped_not_written_out_of_order() {
    let fx = fixtures();
    let mut writer = WebmWriter::new(std::io::Cursor::new(Vec::new()), spec(Codec::Vp8, None)).unwrap();
    writer.push_video(EPOCH, &fx.vp8[0].frame).unwrap();
    writer.push_video(EPOCH, &fx.vp8[2].frame).unwrap();
    assert_eq!(writer.push_video(EPOCH, &fx.vp8[1].frame).unwrap(), Pushed::Late);
    // Before the epoch (an anchor that puts it there).
    let mut early = WebmWriter::new(std::io::Cursor::new(Vec::new()), spec(Codec::Vp8, None)).unwrap();
    assert_eq!(early.push_video(EPOCH - 10, &fx.vp8[0].frame).unwrap(), Pushed::Late);
}

#[test]
fn a_full_disk_stops_only_its_own_writer() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let full = FullDisk { inner: std::io::Cursor::new(Vec::new()), room: 20_000 };
    let mut failing = WebmWriter::new(full, spec(Codec::Vp8, Some(Codec::Opus))).unwrap();
    let path = dir.path().join("healthy.webm");
    let mut healthy = WebmWriter::create(&path, spec(Codec::Vp8, Some(Codec::Opus))).unwrap();
    let mut first_error = None;
    for (is_video, t) in interleave(&fx.vp8, &fx.opus) {
        let now = EPOCH + t.ms;
        let (a, b) = if is_video {
            (failing.push_video(now, &t.frame), healthy.push_video(now, &t.frame))
        } else {
            (failing.push_audio(now, &t.frame), healthy.push_audio(now, &t.frame))
        };
        b.expect("the healthy writer is unaffected");
        match (a, &first_error) {
            (Err(e), None) => first_error = Some(e),
            (Err(e), Some(_)) => assert!(matches!(e, Error::Failed), "after the first error: {e}"),
            (Ok(_), Some(_)) => panic!("a failed writer accepted a frame"),
            (Ok(_), None) => {}
        }
    }
    let err = first_error.expect("the disk filled up");
    assert!(matches!(&err, Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull), "{err}");
    assert!(err.is_fatal());
    assert!(matches!(failing.finish(), Err(Error::Failed)));
    healthy.finish().unwrap();
    assert_decodes_cleanly(&path);

    // The real thing, where the OS has it.
    if Path::new("/dev/full").exists() {
        let dev_full = OpenOptions::new().write(true).open("/dev/full").unwrap();
        let mut writer = WebmWriter::new(dev_full, spec(Codec::Vp8, None)).unwrap();
        let err = writer.push_video(EPOCH, &fx.vp8[0].frame).unwrap_err();
        assert!(matches!(&err, Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull), "{err}");
    }
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exists.webm");
    std::fs::write(&path, b"an earlier recording").unwrap();
    let err = WebmWriter::create(&path, spec(Codec::Vp8, None)).unwrap_err();
    assert!(matches!(&err, Error::Io(io) if io.kind() == std::io::ErrorKind::AlreadyExists), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"an earlier recording");
}
