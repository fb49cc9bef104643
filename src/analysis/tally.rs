//! Item statistics from tallies by score band: the sums each statistic
//! needs, kept per question and per band of the attempt's total, so the
//! statistics of 50,000 attempts come from a few hundred rows per question
//! instead of every response. [`super::items::analyse`] builds the same
//! tallies in memory and calls the same [`stats`], so analysing responses
//! and reading stored tallies give the same numbers by construction.
//!
//! A **band** is the attempt's total as permille of the most its scored
//! items could earn, rounded half up: 0 to 1000.
//!
//! Facility, point-biserial, option counts and mean time come exactly from
//! the sums. The upper–lower index needs the top and bottom 27% of the
//! responses by total: whole bands are taken from the top (bottom) down
//! (up), and the band at the boundary contributes pro rata, its credit and
//! option counts times the share of it that is needed. Attempts in one band
//! are treated as interchangeable (ties are not broken by anything else), so
//! the upper group's option counts can be fractions.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::flags;
use super::items::{ItemKey, ItemResponse, ItemStats, OptionCount, group_size};
use crate::exam::credit::Credit;

/// The highest band: an attempt with full marks.
pub const TOP_BAND: i16 = 1000;

/// The band of an attempt that earned `total` of at most `max`: the total
/// as permille of the maximum, rounded half up. 0 when nothing could be
/// earned.
pub fn band(total: Credit, max: Credit) -> i16 {
    if max.parts() == 0 {
        return 0;
    }
    let permille = (u128::from(total.parts()) * 2000 + u128::from(max.parts())) / (2 * u128::from(max.parts()));
    permille.min(TOP_BAND as u128) as i16
}

/// The sums over the responses to one question from the attempts in one
/// band, in parts of a point ([`Credit::PARTS`]). `rest` is the attempt's
/// total without this item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub responses: i32,
    pub credit: i64,
    pub credit_sq: i64,
    pub rest: i64,
    pub rest_sq: i64,
    pub credit_rest: i64,
    /// Seconds spent, over the `timed` responses whose time is known.
    pub seconds: i64,
    pub timed: i32,
    /// How many chose each option, by canonical index.
    pub chosen: Vec<i32>,
}

impl Tally {
    /// Counts one response: its credit, the rest of its attempt's total,
    /// the options chosen and the seconds spent when known.
    pub fn add(&mut self, credit: Credit, rest: Credit, chosen: &[usize], seconds: Option<u32>) {
        let (x, y) = (credit.parts() as i64, rest.parts() as i64);
        self.responses += 1;
        self.credit += x;
        self.credit_sq += x * x;
        self.rest += y;
        self.rest_sq += y * y;
        self.credit_rest += x * y;
        if let Some(s) = seconds {
            self.seconds += i64::from(s);
            self.timed += 1;
        }
        for &c in chosen {
            if self.chosen.len() <= c {
                self.chosen.resize(c + 1, 0);
            }
            self.chosen[c] += 1;
        }
    }

    /// Adds another tally's counts to this one (the chosen counts option
    /// by option).
    pub fn merge(&mut self, other: &Tally) {
        self.responses += other.responses;
        self.credit += other.credit;
        self.credit_sq += other.credit_sq;
        self.rest += other.rest;
        self.rest_sq += other.rest_sq;
        self.credit_rest += other.credit_rest;
        self.seconds += other.seconds;
        self.timed += other.timed;
        if self.chosen.len() < other.chosen.len() {
            self.chosen.resize(other.chosen.len(), 0);
        }
        for (mine, theirs) in self.chosen.iter_mut().zip(&other.chosen) {
            *mine += theirs;
        }
    }

    fn chosen(&self, option: usize) -> i128 {
        i128::from(self.chosen.get(option).copied().unwrap_or(0))
    }
}

/// Tallies by question and band, in that order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tallies {
    pub rows: BTreeMap<(Uuid, i16), Tally>,
}

impl Tallies {
    /// Counts scored responses of one attempt that earned `total` of at
    /// most `max` (the sum of the credit, and of the full points, of all
    /// its scored items).
    pub fn add_attempt(&mut self, total: Credit, max: Credit, responses: &[ItemResponse]) {
        let band = band(total, max);
        for r in responses {
            let rest = Credit::from_parts(total.parts().saturating_sub(r.credit.parts()));
            self.rows.entry((r.question, band)).or_default().add(r.credit, rest, &r.chosen, r.seconds);
        }
    }

    /// Adds every row of `other`.
    pub fn merge(&mut self, other: &Tallies) {
        for (key, tally) in &other.rows {
            self.rows.entry(*key).or_default().merge(tally);
        }
    }

