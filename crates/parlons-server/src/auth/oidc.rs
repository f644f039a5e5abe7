//! OpenID Connect sign-in (authorization code + PKCE S256 + nonce + state) against any standard
//! provider, with `openidconnect`. Discovery is read on first use and cached; the provider's
//! `end_session_endpoint`, when it has one, gives RP-initiated logout.

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use tokio::sync::Mutex;

use crate::config::OidcConfig;

/// How long discovered metadata is trusted before it is read again.
const METADATA_TTL: Duration = Duration::from_secs(3600);

struct Discovered {
    metadata: CoreProviderMetadata,
    end_session: Option<String>,
    at: Instant,
}

/// The configured provider.
pub struct Oidc {
    config: OidcConfig,
    http: openidconnect::reqwest::Client,
    cache: Mutex<Option<Discovered>>,
}

/// A login to start: send the browser to `url`, remember the rest until the callback.
pub struct Start {
    /// The provider's authorization URL.
    pub url: String,
    /// `state`.
    pub state: String,
    /// `nonce`.
    pub nonce: String,
    /// PKCE verifier.
    pub pkce_verifier: String,
}

/// Who signed in.
pub struct Identity {
    /// Issuer URL.
    pub issuer: String,
    /// `sub`.
    pub subject: String,
    /// Display name (name, else given + family name, else e-mail, else subject).
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// The raw ID token, for RP-initiated logout.
    pub id_token: String,
}

impl Oidc {
    /// The provider of `config`, or `None` when no issuer is configured.
    pub fn new(config: &OidcConfig) -> anyhow::Result<Option<Oidc>> {
        if config.issuer.is_empty() {
            return Ok(None);
        }
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would open the client up to SSRF.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .context("building the OpenID Connect HTTP client")?;
        Ok(Some(Oidc { config: config.clone(), http, cache: Mutex::new(None) }))
    }

    async fn discovered(&self) -> anyhow::Result<(CoreProviderMetadata, Option<String>)> {
        let mut cache = self.cache.lock().await;
        if let Some(d) = cache.as_ref()
            && d.at.elapsed() < METADATA_TTL
        {
            return Ok((d.metadata.clone(), d.end_session.clone()));
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).context("auth.oidc.issuer is not a URL")?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| anyhow!("OpenID Connect discovery at {} failed: {e}", self.config.issuer))?;
        // `end_session_endpoint` is not part of the core metadata type: read it from the raw document.
        let doc_url = format!("{}/.well-known/openid-configuration", self.config.issuer.trim_end_matches('/'));
        let end_session = match self.http.get(&doc_url).send().await {
            Ok(r) => r
                .bytes()
                .await
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|v| v.get("end_session_endpoint").and_then(|e| e.as_str()).map(str::to_string)),
            Err(_) => None,
        };
        *cache = Some(Discovered { metadata: metadata.clone(), end_session: end_session.clone(), at: Instant::now() });
        Ok((metadata, end_session))
    }

    fn secret(&self) -> Option<ClientSecret> {
        let s = self.config.client_secret.expose();
        (!s.is_empty()).then(|| ClientSecret::new(s.to_string()))
    }

    /// Starts a login that comes back to `redirect_uri`.
    pub async fn start(&self, redirect_uri: &str) -> anyhow::Result<Start> {
        let (metadata, _) = self.discovered().await?;
        let client =
            CoreClient::from_provider_metadata(metadata, ClientId::new(self.config.client_id.clone()), self.secret())
                .set_redirect_uri(RedirectUrl::new(redirect_uri.to_string()).context("redirect URI")?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut req =
            client.authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random);
        for s in &self.config.scopes {
            req = req.add_scope(Scope::new(s.clone()));
        }
        let (url, state, nonce) = req.set_pkce_challenge(challenge).url();
        Ok(Start {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Finishes a login: exchanges the code, verifies the ID token (signature, issuer,
    /// audience, expiry, nonce) and reads the user's name and e-mail.
    pub async fn finish(
        &self,
        redirect_uri: &str,
        code: &str,
        nonce: &str,
        verifier: &str,
    ) -> anyhow::Result<Identity> {
        let (metadata, _) = self.discovered().await?;
        let client =
            CoreClient::from_provider_metadata(metadata, ClientId::new(self.config.client_id.clone()), self.secret())
                .set_redirect_uri(RedirectUrl::new(redirect_uri.to_string()).context("redirect URI")?);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .context("the provider has no token endpoint")?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_string()))
            .request_async(&self.http)
            .await
            .map_err(|e| anyhow!("exchanging the authorization code failed: {e}"))?;
        let id_token = tokens.id_token().ok_or_else(|| anyhow!("the provider returned no ID token"))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_string()))
            .map_err(|e| anyhow!("ID token refused: {e}"))?;
        let subject = claims.subject().to_string();
        let mut name = claims.name().and_then(|n| n.get(None)).map(|n| n.to_string());
        let mut email = claims.email().map(|e| e.to_string());
        if (name.is_none() || email.is_none())
            && let Ok(req) = client.user_info(tokens.access_token().clone(), Some(claims.subject().clone()))
            && let Ok(info) = req
                .request_async::<openidconnect::EmptyAdditionalClaims, _, openidconnect::core::CoreGenderClaim>(
                    &self.http,
                )
                .await
        {
            name = name.or_else(|| info.name().and_then(|n| n.get(None)).map(|n| n.to_string())).or_else(|| {
                let given = info.given_name().and_then(|n| n.get(None)).map(|n| n.to_string());
                let family = info.family_name().and_then(|n| n.get(None)).map(|n| n.to_string());
                match (given, family) {
                    (Some(g), Some(f)) => Some(format!("{g} {f}")),
                    (g, f) => g.or(f),
                }
            });
            email = email.or_else(|| info.email().map(|e| e.to_string()));
        }
        let name = name.or_else(|| email.clone()).unwrap_or_else(|| subject.clone());
        Ok(Identity {
            issuer: claims.issuer().to_string(),
            subject,
            name: name.chars().filter(|c| !c.is_control()).take(64).collect(),
            email,
            id_token: id_token.to_string(),
        })
    }

    /// Where to send the browser to sign out at the provider too (RP-initiated logout).
    pub async fn logout_url(&self, id_token: Option<&str>, after: &str) -> Option<String> {
        let (_, end_session) = self.discovered().await.ok()?;
        let mut url = url::Url::parse(&end_session?).ok()?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(t) = id_token {
                q.append_pair("id_token_hint", t);
            }
            q.append_pair("client_id", &self.config.client_id);
            q.append_pair("post_logout_redirect_uri", after);
        }
        Some(url.to_string())
    }
}
