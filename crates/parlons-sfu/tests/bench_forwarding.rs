//! Benchmark (not a test): the cost of frame-mode forwarding (ADR 0001), per forwarded packet.
//!
//! ```text
//! cargo test --release -p parlons-sfu --test bench_forwarding -- --ignored --nocapture bench_forwarding
//! ```
//!
//! Every scenario runs the simulation harness (`tests/common`, virtual clock, in-memory network,
//! str0m client peers, synthetic VP8 simulcast q/h/f at 30 fps + Opus at 50 pps) twice: with media
//! and as a zero-traffic baseline (the same peers connected and negotiated, publishers muted). Only
//! wall time spent inside the shard's own calls (`Sfu::handle_receive`, `handle_timeout`,
//! `handle_command`, `poll_output`) is counted; the client peers' time is not. A forwarded packet
//! is an SRTP media packet (RTP, not an RTX/padding payload type) the shard sends to a subscriber
//! peer. Cost per forwarded packet: gross (SFU time ÷ packets), net ((SFU time with media − SFU
//! time of the baseline) ÷ packets) and marginal (Δ SFU time ÷ Δ packets between fan-outs of one
//! publisher). Beware the net figure: with no media str0m pads every subscriber peer that has a
//! video m-line (~186 packets/s), so the baseline mostly measures padding (docs/benchmarks.md).
//! Runs alternate media and baseline, repeated `BENCH_REPS` times (3); the table gives medians and
//! min–max. Nothing is asserted on timing. Knobs: `BENCH_REPS`, `BENCH_WARMUP_S` (3),
//! `BENCH_SECS` (10), `BENCH_ONLY` (run the scenarios whose name contains it).
//!
//! `callgrind_media` and `callgrind_idle` run the 1 → `BENCH_N` (5) scenario (or `BENCH_MEETING=3`)
//! once, with media / baseline, for an instruction count of the shard's calls in the window
//! (`docs/benchmarks.md`).

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{SfuMeter, World};
use parlons_sfu::{Command, DownSettings};
use parlons_types::TrackId;

/// Tile sizes subscriptions report, in turn: they map to h, q and f (a single subscriber gets h).
const TILES: [(u32, u32); 3] = [(640, 360), (320, 180), (1280, 720)];

#[derive(Clone, Copy)]
struct Scenario {
    name: &'static str,
    /// Subscribers of one publisher; 0 = a meeting of `meeting` participants.
    subscribers: usize,
    meeting: usize,
}

const SCENARIOS: [Scenario; 4] = [
    Scenario { name: "1 pub -> 1 sub", subscribers: 1, meeting: 0 },
    Scenario { name: "1 pub -> 5 subs", subscribers: 5, meeting: 0 },
    Scenario { name: "1 pub -> 20 subs", subscribers: 20, meeting: 0 },
    Scenario { name: "meeting 3 x 3", subscribers: 0, meeting: 3 },
];

/// What one run measured in its window.
#[derive(Clone)]
struct Sample {
    /// The shard's meter over the window.
    meter: SfuMeter,
    /// SRTP media packets to subscriber peers (RTP with a primary payload type).
    forwarded: u64,
    /// RTP with an RTX payload type and no padding bit to subscriber peers (retransmissions,
    /// or probes made of resent packets).
    rtx: u64,
    /// RTP with the padding bit to subscriber peers (BWE padding/probes).
    padding: u64,
    /// RTP packets received from publishers.
    ingress_rtp: u64,
    /// Video frames subscribers received in the window, by layer (q, h, f).
    layers: [u64; 3],
    /// Subscriptions (video + audio).
    subscriptions: usize,
    /// Wall time of the whole window (harness, clients and shard).
    window_wall: Duration,
    /// Payload types seen towards subscribers: (pt, packets, padded packets, bytes, is_rtx).
    pts: Vec<(u8, u64, u64, u64, bool)>,
}

