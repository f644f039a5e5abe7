//! Scenario: bad input does not disturb a call. Garbage datagrams are refused or ignored, bad SDP
//! and stale answers are refused with the right error, and a participant leaving mid-call leaves
//! the others forwarding.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{World, XorShift};
use parlons_sfu::{Command, DownSettings, SfuError, SfuEvent};
use parlons_types::{ParticipantId, Quality, TrackId};

/// Clients 0 (publishes audio and video) and 1 (subscribes to both); 1 s of call.
fn call() -> World {
    let mut w = World::alice_to_bob(true, true);
    w.wait_connected();
    w.run_for(Duration::from_secs(1));
    w
}

/// Asserts that `sub` got >= 90 % of `publisher`'s audio and video captured in `[from, now - 100 ms)`.
fn assert_flowing(w: &World, sub: usize, publisher: usize, from: Instant, context: &str) {
    for audio in [false, true] {
        let (sent, got) = w.delivery(sub, publisher, audio, from, w.now - Duration::from_millis(100));
        let what = if audio { "audio" } else { "video" };
        println!("{context}: {} <- {} {what} {got}/{sent}", w.clients[sub].id, w.clients[publisher].id);
        assert!(sent > 0 && got * 10 >= sent * 9, "{context}: {what} still flows ({got}/{sent} captures)");
    }
}

fn failures(w: &World) -> Vec<&SfuEvent> {
    w.events.iter().map(|(_, e)| e).filter(|e| matches!(e, SfuEvent::PeerFailed { .. })).collect()
}

#[test]
fn garbage_datagrams_are_refused_and_the_call_goes_on() {
    let mut w = call();
    let stranger: SocketAddr = "198.19.66.6:4444".parse().expect("an address");
    let mut rng = XorShift::new(0xBAD_1D3A);
    let from = w.now;

    // From nobody: random bytes of every length, an empty datagram, an RTP packet, truncated STUN.
    let mut claimed = Vec::new();
    for i in 0..300 {
        let len = 1 + (rng.next_u64() % 1_400) as usize;
        let mut bytes = rng.bytes(len);
        bytes[0] = [0x00, 0x01, 0x16, 0x17, 0x80, 0x90, 0xC8, 0xFF][i % 8];
        if w.inject(stranger, &bytes) {
            claimed.push((i, bytes[0], len));
        }
    }
    assert!(claimed.is_empty(), "random datagrams from an unknown address are refused; claimed: {claimed:?}");
    assert!(!w.inject(stranger, &[]), "an empty datagram is refused");
    let mut rtp = vec![0x80, 0x60, 0x12, 0x34, 0, 0, 0x10, 0, 0xDE, 0xAD, 0xBE, 0xEF];
    rtp.extend(rng.bytes(400));
    assert!(!w.inject(stranger, &rtp), "an RTP packet no peer knows is refused");
    // A STUN binding request cut after its header: the length says 48 bytes of attributes follow.
    let mut stun = vec![0x00, 0x01, 0x00, 0x30, 0x21, 0x12, 0xA4, 0x42];
    stun.extend(rng.bytes(12));
    stun.extend([0x00, 0x06, 0x00, 0x20]);
    let alice_up = w.clients[0].publisher.addr;
    for source in [stranger, alice_up] {
        assert!(!w.inject(source, &stun), "a truncated STUN message from {source} is refused");
    }

    // From the subscriber's own address (spoofed): RTP-, RTCP- and DTLS-looking garbage reaches
    // its peer, which must drop it without breaking SRTP or DTLS.
    let bob_down = w.clients[1].subscriber.addr;
    for first in [0x80u8, 0xC9, 0x17, 0x16, 0x15] {
        for _ in 0..20 {
            let len = 40 + (rng.next_u64() % 300) as usize;
            let mut bytes = rng.bytes(len);
            bytes[0] = first;
            let _ = w.inject(bob_down, &bytes);
        }
    }

    w.run_for(Duration::from_secs(3));
    assert!(failures(&w).is_empty(), "garbage fails no peer: {:?}", failures(&w));
    assert_eq!(w.sfu.participant_count(), 2);
    assert_flowing(&w, 1, 0, from, "after garbage");
}

