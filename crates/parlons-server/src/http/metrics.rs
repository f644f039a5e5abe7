//! Prometheus text exposition. No per-participant labels (conventions).

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use parlons_media_io::ShardStats;

use super::AppState;

/// One metric family: name, type, help, and its samples as (labels, value).
type Family<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, u64)]);

/// `GET /metrics`
pub async fn render(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let s = &state.shard.stats;
    let peers = ShardStats::get(&s.peers);
    let connected = ShardStats::get(&s.peers_connected).min(peers);
    let families: [Family<'_>; 12] = [
        ("parlons_rooms", "gauge", "Rooms running on this node.", &[("", state.rooms.list().len() as u64)]),
        (
            "parlons_participants",
            "gauge",
            "Participants on this node.",
            &[("", state.rooms.participant_count() as u64)],
        ),
        (
            "parlons_media_participants",
            "gauge",
            "Participants with peers in the media shard.",
            &[("", ShardStats::get(&s.participants))],
        ),
        ("parlons_tracks", "gauge", "Published tracks in the media shard.", &[("", ShardStats::get(&s.tracks))]),
        (
            "parlons_peers",
            "gauge",
            "Peers (two per participant) by ICE state.",
            &[("ice_state=\"connected\"", connected), ("ice_state=\"not_connected\"", peers - connected)],
        ),
        ("parlons_packets_in_total", "counter", "UDP datagrams received.", &[("", ShardStats::get(&s.packets_in))]),
        ("parlons_bytes_in_total", "counter", "UDP bytes received.", &[("", ShardStats::get(&s.bytes_in))]),
        ("parlons_packets_out_total", "counter", "UDP datagrams sent.", &[("", ShardStats::get(&s.packets_out))]),
        ("parlons_bytes_out_total", "counter", "UDP bytes sent.", &[("", ShardStats::get(&s.bytes_out))]),
        (
            "parlons_packets_unclaimed_total",
            "counter",
            "Datagrams no peer claimed.",
            &[("", ShardStats::get(&s.packets_unclaimed))],
        ),
        ("parlons_nacks_total", "counter", "NACKs received from subscribers.", &[("", ShardStats::get(&s.nacks))]),
        (
            "parlons_keyframe_requests_total",
            "counter",
            "Keyframe requests sent to publishers.",
            &[("", ShardStats::get(&s.keyframe_requests))],
        ),
    ];
    let mut out = String::new();
    for (name, kind, help, samples) in families {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, v) in samples {
            if labels.is_empty() {
                let _ = writeln!(out, "{name} {v}");
            } else {
                let _ = writeln!(out, "{name}{{{labels}}} {v}");
            }
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}
