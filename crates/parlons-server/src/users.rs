//! `parlons user add|passwd`: local accounts from the command line.

use std::io::BufRead;

use anyhow::{Context, bail};
use parlons_store::{NewUser, StoreError};
use parlons_types::UserId;

use crate::auth::password;
use crate::{UserCommand, ids, serve, token};

fn read_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((ids::random_suffix(20), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from stdin")?;
    let pw = line.trim_end_matches(['\r', '\n']).to_string();
    if let Err(e) = password::check_strength(&pw) {
        bail!("{e}");
    }
    Ok((pw, false))
}

/// Runs a `parlons user` command.
pub fn run(cmd: UserCommand) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async move {
        match cmd {
            UserCommand::Add { username, name, email, admin, password_stdin, config } => {
                let config = config.load()?;
                let username = username.trim().to_string();
                if username.is_empty() || username.len() > 64 || username.chars().any(char::is_whitespace) {
                    bail!("usernames are 1-64 characters without spaces");
                }
                let (pw, generated) = read_password(password_stdin)?;
                let store = serve::open_store(&config).await?;
                let user = NewUser {
                    id: UserId::with_suffix(&ids::random_suffix(16)),
                    username: Some(username.clone()),
                    name: name.unwrap_or_else(|| username.clone()),
                    email,
                    password_hash: Some(password::hash(&pw)?),
                    is_admin: admin,
                    oidc: None,
                    now: token::unix_now_ms(),
                };
                let created = match store.create_user(user).await {
                    Err(StoreError::Conflict(_)) => bail!("user {username:?} already exists"),
                    other => other?,
                };
                store.close().await;
                println!("created user {username} ({})", created.id);
                if generated {
                    println!("password: {pw}");
                }
                Ok(())
            }
            UserCommand::Passwd { username, password_stdin, config } => {
                let config = config.load()?;
                let (pw, generated) = read_password(password_stdin)?;
                let store = serve::open_store(&config).await?;
                let Some(user) = store.find_user(&username).await?.filter(|u| u.username.as_deref() == Some(&username))
                else {
                    bail!("no local user {username:?}");
                };
                store.set_password(&user.id, &password::hash(&pw)?).await?;
                store.close().await;
                println!("password of {username} changed");
                if generated {
                    println!("password: {pw}");
                }
                Ok(())
            }
        }
    })
}
