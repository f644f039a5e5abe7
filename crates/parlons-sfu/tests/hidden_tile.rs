//! Scenario: the subscriber hides a tile (`DownSettings { disabled: true }`): the video stops, the
//! shard says the stream is paused and nobody wants the layers (dynacast); audio goes on. Showing
//! the tile again resumes the video, starting with a keyframe.

mod common;

use std::time::{Duration, Instant};

use common::World;
use parlons_sfu::{Command, DownSettings, SfuEvent};
use parlons_types::{Quality, TrackId};

/// Alice publishes audio and video, Bob watches both on a 640x360 tile; 2 s of call.
fn call() -> (World, TrackId) {
    let mut w = World::alice_to_bob(true, true);
    let (alice, bob) = (0, 1);
    let video = w.clients[alice].video_track();
    set_tile(&mut w, &video, false);
    w.wait_connected();
    w.run_for(Duration::from_secs(2));
    assert!(w.clients[bob].frames_of(&video).count() > 40, "video flows before the tile is hidden");
    (w, video)
}

fn set_tile(w: &mut World, video: &TrackId, disabled: bool) {
    let subscriber = w.clients[1].id.clone();
    let settings = DownSettings { disabled, width: 640, height: 360, ..DownSettings::default() };
    w.command(Command::UpdateSubscription { subscriber, track: video.clone(), settings }).expect("settings applied");
}

fn stream_states(w: &World, video: &TrackId, since: Instant) -> Vec<bool> {
    w.events
        .iter()
        .filter(|(t, _)| *t >= since)
        .filter_map(|(_, e)| match e {
            SfuEvent::StreamState { track, active, subscriber, .. }
                if track == video && *subscriber == w.clients[1].id =>
            {
                Some(*active)
            }
            _ => None,
        })
        .collect()
}

fn wanted(w: &World, video: &TrackId, since: Instant) -> Vec<Option<Quality>> {
    w.events
        .iter()
        .filter(|(t, _)| *t >= since)
        .filter_map(|(_, e)| match e {
            SfuEvent::SubscribedQualities { track, max, .. } if track == video => Some(*max),
            _ => None,
        })
        .collect()
}

#[test]
fn hidden_tile_stops_video_and_reports_the_stream_paused() {
    let (mut w, video) = call();
    let hidden_at = w.now;
    set_tile(&mut w, &video, true);
    assert_eq!(stream_states(&w, &video, hidden_at), vec![false], "StreamState {{ active: false }} at once");
    assert_eq!(wanted(&w, &video, hidden_at), vec![None], "dynacast: nobody wants a layer of a hidden track");
    w.run_for(Duration::from_secs(3));

    // Frames already in flight may land during a short grace; nothing after.
    let grace = hidden_at + Duration::from_millis(200);
    let late: Vec<u32> = w.clients[1].frames_of(&video).filter(|f| f.at > grace).map(|f| f.number).collect();
    assert!(late.is_empty(), "no video after the tile is hidden (+200 ms); got captures {late:?}");
    let (sent, got) = w.delivery(1, 0, true, grace, w.now - Duration::from_millis(100));
    assert!(got * 10 >= sent * 9, "audio goes on while the video tile is hidden: {got}/{sent}");
    println!("hidden: 0 video frames after {:.3} s, audio {got}/{sent}", w.secs(grace));
}

#[test]

fn shown_again_tile_resumes_with_a_keyframe() {
    let (mut w, video) = call();
    set_tile(&mut w, &video, true);
    // Hide at capture 61..; show again at about capture 105: half-way between periodic keyframes
    // (every 90), so only a requested keyframe can start the picture.
    w.run_for(Duration::from_millis(1_400));
    let before = w.clients[1].frames_of(&video).count();
    let shown_at = w.now;
    set_tile(&mut w, &video, false);
    assert_eq!(stream_states(&w, &video, shown_at), vec![true], "StreamState {{ active: true }} when shown");
    assert_eq!(wanted(&w, &video, shown_at), vec![Some(Quality::Medium)], "dynacast: a 640x360 tile wants h");
    w.run_until(Duration::from_secs(1), "video again within 1 s of showing the tile", |w| {
        w.clients[1].frames_of(&video).count() > before
    });
    w.run_for(Duration::from_secs(1));

    let frames: Vec<_> = w.clients[1].frames_of(&video).skip(before).cloned().collect();
    let first = &frames[0];
    println!(
        "shown again at {:.3} s: first frame capture {} at {:.3} s, keyframe={}, {} frames in the next second",
        w.secs(shown_at),
        first.number,
        w.secs(first.at),
        first.keyframe,
        frames.len()
    );
    assert!(
        first.keyframe,
        "the first video frame after showing the tile again is a keyframe (capture {}, {:?}, {:.0} ms after)",
        first.number,
        first.layer,
        (first.at - shown_at).as_secs_f64() * 1000.0
    );
    let requested = w.clients[0].keyframe_requests.iter().any(|(t, _)| *t >= shown_at);
    assert!(requested, "the shard asked the publisher for a keyframe to resume");
}
