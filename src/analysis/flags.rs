//! Flags for questions that look broken, judged from their statistics.
//! Each flag says why in words ([`Flag::reason`]); a flag is a reason to
//! look at the question, not proof that it is wrong.

use super::items::ItemStats;

/// The fewest responses for any flag. Below it one answer more or less
/// moves the facility by 5 points or more and the upper group has at most 5
/// attempts: every judgement would be noise.
pub const MIN_RESPONSES: u32 = 20;

/// A point-biserial below this is near zero (or negative): the question
/// barely tells stronger learners from weaker ones.
pub const LOW_DISCRIMINATION: f64 = 0.1;

/// A facility (percent right) below this: almost nobody gets it right.
pub const FACILITY_LOW: f64 = 10.0;

/// A facility above this: almost everybody gets it right.
pub const FACILITY_HIGH: f64 = 95.0;

/// Why a question looks broken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Flag {
    /// Fewer than [`MIN_RESPONSES`]: nothing else is judged.
    TooFewResponses { responses: u32 },
    /// Those who got it right scored lower on the rest of the exam than
    /// those who got it wrong: often a wrong key.
    NegativeDiscrimination { point_biserial: f64 },
    /// From 0 to just under [`LOW_DISCRIMINATION`].
    LowDiscrimination { point_biserial: f64 },
    /// The upper group chose this distractor more often than a key (for a
    /// multiple-response question, than its least chosen key).
    /// Counts can be fractions: see [`super::tally`] for the band rule.
    DistractorBeatsKey { distractor: usize, chosen_by_upper: f64, key_chosen_by_upper: f64 },
    /// Facility below [`FACILITY_LOW`].
    NearlyAllWrong { facility: f64 },
    /// Facility above [`FACILITY_HIGH`].
    NearlyAllRight { facility: f64 },
}

impl Flag {
    /// The reason in words. Options are numbered from 1 in the question
    /// file's order, as the instructor writes them.
    pub fn reason(&self) -> String {
        match *self {
            Flag::TooFewResponses { responses } => {
                format!("Too few responses to judge: {responses}, fewer than {MIN_RESPONSES}.")
            }
            Flag::NegativeDiscrimination { point_biserial } => format!(
                "Negative discrimination ({point_biserial:.2}): those who got it right did worse on the rest of the \
                 exam than those who got it wrong. Check the key."
            ),
            Flag::LowDiscrimination { point_biserial } => format!(
                "Near-zero discrimination ({point_biserial:.2}, below {LOW_DISCRIMINATION}): it barely tells stronger \
                 learners from weaker ones."
            ),
            Flag::DistractorBeatsKey { distractor, chosen_by_upper, key_chosen_by_upper } => format!(
                "The upper group chose option {} ({} times) more often than the key ({} times). Check the key and \
                 that option.",
                distractor + 1,
                times(chosen_by_upper),
                times(key_chosen_by_upper)
            ),
            Flag::NearlyAllWrong { facility } => {
                format!("Nearly everyone gets it wrong: {facility:.0}% right, below {FACILITY_LOW}%.")
            }
            Flag::NearlyAllRight { facility } => {
                format!("Nearly everyone gets it right: {facility:.0}% right, above {FACILITY_HIGH}%.")
            }
        }
    }
}

/// A count that may be a fraction, for people: "7", "3.6".
pub fn times(count: f64) -> String {
    let tenths = (count * 10.0).round();
    if tenths % 10.0 == 0.0 { format!("{:.0}", tenths / 10.0) } else { format!("{:.1}", tenths / 10.0) }
}

/// The flags a question's statistics earn, in the order of [`Flag`].
pub fn judge(stats: &ItemStats) -> Vec<Flag> {
    if stats.responses < MIN_RESPONSES {
        return vec![Flag::TooFewResponses { responses: stats.responses }];
    }
    let mut flags = Vec::new();
    match stats.point_biserial {
        Some(r) if r < 0.0 => flags.push(Flag::NegativeDiscrimination { point_biserial: r }),
        Some(r) if r < LOW_DISCRIMINATION => flags.push(Flag::LowDiscrimination { point_biserial: r }),
        // None: all right, all wrong (the facility flags say so) or no
        // spread in the rest scores, where there is nothing to judge.
        _ => {}
    }
    if let Some(flag) = distractor_beats_key(stats) {
        flags.push(flag);
    }
    match stats.facility {
        Some(f) if f < FACILITY_LOW => flags.push(Flag::NearlyAllWrong { facility: f }),
        Some(f) if f > FACILITY_HIGH => flags.push(Flag::NearlyAllRight { facility: f }),
        _ => {}
    }
    flags
}

