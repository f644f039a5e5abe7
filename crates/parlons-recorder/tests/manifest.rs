//! A whole recording: manifest + files, a crash in the middle, then recovery on restart.

mod common;

use common::*;
use parlons_recorder::{
    Codec, Error, FileKind, FileStatus, MANIFEST_FILE, Manifest, NewFile, OggOpusSpec, OggOpusWriter, Pushed,
    RecordingId, TrackRef, WebmSpec, WebmWriter, WriterOptions,
};
use parlons_types::{Identity, TrackId};

fn track(id: &str, codec: Codec) -> TrackRef {
    TrackRef { track_id: TrackId::new(id), codec }
}

#[test]
fn a_crashed_recording_is_recovered_from_its_manifest() {
    let fx = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let mut manifest = Manifest::new(RecordingId::new("RC_crash"), EPOCH);

    let video = manifest
        .add_file(NewFile {
            kind: FileKind::Video,
            participant_identity: Identity::new("alice"),
            participant_name: "Alice".into(),
            tracks: vec![track("TR_cam", Codec::Vp8), track("TR_mic", Codec::Opus)],
        })
        .path
        .clone();
    let audio = manifest
        .add_file(NewFile {
            kind: FileKind::Audio,
            participant_identity: Identity::new("../../etc/passwd"),
            participant_name: "Mallory".into(),
            tracks: vec![track("TR_m", Codec::Opus)],
        })
        .path
        .clone();
    let empty = manifest
        .add_file(NewFile {
            kind: FileKind::Screen,
            participant_identity: Identity::new("carol"),
            participant_name: "Carol".into(),
            tracks: vec![track("TR_screen", Codec::Vp8)],
        })
        .path
        .clone();
    manifest.write(dir).unwrap();

    let webm = WebmSpec {
        epoch_unix_ms: EPOCH,
        video: Codec::Vp8,
        audio: Some(Codec::Opus),
        options: WriterOptions::default(),
    };
    let mut alice = WebmWriter::create(Manifest::path_in(dir, &video).unwrap(), webm).unwrap();
    let ogg = OggOpusSpec { epoch_unix_ms: EPOCH, codec: Codec::Opus, options: WriterOptions::default() };
    let mut mallory = OggOpusWriter::create(Manifest::path_in(dir, &audio).unwrap(), ogg).unwrap();
    let carol = WebmWriter::create(Manifest::path_in(dir, &empty).unwrap(), WebmSpec { audio: None, ..webm }).unwrap();

    for (is_video, t) in interleave(&fx.vp8, &fx.opus) {
        if is_video {
            if let Pushed::Started { start_ms } = alice.push_video(EPOCH + 1_000 + t.ms, &t.frame).unwrap() {
                manifest.set_started(&video, start_ms).unwrap();
                manifest.write(dir).unwrap();
            }
        } else {
            alice.push_audio(EPOCH + 1_000 + t.ms, &t.frame).unwrap();
            // Mallory's start never reaches the manifest: the file itself knows it.
            mallory.push(EPOCH + 2_000 + t.ms, &t.frame).unwrap();
        }
    }
    // kill -9.
    std::mem::forget((alice, mallory, carol));

    let mut restarted = Manifest::load(dir).unwrap();
    assert_eq!(restarted.file(&video).unwrap().start_ms, Some(1_000));
    let results = restarted.recover(dir);
    assert_eq!(results.len(), 3);
    restarted.write(dir).unwrap();
    let restarted = Manifest::load(dir).unwrap();

    let v = restarted.file(&video).unwrap();
    assert_eq!(v.status, FileStatus::Recovered);
    // Everything up to 0.5 s (one cluster) before the kill is there.
    let end = v.end_ms.unwrap() as f64;
    let kill = 1_000.0 + SECONDS * 1_000.0;
    assert!((kill - 550.0..=kill + 50.0).contains(&end), "video end {end}");
    assert_decodes_cleanly(&Manifest::path_in(dir, &video).unwrap());

    let a = restarted.file(&audio).unwrap();
    assert_eq!(a.status, FileStatus::Recovered);
    assert_eq!(a.start_ms, Some(2_000));
    assert!(a.end_ms.unwrap() >= 2_000 + 2_450, "{:?}", a.end_ms);
    assert!(a.path.ends_with(".opus") && !a.path.contains('/'), "{}", a.path);
    assert_decodes_cleanly(&Manifest::path_in(dir, &audio).unwrap());

    let c = restarted.file(&empty).unwrap();
    assert_eq!(c.status, FileStatus::Failed);
    assert!(c.error.as_deref().unwrap().contains("no media"), "{:?}", c.error);
}

#[test]
fn a_tampered_manifest_cannot_point_outside_the_recording() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = Manifest::new(RecordingId::new("RC_x"), EPOCH);
    manifest.add_file(NewFile {
        kind: FileKind::Audio,
        participant_identity: Identity::new("eve"),
        participant_name: "Eve".into(),
        tracks: vec![track("TR_e", Codec::Opus)],
    });
    manifest.files[0].path = "../../etc/passwd".into();
    std::fs::write(dir.path().join(MANIFEST_FILE), serde_json_string(&manifest)).unwrap();
    let err = Manifest::load(dir.path()).unwrap_err();
    assert!(matches!(err, Error::UnsafePath(ref p) if p == "../../etc/passwd"), "{err}");
    // Recovery refuses it too, file by file.
    let results = manifest.recover(dir.path());
    assert!(matches!(results[0].result, Err(Error::UnsafePath(_))));
    assert_eq!(manifest.files[0].status, FileStatus::Failed);
}

#[test]
fn the_manifest_is_replaced_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = Manifest::new(RecordingId::new("RC_a"), EPOCH);
    manifest.write(dir.path()).unwrap();
    manifest.add_file(NewFile {
        kind: FileKind::Video,
        participant_identity: Identity::new("dan"),
        participant_name: "Dan".into(),
        tracks: vec![track("TR_d", Codec::Vp9)],
    });
    manifest.write(dir.path()).unwrap();
    assert_eq!(Manifest::load(dir.path()).unwrap(), manifest);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, [MANIFEST_FILE], "no temporary file is left behind");
}

fn serde_json_string(manifest: &Manifest) -> String {
    // The manifest's own writer would refuse nothing: it is the reader that must check.
    let dir = tempfile::tempdir().unwrap();
    manifest.write(dir.path()).unwrap();
    std::fs::read_to_string(dir.path().join(MANIFEST_FILE)).unwrap()
}
