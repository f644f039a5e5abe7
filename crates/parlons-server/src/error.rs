//! Error policy of the server.
//!
//! - Library crates (`parlons-sfu`, `parlons-room`) return their own `thiserror` enums.
//! - The binary and background tasks use `anyhow` with `.context("what we were doing")`.
//! - HTTP handlers return [`ApiError`]: a status, a stable `code` and a human `message`, as JSON
//!   `{"code": "...", "message": "..."}`. Internal errors are logged once, in the request span,
//!   and never sent to the client.
//! - Signalling errors reach the client as a `leave` with a LiveKit `DisconnectReason`, or a
//!   `request_response` with a reason code and message.
//! - Nothing panics on network, user or file input; each `expect` states its invariant.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to an HTTP client.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Human message, safe to show.
    pub message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
}

impl ApiError {
    /// A custom error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into() }
    }

    /// 400 with a code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 401.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    /// 404 with a code.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 500: logs the cause, answers a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::warn!(code = self.code, status = %self.status, "request failed");
        } else {
            tracing::debug!(code = self.code, status = %self.status, message = %self.message, "request refused");
        }
        (self.status, Json(Body { code: self.code, message: &self.message })).into_response()
    }
}
