//! One shard task: socket, timers and commands around a sans-IO [`Sfu`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use parlons_sfu::{Command, Output, Sfu, SfuConfig, SfuEvent};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use crate::stats::ShardStats;

/// Capacity of the command queue: control-plane messages are small and rare next to media.
const COMMAND_QUEUE: usize = 4096;

/// A handle on a running shard.
#[derive(Clone)]
pub struct ShardHandle {
    commands: mpsc::Sender<Command>,
    /// The UDP address the shard receives on.
    pub local_addr: SocketAddr,
    /// The shard's counters.
    pub stats: Arc<ShardStats>,
}

impl ShardHandle {
    /// Sends a command; waits only if the queue is full. Fails when the shard has stopped.
    pub async fn send(&self, cmd: Command) -> Result<(), Command> {
        self.commands.send(cmd).await.map_err(|e| e.0)
    }
}

/// Starts a shard on `socket` (already bound: tests bind port 0). Events are sent to `events`.
pub fn spawn_shard(
    socket: UdpSocket,
    events: mpsc::UnboundedSender<SfuEvent>,
    cancel: CancellationToken,
    tracker: &TaskTracker,
) -> std::io::Result<ShardHandle> {
    let local_addr = socket.local_addr()?;
    let (tx, rx) = mpsc::channel(COMMAND_QUEUE);
    let stats = Arc::new(ShardStats::default());
    let sfu = Sfu::new(Instant::now(), SfuConfig::new(vec![local_addr]));
    let task = ShardTask { sfu, socket, local_addr, events, stats: stats.clone() };
    tracker.spawn(task.run(rx, cancel));
    info!(%local_addr, "media shard listening");
    Ok(ShardHandle { commands: tx, local_addr, stats })
}

struct ShardTask {
    sfu: Sfu,
    socket: UdpSocket,
    local_addr: SocketAddr,
    events: mpsc::UnboundedSender<SfuEvent>,
    stats: Arc<ShardStats>,
}

impl ShardTask {
    async fn run(mut self, mut commands: mpsc::Receiver<Command>, cancel: CancellationToken) {
        let mut buf = vec![0u8; 2048];
        loop {
            let deadline = self.drain().await;
            tokio::select! {
                _ = cancel.cancelled() => break,
                cmd = commands.recv() => {
                    let Some(cmd) = cmd else { break };
                    let kind = command_kind(&cmd);
                    if let Err(e) = self.sfu.handle_command(Instant::now(), cmd) {
                        debug!(command = kind, error = %e, "media command refused");
                    }
                }
                r = self.socket.recv_from(&mut buf) => match r {
                    Ok((n, source)) => {
                        ShardStats::add(&self.stats.packets_in, 1);
                        ShardStats::add(&self.stats.bytes_in, n as u64);
                        if !self.sfu.handle_receive(Instant::now(), source, self.local_addr, &buf[..n]) {
                            ShardStats::add(&self.stats.packets_unclaimed, 1);
                        }
                    }
                    // ICMP port unreachable and friends surface here on Linux; not fatal.
                    Err(e) => debug!(error = %e, "udp receive error"),
                },
                _ = tokio::time::sleep_until(deadline.into()) => self.sfu.handle_timeout(Instant::now()),
            }
        }
        info!(local_addr = %self.local_addr, "media shard stopped");
    }

    /// Copies the shard's counters into the shared stats (cheap: a handful of relaxed stores).
    fn publish_gauges(&self) {
        use std::sync::atomic::Ordering::Relaxed;
        let c = self.sfu.counters();
        self.stats.keyframe_requests.store(c.keyframe_requests, Relaxed);
        self.stats.nacks.store(c.nacks, Relaxed);
        self.stats.peers_connected.store(c.peers_connected, Relaxed);
        self.stats.peers.store(c.peers, Relaxed);
        self.stats.tracks.store(c.tracks, Relaxed);
        self.stats.participants.store(self.sfu.participant_count() as u64, Relaxed);
    }

    /// Carries out every pending output; returns the next deadline.
    async fn drain(&mut self) -> Instant {
        loop {
            match self.sfu.poll_output() {
                Output::Transmit(t) => {
                    let len = t.contents.len() as u64;
                    match self.socket.send_to(&t.contents, t.destination).await {
                        Ok(_) => {
                            ShardStats::add(&self.stats.packets_out, 1);
                            ShardStats::add(&self.stats.bytes_out, len);
                        }
                        Err(e) => debug!(error = %e, destination = %t.destination, "udp send failed"),
                    }
                }
                Output::Event(e) => {
                    if self.events.send(e).is_err() {
                        warn!("control plane is gone; media event dropped");
                    }
                }
                Output::Timeout(t) => {
                    self.publish_gauges();
                    return t;
                }
            }
        }
    }
}

/// A short name of a command, for logs (commands carry SDP, too long to log whole).
fn command_kind(cmd: &Command) -> &'static str {
    match cmd {
        Command::AddParticipant { .. } => "add_participant",
        Command::RemoveParticipant { .. } => "remove_participant",
        Command::AcceptOffer { .. } => "accept_offer",
        Command::AcceptAnswer { .. } => "accept_answer",
        Command::RestartIce { .. } => "restart_ice",
        Command::ExpectTrack { .. } => "expect_track",
        Command::RemoveTrack { .. } => "remove_track",
        Command::StartTap { .. } => "start_tap",
        Command::StopTap { .. } => "stop_tap",
        Command::Subscribe { .. } => "subscribe",
        Command::Unsubscribe { .. } => "unsubscribe",
        Command::UpdateSubscription { .. } => "update_subscription",
        Command::SendData { .. } => "send_data",
    }
}