#[test]
fn invalid_sdp_is_refused() {
    let mut w = call();
    let alice = w.clients[0].id.clone();
    for sdp in ["", "this is not SDP", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=video nonsense\r\n"] {
        let r = w.command(Command::AcceptOffer { participant: alice.clone(), offer_id: 7, sdp: sdp.into() });
        assert!(matches!(r, Err(SfuError::InvalidSdp(_))), "offer {sdp:?} is refused as invalid SDP; got {r:?}");
        let r = w.command(Command::AcceptAnswer { participant: alice.clone(), offer_id: 1, sdp: sdp.into() });
        assert!(matches!(r, Err(SfuError::InvalidSdp(_))), "answer {sdp:?} is refused as invalid SDP; got {r:?}");
    }
    let ghost = ParticipantId::new("PA_ghost");
    let r = w.command(Command::AcceptOffer { participant: ghost.clone(), offer_id: 1, sdp: "v=0".into() });
    assert!(matches!(r, Err(SfuError::UnknownParticipant(ref p)) if *p == ghost), "unknown participant: {r:?}");
    let reported = w
        .events
        .iter()
        .filter(|(_, e)| matches!(e, SfuEvent::NegotiationFailed { participant, .. } if *participant == alice))
        .count();
    assert_eq!(reported, 6, "each unusable SDP is reported to the control plane");
    let from = w.now;
    w.run_for(Duration::from_secs(2));
    assert!(failures(&w).is_empty(), "bad SDP fails no peer: {:?}", failures(&w));
    assert_flowing(&w, 1, 0, from, "after bad SDP");
}

#[test]
fn answer_with_the_wrong_offer_id_is_refused() {
    let mut w = World::new();
    let (alice, bob) = (w.add_client("alice"), w.add_client("bob"));
    w.publish(alice, true, false);
    w.wait_bound();
    w.auto_answer = false;
    let audio = w.clients[alice].audio_track();
    w.subscribe(bob, &audio);
    // bob never offers on its publisher peer, so the first offer comes after the grace period.
    w.run_until(Duration::from_secs(5), "an offer for bob", |w| !w.held_offers.is_empty());
    let (c, id, sdp) = w.held_offers.pop().expect("the shard offers bob's subscriber peer a track");
    assert_eq!(c, bob);
    let r = w.answer_offer(bob, id + 1, &sdp);
    assert!(
        matches!(r, Err(SfuError::UnexpectedAnswer { got, expected: Some(e) }) if got == id + 1 && e == id),
        "an answer to offer {} while {id} is in flight is refused; got {r:?}",
        id + 1
    );
    w.answer_offer(bob, id, &sdp).expect("the right answer is taken");
    let r = w.command(Command::AcceptAnswer { participant: w.clients[bob].id.clone(), offer_id: id, sdp: sdp.clone() });
    assert!(
        matches!(r, Err(SfuError::UnexpectedAnswer { expected: None, .. })),
        "a second answer to the same offer is refused; got {r:?}"
    );
    w.wait_connected();
    let from = w.now;
    w.run_for(Duration::from_secs(2));
    let (sent, got) = w.delivery(bob, alice, true, from, w.now - Duration::from_millis(100));
    assert!(got * 10 >= sent * 9, "audio flows after the refused answers: {got}/{sent}");
}

/// Alice and Bob publish; Carol watches both, Bob watches Alice.
fn three() -> World {
    let mut w = World::new();
    let (alice, bob, carol) = (w.add_client("alice"), w.add_client("bob"), w.add_client("carol"));
    w.publish(alice, true, true);
    w.publish(bob, true, true);
    w.wait_bound();
    for p in [alice, bob] {
        let (v, a) = (w.clients[p].video_track(), w.clients[p].audio_track());
        w.subscribe(carol, &v);
        w.subscribe(carol, &a);
    }
    let v = w.clients[alice].video_track();
    w.subscribe(bob, &v);
    w.wait_connected();
    w.run_for(Duration::from_secs(2));
    w
}

#[test]
fn removing_a_participant_mid_call_leaves_the_others_forwarding() {
    let mut w = three();
    let (alice, bob, carol) = (0, 1, 2);
    let removed_at = w.now;
    let bob_tracks = [w.clients[bob].video_track(), w.clients[bob].audio_track()];
    w.remove_client(bob);
    assert_eq!(w.sfu.participant_count(), 2);
    let offered = w.events.iter().any(|(t, e)| {
        *t >= removed_at && matches!(e, SfuEvent::Offer { participant, .. } if *participant == w.clients[carol].id)
    });
    assert!(offered, "carol is offered an SDP without bob's tracks");
    w.run_for(Duration::from_secs(3));

    assert!(failures(&w).is_empty(), "nobody else fails: {:?}", failures(&w));
    assert_flowing(&w, carol, alice, removed_at, "after bob left");
    let grace = removed_at + Duration::from_millis(100);
    let late = w.clients[carol].frames.iter().filter(|f| f.at > grace && bob_tracks.contains(&f.track)).count();
    assert_eq!(late, 0, "no frame of bob's tracks reaches carol after he left");

    let bob_id = w.clients[bob].id.clone();
    let r = w.command(Command::Subscribe { subscriber: bob_id.clone(), track: w.clients[alice].audio_track() });
    assert!(matches!(r, Err(SfuError::UnknownParticipant(_))), "bob is gone: {r:?}");
    let r = w.command(Command::Subscribe { subscriber: w.clients[carol].id.clone(), track: bob_tracks[0].clone() });
    assert!(matches!(r, Err(SfuError::UnknownTrack(_))), "bob's track is gone: {r:?}");
    assert!(!w.inject(w.clients[bob].publisher.addr, &[0x80; 100]), "bob's old address is no peer's any more");
}

