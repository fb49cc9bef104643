//! Scores an attempt: per-domain percent, weighted percent over the domains
//! present, and the scaled score on the exam's own scale. Each item brings
//! its [`Credit`]: 1 or 0, or part of a point under partial credit.

use serde::{Deserialize, Serialize};

use super::credit::Credit;
use super::{Blueprint, Mode};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainScore {
    pub code: String,
    pub name: String,
    pub weight: u32,
    /// Items fully right.
    pub correct: u32,
    pub total: u32,
    /// The credit its items earned; more than `correct` only under partial
    /// credit. None in scores stored before credit was kept: `correct`.
    #[serde(default)]
    pub credit: Option<Credit>,
}

impl DomainScore {
    /// The credit earned: see [`DomainScore::credit`].
    pub fn earned(&self) -> Credit {
        self.credit.unwrap_or(Credit::points(self.correct))
    }

    /// Credit earned ÷ items, in percent.
    pub fn percent(&self) -> f64 {
        if self.total == 0 { 0.0 } else { 100.0 * self.earned().as_f64() / f64::from(self.total) }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Every domain of the exam, in blueprint order; `total` is 0 for those
    /// absent from the attempt.
    pub domains: Vec<DomainScore>,
    pub correct: u32,
    pub total: u32,
    /// Σ(weight × domain percent) ÷ Σ(weight), over domains present.
    pub weighted_percent: f64,
    pub scaled: u32,
    pub passed: bool,
}

/// The fewest scored items per domain for a scaled estimate of an attempt
/// that is not a full mock.
pub const MIN_ITEMS_PER_DOMAIN: u32 = 5;

/// When a result gives a scaled score and a verdict, in words.
pub const ESTIMATE_RULE: &str = "A scaled score and a pass or fail are estimated for a full mock, and for a \
    practice, drill or review with at least 5 scored questions in every domain of the exam. With fewer, a \
    result shows the accuracy per domain only: a handful of questions says little about a whole exam.";

impl Score {
    /// The credit earned over every domain.
    pub fn earned(&self) -> Credit {
        self.domains.iter().map(DomainScore::earned).sum()
    }

    /// Whether a scaled estimate and a verdict mean something for this
    /// attempt: see [`ESTIMATE_RULE`].
    pub fn supports_estimate(&self, mode: Mode) -> bool {
        mode == Mode::Exam || self.domains.iter().all(|d| d.total >= MIN_ITEMS_PER_DOMAIN)
    }
}

/// Scores the scored items of an attempt, each given as its domain code and
/// whether it earned credit (all or nothing). Items of a domain the
/// blueprint lacks are ignored.
pub fn score<'a>(blueprint: &Blueprint, items: impl IntoIterator<Item = (&'a str, bool)>) -> Score {
    score_credits(blueprint, items.into_iter().map(|(code, right)| (code, Credit::from(right))))
}

/// Scores the scored items of an attempt, each given as its domain code and
/// the credit it earned (see [`super::credit`]). Items of a domain the
/// blueprint lacks are ignored.
pub fn score_credits<'a>(blueprint: &Blueprint, items: impl IntoIterator<Item = (&'a str, Credit)>) -> Score {
    let mut domains: Vec<DomainScore> = blueprint
        .domains
        .iter()
        .map(|d| DomainScore {
            code: d.code.clone(),
            name: d.name.clone(),
            weight: d.weight,
            correct: 0,
            total: 0,
            credit: Some(Credit::NONE),
        })
        .collect();
    for (code, credit) in items {
        if let Some(d) = domains.iter_mut().find(|d| d.code == code) {
            d.total += 1;
            d.correct += u32::from(credit == Credit::FULL);
            d.credit = Some(d.earned() + credit);
        }
    }

    // Exact rational arithmetic, so a score on the pass mark never falls a
    // point short through floating-point rounding:
    // weighted = Σ w·c/t ÷ Σ w = num ÷ den with den = Σw · Π t · unit, where
    // c is the domain's credit in units of 1/unit point. The unit is the
    // coarsest that counts every credit whole: for whole points it is 1, and
    // the sums are the same integers as before partial credit existed.
    let present: Vec<&DomainScore> = domains.iter().filter(|d| d.total > 0).collect();
    let unit = u128::from(present.iter().fold(Credit::PARTS, |g, d| gcd(g, d.earned().parts())));
    let units = |d: &DomainScore| u128::from(d.earned().parts()) / unit;
    let per_point = u128::from(Credit::PARTS) / unit;
    let product: u128 = present.iter().map(|d| u128::from(d.total)).product();
    let weight_sum: u128 = present.iter().map(|d| u128::from(d.weight)).sum();
    let num: u128 = present.iter().map(|d| u128::from(d.weight) * units(d) * (product / u128::from(d.total))).sum();
    let den = weight_sum * product * per_point;

    let scale = blueprint.scale;
    let span = u128::from(scale.max - scale.min);
    let (weighted_percent, scaled) = if den == 0 {
        (0.0, scale.min)
    } else {
        // Round half up: floor((2·span·num + den) / (2·den)).
        let above_min = (2 * span * num + den) / (2 * den);
        (100.0 * num as f64 / den as f64, scale.min + above_min as u32)
    };

    Score {
        correct: domains.iter().map(|d| d.correct).sum(),
        total: domains.iter().map(|d| d.total).sum(),
        domains,
        weighted_percent,
        scaled,
        passed: scaled >= scale.pass,
    }
}

