//! `parlons serve`: binds the listeners, starts the media shard, the room registry, webhooks and
//! HTTP, and shuts all of it down cleanly on SIGTERM or Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use anyhow::Context;
use secrecy::SecretString;
use tokio::net::{TcpListener, UdpSocket};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{info, warn};
use tracing_subscriber::EnvFilter;

use crate::config::{Config, Secret};
use crate::http::{AppState, app};
use crate::ids;
use crate::rooms::Rooms;
use crate::webhook::Webhooks;

/// How long rooms get to say goodbye on shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.logging.level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if config.logging.format == "json" { builder.json().try_init() } else { builder.compact().try_init() };
}

/// The IP the media socket binds and advertises.
fn media_ip(config: &Config) -> IpAddr {
    if let Ok(ip) = config.rtc.ip.parse() {
        return ip;
    }
    let http_ip = config.http.addr.ip();
    if !http_ip.is_unspecified() {
        return http_ip;
    }
    if_addrs::get_if_addrs()
        .ok()
        .and_then(|ifs| ifs.into_iter().find(|i| !i.is_loopback() && i.ip().is_ipv4()).map(|i| i.ip()))
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// Makes sure some API key exists: without one (and without `--dev`), a key is generated once and
/// kept in the data directory, so the embedded default works and survives restarts.
fn ensure_keys(config: &mut Config) -> anyhow::Result<()> {
    if !config.keys.is_empty() {
        return Ok(());
    }
    let path = config.data.dir.join("api-key.toml");
    if !path.exists() {
        let key = format!("API{}", ids::random_suffix(12));
        let secret = ids::random_suffix(40);
        std::fs::write(&path, format!("{key} = \"{secret}\"\n"))
            .with_context(|| format!("writing {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        }
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let table: toml::Table = toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    for (k, v) in table {
        if let Some(s) = v.as_str() {
            config.keys.insert(k, Secret(SecretString::from(s.to_string())));
        }
    }
    Ok(())
}

/// Runs the server until SIGTERM or Ctrl-C.
pub fn run(mut config: Config) -> anyhow::Result<()> {
    init_logging(&config);
    std::fs::create_dir_all(&config.data.dir).with_context(|| format!("creating {}", config.data.dir.display()))?;
    ensure_keys(&mut config)?;
    if config.node_id.is_empty() {
        config.node_id = format!("ND_{}", ids::random_suffix(8));
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    rt.block_on(serve(Arc::new(config)))
}

/// The database URL: the configured one, else a SQLite file in the data directory.
pub fn database_url(config: &Config) -> String {
    let u = config.database.url.expose();
    if u.is_empty() { format!("sqlite://{}", config.data.dir.join("parlons.db").display()) } else { u.to_string() }
}

/// Opens the store (creating the data directory for SQLite).
pub async fn open_store(config: &Config) -> anyhow::Result<parlons_store::Store> {
    std::fs::create_dir_all(&config.data.dir).with_context(|| format!("creating {}", config.data.dir.display()))?;
    let url = database_url(config);
    parlons_store::Store::open(&url)
        .await
        .with_context(|| format!("opening the database {}", parlons_store::redact_url(&url)))
}

/// On the first start (no account at all), creates `admin` with a random password and prints it once.
async fn first_admin(config: &Config, store: &parlons_store::Store) -> anyhow::Result<()> {
    if !config.auth.local || store.count_users().await? > 0 {
        return Ok(());
    }
    let password = ids::random_suffix(20);
    let hash = tokio::task::spawn_blocking({
        let p = password.clone();
        move || crate::auth::password::hash(&p)
    })
    .await??;
    let user = parlons_store::NewUser {
        id: parlons_types::UserId::with_suffix(&ids::random_suffix(16)),
        username: Some("admin".into()),
        name: "Administrator".into(),
        email: None,
        password_hash: Some(hash),
        is_admin: true,
        oidc: None,
        now: crate::token::unix_now_ms(),
    };
    store.create_user(user).await?;
    println!("Local admin account: admin / {password}");
    println!("(shown once; change it with `parlons user passwd admin`)");
    Ok(())
}

/// Periodic housekeeping: expired lobby entries (hosts are told), rate-limit state, sessions.
async fn housekeeping(state: Arc<AppState>, cancel: CancellationToken) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    let mut n: u64 = 0;
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tick.tick() => {}
        }
        n += 1;
        let changed = state.lobby_lock().expire(crate::token::unix_now_ms());
        for slug in changed {
            crate::http::lobby_changed(&state, &slug).await;
        }
        if n.is_multiple_of(30) {
            crate::recording::expire(&state).await;
            state.limits.prune();
            if let Err(e) = state.store.delete_expired_sessions(crate::token::unix_now_ms()).await {
                warn!(error = %e, "pruning sessions failed");
            }
        }
    }
}

async fn serve(config: Arc<Config>) -> anyhow::Result<()> {
    let cancel = CancellationToken::new();
    let tracker = TaskTracker::new();

    let listener =
        TcpListener::bind(config.http.addr).await.with_context(|| format!("binding HTTP on {}", config.http.addr))?;
    let http_addr = listener.local_addr()?;
    let ip = media_ip(&config);
    let udp_addr = SocketAddr::new(ip, config.rtc.port);
    let udp = UdpSocket::bind(udp_addr).await.with_context(|| format!("binding media UDP on {udp_addr}"))?;

    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let shard = parlons_media_io::spawn_shard(udp, events_tx, cancel.clone(), &tracker)?;
    let webhooks = Webhooks::start(&config, cancel.clone(), &tracker);
    let rooms = Rooms::new(config.clone(), shard.clone(), webhooks.clone(), cancel.clone(), tracker.clone());
    tracker.spawn(rooms.clone().dispatch_media(events_rx));

    let store = open_store(&config).await?;
    first_admin(&config, &store).await?;
    let oidc = crate::auth::oidc::Oidc::new(&config.auth.oidc)?;
    let state = Arc::new(AppState {
        config: config.clone(),
        rooms,
        shard: shard.clone(),
        next_session: AtomicU64::new(1),
        store: store.clone(),
        lobby: Default::default(),
        limits: Default::default(),
        oidc,
        webhooks,
    });
    crate::recording::recover(&state).await;
    tracker.spawn(crate::jobs::work(
        store.clone(),
        config.clone(),
        vec![crate::jobs::COMPOSITE.into()],
        cancel.clone(),
    ));
    tracker.spawn(housekeeping(state.clone(), cancel.clone()));
    let router = app(state).into_make_service_with_connect_info::<SocketAddr>();

    let shown = if http_addr.ip().is_unspecified() { SocketAddr::new(ip, http_addr.port()) } else { http_addr };
    info!(http = %http_addr, media = %shard.local_addr, node = %config.node_id, dev = config.dev, "Parlons started");
    // The one line people (and tests) look for: where to point a browser.
    println!("Parlons is ready: open http://{shown}/");
    if config.dev {
        println!(
            "LiveKit URL ws://{shown} (API key {} / secret {})",
            crate::config::DEV_API_KEY,
            crate::config::DEV_API_SECRET
        );
    }

    let shutdown = cancel.clone();
    tracker.spawn(async move {
        wait_for_signal().await;
        info!("shutting down");
        shutdown.cancel();
    });
    let http_cancel = cancel.clone();
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { http_cancel.cancelled().await })
        .await
        .context("HTTP server")?;
    tracker.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, tracker.wait()).await.is_err() {
        warn!("some tasks did not stop in time");
    }
    store.close().await;
    info!("stopped");
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `parlons worker`: runs jobs until SIGTERM or Ctrl-C.
pub fn worker(mut config: Config, queues: Vec<String>) -> anyhow::Result<()> {
    init_logging(&config);
    if config.node_id.is_empty() {
        config.node_id = format!("WK_{}", ids::random_suffix(8));
    }
    let queues = if queues.is_empty() { vec![crate::jobs::COMPOSITE.to_string()] } else { queues };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    rt.block_on(async move {
        let config = Arc::new(config);
        let store = open_store(&config).await?;
        let cancel = CancellationToken::new();
        let stop = cancel.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            stop.cancel();
        });
        crate::jobs::work(store.clone(), config, queues, cancel).await;
        store.close().await;
        Ok(())
    })
}

/// `parlons healthcheck`: GET /healthz.
pub fn healthcheck(config: &Config, url: Option<String>) -> anyhow::Result<()> {
    let base = url.unwrap_or_else(|| {
        let a = config.http.addr;
        let a = if a.ip().is_unspecified() { SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), a.port()) } else { a };
        format!("http://{a}")
    });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build()?;
        let r = client
            .get(format!("{}/healthz", base.trim_end_matches('/')))
            .send()
            .await
            .with_context(|| format!("contacting {base}"))?;
        anyhow::ensure!(r.status().is_success(), "{base}/healthz answered {}", r.status());
        Ok(())
    })
}
