//! Active-speaker detection from RFC 6464 audio levels.
//!
//! Like LiveKit (`pkg/sfu/audio/audiolevel.go`): a participant is speaking when at least 40 % of
//! the packets of an observation window are louder than −35 dBov. The reported level is the mean
//! linear amplitude of the loud packets, smoothed over two windows. Changes only are reported,
//! so a quiet room costs no signalling.

/// Loudness threshold in dBov (RFC 6464 carries 0..=127 as −dBov).
const ACTIVE_DBOV: i8 = -35;
/// Fraction of loud packets in a window that makes a speaker active.
const ACTIVE_FRACTION: f32 = 0.4;
/// Level change (linear) that is worth a new report while active.
const LEVEL_STEP: f32 = 0.05;

/// Per-track speaking state, fed with every audio packet's level and closed every window.
#[derive(Debug, Default, Clone)]
pub struct SpeakerDetector {
    packets: u32,
    loud: u32,
    loud_sum: f32,
    smoothed: f32,
    active: bool,
    reported_level: f32,
}

impl SpeakerDetector {
    /// Feeds the level of one packet (`dbov` in −127..=0).
    pub fn observe(&mut self, dbov: i8) {
        self.packets += 1;
        if dbov >= ACTIVE_DBOV {
            self.loud += 1;
            self.loud_sum += 10f32.powf(f32::from(dbov) / 20.0);
        }
    }

    /// Closes the current window. Returns `Some((level, active))` when the state changed enough to
    /// be reported.
    pub fn close_window(&mut self) -> Option<(f32, bool)> {
        let active = self.packets > 0 && (self.loud as f32) >= ACTIVE_FRACTION * self.packets as f32;
        let level = if active { self.loud_sum / self.loud.max(1) as f32 } else { 0.0 };
        self.smoothed = if active { (self.smoothed + level) / 2.0 } else { 0.0 };
        self.packets = 0;
        self.loud = 0;
        self.loud_sum = 0.0;
        let changed = active != self.active || (active && (self.smoothed - self.reported_level).abs() >= LEVEL_STEP);
        self.active = active;
        if changed {
            self.reported_level = self.smoothed;
            Some((self.smoothed, active))
        } else {
            None
        }
    }

    /// Whether the last closed window found speech.
    pub fn is_active(&self) -> bool {
        self.active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_starts_and_stops_with_changes_only() {
        let mut d = SpeakerDetector::default();
        for _ in 0..20 {
            d.observe(-127);
        }
        assert_eq!(d.close_window(), None, "silence stays unreported");
        for i in 0..20 {
            d.observe(if i % 2 == 0 { -20 } else { -60 });
        }
        let (level, active) = d.close_window().expect("speech is reported");
        assert!(active);
        assert!(level > 0.0 && level <= 1.0);
        for _ in 0..20 {
            d.observe(-20);
        }
        // Same loudness again: smoothed level moves a little; an unchanged state is not re-sent
        // unless it moved by LEVEL_STEP.
        let again = d.close_window();
        if let Some((_, a)) = again {
            assert!(a);
        }
        for _ in 0..20 {
            d.observe(-90);
        }
        assert_eq!(d.close_window(), Some((0.0, false)));
        assert!(!d.is_active());
    }

    #[test]
    fn below_forty_percent_is_not_speech() {
        let mut d = SpeakerDetector::default();
        for i in 0..10 {
            d.observe(if i < 3 { -10 } else { -80 });
        }
        assert_eq!(d.close_window(), None);
    }
}
