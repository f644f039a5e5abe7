//! Configuration: defaults → TOML file → `PARLONS_SECTION__KEY` environment → command-line flags.
//!
//! Validated once at start-up, then passed explicitly (no global). Secrets are [`SecretString`]s:
//! `parlons config check` prints the effective configuration with every secret redacted.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The LiveKit development credentials (`--dev`), so LiveKit tooling works unchanged.
pub const DEV_API_KEY: &str = "devkey";
/// The LiveKit development secret.
pub const DEV_API_SECRET: &str = "secret";

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
pub struct Config {
    /// Development mode: LiveKit dev credentials, anyone may create rooms.
    pub dev: bool,
    /// Identifier of this node (logs, `ServerInfo.node_id`).
    pub node_id: String,
    /// HTTP listener (web client, API, signalling).
    pub http: HttpConfig,
    /// Media (WebRTC) transport.
    pub rtc: RtcConfig,
    /// Local storage.
    pub data: DataConfig,
    /// Database (SQLite file in the data directory by default).
    pub database: DatabaseConfig,
    /// Sign-in: local accounts and OpenID Connect.
    pub auth: AuthConfig,
    /// LiveKit API keys: key → secret. Tokens are verified with the secret of their `iss`.
    pub keys: BTreeMap<String, Secret>,
    /// Other services calling the product API with the OAuth 2 client-credentials grant, each
    /// scoped to some rooms: client id → settings.
    pub api_clients: BTreeMap<String, ApiClientConfig>,
    /// Recordings.
    pub recording: RecordingConfig,
    /// Room defaults.
    pub room: RoomDefaults,
    /// Webhooks.
    pub webhook: WebhookConfig,
    /// Logging.
    pub logging: LoggingConfig,
}

/// A secret that serialises as `"[redacted]"` (or `""` when empty).
#[derive(Clone, Debug)]
pub struct Secret(pub SecretString);

impl Default for Secret {
    fn default() -> Self {
        Secret(SecretString::from(String::new()))
    }
}

impl Secret {
    /// The secret's value (never log it).
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if self.expose().is_empty() { "" } else { "[redacted]" })
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Secret(SecretString::from(String::deserialize(d)?)))
    }
}

/// `[http]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Address of the HTTP listener (port 0 = any free port).
    pub addr: SocketAddr,
    /// Public base URL (e.g. `https://visio.example.org`) used in room links; derived from the
    /// request's `Host` when empty.
    pub public_url: String,
}

/// `[rtc]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RtcConfig {
    /// UDP port of the media socket (0 = any free port).
    pub port: u16,
    /// IP address to bind and advertise as ICE host candidate; empty = the HTTP listener's IP,
    /// or the first non-loopback IPv4 address when HTTP listens on all interfaces.
    pub ip: String,
}

/// `[data]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataConfig {
    /// Directory for local state (generated API key, later the SQLite database and recordings).
    pub dir: PathBuf,
}

/// `[database]`
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://path` or `postgres://user:password@host/db`; empty = `sqlite://<data.dir>/parlons.db`.
    pub url: Secret,
}

/// `[auth]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// Local accounts (username + password) may sign in.
    pub local: bool,
    /// Signed-in users appear under the name their account holds (from the IdP), not one they type.
    pub force_idp_names: bool,
    /// Lifetime of a browser session, in hours.
    pub session_hours: u64,
    /// Lifetime of the LiveKit tokens the API mints, in seconds (refreshed over signalling).
    pub token_ttl_secs: u64,
    /// OpenID Connect provider (off when `issuer` is empty).
    pub oidc: OidcConfig,
}

/// `[auth.oidc]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct OidcConfig {
    /// Issuer URL (its `/.well-known/openid-configuration` is read at start-up).
    pub issuer: String,
    /// Client id registered at the provider.
    pub client_id: String,
    /// Client secret.
    pub client_secret: Secret,
    /// Name on the sign-in button (e.g. "ProConnect").
    pub name: String,
    /// Scopes requested besides `openid`.
    pub scopes: Vec<String>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            local: true,
            force_idp_names: false,
            session_hours: 24 * 7,
            token_ttl_secs: 600,
            oidc: OidcConfig::default(),
        }
    }
}

impl Default for OidcConfig {
    fn default() -> Self {
        OidcConfig {
            issuer: String::new(),
            client_id: String::new(),
            client_secret: Secret::default(),
            name: "OpenID Connect".into(),
            scopes: vec!["email".into(), "profile".into()],
        }
    }
}