/// The distractor the upper group chose most (the first of equals), if
/// more often than the key they chose least.
fn distractor_beats_key(stats: &ItemStats) -> Option<Flag> {
    let key_chosen_by_upper = stats.options.iter().filter(|o| o.key).map(|o| o.chosen_by_upper).reduce(f64::min)?;
    let distractor =
        stats.options.iter().filter(|o| !o.key).rev().max_by(|a, b| a.chosen_by_upper.total_cmp(&b.chosen_by_upper))?;
    (distractor.chosen_by_upper > key_chosen_by_upper).then_some(Flag::DistractorBeatsKey {
        distractor: distractor.option,
        chosen_by_upper: distractor.chosen_by_upper,
        key_chosen_by_upper,
    })
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::analysis::items::OptionCount;

    /// Statistics with 20 responses and nothing wrong, to change one thing.
    fn fine() -> ItemStats {
        ItemStats {
            question: Uuid::nil(),
            responses: MIN_RESPONSES,
            facility: Some(60.0),
            point_biserial: Some(0.4),
            upper_lower: Some(0.5),
            options: vec![
                OptionCount { option: 0, key: true, chosen: 12, chosen_by_upper: 5.0 },
                OptionCount { option: 1, key: false, chosen: 8, chosen_by_upper: 0.0 },
            ],
            mean_seconds: None,
            flags: Vec::new(),
        }
    }

    #[test]
    fn a_fine_question_with_twenty_responses_has_no_flags() {
        assert_eq!(judge(&fine()), vec![]);
    }

    #[test]
    fn nineteen_responses_are_too_few_to_judge_even_a_bad_question() {
        let stats = ItemStats { responses: 19, facility: Some(0.0), point_biserial: Some(-0.5), ..fine() };
        assert_eq!(judge(&stats), vec![Flag::TooFewResponses { responses: 19 }]);
    }

    #[test]
    fn discrimination_below_zero_is_negative_and_below_a_tenth_is_low() {
        let judged = |r| judge(&ItemStats { point_biserial: Some(r), ..fine() });
        assert_eq!(judged(-0.01), vec![Flag::NegativeDiscrimination { point_biserial: -0.01 }]);
        assert_eq!(judged(0.0), vec![Flag::LowDiscrimination { point_biserial: 0.0 }]);
        assert_eq!(judged(0.099), vec![Flag::LowDiscrimination { point_biserial: 0.099 }]);
        assert_eq!(judged(LOW_DISCRIMINATION), vec![]);
        assert_eq!(judge(&ItemStats { point_biserial: None, ..fine() }), vec![]);
    }

    #[test]
    fn facility_below_ten_or_above_ninety_five_percent_is_flagged() {
        let judged = |f| judge(&ItemStats { facility: Some(f), ..fine() });
        assert_eq!(judged(9.99), vec![Flag::NearlyAllWrong { facility: 9.99 }]);
        assert_eq!(judged(FACILITY_LOW), vec![]);
        assert_eq!(judged(FACILITY_HIGH), vec![]);
        assert_eq!(judged(95.01), vec![Flag::NearlyAllRight { facility: 95.01 }]);
    }

    #[test]
    fn a_distractor_the_upper_group_chose_more_than_the_least_chosen_key_is_flagged() {
        let option = |option, key, chosen_by_upper| OptionCount { option, key, chosen: 9, chosen_by_upper };
        let with = |options| judge(&ItemStats { options, ..fine() });
        // Equal is not more often.
        assert_eq!(with(vec![option(0, true, 3.0), option(1, false, 3.0)]), vec![]);
        // Of two keys the least chosen counts; of distractors, the most
        // chosen, the first of equals.
        assert_eq!(
            with(vec![option(0, true, 5.0), option(1, false, 3.0), option(2, true, 2.0), option(3, false, 3.0)]),
            vec![Flag::DistractorBeatsKey { distractor: 1, chosen_by_upper: 3.0, key_chosen_by_upper: 2.0 }]
        );
        // A fraction more is more often (a shared boundary band).
        assert_eq!(
            with(vec![option(0, true, 2.5), option(1, false, 2.75)]),
            vec![Flag::DistractorBeatsKey { distractor: 1, chosen_by_upper: 2.75, key_chosen_by_upper: 2.5 }]
        );
        // No keys (ordering, matching) or no distractors: nothing to compare.
        assert_eq!(with(vec![]), vec![]);
        assert_eq!(with(vec![option(0, true, 0.0)]), vec![]);
    }

    #[test]
    fn every_flag_says_why_in_words() {
        let reasons = [
            (Flag::TooFewResponses { responses: 3 }, "Too few responses to judge: 3, fewer than 20."),
            (Flag::NegativeDiscrimination { point_biserial: -0.234 }, "Negative discrimination (-0.23)"),
            (Flag::LowDiscrimination { point_biserial: 0.05 }, "Near-zero discrimination (0.05, below 0.1)"),
            (
                Flag::DistractorBeatsKey { distractor: 2, chosen_by_upper: 7.0, key_chosen_by_upper: 4.0 },
                "The upper group chose option 3 (7 times) more often than the key (4 times).",
            ),
            (
                Flag::DistractorBeatsKey { distractor: 0, chosen_by_upper: 3.64, key_chosen_by_upper: 0.25 },
                "The upper group chose option 1 (3.6 times) more often than the key (0.3 times).",
            ),
            (Flag::NearlyAllWrong { facility: 4.0 }, "Nearly everyone gets it wrong: 4% right, below 10%."),
            (Flag::NearlyAllRight { facility: 98.0 }, "Nearly everyone gets it right: 98% right, above 95%."),
        ];
        for (flag, words) in reasons {
            assert!(flag.reason().starts_with(words), "{flag:?}: {}", flag.reason());
        }
    }
}
