//! Per-subscription forwarding state: which layer is sent, when to switch, and how RTP time is
//! rewritten so the subscriber sees one continuous stream whatever the source layer.
//!
//! In str0m's frame mode the subscriber's `Rtc` numbers packets itself, so sequence numbers are
//! continuous by construction; timestamps are ours to keep continuous. Simulcast layers are
//! separate RTP streams whose timestamps need not share an origin, so on a switch the new
//! layer's timeline is re-based onto the old one: the first frame of the new layer gets the last
//! sent timestamp plus the wall-clock time elapsed since, in RTP clock units.

use std::time::Instant;

use parlons_types::Quality;

/// What to do with one incoming frame for one subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Send it (same layer as before).
    Forward,
    /// Send it: it is the keyframe that completes a switch to this layer.
    SwitchAndForward,
    /// Drop it (other layer, or waiting for a keyframe).
    Drop,
}

/// Layer state of one video subscription. `None` as a layer means "not simulcast".
#[derive(Debug, Clone, Default)]
pub struct LayerSwitch {
    /// The layer whose frames are being sent, if any yet.
    pub current: Option<Option<Quality>>,
    /// The layer we want to send; `None` = paused.
    pub target: Option<Option<Quality>>,
}

impl LayerSwitch {
    /// Decides for a frame of `layer` (`None` when the track has no simulcast).
    pub fn verdict(&mut self, layer: Option<Quality>, keyframe: bool) -> Verdict {
        let Some(target) = self.target else {
            // Paused: forget the layer, so that resuming waits for (and asks for) a keyframe.
            self.current = None;
            return Verdict::Drop;
        };
        if self.current == Some(layer) && target == layer {
            return Verdict::Forward;
        }
        if layer == target {
            if keyframe {
                self.current = Some(layer);
                return Verdict::SwitchAndForward;
            }
            return Verdict::Drop;
        }
        // Keep sending the old layer until the target layer's keyframe arrives.
        if self.current == Some(layer) { Verdict::Forward } else { Verdict::Drop }
    }

    /// Whether a keyframe of the target layer is still awaited.
    pub fn awaiting_keyframe(&self) -> bool {
        matches!(self.target, Some(t) if self.current != Some(t))
    }
}

/// Rewrites RTP time (str0m's 64-bit extended `MediaTime` numerator) across source switches.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    offset: i64,
    last: Option<(u64, Instant)>,
}

impl Timeline {
    /// Re-bases so that a source frame with time `src` arriving at `now` follows the last sent
    /// frame. `clock_hz` is the codec clock (90 kHz for video).
    pub fn rebase(&mut self, src: u64, now: Instant, clock_hz: u32) {
        let Some((last_out, last_at)) = self.last else {
            self.offset = 0;
            return;
        };
        let elapsed = now.saturating_duration_since(last_at).as_secs_f64();
        let ticks = ((elapsed * f64::from(clock_hz)) as i64).max(1);
        let want = last_out as i64 + ticks;
        self.offset = want - src as i64;
    }

    /// Maps a source time to the outgoing time and remembers it.
    pub fn map(&mut self, src: u64, now: Instant) -> u64 {
        let out = (src as i64).wrapping_add(self.offset).max(0) as u64;
        self.last = Some((out, now));
        out
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn switch_waits_for_keyframe_and_keeps_old_layer_meanwhile() {
        let mut s = LayerSwitch { current: None, target: Some(Some(Quality::Low)) };
        assert_eq!(s.verdict(Some(Quality::Low), false), Verdict::Drop, "no keyframe yet");
        assert_eq!(s.verdict(Some(Quality::Low), true), Verdict::SwitchAndForward);
        assert_eq!(s.verdict(Some(Quality::Low), false), Verdict::Forward);
        assert_eq!(s.verdict(Some(Quality::High), true), Verdict::Drop, "not the target");
        s.target = Some(Some(Quality::High));
        assert!(s.awaiting_keyframe());
        assert_eq!(s.verdict(Some(Quality::Low), false), Verdict::Forward, "old layer until switch");
        assert_eq!(s.verdict(Some(Quality::High), false), Verdict::Drop);
        assert_eq!(s.verdict(Some(Quality::High), true), Verdict::SwitchAndForward);
        assert_eq!(s.verdict(Some(Quality::Low), false), Verdict::Drop, "old layer dropped after");
        assert!(!s.awaiting_keyframe());
        s.target = None;
        assert_eq!(s.verdict(Some(Quality::High), true), Verdict::Drop, "paused");
    }

    #[test]
    fn timeline_is_continuous_across_sources() {
        let t0 = Instant::now();
        let mut tl = Timeline::default();
        tl.rebase(1_000_000, t0, 90_000);
        assert_eq!(tl.map(1_000_000, t0), 1_000_000, "first source keeps its timestamps");
        assert_eq!(tl.map(1_003_000, t0 + Duration::from_millis(33)), 1_003_000);
        // Another layer with an unrelated origin, 33 ms later.
        let t2 = t0 + Duration::from_millis(66);
        tl.rebase(42, t2, 90_000);
        let out = tl.map(42, t2);
        assert_eq!(out, 1_003_000 + 2_970, "33 ms at 90 kHz after the last frame");
        assert_eq!(tl.map(42 + 3_000, t2 + Duration::from_millis(33)), out + 3_000);
    }
}
