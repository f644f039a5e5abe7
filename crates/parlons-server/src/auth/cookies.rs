//! The cookies Parlons sets: a browser session and a guest browser id. Both are HttpOnly,
//! SameSite=Lax, `Secure` when the public URL is https, and scoped to `/`.

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};

/// Browser session of a signed-in user (random 256-bit value; the database keeps its hash).
pub const SESSION: &str = "parlons_session";
/// Random id of a guest's browser, so a guest keeps one identity (and a removal sticks).
pub const GUEST: &str = "parlons_guest";

/// The value of cookie `name` in the request, if any.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 256)
}

/// A `Set-Cookie` value.
pub fn set(name: &'static str, value: String, max_age_secs: i64, secure: bool) -> HeaderValue {
    let c = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A `Set-Cookie` value that deletes the cookie.
pub fn clear(name: &'static str, secure: bool) -> HeaderValue {
    set(name, String::new(), 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_cookies() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; parlons_session=abc; b=2"));
        assert_eq!(get(&h, SESSION).as_deref(), Some("abc"));
        assert_eq!(get(&h, GUEST), None);
        let v = set(SESSION, "xyz".into(), 60, true);
        let s = v.to_str().expect("ascii");
        for part in ["parlons_session=xyz", "HttpOnly", "SameSite=Lax", "Secure", "Path=/", "Max-Age=60"] {
            assert!(s.contains(part), "{s} lacks {part}");
        }
        assert!(!set(SESSION, "x".into(), 1, false).to_str().unwrap_or_default().contains("Secure"));
    }
}
