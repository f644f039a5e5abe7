//! Scenario: a subscriber's tile goes small → large → small. The shard switches simulcast layers
//! on keyframes only, asks the publisher for them, keeps the subscriber's RTP stream continuous
//! (sequence numbers without gaps, timestamps increasing) and reports the wanted layer (dynacast).

mod common;

use std::time::{Duration, Instant};

use common::{Frame, World};
use parlons_sfu::{Command, DownSettings, SfuEvent};
use parlons_types::{Quality, TrackId};
use str0m::media::Rid;

fn tile(w: &mut World, sub: usize, track: &TrackId, width: u32, height: u32) {
    let subscriber = w.clients[sub].id.clone();
    let settings = DownSettings { width, height, ..DownSettings::default() };
    w.command(Command::UpdateSubscription { subscriber, track: track.clone(), settings }).expect("settings applied");
}

/// Dynacast reports for `track` since `since`.
fn wanted_since(w: &World, track: &TrackId, since: Instant) -> Vec<Option<Quality>> {
    w.events
        .iter()
        .filter(|(t, _)| *t >= since)
        .filter_map(|(_, e)| match e {
            SfuEvent::SubscribedQualities { track: t, max, .. } if t == track => Some(*max),
            _ => None,
        })
        .collect()
}

/// Runs of equal layers, for messages: `[(Low, 60), (High, 45)]`.
fn layer_runs(frames: &[Frame]) -> Vec<(Option<Quality>, usize)> {
    let mut runs: Vec<(Option<Quality>, usize)> = Vec::new();
    for f in frames {
        match runs.last_mut() {
            Some((l, n)) if *l == f.layer => *n += 1,
            _ => runs.push((f.layer, 1)),
        }
    }
    runs
}

/// Runs until client `sub` receives a frame of `layer` after `since`; returns the frame index.
fn wait_layer(w: &mut World, sub: usize, track: &TrackId, layer: Quality, since: usize) -> usize {
    let what = format!("a {layer:?} frame of {track}");
    w.run_until(Duration::from_secs(5), &what, |w| {
        w.clients[sub].frames_of(track).skip(since).any(|f| f.layer == Some(layer))
    });
    let frames: Vec<&Frame> = w.clients[sub].frames_of(track).collect();
    (since..frames.len()).find(|&i| frames[i].layer == Some(layer)).expect("found above")
}

