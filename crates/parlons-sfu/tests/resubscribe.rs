//! Scenario: a subscriber unsubscribes from a track and subscribes again while the shard's offer
//! removing it is still unanswered (signalling takes a round trip). The second subscription must
//! not be lost: once the offers are answered, the video flows again.

mod common;

use std::time::Duration;

use common::World;
use parlons_sfu::Command;

/// Answers every held offer, in order, until none is left.
fn answer_all(w: &mut World) {
    while !w.held_offers.is_empty() {
        let (c, id, sdp) = w.held_offers.remove(0);
        w.answer_offer(c, id, &sdp).expect("the answer to the offer in flight is taken");
    }
}

fn call() -> World {
    let mut w = World::alice_to_bob(false, true);
    let (alice, bob) = (0, 1);
    let video = w.clients[alice].video_track();
    w.wait_connected();
    w.run_for(Duration::from_secs(1));
    assert!(w.clients[bob].frames_of(&video).count() > 20, "video flows before the unsubscribe");
    w
}

#[test]
fn unsubscribe_then_subscribe_after_the_answer_resumes_video() {
    let mut w = call();
    let video = w.clients[0].video_track();
    let bob = w.clients[1].id.clone();
    w.command(Command::Unsubscribe { subscriber: bob, track: video.clone() }).expect("unsubscribed");
    w.run_for(Duration::from_millis(500));
    w.subscribe(1, &video);
    let before = w.clients[1].frames_of(&video).count();
    w.run_until(Duration::from_secs(2), "video again after subscribing anew", |w| {
        w.clients[1].frames_of(&video).count() > before + 10
    });
}

#[test]

fn subscribe_while_the_removal_offer_is_in_flight_is_not_lost() {
    let mut w = call();
    let video = w.clients[0].video_track();
    let bob = w.clients[1].id.clone();
    w.auto_answer = false;
    w.command(Command::Unsubscribe { subscriber: bob, track: video.clone() }).expect("unsubscribed");
    assert_eq!(w.held_offers.len(), 1, "the shard offers to remove the m-line");
    // The client changes its mind before it has answered.
    w.subscribe(1, &video);
    answer_all(&mut w);
    w.auto_answer = true;
    w.run_for(Duration::from_millis(200));
    answer_all(&mut w);
    let before = w.clients[1].frames_of(&video).count();
    w.run_for(Duration::from_secs(2));
    let got = w.clients[1].frames_of(&video).count() - before;
    assert!(got > 30, "bob is subscribed again and gets video: {got} frames in 2 s (expected about 60)");
}

/// The m-lines of an SDP's `a=group:BUNDLE` line.
fn bundle(sdp: &str) -> Vec<&str> {
    let line = sdp.lines().find(|l| l.starts_with("a=group:BUNDLE")).expect("a BUNDLE group");
    line["a=group:BUNDLE".len()..].split_whitespace().collect()
}

/// The first m-line's mid: the one that tags the BUNDLE group.
fn first_mid(sdp: &str) -> &str {
    sdp.lines().find_map(|l| l.strip_prefix("a=mid:")).expect("an m-line")
}

/// Unsubscribes `track` for bob and returns the shard's offer (answered afterwards).
fn unsubscribe_offer(w: &mut World, track: &parlons_types::TrackId) -> String {
    let bob = w.clients[1].id.clone();
    w.auto_answer = false;
    w.command(Command::Unsubscribe { subscriber: bob, track: track.clone() }).expect("unsubscribed");
    assert_eq!(w.held_offers.len(), 1, "the shard offers to remove the m-line");
    let sdp = w.held_offers[0].2.clone();
    answer_all(w);
    w.auto_answer = true;
    sdp
}

#[test]
fn the_m_line_tagging_the_bundle_group_is_never_rejected() {
    // Browsers close the subscriber's DTLS transport when the m-line that tags the BUNDLE group
    // is rejected (port 0) or the group is left empty: the participant whose first received
    // participant left, or whose only one did, was dropped. That m-line is made inactive instead.
    let mut w = World::alice_to_bob(true, true);
    let (audio, video) = (w.clients[0].audio_track(), w.clients[0].video_track());
    w.wait_connected();
    w.run_for(Duration::from_secs(1));
    for track in [&audio, &video] {
        let sdp = unsubscribe_offer(&mut w, track);
        let group = bundle(&sdp);
        assert_eq!(group.first().copied(), Some(first_mid(&sdp)), "the first m-line still tags the group:\n{sdp}");
        assert!(sdp.contains("a=inactive"), "the removed m-line is inactive:\n{sdp}");
    }
    // everything removed: only the tag is left, inactive; a new subscription gets a new m-line
    assert!(w.held_offers.is_empty(), "no offer left in flight");
    w.subscribe(1, &video);
    let before = w.clients[1].frames_of(&video).count();
    w.run_until(Duration::from_secs(2), "video again after subscribing anew", |w| {
        w.clients[1].frames_of(&video).count() > before + 10
    });
    let sdp = unsubscribe_offer(&mut w, &video);
    assert_eq!(bundle(&sdp), vec![first_mid(&sdp)], "only the tag is left in the group:\n{sdp}");
    assert!(sdp.contains("m=video 0 "), "a later m-line is stopped as usual:\n{sdp}");
}
