//! Keyframe-request throttling.
//!
//! Many subscribers switching layers, or several lossy receivers, would otherwise flood a
//! publisher with PLIs; every extra keyframe costs the publisher bandwidth and its viewers
//! quality. Galène throttles to one request per 500 ms per stream; so do we.

use std::time::{Duration, Instant};

/// Allows at most one keyframe request per `interval`.
#[derive(Debug, Clone)]
pub struct KeyframeThrottle {
    interval: Duration,
    last: Option<Instant>,
}

impl KeyframeThrottle {
    /// The interval Parlons uses between two requests for the same stream.
    pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(500);

    /// A throttle that allows one request per `interval`.
    pub fn new(interval: Duration) -> Self {
        KeyframeThrottle { interval, last: None }
    }

    /// Returns `true` (and records the request) when a request may be sent at `now`.
    pub fn allow(&mut self, now: Instant) -> bool {
        match self.last {
            Some(t) if now.saturating_duration_since(t) < self.interval => false,
            _ => {
                self.last = Some(now);
                true
            }
        }
    }
}

impl Default for KeyframeThrottle {
    fn default() -> Self {
        Self::new(Self::DEFAULT_INTERVAL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_one_request_per_interval() {
        let t0 = Instant::now();
        let mut k = KeyframeThrottle::default();
        assert!(k.allow(t0));
        assert!(!k.allow(t0 + Duration::from_millis(100)));
        assert!(!k.allow(t0 + Duration::from_millis(499)));
        assert!(k.allow(t0 + Duration::from_millis(500)));
        assert!(!k.allow(t0 + Duration::from_millis(900)));
    }
}
