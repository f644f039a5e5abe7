//! Scenario: three participants each publish audio and simulcast video and each subscribes to
//! the two others. Over a 10 s window every subscriber gets at least 90 % of the captures of
//! each of its four tracks.

mod common;

use std::time::Duration;

use common::World;
use parlons_sfu::SfuEvent;

#[test]
fn three_participants_each_receive_the_two_others() {
    let mut w = World::new();
    let all: Vec<usize> = ["ana", "ben", "cyd"].iter().map(|n| w.add_client(n)).collect();
    for &c in &all {
        w.publish(c, true, true);
    }
    w.wait_bound();
    for &s in &all {
        for &p in all.iter().filter(|&&p| p != s) {
            let (video, audio) = (w.clients[p].video_track(), w.clients[p].audio_track());
            w.subscribe(s, &video);
            w.subscribe(s, &audio);
        }
    }
    w.wait_connected();
    // Let the first keyframes arrive and the layers settle, then measure 10 s.
    w.run_for(Duration::from_secs(1));
    let from = w.now;
    w.run_for(Duration::from_secs(10));
    let to = w.now;
    // Frames captured just before `to` are still on their way.
    w.run_for(Duration::from_millis(500));

    let mut failures = Vec::new();
    for &s in &all {
        for &p in all.iter().filter(|&&p| p != s) {
            for audio in [false, true] {
                let (sent, got) = w.delivery(s, p, audio, from, to);
                let what = if audio { "audio" } else { "video" };
                let (sub, publisher) = (&w.clients[s].id, &w.clients[p].id);
                println!("{sub} <- {publisher} {what}: {got}/{sent} ({:.1} %)", 100.0 * got as f64 / sent as f64);
                if sent == 0 || got * 10 < sent * 9 {
                    failures.push(format!("{sub} got {got} of {sent} {what} captures of {publisher} (want >= 90 %)"));
                }
            }
        }
        // Every frame of a subscription came from a track it subscribed to, none from itself.
        let own = [w.clients[s].video_track(), w.clients[s].audio_track()];
        assert!(
            w.clients[s].frames.iter().all(|f| !own.contains(&f.track)),
            "{} never receives itself",
            w.clients[s].id
        );
    }
    assert!(failures.is_empty(), "delivery below 90 %:\n{}", failures.join("\n"));

    let failed: Vec<_> = w.events.iter().filter(|(_, e)| matches!(e, SfuEvent::PeerFailed { .. })).collect();
    assert!(failed.is_empty(), "no peer fails in a clean call: {failed:?}");
    println!("shard counters: {:?}; {} datagrams on the wire", w.sfu.counters(), w.net.sent);
}
