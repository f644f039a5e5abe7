//! The web client, embedded in the binary at build time (`web/dist`).

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct WebAssets;

/// Shown when the binary was built before the web client.
const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Parlons</title></head>\
<body><main><h1>Parlons</h1><p>The web client was not built into this binary. Run <code>npm --prefix web ci &amp;&amp; \
npm --prefix web run build</code>, then rebuild the server.</p></main></body></html>";

/// Serves a file of the web client; client-side routes get `index.html`.
pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path.starts_with("twirp/") || path.starts_with("rtc") {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    if let Some(file) = (!path.is_empty()).then(|| WebAssets::get(path)).flatten() {
        let mime = file.metadata.mimetype().to_string();
        // Vite puts content hashes in asset names: they never change.
        let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
        return ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, cache.to_string())], file.data).into_response();
    }
    if path.contains('.') && !path.ends_with(".html") {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let html: Vec<u8> =
        WebAssets::get("index.html").map(|f| f.data.into_owned()).unwrap_or_else(|| NOT_BUILT.as_bytes().to_vec());
    let mut r = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}
