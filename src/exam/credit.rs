//! How much of a point an item earns, exactly.
//!
//! Under the default rule, [`CreditRule::AllOrNothing`], every item earns 1
//! or 0, as on the real exam. Under [`CreditRule::Partial`], a
//! multiple-response item earns
//!
//! ```text
//! credit = max(0, (keys chosen − distractors chosen) ÷ number of keys)
//! ```
//!
//! so a wrong choice cancels a right one, choosing everything earns 0, and
//! half right earns part of the point. Every other kind stays 1 or 0.
//! docs/scoring.md has the worked example.

use serde::{Deserialize, Serialize};

use super::{Body, CreditRule, Response};

/// An exact amount of credit, counted in parts of a point: sums of
/// fractional credits stay exact (no floating-point drift near the pass
/// mark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Credit(u64);

impl Credit {
    /// Parts in one point: lcm(1..=12), so a third, a fifth or a
    /// twelfth of a point is a whole number of parts. Stored in scores:
    /// never changes. (A question with more than 12 keys, which no format
    /// we read allows, would round its credit down to a part.)
    pub const PARTS: u64 = 27_720;
    pub const NONE: Credit = Credit(0);
    pub const FULL: Credit = Credit(Self::PARTS);

    /// Credit of `parts` parts of a point (see [`Credit::PARTS`]).
    pub fn from_parts(parts: u64) -> Credit {
        Credit(parts)
    }

    /// `n` whole points.
    pub fn points(n: u32) -> Credit {
        Credit(u64::from(n) * Self::PARTS)
    }

    pub fn parts(self) -> u64 {
        self.0
    }

    /// In points, for display and percentages only; sums use the parts.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / Self::PARTS as f64
    }

    /// In points for people: "1", "0.33", "12.5".
    pub fn to_points_text(self) -> String {
        let hundredths = (self.0 * 100 + Self::PARTS / 2) / Self::PARTS;
        let (whole, frac) = (hundredths / 100, hundredths % 100);
        match frac {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole}.{}", f / 10),
            f => format!("{whole}.{f:02}"),
        }
    }
}

impl From<bool> for Credit {
    /// All or nothing: a right item earns the point.
    fn from(right: bool) -> Credit {
        if right { Credit::FULL } else { Credit::NONE }
    }
}

impl std::ops::Add for Credit {
    type Output = Credit;
    fn add(self, other: Credit) -> Credit {
        Credit(self.0 + other.0)
    }
}

impl std::iter::Sum for Credit {
    fn sum<I: Iterator<Item = Credit>>(iter: I) -> Credit {
        iter.fold(Credit::NONE, |a, b| a + b)
    }
}

impl CreditRule {
    /// The rule in a sentence, for a result's facts.
    pub fn summary(self) -> &'static str {
        match self {
            CreditRule::AllOrNothing => {
                "All or nothing: a multiple-response question earns its point only with exactly its keys"
            }
            CreditRule::Partial => {
                "Partial credit: a multiple-response question earns (keys chosen − wrong choices) ÷ keys of a point, \
                 never below 0"
            }
        }
    }
}

/// What a multiple-response answer chose, against its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub keys: usize,
    pub keys_chosen: usize,
    pub distractors_chosen: usize,
}

impl Tally {
    /// The tally of a multiple-response answer; None for other kinds.
    pub fn of(body: &Body, response: Option<&Response>) -> Option<Tally> {
        let Body::Multiple { key, .. } = body else { return None };
        let mut chosen: Vec<usize> = match response {
            Some(Response::Multiple(chosen)) => chosen.clone(),
            _ => Vec::new(),
        };
        // A choice counts once, however it was sent.
        chosen.sort_unstable();
        chosen.dedup();
        let keys_chosen = chosen.iter().filter(|c| key.contains(c)).count();
        Some(Tally { keys: key.len(), keys_chosen, distractors_chosen: chosen.len() - keys_chosen })
    }

    /// max(0, (keys chosen − distractors chosen) ÷ keys), in parts.
    pub fn partial_credit(self) -> Credit {
        let net = self.keys_chosen.saturating_sub(self.distractors_chosen) as u64;
        if self.keys == 0 { Credit::NONE } else { Credit(net * Credit::PARTS / self.keys as u64) }
    }
}