fn env_num(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn tile(w: &mut World, sub: usize, track: &TrackId, (width, height): (u32, u32)) {
    let subscriber = w.clients[sub].id.clone();
    let settings = DownSettings { width, height, ..DownSettings::default() };
    w.command(Command::UpdateSubscription { subscriber, track: track.clone(), settings }).expect("settings applied");
}

/// Marks the start of the measured window for `callgrind --dump-before`.
#[inline(never)]
pub fn callgrind_window_start() {
    std::hint::black_box(0x5747_u32);
}

/// Marks the end of the measured window for `callgrind --dump-before`.
#[inline(never)]
pub fn callgrind_window_end() {
    std::hint::black_box(0xE4D_u64);
}

/// Builds the scenario, connects everyone, warms up, and measures one window.
fn run(sc: Scenario, traffic: bool, warmup: Duration, window: Duration) -> Sample {
    let mut w = World::new();
    // (subscriber, publisher) pairs.
    let mut pairs = Vec::new();
    if sc.meeting > 0 {
        let all: Vec<usize> = (0..sc.meeting).map(|i| w.add_client(&format!("m{i}"))).collect();
        for &c in &all {
            w.publish(c, true, true);
        }
        for &s in &all {
            for &p in all.iter().filter(|&&p| p != s) {
                pairs.push((s, p));
            }
        }
    } else {
        let publisher = w.add_client("pub");
        let subs: Vec<usize> = (0..sc.subscribers).map(|i| w.add_client(&format!("s{i}"))).collect();
        w.publish(publisher, true, true);
        pairs.extend(subs.iter().map(|&s| (s, publisher)));
    }
    for c in &mut w.clients {
        c.muted = !traffic;
    }
    w.wait_bound();
    for (k, &(s, p)) in pairs.iter().enumerate() {
        let (video, audio) = (w.clients[p].video_track(), w.clients[p].audio_track());
        w.subscribe(s, &video);
        w.subscribe(s, &audio);
        tile(&mut w, s, &video, TILES[k % TILES.len()]);
    }
    w.wait_connected();
    w.run_for(warmup);

    let before = w.meter;
    let wall = Instant::now();
    let from = w.now;
    callgrind_window_start();
    w.run_for(window);
    callgrind_window_end();
    let to = w.now;
    let window_wall = wall.elapsed();
    let meter = w.meter - before;

    // RTX payload types as negotiated on the subscriber peers (str0m on both ends).
    let rtx: HashSet<u8> = w
        .clients
        .iter()
        .filter(|c| c.subscribes)
        .flat_map(|c| c.subscriber.rtc.codec_config().params().iter().filter_map(|p| p.resend()).map(|pt| *pt))
        .collect();
    let forwarded = meter.tx_sub.unpadded_where(|pt| !rtx.contains(&pt));
    let rtx_count = meter.tx_sub.unpadded_where(|pt| rtx.contains(&pt));
    let tx = &meter.tx_sub;
    let pts = (0..128usize)
        .filter(|&pt| tx.rtp[pt] > 0)
        .map(|pt| (pt as u8, tx.rtp[pt], tx.rtp_padded[pt], tx.rtp_bytes[pt], rtx.contains(&(pt as u8))))
        .collect();
    let mut layers = [0u64; 3];
    for c in &w.clients {
        for f in c.frames.iter().filter(|f| (from..to).contains(&f.at)) {
            if let Some(q) = f.layer {
                layers[q as usize] += 1;
            }
        }
    }
    Sample {
        meter,
        forwarded,
        rtx: rtx_count,
        padding: meter.tx_sub.padded_total(),
        ingress_rtp: meter.rx.rtp_total(),
        layers,
        subscriptions: pairs.len() * 2,
        window_wall,
        pts,
    }
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let n = s.len();
    if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 }
}

