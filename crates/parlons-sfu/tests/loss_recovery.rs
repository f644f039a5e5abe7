//! Scenario: 5 % random loss (seeded) on the publisher → shard link and on the shard → subscriber
//! link. NACK/RTX on both hops recovers the video: over 20 s the subscriber gets at least 97 % of
//! the captures, and all of them without loss.

mod common;

use std::time::Duration;

use common::{SFU_ADDR, World};

/// Figures of one 20 s call.
struct Figures {
    video: (usize, usize),
    audio: (usize, usize),
    dropped: u64,
    sent: u64,
    nacks: u64,
    gaps: usize,
}

fn pct((sent, got): (usize, usize)) -> f64 {
    100.0 * got as f64 / sent.max(1) as f64
}

/// Alice publishes audio and video, Bob subscribes; `loss` on both lossy hops once connected.
fn call(loss: f64, seed: u64) -> Figures {
    let mut w = World::alice_to_bob(true, true);
    let (alice, bob) = (0, 1);
    let video = w.clients[alice].video_track();
    w.wait_connected();
    if loss > 0.0 {
        let (up, down) = (w.clients[alice].publisher.addr, w.clients[bob].subscriber.addr);
        w.net.set_loss(up, SFU_ADDR, loss, seed);
        w.net.set_loss(SFU_ADDR, down, loss, seed.wrapping_mul(31).wrapping_add(7));
    }
    let (sent_before, dropped_before) = (w.net.sent, w.net.dropped);
    let from = w.now;
    w.run_for(Duration::from_secs(20));
    let to = w.now;
    // Retransmissions of the last captures.
    w.run_for(Duration::from_millis(500));
    let gaps = w.clients[bob].frames_of(&video).filter(|f| !f.contiguous).count();
    Figures {
        video: w.delivery(bob, alice, false, from, to),
        audio: w.delivery(bob, alice, true, from, to),
        dropped: w.net.dropped - dropped_before,
        sent: w.net.sent - sent_before,
        nacks: w.sfu.counters().nacks,
        gaps,
    }
}

fn report(name: &str, f: &Figures) {
    println!(
        "{name}: video {}/{} ({:.2} %), audio {}/{} ({:.2} %), {} of {} datagrams dropped, {} NACKs from the subscriber, {} non-contiguous frames",
        f.video.1,
        f.video.0,
        pct(f.video),
        f.audio.1,
        f.audio.0,
        pct(f.audio),
        f.dropped,
        f.sent,
        f.nacks,
        f.gaps
    );
}

#[test]
fn without_loss_every_capture_arrives() {
    let f = call(0.0, 0);
    report("no loss", &f);
    assert!(f.video.0 >= 590, "20 s at 30 fps is about 600 captures, sent {}", f.video.0);
    assert_eq!(f.video.1, f.video.0, "every video capture arrives without loss");
    assert_eq!(f.audio.1, f.audio.0, "every audio frame arrives without loss");
    assert_eq!(f.dropped, 0);
}

#[test]
fn five_percent_loss_on_both_hops_is_repaired() {
    let f = call(0.05, 0x5EED_1055);
    report("5 % loss up and down", &f);
    let observed = f.dropped as f64 / f.sent as f64;
    assert!(observed > 0.01, "the loss model dropped {:.2} % of all datagrams", 100.0 * observed);
    assert!(
        f.video.1 * 100 >= f.video.0 * 97,
        "with NACK/RTX the subscriber gets >= 97 % of the video captures; got {}/{} ({:.2} %)",
        f.video.1,
        f.video.0,
        pct(f.video)
    );
    // Opus has no retransmission: about 1 - 0.95² of the audio is lost, which is what we expect.
    assert!(f.audio.1 * 100 >= f.audio.0 * 85, "audio loss stays near the link loss: {:.2} %", pct(f.audio));
}
