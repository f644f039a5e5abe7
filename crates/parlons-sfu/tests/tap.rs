//! Scenario: a recording taps a published track. The shard copies its frames to the control plane
//! (`TrackFrame`): video from a keyframe, with monotonic RTP time and the codec; audio at once;
//! nothing after the tap stops, and the subscriber keeps receiving meanwhile.

mod common;

use std::time::Duration;

use common::World;
use parlons_sfu::{Command, SfuEvent};
use parlons_types::TrackId;
use parlons_types::media::FrameCodec;

/// (keyframe, rtp_time, clock_rate, codec) of the tapped frames of `track` since event `from`.
fn tapped(w: &World, from: usize, track: &TrackId) -> Vec<(bool, u64, u32, FrameCodec)> {
    w.events[from..]
        .iter()
        .filter_map(|(_, e)| match e {
            SfuEvent::TrackFrame { track: t, keyframe, rtp_time, clock_rate, codec, .. } if t == track => {
                Some((*keyframe, *rtp_time, *clock_rate, *codec))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_tapped_track_delivers_frames_from_a_keyframe_with_continuous_time() {
    let mut w = World::alice_to_bob(true, true);
    let video = w.clients[0].video_track();
    let audio = w.clients[0].audio_track();
    w.wait_connected();
    w.run_for(Duration::from_secs(1));
    let start = w.events.len();
    w.command(Command::StartTap { track: video.clone() }).expect("tap video");
    w.command(Command::StartTap { track: audio.clone() }).expect("tap audio");
    let bob_before = w.clients[1].frames_of(&video).count();
    w.run_for(Duration::from_secs(2));

    let v = tapped(&w, start, &video);
    assert!(v.len() > 30, "about 2 s of video tapped: {} frames", v.len());
    assert!(v[0].0, "the tapped video starts on a keyframe");
    assert!(v.windows(2).all(|p| p[1].1 > p[0].1), "RTP time only grows");
    assert!(v.iter().all(|f| f.2 == 90_000 && f.3 == FrameCodec::Vp8), "VP8 at 90 kHz");
    let a = tapped(&w, start, &audio);
    assert!(a.len() > 60, "about 2 s of audio tapped: {} frames", a.len());
    assert!(a.iter().all(|f| f.2 == 48_000 && f.3 == FrameCodec::Opus), "Opus at 48 kHz");
    assert!(w.clients[1].frames_of(&video).count() > bob_before + 30, "the subscriber is not disturbed");

    w.command(Command::StopTap { track: video.clone() }).expect("untap");
    let after = w.events.len();
    w.run_for(Duration::from_secs(1));
    assert!(tapped(&w, after, &video).is_empty(), "nothing tapped after the tap stops");
    assert!(!tapped(&w, after, &audio).is_empty(), "the other tap goes on");
    assert!(w.command(Command::StartTap { track: TrackId::new("TR_nope") }).is_err(), "unknown tracks are refused");
}
