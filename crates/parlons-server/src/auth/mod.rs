//! Who is calling: browser sessions (local accounts and OpenID Connect), guest browsers, bearer
//! JWTs; passwords, cookies, CSRF and rate limits.

pub mod caller;
pub mod cookies;
pub mod oidc;
pub mod password;
pub mod ratelimit;

pub use caller::Caller;
