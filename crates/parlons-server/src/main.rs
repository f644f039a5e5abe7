//! `parlons`: the whole service in one binary. See `serve.rs` for the wiring.

mod access;
mod auth;
mod config;
mod error;
mod http;
mod ids;
mod jobs;
mod recording;
mod rooms;
mod serve;
mod session;
mod token;
mod users;
mod webhook;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, Overrides};

/// Parlons: sovereign video conferencing.
#[derive(Parser)]
#[command(name = "parlons", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (web client, API, signalling, media).
    Serve(ConfigArgs),
    /// Exit 0 when a local server answers /healthz.
    Healthcheck {
        /// Base URL of the server (default: from the configuration's http.addr).
        #[arg(long)]
        url: Option<String>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Configuration tools.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Local accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print the product API's OpenAPI document.
    Openapi,
    /// Run background jobs (composite videos) from the shared database, without serving HTTP.
    Worker {
        /// Queues to take jobs from (repeatable; default: all).
        #[arg(long = "queue")]
        queues: Vec<String>,
        #[command(flatten)]
        config: ConfigArgs,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a local account (the password is read from stdin with --password-stdin, else generated and printed).
    Add {
        /// Login name.
        username: String,
        /// Display name (default: the login name).
        #[arg(long)]
        name: Option<String>,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Instance administrator.
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Set a local account's password (read from stdin with --password-stdin, else generated and printed).
    Passwd {
        /// Login name.
        username: String,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        config: ConfigArgs,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the effective configuration, secrets redacted.
    Check(ConfigArgs),
}

/// Flags shared by the commands that read the configuration.
#[derive(Args, Clone, Default)]
struct ConfigArgs {
    /// TOML configuration file.
    #[arg(long, env = "PARLONS_CONFIG")]
    config: Option<PathBuf>,
    /// Development mode: LiveKit dev credentials (devkey/secret), anyone may create rooms.
    #[arg(long)]
    dev: bool,
    /// HTTP listener, e.g. 0.0.0.0:7880 (port 0 = any free port).
    #[arg(long)]
    http_addr: Option<SocketAddr>,
    /// UDP port for media (0 = any free port).
    #[arg(long)]
    rtc_port: Option<u16>,
    /// Directory for local state.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Node identifier.
    #[arg(long)]
    node_id: Option<String>,
}

impl ConfigArgs {
    fn load(&self) -> anyhow::Result<Config> {
        let o = Overrides {
            dev: self.dev.then_some(true),
            http_addr: self.http_addr,
            rtc_port: self.rtc_port,
            data_dir: self.data_dir.clone(),
            node_id: self.node_id.clone(),
        };
        Config::load(self.config.as_deref(), &o)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => args.load().and_then(serve::run),
        Command::Healthcheck { url, config } => config.load().and_then(|c| serve::healthcheck(&c, url)),
        Command::Config { command: ConfigCommand::Check(args) } => args.load().and_then(|c| {
            print!("{}", c.redacted_toml()?);
            Ok(())
        }),
        Command::User { command } => users::run(command),
        Command::Worker { queues, config } => config.load().and_then(|c| serve::worker(c, queues)),
        Command::Openapi => {
            println!("{}", http::openapi::document());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("parlons: {e:#}");
            ExitCode::FAILURE
        }
    }
}