/// Greatest common divisor; gcd(a, 0) = a.
fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::exam::{Domain, Scale};

    /// MLA-C01's blueprint, shared with the progress rules' tests.
    pub(crate) fn mla() -> Blueprint {
        let domain = |code: &str, weight| Domain { code: code.into(), name: code.into(), weight };
        Blueprint {
            slug: "mla-c01".into(),
            title: "MLA".into(),
            domains: vec![domain("D1", 28), domain("D2", 26), domain("D3", 22), domain("D4", 24)],
            question_count: 65,
            time_limit_minutes: 130,
            scale: Scale { min: 100, max: 1000, pass: 720 },
            unscored_count: 15,
            description: String::new(),
            credit: Default::default(),
            explanations_in_practice: true,
        }
    }

    fn items(counts: &[(&'static str, u32, u32)]) -> Vec<(&'static str, bool)> {
        counts.iter().flat_map(|&(code, correct, total)| (0..total).map(move |i| (code, i < correct))).collect()
    }

    #[test]
    fn weighted_and_scaled_score_match_the_hand_computation() {
        // D1 14/18, D2 10/17, D3 14/14, D4 8/16:
        // (28·14/18 + 26·10/17 + 22·1 + 24·0.5) / 100
        //   = (21.7778 + 15.2941 + 22 + 12) / 100 = 0.710719
        // scaled = 100 + 900 · 0.710719 = 739.65 → 740, a pass.
        let s = score(&mla(), items(&[("D1", 14, 18), ("D2", 10, 17), ("D3", 14, 14), ("D4", 8, 16)]));
        assert!((s.weighted_percent - 71.0719).abs() < 0.001, "{}", s.weighted_percent);
        assert_eq!(s.scaled, 740);
        assert!(s.passed);
        assert_eq!((s.correct, s.total), (46, 65));
        assert_eq!(s.domains[1].correct, 10);
        assert!((s.domains[1].percent() - 58.8235).abs() < 0.001);
    }

    #[test]
    fn the_pass_mark_is_inclusive() {
        // 720 = 100 + 900·p needs p = 620/900 = 31/45: 31 of 45 in a
        // one-domain attempt passes, 30 of 45 does not.
        let pass = score(&mla(), items(&[("D1", 31, 45)]));
        assert_eq!(pass.scaled, 720);
        assert!(pass.passed);
        let fail = score(&mla(), items(&[("D1", 30, 45)]));
        assert_eq!(fail.scaled, 700);
        assert!(!fail.passed);
    }

    #[test]
    fn just_below_the_pass_mark_fails() {
        // 64/65 of D1 alone: 100 + 900·(x) rounds; pick values around 719.5.
        // 719.5 = 100 + 900·p → p = 0.68833…; 0.688 → 719.2 → 719, fails.
        let s = score(&mla(), items(&[("D1", 172, 250)]));
        assert_eq!(s.scaled, 719);
        assert!(!s.passed);
    }

    #[test]
    fn a_one_domain_drill_is_that_domains_percent() {
        let s = score(&mla(), items(&[("D3", 9, 12)]));
        assert!((s.weighted_percent - 75.0).abs() < 1e-9);
        assert_eq!(s.scaled, 775);
    }

    #[test]
    fn all_wrong_and_all_right_hit_the_ends_of_the_scale() {
        assert_eq!(score(&mla(), items(&[("D1", 0, 18), ("D4", 0, 16)])).scaled, 100);
        assert_eq!(score(&mla(), items(&[("D1", 18, 18), ("D4", 16, 16)])).scaled, 1000);
        assert_eq!(score(&mla(), Vec::new()).scaled, 100);
    }

    #[test]
    fn fractional_credits_sum_exactly_into_the_hand_computed_score() {
        // D1: 1 + 1/3 + 0 = 4/3 of 3 items; D2: 1/2 + 1 = 3/2 of 2 items.
        // weighted = (28·4/9 + 26·3/4) ÷ 54 = (112/9 + 39/2) ÷ 54 = 575/972
        //          = 0.591564; scaled = 100 + 900·575/972 = 632.41 → 632.
        let third = Credit::from_parts(Credit::PARTS / 3);
        let half = Credit::from_parts(Credit::PARTS / 2);
        let s = score_credits(
            &mla(),
            [("D1", Credit::FULL), ("D1", third), ("D1", Credit::NONE), ("D2", half), ("D2", Credit::FULL)],
        );
        assert!((s.weighted_percent - 59.15638).abs() < 1e-4, "{}", s.weighted_percent);
        assert_eq!(s.scaled, 632);
        assert!(!s.passed);
        assert_eq!((s.correct, s.total), (2, 5), "only full credit counts as correct");
        assert_eq!(s.domains[0].earned(), Credit::FULL + third);
        assert_eq!(s.domains[1].earned(), Credit::FULL + half);
        assert_eq!(s.earned(), Credit::from_parts(Credit::PARTS * 17 / 6));
        assert!((s.domains[0].percent() - 44.4444).abs() < 1e-3);
        assert_eq!(s.domains[2].earned(), Credit::NONE);
    }

    #[test]
    fn a_fractional_score_on_a_half_point_rounds_up() {
        // A third of a point over 8 items: 100 + 900·(1/24) = 137.5 → 138.
        let third = Credit::from_parts(Credit::PARTS / 3);
        let mut items = vec![("D1", Credit::NONE); 7];
        items.push(("D1", third));
        let s = score_credits(&mla(), items);
        assert_eq!(s.scaled, 138);
        // Two thirds over 8 items: 100 + 900·(1/12) = 175, exactly.
        let two_thirds = Credit::from_parts(2 * Credit::PARTS / 3);
        let mut items = vec![("D1", Credit::NONE); 7];
        items.push(("D1", two_thirds));
        assert_eq!(score_credits(&mla(), items).scaled, 175);
    }

    #[test]
    fn whole_credits_score_exactly_as_right_and_wrong_do() {
        let counts = [("D1", 14, 18), ("D2", 10, 17), ("D3", 14, 14), ("D4", 8, 16)];
        let as_bools = score(&mla(), items(&counts));
        let as_credits = score_credits(&mla(), items(&counts).into_iter().map(|(d, right)| (d, Credit::from(right))));
        assert_eq!(as_bools, as_credits);
        assert_eq!(as_bools.weighted_percent.to_bits(), as_credits.weighted_percent.to_bits());
        assert_eq!(as_bools.domains[0].earned(), Credit::points(14));
    }

    #[test]
    fn scores_stored_before_credit_was_kept_read_their_correct_count_as_credit() {
        let stored = r#"{"code": "D1", "name": "Data", "weight": 28, "correct": 7, "total": 9}"#;
        let d: DomainScore = serde_json::from_str(stored).expect("old domain scores still read");
        assert_eq!(d.earned(), Credit::points(7));
        assert!((d.percent() - 77.7778).abs() < 1e-3);
    }

    #[test]
    fn the_greatest_common_divisor() {
        assert_eq!(gcd(27_720, 9_240), 9_240);
        assert_eq!(gcd(12, 18), 6);
        assert_eq!(gcd(7, 0), 7);
        assert_eq!(gcd(0, 7), 7);
        assert_eq!(gcd(9, 4), 1);
    }

    #[test]
    fn a_scaled_estimate_needs_a_mock_or_five_items_in_every_domain() {
        let b = mla();
        let items = |per_domain: usize| {
            let codes: Vec<&str> = b.domains.iter().map(|d| d.code.as_str()).collect();
            codes.iter().flat_map(|c| std::iter::repeat_n((*c, true), per_domain)).collect::<Vec<_>>()
        };
        let four = score(&b, items(4));
        let five = score(&b, items(5));
        assert!(!four.supports_estimate(Mode::Practice), "4 per domain is too few");
        assert!(five.supports_estimate(Mode::Practice), "5 per domain is enough");
        assert!(five.supports_estimate(Mode::Drill) && !four.supports_estimate(Mode::Review));
        assert!(four.supports_estimate(Mode::Exam), "a mock always gets its estimate");
        let mut one_domain_short = items(5);
        one_domain_short.pop();
        assert!(!score(&b, one_domain_short).supports_estimate(Mode::Practice), "every domain needs five");
    }
}
