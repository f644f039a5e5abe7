//! LiveKit access tokens: HS256 JWTs whose issuer is an API key (`livekit-protocol.md` §9).

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::Secret;

/// The `video` grant.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct VideoGrant {
    /// May join `room`.
    pub room_join: bool,
    /// The room this grant is for.
    pub room: String,
    /// May create and delete rooms.
    pub room_create: bool,
    /// May list rooms.
    pub room_list: bool,
    /// May record.
    pub room_record: bool,
    /// May administer `room`.
    pub room_admin: bool,
    /// Invisible participant.
    pub hidden: bool,
    /// A recorder.
    pub recorder: bool,
    /// Sources that may be published (empty = all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub can_publish_sources: Vec<String>,
    /// Absent means allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_publish: Option<bool>,
    /// Absent means allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_subscribe: Option<bool>,
    /// Absent means allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_publish_data: Option<bool>,
    /// May change its own name, metadata and attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_update_own_metadata: Option<bool>,
}

/// The claims Parlons reads and writes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Claims {
    /// API key.
    pub iss: String,
    /// Identity.
    pub sub: String,
    /// Display name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Application metadata.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub metadata: String,
    /// Attributes.
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    pub attributes: HashMap<String, String>,
    /// Expiry (Unix seconds).
    pub exp: u64,
    /// Not before (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Issued at (Unix seconds); a room ended after this time refuses the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// The video grant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoGrant>,
    /// Rooms an API client's access token may administer (`*` = all); empty for other tokens.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parlons_rooms: Vec<String>,
    /// The name is the account's: the participant cannot rename itself (`auth.force_idp_names`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub parlons_name_locked: bool,
    /// Webhook body hash (webhook tokens only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// Why a token was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TokenError {
    /// Not a JWT, or not HS256.
    #[error("malformed access token")]
    Malformed,
    /// The issuer is not a configured API key.
    #[error("unknown API key")]
    UnknownKey,
    /// Bad signature, expired or not yet valid.
    #[error("invalid access token: {0}")]
    Invalid(String),
}

/// Clock leeway for `exp` and `nbf`, as LiveKit (`auth/verifier.go`).
const LEEWAY_SECS: u64 = 60;

/// Verifies a token against the configured keys (issuer first, then its secret).
pub fn verify(token: &str, keys: &std::collections::BTreeMap<String, Secret>) -> Result<Claims, TokenError> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
    if header.alg != Algorithm::HS256 {
        return Err(TokenError::Malformed);
    }
    let mut peek = Validation::new(Algorithm::HS256);
    peek.insecure_disable_signature_validation();
    peek.validate_exp = false;
    peek.required_spec_claims.clear();
    let unverified = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(b""), &peek)
        .map_err(|_| TokenError::Malformed)?;
    let secret = keys.get(&unverified.claims.iss).ok_or(TokenError::UnknownKey)?;
    let mut v = Validation::new(Algorithm::HS256);
    v.leeway = LEEWAY_SECS;
    v.validate_nbf = true;
    v.set_required_spec_claims(&["exp"]);
    v.set_issuer(&[unverified.claims.iss.as_str()]);
    jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret.expose().as_bytes()), &v)
        .map(|d| d.claims)
        .map_err(|e| TokenError::Invalid(e.to_string()))
}

/// Signs claims with an API key's secret.
pub fn sign(claims: &Claims, secret: &Secret) -> anyhow::Result<String> {
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.expose().as_bytes()),
    )?)
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Milliseconds since the Unix epoch.
pub fn unix_now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use secrecy::SecretString;

    use super::*;

    fn keys() -> BTreeMap<String, Secret> {
        let mut k = BTreeMap::new();
        k.insert("devkey".to_string(), Secret(SecretString::from("secret")));
        k
    }

    fn claims(exp: u64) -> Claims {
        Claims {
            iss: "devkey".into(),
            sub: "alice".into(),
            exp,
            video: Some(VideoGrant { room_join: true, room: "r1".into(), ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn round_trip_and_rejections() {
        let k = keys();
        let good = sign(&claims(unix_now() + 600), &k["devkey"]).unwrap();
        let c = verify(&good, &k).unwrap();
        assert_eq!(c.sub, "alice");
        assert_eq!(c.video.unwrap().room, "r1");

        let expired = sign(&claims(unix_now() - 3600), &k["devkey"]).unwrap();
        assert!(matches!(verify(&expired, &k), Err(TokenError::Invalid(_))));

        let other = Secret(SecretString::from("another-secret"));
        let forged = sign(&claims(unix_now() + 600), &other).unwrap();
        assert!(matches!(verify(&forged, &k), Err(TokenError::Invalid(_))));

        let mut unknown = claims(unix_now() + 600);
        unknown.iss = "nokey".into();
        let t = sign(&unknown, &k["devkey"]).unwrap();
        assert_eq!(verify(&t, &k), Err(TokenError::UnknownKey));

        assert_eq!(verify("not-a-jwt", &k), Err(TokenError::Malformed));
        assert_eq!(verify("", &k), Err(TokenError::Malformed));
    }

    #[test]
    fn reads_a_python_sdk_token_shape() {
        // Claims as livekit-api (Python) writes them: camelCase grants, pointer fields present.
        let json = r#"{"name":"Alice","metadata":"m","video":{"roomJoin":true,"room":"r1","canPublish":true,
            "canSubscribe":true,"canPublishData":true},"attributes":{"k":"v"},"sub":"alice","iss":"devkey","nbf":0,"exp":9999999999}"#;
        let c: Claims = serde_json::from_str(json).unwrap();
        let g = c.video.unwrap();
        assert!(g.room_join && g.can_publish == Some(true));
        assert_eq!(c.attributes.get("k").map(String::as_str), Some("v"));
    }
}
