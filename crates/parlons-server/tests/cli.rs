//! The built `parlons` binary: serve on port 0, healthcheck, clean SIGTERM, redacted config check,
//! and the HTTP surface answering as documented.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_parlons");

struct Server {
    child: Child,
    base: String,
    _dir: TempDir,
}

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!("parlons-cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn start(tag: &str, extra: &[&str]) -> Server {
    let dir = TempDir::new(tag);
    let mut child = Command::new(BIN)
        .args(["serve", "--http-addr", "127.0.0.1:0", "--rtc-port", "0", "--data-dir"])
        .arg(&dir.0)
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn parlons");
    let stdout = child.stdout.take().expect("stdout piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.split("open ").nth(1) {
                let _ = tx.send(url.trim().trim_end_matches('/').to_string());
            }
        }
    });
    let base = rx.recv_timeout(Duration::from_secs(20)).expect("parlons printed its URL within 20 s");
    Server { child, base, _dir: dir }
}

/// A minimal HTTP/1.1 request (no client library needed for loopback checks).
fn http(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, String) {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("write");
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw.as_str(), ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head.to_lowercase(), body.to_string())
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let end = Instant::now() + within;
    while Instant::now() < end {
        if let Ok(Some(st)) = child.try_wait() {
            return Some(st);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn serves_health_api_and_stops_on_sigterm() {
    let mut srv = start("serve", &["--dev"]);
    let hc = Command::new(BIN).args(["healthcheck", "--url", &srv.base]).status().expect("healthcheck runs");
    assert!(hc.success(), "healthcheck passes against a running server");

    let (st, _, body) = http(&srv.base, "GET", "/healthz", &[], "");
    assert_eq!((st, body.as_str()), (200, "ok"));

    let (st, _, body) = http(&srv.base, "POST", "/api/v1/rooms", &[("Content-Type", "application/json")], "{}");
    assert_eq!(st, 201, "room created: {body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let slug = v["slug"].as_str().expect("slug").to_string();
    assert!(v["url"].as_str().unwrap_or_default().ends_with(&format!("/r/{slug}")));

    let json = [("Content-Type", "application/json")];
    let (st, _, body) = http(&srv.base, "POST", "/api/v1/rooms", &json, "");
    assert_eq!(st, 201, "an empty body is allowed in --dev: {body}");
    let (st, _, body) = http(&srv.base, "POST", "/api/v1/rooms", &[], "");
    assert_eq!(st, 201, "no body at all too: {body}");
    let join = format!("/api/v1/rooms/{slug}/join");
    let (st, _, body) = http(&srv.base, "POST", &join, &json, "{not json");
    assert_eq!(st, 400, "malformed JSON is refused: {body}");
    assert!(body.contains("\"code\":\"invalid_body\""), "with our error shape: {body}");
    let (st, _, body) = http(&srv.base, "POST", &join, &json, r#"{"name":"  "}"#);
    assert_eq!(st, 400, "blank names are refused: {body}");
    assert!(body.contains("invalid_name"));

    let (st, head, _) = http(&srv.base, "GET", "/rtc/v1/validate", &[], "");
    assert_eq!(st, 404);
    assert!(head.contains("access-control-allow-origin: *"), "the v1 404 carries CORS so browsers fall back");

    let (st, _, _) = http(&srv.base, "GET", "/rtc?access_token=garbage", &[], "");
    assert_eq!(st, 401, "a bad token is refused before the upgrade");

    let (st, _, body) = http(&srv.base, "GET", "/metrics", &[], "");
    assert_eq!(st, 200);
    assert!(body.contains("parlons_rooms 0"), "created rooms are stored, not running until someone joins: {body}");

    let (st, _, body) =
        http(&srv.base, "POST", "/twirp/livekit.RoomService/ListRooms", &[("Content-Type", "application/json")], "{}");
    assert_eq!(st, 401, "Twirp needs a token: {body}");
    assert!(body.contains("unauthenticated"));

    let (st, head, body) = http(&srv.base, "GET", "/r/some-room", &[], "");
    assert_eq!(st, 200, "client-side routes get the web client");
    assert!(head.contains("text/html") && body.contains("<html"));

    let pid = srv.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(killed.success());
    let st = wait_exit(&mut srv.child, Duration::from_secs(10)).expect("exits within 10 s of SIGTERM");
    assert!(st.success(), "clean exit status after SIGTERM: {st:?}");
}

#[test]
fn config_check_redacts_secrets_and_refuses_bad_files() {
    let dir = TempDir::new("config");
    let file = dir.0.join("parlons.toml");
    std::fs::write(&file, "[keys]\nmykey = \"very-secret-value\"\n[logging]\nformat = \"json\"\n")
        .expect("write config");
    let out = Command::new(BIN).args(["config", "check", "--config"]).arg(&file).output().expect("config check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "config check succeeds: {}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("mykey"), "the key name is shown");
    assert!(!text.contains("very-secret-value"), "the secret is not shown");
    assert!(text.contains("[redacted]"));

    std::fs::write(&file, "[http]\nnot_a_key = 1\n").expect("write config");
    let out = Command::new(BIN).args(["config", "check", "--config"]).arg(&file).output().expect("config check");
    assert!(!out.status.success(), "unknown keys are refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not_a_key"));
}

#[test]
fn without_dev_rooms_need_an_account_and_a_key_is_generated() {
    let srv = start("nodev", &[]);
    let (st, _, body) = http(&srv.base, "POST", "/api/v1/rooms", &[("Content-Type", "application/json")], "{}");
    assert_eq!(st, 401, "anonymous room creation is off by default: {body}");
    assert!(srv._dir.0.join("api-key.toml").exists(), "an API key was generated in the data directory");
    drop(srv);
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