fn last_wanted(w: &World, track: &TrackId) -> Option<Option<Quality>> {
    w.events.iter().rev().find_map(|(_, e)| match e {
        SfuEvent::SubscribedQualities { track: t, max, .. } if t == track => Some(*max),
        _ => None,
    })
}

#[test]

fn a_leaving_subscriber_no_longer_counts_for_dynacast() {
    let mut w = three();
    let (alice, bob, carol) = (0, 1, 2);
    let video = w.clients[alice].video_track();
    for (sub, width, height) in [(bob, 1280, 720), (carol, 320, 180)] {
        let settings = DownSettings { width, height, ..DownSettings::default() };
        let subscriber = w.clients[sub].id.clone();
        w.command(Command::UpdateSubscription { subscriber, track: video.clone(), settings }).expect("settings");
    }
    w.run_for(Duration::from_secs(1));
    assert_eq!(last_wanted(&w, &video), Some(Some(Quality::High)), "bob's large tile wants f");
    w.remove_client(bob);
    w.run_for(Duration::from_secs(2));
    assert_eq!(last_wanted(&w, &video), Some(Some(Quality::Low)), "only carol's small tile is left: q is enough");
}

#[test]
fn a_participant_that_never_completes_ice_is_dropped_alone() {
    let mut w = call();
    let ghost = ParticipantId::new("PA_ghost");
    w.command(Command::AddParticipant { participant: ghost.clone() }).expect("ghost added");
    let from = w.now;
    w.run_for(Duration::from_secs(31));
    let failed: Vec<String> = failures(&w)
        .into_iter()
        .filter_map(|e| match e {
            SfuEvent::PeerFailed { participant, reason } => Some(format!("{participant}: {reason}")),
            _ => None,
        })
        .collect();
    assert_eq!(failed, vec!["PA_ghost: ICE did not complete".to_string()], "only the ghost is dropped, for ICE");
    assert_flowing(&w, 1, 0, from, "after the ghost timed out");
}

#[test]
fn a_dropped_subscriber_offer_is_sent_again_and_media_then_flows() {
    let mut w = World::new();
    let (alice, bob) = (w.add_client("alice"), w.add_client("bob"));
    w.publish(alice, true, true);
    w.wait_bound();
    w.auto_answer = false;
    let (video, audio) = (w.clients[alice].video_track(), w.clients[alice].audio_track());
    w.subscribe(bob, &video);
    w.subscribe(bob, &audio);
    w.run_until(Duration::from_secs(5), "an offer for bob", |w| !w.held_offers.is_empty());
    let (_, first_id, first_sdp) = w.held_offers.pop().expect("first offer");
    // The client loses it (livekit-client drops offers that arrive too early).
    w.run_until(Duration::from_secs(6), "the offer sent again", |w| !w.held_offers.is_empty());
    let (c, id, sdp) = w.held_offers.pop().expect("second offer");
    assert_eq!(c, bob);
    assert!(id > first_id, "the resent offer has a new id ({id} after {first_id})");
    assert_eq!(sdp, first_sdp, "same SDP");
    w.answer_offer(bob, id, &sdp).expect("the resent offer is answered");
    w.auto_answer = true;
    w.wait_connected();
    let from = w.now;
    w.run_for(Duration::from_secs(2));
    assert_flowing(&w, bob, alice, from, "after the resent offer");
}

#[test]
fn an_ice_restart_after_a_signalling_drop_keeps_media_flowing() {
    let mut w = call();
    let bob = w.clients[1].id.clone();
    let offers_before = w
        .events
        .iter()
        .filter(|(_, e)| matches!(e, SfuEvent::Offer { participant, .. } if *participant == bob))
        .count();
    w.command(Command::RestartIce { participant: bob.clone() }).expect("restart accepted");
    let from = w.now;
    w.run_for(Duration::from_secs(2));
    let offers_after = w
        .events
        .iter()
        .filter(|(_, e)| matches!(e, SfuEvent::Offer { participant, .. } if *participant == bob))
        .count();
    assert_eq!(offers_after, offers_before + 1, "one ICE-restart offer to bob's subscriber peer");
    assert!(failures(&w).is_empty(), "no peer failed: {:?}", failures(&w));
    assert_flowing(&w, 1, 0, from, "after the ICE restart");
}