fn spread(v: &[f64]) -> (f64, f64) {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

/// Wall time of one `Instant::now()` pair as the meter takes it around a call (it is inside the
/// measured time once per call, roughly).
fn timer_overhead_ns() -> f64 {
    let mut m = SfuMeter::default();
    let n = 1_000_000u32;
    let t0 = Instant::now();
    for i in 0..n {
        let t = Instant::now();
        std::hint::black_box(i);
        m.busy += t.elapsed();
    }
    t0.elapsed().as_nanos() as f64 / f64::from(n)
}

#[test]
#[ignore = "benchmark: cargo test --release -p parlons-sfu --test bench_forwarding -- --ignored --nocapture"]
fn bench_forwarding() {
    let reps = env_num("BENCH_REPS", 3.0) as usize;
    let warmup = Duration::from_secs_f64(env_num("BENCH_WARMUP_S", 3.0));
    let window = Duration::from_secs_f64(env_num("BENCH_SECS", 10.0));
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let scenarios: Vec<Scenario> = SCENARIOS.into_iter().filter(|s| s.name.contains(only.as_str())).collect();
    let started = Instant::now();
    if cfg!(debug_assertions) {
        println!("WARNING: debug build; run with --release");
    }
    println!(
        "frame-mode forwarding: {} scenarios x {reps} reps, media and baseline alternating; warm-up {:?}, window {:?}",
        scenarios.len(),
        warmup,
        window
    );

    // samples[scenario] = [(with media, baseline)] per repetition.
    let mut samples: Vec<Vec<(Sample, Sample)>> = vec![Vec::new(); scenarios.len()];
    for rep in 0..reps {
        for (i, sc) in scenarios.iter().enumerate() {
            // A B, then B A: neither side always runs first.
            let (media, idle) = if rep % 2 == 0 {
                let m = run(*sc, true, warmup, window);
                (m, run(*sc, false, warmup, window))
            } else {
                let b = run(*sc, false, warmup, window);
                (run(*sc, true, warmup, window), b)
            };
            println!(
                "  rep {rep} {:<17} media: {:>6} fwd pkts, SFU {:>7.2} ms ({} calls), window wall {:>7.1} ms | \
                 baseline: SFU {:>6.2} ms ({} calls), {} padding pkts to subs",
                sc.name,
                media.forwarded,
                media.meter.busy.as_secs_f64() * 1e3,
                media.meter.calls(),
                media.window_wall.as_secs_f64() * 1e3,
                idle.meter.busy.as_secs_f64() * 1e3,
                idle.meter.calls(),
                idle.padding,
            );
            samples[i].push((media, idle));
        }
    }

    let overhead = timer_overhead_ns();
    println!();
    println!(
        "| scenario | subscriptions | forwarded pkts (pkt/s) | RTX / padding | ingress RTP | SFU ms, media | SFU ms, baseline | µs/pkt net (min–max) | µs/pkt gross | SFU share of sim | SFU calls/pkt | frames q/h/f |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (sc, runs) in scenarios.iter().zip(&samples) {
        let ms = |f: &dyn Fn(&(Sample, Sample)) -> f64| -> Vec<f64> { runs.iter().map(f).collect() };
        let fwd = ms(&|(m, _)| m.forwarded as f64);
        let t_media = ms(&|(m, _)| m.meter.busy.as_secs_f64() * 1e3);
        let t_idle = ms(&|(_, b)| b.meter.busy.as_secs_f64() * 1e3);
        let net =
            ms(&|(m, b)| (m.meter.busy.as_secs_f64() - b.meter.busy.as_secs_f64()) * 1e6 / m.forwarded.max(1) as f64);
        let gross = ms(&|(m, _)| m.meter.busy.as_secs_f64() * 1e6 / m.forwarded.max(1) as f64);
        let share = ms(&|(m, _)| m.meter.busy.as_secs_f64() / m.window_wall.as_secs_f64() * 100.0);
        let calls = ms(&|(m, _)| m.meter.calls() as f64 / m.forwarded.max(1) as f64);
        let rtx = ms(&|(m, _)| m.rtx as f64);
        let padding = ms(&|(m, _)| m.padding as f64);
        let ingress = ms(&|(m, _)| m.ingress_rtp as f64);
        let last = &runs[runs.len() - 1].0;
        let (nmin, nmax) = spread(&net);
        let (mmin, mmax) = spread(&t_media);
        let (bmin, bmax) = spread(&t_idle);
        println!(
            "| {} | {} | {:.0} ({:.0}) | {:.0} / {:.0} | {:.0} | {:.1} ({:.1}–{:.1}) | {:.2} ({:.2}–{:.2}) | **{:.2}** ({:.2}–{:.2}) | {:.2} | {:.0} % | {:.2} | {}/{}/{} |",
            sc.name,
            last.subscriptions,
            median(&fwd),
            median(&fwd) / window.as_secs_f64(),
            median(&rtx),
            median(&padding),
            median(&ingress),
            median(&t_media),
            mmin,
            mmax,
            median(&t_idle),
            bmin,
            bmax,
            median(&net),
            nmin,
            nmax,
            median(&gross),
            median(&share),
            median(&calls),
            last.layers[0],
            last.layers[1],
            last.layers[2],
        );
    }
    println!();
    for (sc, runs) in scenarios.iter().zip(&samples) {
        let (m, b) = &runs[0];
        let pts = |s: &Sample| -> String {
            let v: Vec<String> = s
                .pts
                .iter()
                .map(|(pt, n, pad, bytes, r)| {
                    let rtx = if *r { " rtx" } else { "" };
                    format!("PT {pt}{rtx}: {n} ({pad} padded, {:.0} B avg)", *bytes as f64 / *n as f64)
                })
                .collect();
            v.join(", ")
        };
        println!(
            "{}: RTP to subscribers {}; baseline: {}; RTCP to subs {}, to pubs {}; STUN {}; baseline RTCP to subs {}, to pubs {}, STUN {}",
            sc.name,
            pts(m),
            pts(b),
            m.meter.tx_sub.rtcp,
            m.meter.tx_pub.rtcp,
            m.meter.tx_sub.stun + m.meter.tx_pub.stun,
            b.meter.tx_sub.rtcp,
            b.meter.tx_pub.rtcp,
            b.meter.tx_sub.stun + b.meter.tx_pub.stun,
        );
    }
    // Marginal cost between fan-outs of the same publisher: publisher ingress and per-run fixed
    // costs cancel; what is left is the egress cost of the extra packets (plus the extra
    // subscriber peers' timers and RTCP).
    let single: Vec<(&Scenario, f64, f64)> = scenarios
        .iter()
        .zip(&samples)
        .filter(|(sc, _)| sc.meeting == 0)
        .map(|(sc, runs)| {
            let t: Vec<f64> = runs.iter().map(|(m, _)| m.meter.busy.as_secs_f64() * 1e6).collect();
            let p: Vec<f64> = runs.iter().map(|(m, _)| m.forwarded as f64).collect();
            (sc, median(&t), median(&p))
        })
        .collect();
    for pair in single.windows(2) {
        let ((a, ta, pa), (b, tb, pb)) = (pair[0], pair[1]);
        println!(
            "marginal {} -> {}: {:.2} µs of SFU time per extra forwarded packet ({:.0} more packets)",
            a.name,
            b.name,
            (tb - ta) / (pb - pa),
            pb - pa
        );
    }
    println!(
        "sizes: str0m::Output {} B, str0m::Event {} B, parlons_sfu::Output {} B (moved by value on every poll)",
        std::mem::size_of::<str0m::Output>(),
        std::mem::size_of::<str0m::Event>(),
        std::mem::size_of::<parlons_sfu::Output>(),
    );
    println!(
        "timer: {overhead:.1} ns per Instant::now() pair (inside the measured time about once per SFU call); \
         bench wall time {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn callgrind_run(traffic: bool) {
    let window = Duration::from_secs_f64(env_num("BENCH_SECS", 10.0));
    let warmup = Duration::from_secs_f64(env_num("BENCH_WARMUP_S", 3.0));
    let n = env_num("BENCH_N", 5.0) as usize;
    let meeting = env_num("BENCH_MEETING", 0.0) as usize;
    let sc = Scenario { name: "callgrind", subscribers: n, meeting };
    let s = run(sc, traffic, warmup, window);
    let what = if meeting > 0 { format!("meeting {meeting} x {meeting}") } else { format!("1 pub -> {n} subs") };
    println!(
        "{what} ({}): forwarded {} RTX {} padding {} ingress RTP {}; SFU calls {} (receive {}, timeout {}, poll {}); \
         RTCP to subs {} to pubs {}; frames q/h/f {:?}",
        if traffic { "media" } else { "baseline" },
        s.forwarded,
        s.rtx,
        s.padding,
        s.ingress_rtp,
        s.meter.calls(),
        s.meter.receives,
        s.meter.timeouts,
        s.meter.polls,
        s.meter.tx_sub.rtcp,
        s.meter.tx_pub.rtcp,
        s.layers,
    );
}

/// One run of 1 publisher -> `BENCH_N` (5) subscribers (or, with `BENCH_MEETING=3`, a meeting of
/// 3) with media, for callgrind.
#[test]
#[ignore = "for callgrind (docs/benchmarks.md)"]
fn callgrind_media() {
    callgrind_run(true);
}

/// The same run as `callgrind_media` with the publishers muted (zero-traffic baseline).
#[test]
#[ignore = "for callgrind (docs/benchmarks.md)"]
fn callgrind_idle() {
    callgrind_run(false);
}

#[test]
fn meter_classifies_datagrams() {
    use common::Wire;
    assert_eq!(Wire::of(&[0x00, 0x01]), Wire::Stun);
    assert_eq!(Wire::of(&[22, 0xfe]), Wire::Dtls);
    assert_eq!(Wire::of(&[0x80, 0xC8]), Wire::Rtcp); // SR
    assert_eq!(Wire::of(&[0x81, 0xCD]), Wire::Rtcp); // RTPFB
    assert_eq!(Wire::of(&[0x90, 0x60]), Wire::Rtp(96));
    assert_eq!(Wire::of(&[0x90, 0xE0]), Wire::Rtp(96)); // marker bit
    assert_eq!(Wire::of(&[0x80, 111]), Wire::Rtp(111));
    assert_eq!(Wire::of(&[0xB0, 97]), Wire::RtpPadded(97));
}
