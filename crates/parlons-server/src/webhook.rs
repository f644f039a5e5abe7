//! LiveKit-format signed webhooks (`livekit-protocol.md` §11).
//!
//! Events are queued (bounded; the oldest are dropped with a warning when receivers are down) and
//! delivered by one task: `POST` the protojson body with `Content-Type: application/webhook+json`
//! and `Authorization: <JWT>` (no "Bearer"), whose `sha256` claim is the base64 SHA-256 of the body.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use parlons_room::WebhookKind;
use parlons_room::proto as lk;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

use crate::config::{Config, Secret};
use crate::ids;
use crate::token::{self, Claims};

/// Events waiting for delivery.
const QUEUE: usize = 1024;
/// Attempts per event and URL.
const ATTEMPTS: u32 = 3;

/// Sender side, cloned into every room actor.
#[derive(Clone)]
pub struct Webhooks {
    tx: Option<mpsc::Sender<lk::WebhookEvent>>,
}

impl Webhooks {
    /// Starts the delivery task when URLs are configured.
    pub fn start(config: &Config, cancel: CancellationToken, tracker: &tokio_util::task::TaskTracker) -> Self {
        if config.webhook.urls.is_empty() {
            return Webhooks { tx: None };
        }
        let key = if config.webhook.api_key.is_empty() {
            config.keys.keys().next().cloned()
        } else {
            Some(config.webhook.api_key.clone())
        };
        let Some((key, secret)) = key.and_then(|k| config.keys.get(&k).map(|s| (k, s.clone()))) else {
            warn!("webhook URLs are configured but no API key can sign them; webhooks disabled");
            return Webhooks { tx: None };
        };
        let (tx, rx) = mpsc::channel(QUEUE);
        let urls = Arc::new(config.webhook.urls.clone());
        tracker.spawn(deliver(rx, urls, key, secret, cancel));
        Webhooks { tx: Some(tx) }
    }

    /// Queues an event (never waits).
    pub fn send(
        &self,
        kind: WebhookKind,
        room: lk::Room,
        participant: Option<lk::ParticipantInfo>,
        track: Option<lk::TrackInfo>,
    ) {
        let Some(tx) = &self.tx else { return };
        let ev = lk::WebhookEvent {
            event: kind.name().to_string(),
            room: Some(room),
            participant,
            track,
            id: format!("EV_{}", ids::random_suffix(12)),
            created_at: token::unix_now() as i64,
            ..Default::default()
        };
        if tx.try_send(ev).is_err() {
            warn!("webhook queue full; event dropped");
        }
    }
}

impl Webhooks {
    /// Queues a recording event in LiveKit's egress form (`egress_started`, `egress_ended`), so
    /// LiveKit tooling reads it: the egress id is the recording id.
    pub fn send_egress(&self, event: &str, info: lk::EgressInfo) {
        let Some(tx) = &self.tx else { return };
        let ev = lk::WebhookEvent {
            event: event.to_string(),
            egress_info: Some(info),
            id: format!("EV_{}", ids::random_suffix(12)),
            created_at: token::unix_now() as i64,
            ..Default::default()
        };
        if tx.try_send(ev).is_err() {
            warn!("webhook queue full; event dropped");
        }
    }
}

/// Signs a body as LiveKit does.
pub fn authorization(body: &[u8], key: &str, secret: &Secret) -> anyhow::Result<String> {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body));
    let claims =
        Claims { iss: key.to_string(), exp: token::unix_now() + 300, sha256: Some(hash), ..Default::default() };
    token::sign(&claims, secret)
}

async fn deliver(
    mut rx: mpsc::Receiver<lk::WebhookEvent>,
    urls: Arc<Vec<String>>,
    key: String,
    secret: Secret,
    cancel: CancellationToken,
) {
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(10)).build() {
        Ok(c) => c,
        Err(e) => {
            warn!(error = %e, "cannot build the webhook HTTP client; webhooks disabled");
            return;
        }
    };
    loop {
        let ev = tokio::select! {
            _ = cancel.cancelled() => break,
            ev = rx.recv() => match ev { Some(ev) => ev, None => break },
        };
        let body = match serde_json::to_vec(&ev) {
            Ok(b) => b,
            Err(e) => {
                warn!(error = %e, "webhook event not serialisable");
                continue;
            }
        };
        let auth = match authorization(&body, &key, &secret) {
            Ok(a) => a,
            Err(e) => {
                warn!(error = %e, "webhook signing failed");
                continue;
            }
        };
        for url in urls.iter() {
            for attempt in 1..=ATTEMPTS {
                let r = client
                    .post(url)
                    .header("Content-Type", "application/webhook+json")
                    .header("User-Agent", "LiveKit")
                    .header("Authorization", &auth)
                    .body(body.clone())
                    .send()
                    .await;
                match r {
                    Ok(resp) if resp.status().is_success() => {
                        debug!(event = %ev.event, "webhook delivered");
                        break;
                    }
                    Ok(resp) => warn!(event = %ev.event, status = %resp.status(), attempt, "webhook refused"),
                    Err(e) => warn!(event = %ev.event, error = %e, attempt, "webhook delivery failed"),
                }
                tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;

    #[test]
    fn authorization_carries_body_hash() {
        let secret = Secret(SecretString::from("secret"));
        let body = br#"{"event":"room_started"}"#;
        let jwt = authorization(body, "devkey", &secret).unwrap();
        let mut keys = std::collections::BTreeMap::new();
        keys.insert("devkey".to_string(), secret);
        let claims = token::verify(&jwt, &keys).unwrap();
        let want = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body));
        assert_eq!(claims.sha256.as_deref(), Some(want.as_str()));
    }
}
