//! Scenario: one publisher, one subscriber. Both peers of both participants connect, and the
//! subscriber receives the publisher's video (on the layer the shard picked) and audio.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::World;
use parlons_sfu::{PeerDirection, PeerState, SfuEvent};
use parlons_types::{ParticipantId, Quality, TrackId};

/// The last layer the shard reported as wanted for `track` (dynacast), if any.
fn last_wanted(w: &World, track: &TrackId) -> Option<Option<Quality>> {
    w.events.iter().rev().find_map(|(_, e)| match e {
        SfuEvent::SubscribedQualities { track: t, max, .. } if t == track => Some(*max),
        _ => None,
    })
}

fn connected_peers(w: &World) -> HashSet<(ParticipantId, PeerDirection)> {
    w.events
        .iter()
        .filter_map(|(_, e)| match e {
            SfuEvent::PeerState { participant, direction, state: PeerState::Connected } => {
                Some((participant.clone(), *direction))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn one_publisher_one_subscriber_connect_and_receive_video_and_audio() {
    let mut w = World::new();
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.publish(alice, true, true);
    // Bob publishes audio and Alice listens, so that all four peers have something to carry.
    w.publish(bob, true, false);

    let (video, audio) = (w.clients[alice].video_track(), w.clients[alice].audio_track());
    let bob_audio = w.clients[bob].audio_track();
    // str0m reports new m-lines once DTLS is up, so the tracks bind when the publisher connects.
    let wanted = [video.clone(), audio.clone(), bob_audio.clone()];
    w.run_until(Duration::from_secs(2), "TrackBound for the 3 published tracks", |w| {
        let bound = w.bound_tracks();
        wanted.iter().all(|t| bound.contains(t))
    });

    w.subscribe(bob, &video);
    w.subscribe(bob, &audio);
    w.subscribe(alice, &bob_audio);

    w.run_until(Duration::from_secs(5), "PeerState Connected for the 4 peers, and DTLS up on the clients", |w| {
        connected_peers(w).len() == 4 && w.clients.iter().all(|c| c.publisher.connected && c.subscriber.connected)
    });
    let t_connected = w.now;

    w.run_for(Duration::from_secs(4));

    let bob_c = &w.clients[bob];
    let frames: Vec<_> = bob_c.frames_of(&video).collect();
    assert!(frames.len() >= 90, "bob got {} video frames in 4 s; expected about 120", frames.len());
    assert!(frames[0].keyframe, "the first video frame a subscriber gets is a keyframe");
    let picked = last_wanted(&w, &video).expect("a SubscribedQualities event for the video").expect("a layer");
    let tail: Vec<_> = frames.iter().rev().take(30).map(|f| f.layer).collect();
    assert!(
        tail.iter().all(|l| *l == Some(picked)),
        "the last second of video is on the layer the shard picked ({picked:?}); got {tail:?}"
    );

    let sent_audio = w.clients[alice].audio.as_ref().map_or(0, |a| a.sent);
    let got_audio: HashSet<u32> = bob_c.frames_of(&audio).map(|f| f.number).collect();
    let sent_video = w.clients[alice].video.as_ref().map_or(0, |v| v.sent);
    let got_video: HashSet<u32> = frames.iter().map(|f| f.number).collect();
    let alice_got = w.clients[alice].frames_of(&bob_audio).count();
    println!(
        "connected after {:.3} s; video {}/{} captures on {picked:?}, audio {}/{} frames to bob; {alice_got} audio frames to alice",
        w.secs(t_connected),
        got_video.len(),
        sent_video,
        got_audio.len(),
        sent_audio
    );
    assert!(
        got_audio.len() * 10 >= sent_audio as usize * 9,
        "bob got {} of {sent_audio} audio frames",
        got_audio.len()
    );
    assert!(alice_got >= 150, "alice got {alice_got} audio frames from bob in 4 s; expected about 200");

    // The audio is loud for 2 s then quiet for 1 s: the shard reports Alice speaking, then not.
    let alice_id = &w.clients[alice].id;
    let speaking: Vec<bool> = w
        .events
        .iter()
        .filter_map(|(_, e)| match e {
            SfuEvent::AudioLevel { participant, active, .. } if participant == alice_id => Some(*active),
            _ => None,
        })
        .collect();
    assert!(speaking.windows(2).any(|p| p == [true, false]), "AudioLevel: alice speaks then stops; got {speaking:?}");
}

#[test]
fn late_subscriber_starts_on_a_requested_keyframe() {
    let mut w = World::new();
    let (alice, bob) = (w.add_client("alice"), w.add_client("bob"));
    w.publish(alice, false, true);
    w.wait_bound();
    // Periodic keyframes come at 0 s, 3 s, 6 s: join at about 4.5 s, in between.
    w.run_for(Duration::from_millis(4_500));
    let video = w.clients[alice].video_track();
    let joined = w.now;
    w.subscribe(bob, &video);
    w.wait_connected();
    w.run_until(Duration::from_secs(1), "bob's first video frame", |w| w.clients[bob].frames_of(&video).count() > 0);
    let first = w.clients[bob].frames_of(&video).next().cloned().expect("a frame");
    let after = (first.at - joined).as_secs_f64() * 1000.0;
    println!("late joiner: first frame capture {} ({:?}) {after:.0} ms after subscribing", first.number, first.layer);
    assert!(first.keyframe, "a late subscriber's first frame is a keyframe (capture {})", first.number);
    assert!(first.number % 90 != 0, "the keyframe was requested, not the periodic one (capture {})", first.number);
    let asked = w.clients[alice].keyframe_requests.iter().any(|(t, _)| *t >= joined);
    assert!(asked, "the shard asked alice for a keyframe when bob subscribed");
}
