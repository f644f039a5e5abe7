//! Simulcast layer choice: what a subscriber wants (tile size) and what its link can carry.
//!
//! Two pure steps, so both are table-tested:
//! 1. [`desired_quality`]: the smallest layer that covers the tile the client reported
//!    (adaptive stream), capped by the requested quality; nothing for a hidden tile.
//! 2. [`allocate`]: fit all of a subscriber's video subscriptions into its bandwidth estimate,
//!    stepping down the most expensive subscription one layer at a time. Audio is never cut.

use parlons_types::{LayerSpec, Quality};

use crate::command::DownSettings;

/// The layer a subscriber wants for one track, before bandwidth is considered.
///
/// `layers` is the publisher's description (may be empty: then the tile size cannot be mapped and
/// only `max_quality` counts). Returns `None` when the subscription is disabled.
pub fn desired_quality(settings: &DownSettings, layers: &[LayerSpec]) -> Option<Quality> {
    if settings.disabled {
        return None;
    }
    let cap = settings.max_quality;
    let (w, h) = (settings.width, settings.height);
    if w == 0 && h == 0 {
        return Some(cap);
    }
    let mut sized: Vec<&LayerSpec> = layers.iter().filter(|l| l.width > 0 && l.height > 0).collect();
    if sized.is_empty() {
        return Some(cap);
    }
    sized.sort_by_key(|l| l.quality);
    // Smallest layer that covers the tile in both dimensions; the largest if none does.
    let fit = sized.iter().find(|l| l.width >= w && l.height >= h).or(sized.last()).map(|l| l.quality)?;
    Some(fit.min(cap))
}

/// Measured and announced bitrates of a track's layers, in bits per second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LayerRates {
    /// Measured `[low, medium, high]`; 0 when unknown (layer not flowing).
    pub bps: [u64; 3],
    /// Announced by the publisher (`VideoLayer.bitrate`); 0 when unknown.
    pub announced: [u64; 3],
}

impl LayerRates {
    /// Typical rates of livekit-client's default simulcast presets, used while nothing is known.
    const FALLBACK: [u64; 3] = [150_000, 500_000, 1_700_000];

    /// The rate of one layer: measured, else announced, else a typical value.
    pub fn of(&self, q: Quality) -> u64 {
        let i = q as usize;
        [self.bps[i], self.announced[i], Self::FALLBACK[i]].into_iter().find(|v| *v > 0).unwrap_or(0)
    }
}

/// Fits wanted layers into `budget_bps`. `wants[i]` is `(desired layer, rates)`; the result gives
/// the allocated layer for each (never above the desired one; `None` stays `None`).
///
/// Greedy: while over budget, lower the subscription whose current layer costs most. Nothing is
/// paused for bandwidth: the lowest layer of every visible tile is always kept, because a frozen
/// tile is worse for a meeting than a blurry one (the congestion controller then backs off).
pub fn allocate(budget_bps: u64, wants: &[(Option<Quality>, LayerRates)]) -> Vec<Option<Quality>> {
    let mut out: Vec<Option<Quality>> = wants.iter().map(|(q, _)| *q).collect();
    let total =
        |out: &[Option<Quality>]| -> u64 { out.iter().zip(wants).filter_map(|(q, (_, r))| q.map(|q| r.of(q))).sum() };
    while total(&out) > budget_bps {
        let costliest = out
            .iter()
            .enumerate()
            .filter_map(|(i, q)| q.and_then(|q| q.lower().map(|_| (i, wants[i].1.of(q)))))
            .max_by_key(|&(i, cost)| (cost, std::cmp::Reverse(i)));
        match costliest {
            Some((i, _)) => out[i] = out[i].and_then(Quality::lower),
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layers() -> Vec<LayerSpec> {
        vec![
            LayerSpec { quality: Quality::Low, width: 320, height: 180, bitrate: 150_000 },
            LayerSpec { quality: Quality::Medium, width: 640, height: 360, bitrate: 500_000 },
            LayerSpec { quality: Quality::High, width: 1280, height: 720, bitrate: 1_700_000 },
        ]
    }

    fn settings(w: u32, h: u32) -> DownSettings {
        DownSettings { width: w, height: h, ..DownSettings::default() }
    }

    #[test]
    fn tile_size_picks_smallest_covering_layer() {
        let l = layers();
        let cases = [
            ((160, 90), Some(Quality::Low)),
            ((320, 180), Some(Quality::Low)),
            ((400, 225), Some(Quality::Medium)),
            ((640, 360), Some(Quality::Medium)),
            ((641, 300), Some(Quality::High)),
            ((1920, 1080), Some(Quality::High)),
            ((0, 0), Some(Quality::High)),
        ];
        for ((w, h), want) in cases {
            assert_eq!(desired_quality(&settings(w, h), &l), want, "tile {w}x{h}");
        }
    }

    #[test]
    fn disabled_and_capped() {
        let l = layers();
        let hidden = DownSettings { disabled: true, ..settings(1280, 720) };
        assert_eq!(desired_quality(&hidden, &l), None);
        let capped = DownSettings { max_quality: Quality::Low, ..settings(1280, 720) };
        assert_eq!(desired_quality(&capped, &l), Some(Quality::Low));
        // No layer description: only the cap counts.
        assert_eq!(desired_quality(&settings(100, 100), &[]), Some(Quality::High));
    }

    #[test]
    fn allocation_steps_down_costliest_first() {
        let r = LayerRates::default();
        let wants = [(Some(Quality::High), r), (Some(Quality::Medium), r), (None, r)];
        assert_eq!(allocate(10_000_000, &wants), vec![Some(Quality::High), Some(Quality::Medium), None]);
        // 1.7M + 0.5M > 1.2M: the high one goes to medium (0.5 + 0.5 = 1.0M fits).
        assert_eq!(allocate(1_200_000, &wants), vec![Some(Quality::Medium), Some(Quality::Medium), None]);
        // Tight: everything ends on the lowest layer, never paused.
        assert_eq!(allocate(10_000, &wants), vec![Some(Quality::Low), Some(Quality::Low), None]);
    }

    #[test]
    fn measured_rates_override_announced_and_fallback() {
        let mut r = LayerRates::default();
        r.bps[2] = 3_000_000;
        r.announced[1] = 400_000;
        assert_eq!(r.of(Quality::High), 3_000_000);
        assert_eq!(r.of(Quality::Medium), 400_000);
        assert_eq!(r.of(Quality::Low), 150_000);
    }
}