#[test]
fn tile_size_switches_layers_on_keyframes_with_a_continuous_stream() {
    let mut w = World::new();
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.publish(alice, false, true);
    w.wait_bound();
    let video = w.clients[alice].video_track();
    w.subscribe(bob, &video);
    let t0 = w.now;
    tile(&mut w, bob, &video, 320, 180);
    w.wait_connected();
    w.run_for(Duration::from_secs(2));
    let frames: Vec<Frame> = w.clients[bob].frames_of(&video).cloned().collect();
    let small = frames.iter().rev().take(30).all(|f| f.layer == Some(Quality::Low));
    assert!(small, "a 320x180 tile gets the low layer; got {:?}", layer_runs(&frames));
    assert_eq!(wanted_since(&w, &video, t0).last(), Some(&Some(Quality::Low)), "dynacast: Low wanted");

    // Large tile: the shard asks for an f keyframe and switches on it.
    let t1 = w.now;
    let before_large = frames.len();
    tile(&mut w, bob, &video, 1280, 720);
    let first_high = wait_layer(&mut w, bob, &video, Quality::High, before_large);
    let high_after = w.secs(w.clients[bob].frames_of(&video).nth(first_high).expect("a frame").at) - w.secs(t1);
    w.run_for(Duration::from_secs(2));
    let wanted = wanted_since(&w, &video, t1);
    assert_eq!(wanted.last(), Some(&Some(Quality::High)), "dynacast follows the large tile: {wanted:?}");

    // Small again.
    let t2 = w.now;
    let before_small = w.clients[bob].frames_of(&video).count();
    tile(&mut w, bob, &video, 320, 180);
    let first_low = wait_layer(&mut w, bob, &video, Quality::Low, before_small);
    w.run_for(Duration::from_secs(1));
    let wanted = wanted_since(&w, &video, t2);
    assert_eq!(wanted, vec![Some(Quality::Low)], "dynacast follows the small tile again");

    let frames: Vec<Frame> = w.clients[bob].frames_of(&video).cloned().collect();
    println!(
        "layers seen: {:?}; High {high_after:.3} s after the large tile; first High #{first_high}, Low again #{first_low}",
        layer_runs(&frames)
    );
    let rids: Vec<String> =
        w.clients[alice].keyframe_requests.iter().map(|(t, r)| format!("{:.3} s {r:?}", w.secs(*t))).collect();
    println!("dynacast: {:?}; keyframe requests: {rids:?}", wanted_since(&w, &video, t0));
    assert!(frames[first_high].keyframe, "the first f frame after the switch is a keyframe");
    assert!(frames[first_low].keyframe, "the first q frame after switching back is a keyframe");
    assert!(
        frames[first_high + 1..].iter().take(30).all(|f| f.layer == Some(Quality::High)),
        "f only after the switch"
    );
    assert!(frames[first_low + 1..].iter().all(|f| f.layer == Some(Quality::Low)), "q only after switching back");

    // Every change of layer lands on a keyframe; the stream stays one RTP stream.
    for pair in frames.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.layer != b.layer {
            assert!(b.keyframe, "switch {:?} -> {:?} at capture {} is not on a keyframe", a.layer, b.layer, b.number);
        }
        assert_eq!(b.seq.0, a.seq.1 + 1, "RTP sequence continues from capture {} to {}", a.number, b.number);
        assert!(b.contiguous, "str0m sees capture {} as contiguous", b.number);
        assert!(b.rtp_time > a.rtp_time, "RTP time goes forward from capture {} to {}", a.number, b.number);
        let step = b.rtp_time - a.rtp_time;
        assert!(step <= 9_000, "RTP time steps {step} ticks (> 100 ms) from capture {} to {}", a.number, b.number);
    }

    // The shard asked the publisher for keyframes of the layers it switched to.
    let asked = |since: Instant, rid: &str| {
        w.clients[alice].keyframe_requests.iter().any(|(t, r)| *t >= since && *r == Some(Rid::from(rid)))
    };
    assert!(asked(t1, "f"), "a keyframe request for f after the large tile: {:?}", w.clients[alice].keyframe_requests);
    assert!(asked(t2, "q"), "a keyframe request for q after the small tile: {:?}", w.clients[alice].keyframe_requests);
}

#[test]
fn subscriber_pli_reaches_the_publisher_for_the_forwarded_layer() {
    let mut w = World::alice_to_bob(false, true);
    let (alice, bob) = (0, 1);
    let video = w.clients[alice].video_track();
    tile(&mut w, bob, &video, 640, 360);
    w.wait_connected();
    // About 2.1 s in: the next periodic keyframe (capture 90) is 0.9 s away.
    w.run_for(Duration::from_secs(2));
    let layer = w.clients[bob].frames_of(&video).last().expect("video flows").layer;
    assert_eq!(layer, Some(Quality::Medium), "a 640x360 tile gets h");
    let (asked_at, before) = (w.now, w.clients[bob].frames_of(&video).count());
    w.request_keyframe(bob, &video);
    w.run_for(Duration::from_millis(300));

    let requests: Vec<_> = w.clients[alice].keyframe_requests.iter().filter(|(t, _)| *t >= asked_at).collect();
    assert!(
        requests.iter().any(|(_, rid)| *rid == Some(Rid::from("h"))),
        "the subscriber's PLI reaches the publisher as a request for h; got {requests:?}"
    );
    let key = w.clients[bob].frames_of(&video).skip(before).find(|f| f.keyframe).cloned();
    let key = key.expect("a keyframe reaches the subscriber within 300 ms of its PLI");
    assert_eq!(key.layer, Some(Quality::Medium), "the keyframe is of the forwarded layer");
    println!("PLI → keyframe of h (capture {}) after {:.0} ms", key.number, (key.at - asked_at).as_secs_f64() * 1000.0);
}