/// `[recording]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecordingConfig {
    /// Directory of recordings; empty = `<data.dir>/recordings`.
    pub dir: PathBuf,
    /// Recordings are deleted this many days after they stop (0 = kept).
    pub expire_days: u64,
}

impl Default for RecordingConfig {
    fn default() -> Self {
        RecordingConfig { dir: PathBuf::new(), expire_days: 30 }
    }
}

/// `[api_clients.<id>]`
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ApiClientConfig {
    /// Client secret (at least 16 characters).
    pub secret: Secret,
    /// Slugs of the rooms this client administers; `["*"]` for all (and listing them).
    pub rooms: Vec<String>,
    /// May create rooms.
    pub create_rooms: bool,
}

/// `[room]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoomDefaults {
    /// Seconds an empty room lives before it is closed.
    pub empty_timeout_secs: u64,
    /// Seconds a participant whose signalling dropped may resume.
    pub resume_window_secs: u64,
    /// Participant cap per room (0 = none).
    pub max_participants: u32,
    /// Anyone may create rooms through the product API (`--dev` turns it on).
    pub allow_anonymous_create: bool,
}

/// `[webhook]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
pub struct WebhookConfig {
    /// URLs receiving LiveKit-format webhooks.
    pub urls: Vec<String>,
    /// API key whose secret signs webhooks (default: the first key).
    pub api_key: String,
}

/// `[logging]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoggingConfig {
    /// `RUST_LOG`-style filter.
    pub level: String,
    /// `compact` or `json`.
    pub format: String,
    /// Redact IP addresses, names and tokens in logs.
    pub redact_pii: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig { addr: SocketAddr::from(([127, 0, 0, 1], 7880)), public_url: String::new() }
    }
}

impl Default for RtcConfig {
    fn default() -> Self {
        RtcConfig { port: 7882, ip: String::new() }
    }
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig { dir: PathBuf::from("data") }
    }
}

impl Default for RoomDefaults {
    fn default() -> Self {
        RoomDefaults {
            empty_timeout_secs: 300,
            resume_window_secs: 20,
            max_participants: 0,
            allow_anonymous_create: false,
        }
    }
}

impl Default for LoggingConfig {
    fn default() -> Self {
        LoggingConfig { level: "info,str0m::format=error".into(), format: "compact".into(), redact_pii: true }
    }
}

/// Command-line values that override the file and the environment.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    /// `--dev`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dev: Option<bool>,
    /// `--http-addr`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_addr: Option<SocketAddr>,
    /// `--rtc-port`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtc_port: Option<u16>,
    /// `--data-dir`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// `--node-id`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_id: Option<String>,
}

impl Config {
    /// Loads the layers. `file` is read when given (a missing explicit file is an error).
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Config> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if let Some(f) = file {
            if !f.exists() {
                bail!("config file {} does not exist", f.display());
            }
            fig = fig.merge(Toml::file(f));
        }
        warn_unknown_env();
        fig = fig.merge(Env::prefixed("PARLONS_").split("__").filter(|k| is_config_env(k.as_str())));
        let mut cfg: Config = fig.extract().context("invalid configuration")?;
        if let Some(d) = overrides.dev {
            cfg.dev = cfg.dev || d;
        }
        if let Some(a) = overrides.http_addr {
            cfg.http.addr = a;
        }
        if let Some(p) = overrides.rtc_port {
            cfg.rtc.port = p;
        }
        if let Some(d) = &overrides.data_dir {
            cfg.data.dir = d.clone();
        }
        if let Some(n) = &overrides.node_id {
            cfg.node_id = n.clone();
        }
        if cfg.dev {
            cfg.keys.entry(DEV_API_KEY.into()).or_insert_with(|| Secret(SecretString::from(DEV_API_SECRET)));
            cfg.room.allow_anonymous_create = true;
        }
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if !["compact", "json"].contains(&self.logging.format.as_str()) {
            bail!("logging.format must be \"compact\" or \"json\", not {:?}", self.logging.format);
        }
        if !self.rtc.ip.is_empty() {
            self.rtc.ip.parse::<IpAddr>().with_context(|| format!("rtc.ip {:?} is not an IP address", self.rtc.ip))?;
        }
        for (k, s) in &self.keys {
            if k.is_empty() || s.expose().is_empty() {
                bail!("API keys and secrets must not be empty");
            }
        }
        if !self.webhook.urls.is_empty()
            && !self.webhook.api_key.is_empty()
            && !self.keys.contains_key(&self.webhook.api_key)
        {
            bail!("webhook.api_key {:?} is not one of the configured keys", self.webhook.api_key);
        }
        let o = &self.auth.oidc;
        if !o.issuer.is_empty() {
            if !(o.issuer.starts_with("https://") || o.issuer.starts_with("http://")) {
                bail!("auth.oidc.issuer must be an http(s) URL, not {:?}", o.issuer);
            }
            if o.client_id.is_empty() {
                bail!("auth.oidc.client_id is required when auth.oidc.issuer is set");
            }
        }
        for (id, c) in &self.api_clients {
            if c.secret.expose().chars().count() < 16 {
                bail!("api_clients.{id}.secret must have at least 16 characters");
            }
        }
        if self.auth.token_ttl_secs < 60 {
            bail!("auth.token_ttl_secs must be at least 60");
        }
        for u in &self.webhook.urls {
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                bail!("webhook URL {u:?} must start with http:// or https://");
            }
        }
        Ok(())
    }

    /// The effective configuration as TOML, secrets redacted.
    pub fn redacted_toml(&self) -> anyhow::Result<String> {
        toml::to_string_pretty(self).context("serialising the configuration")
    }
}

