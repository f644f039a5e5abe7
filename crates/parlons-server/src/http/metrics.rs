//! Prometheus text exposition. No per-participant labels (conventions).

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use parlons_media_io::ShardStats;

use super::AppState;

/// `GET /metrics`
pub async fn render(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let s = &state.shard.stats;
    let mut out = String::new();
    let mut put = |name: &str, kind: &str, help: &str, v: u64| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}");
    };
    put("parlons_rooms", "gauge", "Rooms running on this node.", state.rooms.list().len() as u64);
    put("parlons_participants", "gauge", "Participants on this node.", state.rooms.participant_count() as u64);
    put(
        "parlons_media_participants",
        "gauge",
        "Participants with peers in the media shard.",
        ShardStats::get(&s.participants),
    );
    put("parlons_tracks", "gauge", "Published tracks in the media shard.", ShardStats::get(&s.tracks));
    let peers = ShardStats::get(&s.peers);
    let connected = ShardStats::get(&s.peers_connected).min(peers);
    let _ = writeln!(out, "# HELP parlons_peers Peers (two per participant) by ICE state.\n# TYPE parlons_peers gauge");
    let _ = writeln!(out, "parlons_peers{{ice_state=\"connected\"}} {connected}");
    let _ = writeln!(out, "parlons_peers{{ice_state=\"not_connected\"}} {}", peers - connected);
    let mut put = |name: &str, kind: &str, help: &str, v: u64| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}");
    };
    put("parlons_packets_in_total", "counter", "UDP datagrams received.", ShardStats::get(&s.packets_in));
    put("parlons_bytes_in_total", "counter", "UDP bytes received.", ShardStats::get(&s.bytes_in));
    put("parlons_packets_out_total", "counter", "UDP datagrams sent.", ShardStats::get(&s.packets_out));
    put("parlons_bytes_out_total", "counter", "UDP bytes sent.", ShardStats::get(&s.bytes_out));
    put(
        "parlons_packets_unclaimed_total",
        "counter",
        "Datagrams no peer claimed.",
        ShardStats::get(&s.packets_unclaimed),
    );
    put("parlons_nacks_total", "counter", "NACKs received from subscribers.", ShardStats::get(&s.nacks));
    put(
        "parlons_keyframe_requests_total",
        "counter",
        "Keyframe requests sent to publishers.",
        ShardStats::get(&s.keyframe_requests),
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}