    /// The statistics of `item` from its bands.
    pub fn stats(&self, item: &ItemKey) -> ItemStats {
        let bands: Vec<(i16, Tally)> = self
            .rows
            .range((item.question, i16::MIN)..=(item.question, i16::MAX))
            .map(|((_, band), tally)| (*band, tally.clone()))
            .collect();
        stats(item, &bands)
    }
}

/// The statistics of `item` from its tallies by band (any order; a band
/// listed twice counts twice). See [`ItemStats`] for each formula and the
/// module comment for the band rule of the upper–lower index.
pub fn stats(item: &ItemKey, bands: &[(i16, Tally)]) -> ItemStats {
    let mut sorted: Vec<&(i16, Tally)> = bands.iter().filter(|(_, t)| t.responses > 0).collect();
    sorted.sort_by_key(|(band, _)| *band);
    let mut all = Tally::default();
    for (_, t) in &sorted {
        all.merge(t);
    }
    let n = all.responses.max(0) as usize;
    let size = group_size(n) as i128;
    let upper = Group::of(sorted.iter().rev().map(|(_, t)| t), size);
    let lower = Group::of(sorted.iter().map(|(_, t)| t), size);

    let options = (0..item.options)
        .map(|option| OptionCount {
            option,
            key: item.keys.contains(&option),
            chosen: all.chosen(option) as u32,
            chosen_by_upper: upper.chosen(option),
        })
        .collect();
    let parts = i128::from(Credit::PARTS);
    let mut stats = ItemStats {
        question: item.question,
        responses: n as u32,
        facility: (n > 0).then(|| 100.0 * ratio(i128::from(all.credit), n as i128 * parts)),
        point_biserial: point_biserial(&all),
        upper_lower: (n >= 2)
            .then(|| ratio(upper.credit(), upper.den * size * parts) - ratio(lower.credit(), lower.den * size * parts)),
        options,
        mean_seconds: (all.timed > 0).then(|| all.seconds as f64 / f64::from(all.timed)),
        flags: Vec::new(),
    };
    stats.flags = flags::judge(&stats);
    stats
}

/// `num ÷ den` with a single rounding.
fn ratio(num: i128, den: i128) -> f64 {
    num as f64 / den as f64
}

/// The upper or lower group: whole bands, and a share of the band at the
/// boundary. Sums are kept as numerators over `den`, the boundary band's
/// responses, so equal counts stay exactly equal after the one division.
struct Group<'a> {
    whole: Tally,
    boundary: Option<(&'a Tally, i128)>,
    den: i128,
}

impl<'a> Group<'a> {
    /// The first `size` responses of `bands`, taken in the order given.
    fn of(bands: impl Iterator<Item = &'a Tally>, size: i128) -> Group<'a> {
        let mut group = Group { whole: Tally::default(), boundary: None, den: 1 };
        let mut left = size;
        for t in bands {
            if left == 0 {
                break;
            }
            let responses = i128::from(t.responses);
            if responses <= left {
                group.whole.merge(t);
                left -= responses;
            } else {
                group.boundary = Some((t, left));
                group.den = responses;
                left = 0;
            }
        }
        group
    }

    /// The credit in parts, times `den`.
    fn credit(&self) -> i128 {
        let share = self.boundary.map_or(0, |(t, take)| i128::from(t.credit) * take);
        i128::from(self.whole.credit) * self.den + share
    }

    /// How often the group chose `option` (a fraction when the boundary
    /// band is shared).
    fn chosen(&self, option: usize) -> f64 {
        let share = self.boundary.map_or(0, |(t, take)| t.chosen(option) * take);
        ratio(self.whole.chosen(option) * self.den + share, self.den)
    }
}

/// The Pearson correlation of credit and rest score (see
/// [`ItemStats::point_biserial`]), from the exact sums:
/// r = (nΣxy − ΣxΣy) ÷ √((nΣx² − (Σx)²) × (nΣy² − (Σy)²)).
fn point_biserial(t: &Tally) -> Option<f64> {
    let n = i128::from(t.responses);
    let (sx, sy) = (i128::from(t.credit), i128::from(t.rest));
    let cxx = n * i128::from(t.credit_sq) - sx * sx;
    let cyy = n * i128::from(t.rest_sq) - sy * sy;
    let cxy = n * i128::from(t.credit_rest) - sx * sy;
    if cxx == 0 || cyy == 0 {
        return None;
    }
    // Rounding in the square roots can step just past ±1 (a perfect
    // correlation came out as −1.0000000000000002).
    Some((cxy as f64 / ((cxx as f64).sqrt() * (cyy as f64).sqrt())).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests;
