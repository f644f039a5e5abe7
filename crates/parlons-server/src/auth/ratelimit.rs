//! Per-client-IP rate limits on the endpoints people could hammer: sign-in, join, knock.
//! Token buckets (GCRA, `governor`), kept in memory on each node.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// What is being limited.
#[derive(Clone, Copy, Debug)]
pub enum Bucket {
    /// Password sign-in attempts.
    Login,
    /// `POST /rooms/{slug}/join`.
    Join,
    /// New lobby entries.
    Knock,
    /// Room creation.
    Create,
}

/// The limiters of one node.
pub struct RateLimits {
    login: DefaultKeyedRateLimiter<IpAddr>,
    join: DefaultKeyedRateLimiter<IpAddr>,
    knock: DefaultKeyedRateLimiter<IpAddr>,
    create: DefaultKeyedRateLimiter<IpAddr>,
}

fn per_minute(n: u32, burst: u32) -> DefaultKeyedRateLimiter<IpAddr> {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(n).allow_burst(burst))
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            login: per_minute(10, 10),
            join: per_minute(60, 30),
            knock: per_minute(12, 6),
            create: per_minute(30, 20),
        }
    }
}

impl RateLimits {
    /// Counts one request; `429 rate_limited` when the client is over its budget.
    pub fn check(&self, bucket: Bucket, ip: IpAddr) -> Result<(), ApiError> {
        let limiter = match bucket {
            Bucket::Login => &self.login,
            Bucket::Join => &self.join,
            Bucket::Knock => &self.knock,
            Bucket::Create => &self.create,
        };
        limiter.check_key(&ip).map_err(|_| {
            ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests; wait a minute and try again",
            )
        })
    }

    /// Drops the state of clients that are back under their budget (called periodically).
    pub fn prune(&self) {
        self.login.retain_recent();
        self.join.retain_recent();
        self.knock.retain_recent();
        self.create.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_are_cut_per_ip() {
        let r = RateLimits::default();
        let a: IpAddr = "10.0.0.1".parse().expect("ip");
        let b: IpAddr = "10.0.0.2".parse().expect("ip");
        let allowed = (0..20).filter(|_| r.check(Bucket::Login, a).is_ok()).count();
        assert_eq!(allowed, 10);
        assert!(r.check(Bucket::Login, b).is_ok(), "another client keeps its budget");
        assert_eq!(r.check(Bucket::Login, a).map_err(|e| e.code), Err("rate_limited"));
    }
}