impl std::fmt::Display for Tally {
    /// "2 of 3 keys, 1 wrong".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} of {} keys, {} wrong", self.keys_chosen, self.keys, self.distractors_chosen)
    }
}

/// The credit an item earns under `rule`.
pub fn credit(rule: CreditRule, body: &Body, response: Option<&Response>) -> Credit {
    match (rule, Tally::of(body, response)) {
        (CreditRule::Partial, Some(tally)) => tally.partial_credit(),
        _ => Credit::from(body.is_correct(response)),
    }
}

/// For the review: how a partly right multiple-response answer was
/// credited, "2 of 3 keys, 1 wrong: 0.33 of a point". None when the rule
/// is all-or-nothing, the item is of another kind, unanswered, or fully
/// right (its verdict says it all).
pub fn partial_note(rule: CreditRule, body: &Body, response: Option<&Response>) -> Option<String> {
    if rule != CreditRule::Partial || body.is_correct(response) {
        return None;
    }
    let tally = Tally::of(body, response)?;
    if tally.keys_chosen + tally.distractors_chosen == 0 {
        return None;
    }
    Some(format!("{tally}: {} of a point", tally.partial_credit().to_points_text()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::Choice;

    /// Six options, three keyed (0, 2, 4).
    fn three_keys() -> Body {
        let options = (0..6).map(|i| Choice { text: format!("option {i}"), rationale: "why".into() }).collect();
        Body::Multiple { options, key: vec![0, 2, 4] }
    }

    fn chose(options: &[usize]) -> Response {
        Response::Multiple(options.to_vec())
    }

    fn partial(response: Option<&Response>) -> Credit {
        credit(CreditRule::Partial, &three_keys(), response)
    }

    #[test]
    fn two_keys_and_a_distractor_of_three_keys_earn_a_third() {
        // (2 − 1) ÷ 3 = 1/3 of a point: 9240 of 27720 parts.
        let c = partial(Some(&chose(&[0, 2, 1])));
        assert_eq!(c, Credit::from_parts(9240));
        assert_eq!(c.parts() * 3, Credit::PARTS);
        assert_eq!(c.to_points_text(), "0.33");
    }

    #[test]
    fn the_exact_keys_earn_the_point_and_more_distractors_than_keys_earn_nothing() {
        assert_eq!(partial(Some(&chose(&[0, 2, 4]))), Credit::FULL);
        assert_eq!(partial(Some(&chose(&[4, 0, 2]))), Credit::FULL, "in any order");
        assert_eq!(partial(Some(&chose(&[0, 2]))), Credit::from_parts(2 * 9240), "two of three, nothing wrong");
        assert_eq!(partial(Some(&chose(&[0, 1, 3]))), Credit::NONE, "one key, two wrong: below zero is zero");
        assert_eq!(partial(Some(&chose(&[0, 1]))), Credit::NONE, "one key, one wrong");
        assert_eq!(partial(Some(&chose(&[1, 3, 5]))), Credit::NONE);
    }

    #[test]
    fn choosing_everything_or_nothing_earns_nothing() {
        assert_eq!(partial(Some(&chose(&[0, 1, 2, 3, 4, 5]))), Credit::NONE, "3 keys − 3 distractors");
        assert_eq!(partial(Some(&chose(&[]))), Credit::NONE);
        assert_eq!(partial(None), Credit::NONE);
    }

    #[test]
    fn a_choice_sent_twice_counts_once() {
        assert_eq!(partial(Some(&chose(&[0, 0, 0]))), Credit::from_parts(9240));
        assert_eq!(partial(Some(&chose(&[0, 1, 1]))), Credit::NONE);
        assert_eq!(partial(Some(&chose(&[0, 1, 0]))), Credit::NONE, "unsorted: one key, one wrong");
    }

    #[test]
    fn all_or_nothing_credits_only_the_exact_keys() {
        let all = |r: &Response| credit(CreditRule::AllOrNothing, &three_keys(), Some(r));
        assert_eq!(all(&chose(&[0, 2, 4])), Credit::FULL);
        assert_eq!(all(&chose(&[0, 2])), Credit::NONE);
        assert_eq!(all(&chose(&[0, 2, 1])), Credit::NONE);
        assert_eq!(credit(CreditRule::AllOrNothing, &three_keys(), None), Credit::NONE);
    }

    #[test]
    fn other_kinds_stay_one_or_zero_under_partial_credit() {
        let options = (0..4).map(|i| Choice { text: format!("o{i}"), rationale: "r".into() }).collect();
        let single = Body::Single { options, key: 2 };
        assert_eq!(credit(CreditRule::Partial, &single, Some(&Response::Single(2))), Credit::FULL);
        assert_eq!(credit(CreditRule::Partial, &single, Some(&Response::Single(1))), Credit::NONE);
        let steps = (0..3).map(|i| Choice { text: format!("s{i}"), rationale: "r".into() }).collect();
        let ordering = Body::Ordering { steps };
        let almost = Response::Ordering(vec![Some(0), Some(2), Some(1)]);
        assert_eq!(credit(CreditRule::Partial, &ordering, Some(&almost)), Credit::NONE, "one step right is wrong");
        assert_eq!(Tally::of(&ordering, Some(&almost)), None);
    }

    #[test]
    fn a_tally_says_what_was_chosen() {
        let tally = Tally::of(&three_keys(), Some(&chose(&[0, 2, 1]))).expect("multiple");
        assert_eq!(tally, Tally { keys: 3, keys_chosen: 2, distractors_chosen: 1 });
        assert_eq!(tally.to_string(), "2 of 3 keys, 1 wrong");
        assert_eq!(Tally { keys: 0, keys_chosen: 0, distractors_chosen: 0 }.partial_credit(), Credit::NONE);
    }

    #[test]
    fn the_note_shows_only_for_a_partly_right_answer_under_partial_credit() {
        let note = |rule, r: Option<&Response>| partial_note(rule, &three_keys(), r);
        assert_eq!(
            note(CreditRule::Partial, Some(&chose(&[0, 2, 1]))).as_deref(),
            Some("2 of 3 keys, 1 wrong: 0.33 of a point")
        );
        assert_eq!(
            note(CreditRule::Partial, Some(&chose(&[1, 3]))).as_deref(),
            Some("0 of 3 keys, 2 wrong: 0 of a point")
        );
        assert_eq!(note(CreditRule::Partial, Some(&chose(&[0, 2, 4]))), None, "fully right");
        assert_eq!(note(CreditRule::Partial, Some(&chose(&[]))), None, "unanswered");
        assert_eq!(note(CreditRule::Partial, None), None);
        assert_eq!(note(CreditRule::AllOrNothing, Some(&chose(&[0, 2, 1]))), None);
    }

    #[test]
    fn points_read_as_people_write_them() {
        assert_eq!(Credit::FULL.to_points_text(), "1");
        assert_eq!(Credit::NONE.to_points_text(), "0");
        assert_eq!(Credit::from_parts(Credit::PARTS / 2).to_points_text(), "0.5");
        assert_eq!(Credit::from_parts(2 * Credit::PARTS / 3).to_points_text(), "0.67");
        assert_eq!(Credit::from_parts(Credit::PARTS / 20).to_points_text(), "0.05");
        assert_eq!((Credit::points(12) + Credit::from_parts(Credit::PARTS / 4)).to_points_text(), "12.25");
        assert_eq!(Credit::points(3).parts(), 3 * 27_720);
        assert!((Credit::from_parts(Credit::PARTS / 4).as_f64() - 0.25).abs() < 1e-12);
        assert_eq!([Credit::FULL, Credit::from_parts(5), Credit::NONE].into_iter().sum::<Credit>().parts(), 27_725);
    }

    #[test]
    fn each_rule_says_what_it_does() {
        assert!(CreditRule::AllOrNothing.summary().starts_with("All or nothing: "));
        assert!(CreditRule::Partial.summary().contains("(keys chosen − wrong choices) ÷ keys"));
    }

    #[test]
    fn a_point_splits_into_thirds_through_twelfths_exactly() {
        assert_eq!(Credit::PARTS, 27_720, "stored in scores: must never change");
        for keys in 1..=12 {
            assert_eq!(Credit::PARTS % keys, 0, "{keys}");
        }
    }
}