/// Top-level keys and sections, as `PARLONS_<KEY>` or `PARLONS_<SECTION>__<KEY>`.
const ENV_KEYS: &[&str] = &[
    "DEV",
    "NODE_ID",
    "HTTP__",
    "RTC__",
    "DATA__",
    "DATABASE__",
    "AUTH__",
    "KEYS__",
    "API_CLIENTS__",
    "RECORDING__",
    "ROOM__",
    "WEBHOOK__",
    "LOGGING__",
];

/// Whether an environment key (without the `PARLONS_` prefix) belongs to the configuration.
fn is_config_env(rest: &str) -> bool {
    // figment hands the filter the key after `split("__")`, i.e. with dots.
    let rest = rest.to_ascii_uppercase().replace('.', "__");
    ENV_KEYS.iter().any(|s| rest == *s || (s.ends_with("__") && rest.starts_with(s)))
}

/// Warns about `PARLONS_*` variables that match no key (typos would otherwise be silent).
fn warn_unknown_env() {
    for (k, _) in std::env::vars() {
        if let Some(rest) = k.strip_prefix("PARLONS_")
            && rest != "CONFIG"
            && !rest.starts_with("TEST_")
            && !is_config_env(rest)
        {
            eprintln!("warning: environment variable {k} matches no configuration key; ignored");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_adds_livekit_dev_credentials_and_anonymous_rooms() {
        let cfg = Config::load(None, &Overrides { dev: Some(true), ..Default::default() }).unwrap();
        assert_eq!(cfg.keys.get(DEV_API_KEY).map(|s| s.expose().to_string()), Some(DEV_API_SECRET.to_string()));
        assert!(cfg.room.allow_anonymous_create);
    }

    #[test]
    fn redacted_output_hides_secrets() {
        let mut cfg = Config::default();
        cfg.keys.insert("k".into(), Secret(SecretString::from("super-secret-value")));
        let text = cfg.redacted_toml().unwrap();
        assert!(!text.contains("super-secret-value"));
        assert!(text.contains("[redacted]"));
    }

    #[test]
    fn sample_config_matches_defaults() {
        // Every key of config.sample.toml exists and the sample parses with the same defaults.
        let sample = include_str!("../../../config.sample.toml");
        let parsed: Config = toml::from_str(sample).expect("config.sample.toml parses");
        let defaults = Config::default();
        assert_eq!(toml::to_string(&parsed).unwrap(), toml::to_string(&defaults).unwrap());
    }

    #[test]
    fn environment_keys_are_recognised_in_both_spellings() {
        assert!(is_config_env("WEBHOOK__URLS"));
        assert!(is_config_env("webhook.urls"));
        assert!(is_config_env("DEV"));
        assert!(!is_config_env("BIN"), "harness variables like PARLONS_BIN are not configuration");
        assert!(!is_config_env("DEVX"));
    }

    #[test]
    fn flags_override_file_and_bad_values_are_refused() {
        let o = Overrides { http_addr: Some("127.0.0.1:0".parse().unwrap()), rtc_port: Some(0), ..Default::default() };
        let cfg = Config::load(None, &o).unwrap();
        assert_eq!(cfg.http.addr.port(), 0);
        assert_eq!(cfg.rtc.port, 0);
        assert!(Config::load(Some(Path::new("/nonexistent/parlons.toml")), &o).is_err());
    }
}
