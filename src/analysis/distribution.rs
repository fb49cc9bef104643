//! A class's scaled scores as a histogram against the pass mark.

use crate::exam::Scale;

/// Scores from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bin {
    pub from: u32,
    pub to: u32,
    pub count: u32,
    /// Every score in the bin passes: `from` is at or above the pass mark.
    pub passing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// Lowest scores first, covering the whole scale.
    pub bins: Vec<Bin>,
    /// Scores at or above the pass mark.
    pub passed: u32,
    pub total: u32,
}

/// The scores in about `bins` bins of equal width, laid out from the pass
/// mark both ways so that one bin starts exactly at it and none holds both
/// passing and failing scores.
///
/// The width is (max − min) ÷ bins rounded up, at least 1. Each bin holds
/// [from, from + width); the last also holds the scale's max, and the first
/// starts at the min, so the bins at the ends may be narrower, and there
/// may be one more bin than asked. A score outside the scale counts in the
/// bin at its end.
pub fn distribution(scores: &[u32], scale: Scale, bins: u32) -> Distribution {
    let min = scale.min;
    let max = scale.max.max(min);
    let width = (max - min).div_ceil(bins.max(1)).max(1);
    let anchor = scale.pass.clamp(min, max);

    let mut starts = Vec::new();
    let mut start = anchor;
    while start > min {
        start = start.saturating_sub(width).max(min);
        starts.push(start);
    }
    starts.reverse();
    let mut start = anchor;
    loop {
        starts.push(start);
        start = start.saturating_add(width);
        if start >= max {
            break;
        }
    }

    let mut bins: Vec<Bin> = starts
        .iter()
        .enumerate()
        .map(|(i, &from)| Bin {
            from,
            to: starts.get(i + 1).map_or(max, |next| next - 1),
            count: 0,
            passing: from >= scale.pass,
        })
        .collect();
    for &score in scores {
        let score = score.clamp(min, max);
        let bin = starts.partition_point(|&from| from <= score) - 1;
        bins[bin].count += 1;
    }
    Distribution {
        bins,
        passed: scores.iter().filter(|&&s| s >= scale.pass).count() as u32,
        total: scores.len() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(d: &Distribution) -> Vec<(u32, u32, u32, bool)> {
        d.bins.iter().map(|b| (b.from, b.to, b.count, b.passing)).collect()
    }

    #[test]
    fn a_pass_mark_on_a_round_number_gives_equal_bins_split_at_it() {
        let scale = Scale { min: 100, max: 1000, pass: 700 };
        let d = distribution(&[100, 199, 200, 699, 700, 700, 999, 1000], scale, 9);
        assert_eq!(
            ranges(&d),
            vec![
                (100, 199, 2, false),
                (200, 299, 1, false),
                (300, 399, 0, false),
                (400, 499, 0, false),
                (500, 599, 0, false),
                (600, 699, 1, false),
                (700, 799, 2, true),
                (800, 899, 0, true),
                (900, 1000, 2, true),
            ]
        );
        assert_eq!((d.passed, d.total), (4, 8));
    }

    #[test]
    fn a_pass_mark_off_the_grid_starts_a_bin_and_narrows_the_first() {
        let scale = Scale { min: 100, max: 1000, pass: 720 };
        let d = distribution(&[119, 120, 719, 720], scale, 9);
        let r = ranges(&d);
        assert_eq!(r.len(), 10);
        assert_eq!(r[0], (100, 119, 1, false));
        assert_eq!(r[1], (120, 219, 1, false));
        assert_eq!(r[6], (620, 719, 1, false));
        assert_eq!(r[7], (720, 819, 1, true));
        assert_eq!(r[9], (920, 1000, 0, true));
        assert_eq!(d.passed, 1);
    }

    #[test]
    fn scores_outside_the_scale_count_at_its_ends() {
        let scale = Scale { min: 0, max: 100, pass: 50 };
        let d = distribution(&[0, 7, 200], scale, 2);
        assert_eq!(ranges(&d), vec![(0, 49, 2, false), (50, 100, 1, true)]);
        assert_eq!(d.passed, 1);
    }

    #[test]
    fn a_pass_mark_at_either_end_or_a_scale_of_one_score_still_gives_bins() {
        let at_min = distribution(&[0, 10], Scale { min: 0, max: 10, pass: 0 }, 2);
        assert_eq!(ranges(&at_min), vec![(0, 4, 1, true), (5, 10, 1, true)]);
        let at_max = distribution(&[9, 10], Scale { min: 0, max: 10, pass: 10 }, 2);
        assert_eq!(ranges(&at_max), vec![(0, 4, 0, false), (5, 9, 1, false), (10, 10, 1, true)]);
        let one = distribution(&[5], Scale { min: 5, max: 5, pass: 5 }, 0);
        assert_eq!(ranges(&one), vec![(5, 5, 1, true)]);
        let none = distribution(&[], Scale { min: 0, max: 10, pass: 6 }, 1);
        assert_eq!(ranges(&none), vec![(0, 5, 0, false), (6, 10, 0, true)]);
    }
}
