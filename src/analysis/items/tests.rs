//! The item statistics against a small class worked out by hand, a
//! simulated class with a miskeyed question, and the edge cases.

use uuid::Uuid;

use super::*;
use crate::analysis::Flag;
use crate::exam::Choice;

const EPS: f64 = 1e-9;

fn close(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() < EPS)
}

fn attempt(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn question(n: u128) -> Uuid {
    Uuid::from_u128(1000 + n)
}

fn single(q: u128, key: usize) -> ItemKey {
    ItemKey { question: question(q), options: 4, keys: vec![key] }
}

fn response(a: u128, q: u128, chosen: usize, key: usize, seconds: Option<u32>) -> ItemResponse {
    ItemResponse {
        attempt: attempt(a),
        question: question(q),
        credit: Credit::from(chosen == key),
        chosen: vec![chosen],
        seconds,
    }
}

/// Six attempts a1..a6 at three single-answer questions with four options
/// (0..3); the keys are q1: 0, q2: 1, q3: 2. Chosen (✓ right):
///
/// ```text
///        q1    q2    q3    total
///   a1   0 ✓   1 ✓   2 ✓   3
///   a2   0 ✓   1 ✓   0     2
///   a3   0 ✓   3     1     1
///   a4   1     1 ✓   2 ✓   2
///   a5   0 ✓   2     0     1
///   a6   2     3     0     0
/// ```
///
/// Ranked by band (total as permille of 3 points): a6 0; a3, a5 333;
/// a2, a4 667; a1 1000. 27% of 6 = 1.62 → 2 attempts a group. Attempts in
/// one band are interchangeable, so the upper group is a1 and half of the
/// band {a2, a4}; the lower group a6 and half of {a3, a5}: a shared band
/// counts its credit and choices × 1/2.
///
/// q1: right a1 a2 a3 a5, p = 4/6, q = 2/6. Rest scores (total − q1):
///   a1 2, a2 1, a3 0, a4 2, a5 0, a6 0; mean 5/6, Σy² = 9,
///   variance 9/6 − 25/36 = 29/36, s = √29 / 6.
///   M1 = (2+1+0+0)/4 = 3/4, M0 = (2+0)/2 = 1.
///   r = (3/4 − 1) ÷ (√29/6) × √(4/6 × 2/6) = −1/√58 = −0.1313.
///   D: upper a1 ✓ + ½(a2 ✓ + a4 ✗) = 3/2 of 2 = 3/4; lower a6 ✗ +
///   ½(a3 ✓ + a5 ✓) = 1 of 2 = 1/2; D = 1/4.
///   Facility 4/6 = 66.67%. Chosen: 0 ×4 (key), 1 ×1, 2 ×1, 3 ×0;
///   by the upper group: 0 ×1.5 (a1, ½ a2), 1 ×0.5 (½ a4).
///   Seconds known for a1 30 and a2 50 only: mean 40.
/// q2: right a1 a2 a4, p = q = 1/2. Rest: a1 2, a2 1, a3 1, a4 1, a5 1, a6 0;
///   mean 1, Σy² = 8, variance 8/6 − 1 = 1/3, s = 1/√3.
///   M1 = (2+1+1)/3 = 4/3, M0 = (1+1+0)/3 = 2/3.
///   r = (2/3) ÷ (1/√3) × √(1/4) = 1/√3 = 0.5774.
///   D: upper a1 ✓ + ½(a2 ✓ + a4 ✓) = 1, lower a6 ✗ + ½(a3 ✗ + a5 ✗) = 0,
///   D = 1.
///   Facility 50%. Chosen: 0 ×0, 1 ×3 (key), 2 ×1, 3 ×2; upper: 1 ×2.
///   No times known: no mean.
/// q3: right a1 a4, p = 1/3, q = 2/3. Rest: a1 2, a2 2, a3 1, a4 1, a5 1, a6 0;
///   mean 7/6, Σy² = 11, variance 11/6 − 49/36 = 17/36, s = √17 / 6.
///   M1 = (2+1)/2 = 3/2, M0 = (2+1+1+0)/4 = 1.
///   r = (1/2) ÷ (√17/6) × √(2/9) = √(2/17) = 0.3430.
///   D: upper a1 ✓ + ½(a2 ✗ + a4 ✓) = 3/4, lower a6 ✗ + ½(a3 ✗ + a5 ✗) = 0,
///   D = 3/4.
///   Facility 33.33%. Chosen: 0 ×3, 1 ×1, 2 ×2 (key), 3 ×0; upper: 2 ×1.5
///   (a1, ½ a4), 0 ×0.5 (½ a2).
///   Every time 60 s: mean 60.
fn small_class() -> (Vec<ItemKey>, Vec<ItemResponse>) {
    let items = vec![single(1, 0), single(2, 1), single(3, 2)];
    #[rustfmt::skip]
    let chosen: [[usize; 3]; 6] = [
        [0, 1, 2],
        [0, 1, 0],
        [0, 3, 1],
        [1, 1, 2],
        [0, 2, 0],
        [2, 3, 0],
    ];
    let q1_seconds = [Some(30), Some(50), None, None, None, None];
    let mut responses = Vec::new();
    for (a, row) in chosen.iter().enumerate() {
        responses.push(response(a as u128 + 1, 1, row[0], 0, q1_seconds[a]));
        responses.push(response(a as u128 + 1, 2, row[1], 1, None));
        responses.push(response(a as u128 + 1, 3, row[2], 2, Some(60)));
    }
    (items, responses)
}

fn counts(stats: &ItemStats) -> Vec<(bool, u32, f64)> {
    stats.options.iter().map(|o| (o.key, o.chosen, o.chosen_by_upper)).collect()
}

#[test]
fn the_totals_are_the_sums_of_each_attempts_credit() {
    let (_, responses) = small_class();
    let totals: Vec<(Uuid, u32)> =
        Attempt::totals(&responses).iter().map(|a| (a.id, (a.total.parts() / Credit::PARTS) as u32)).collect();
    assert_eq!(
        totals,
        vec![(attempt(1), 3), (attempt(2), 2), (attempt(3), 1), (attempt(4), 2), (attempt(5), 1), (attempt(6), 0)]
    );
}

#[test]
fn the_small_class_matches_the_numbers_worked_out_by_hand() {
    let (items, responses) = small_class();
    let stats = analyse(&items, &Attempt::totals(&responses), &responses);
    let [q1, q2, q3] = &stats[..] else { panic!("three questions: {stats:?}") };

    assert_eq!((q1.question, q1.responses), (question(1), 6));
    assert!(close(q1.facility, 400.0 / 6.0), "{:?}", q1.facility);
    assert!(close(q1.point_biserial, -1.0 / 58f64.sqrt()), "{:?}", q1.point_biserial);
    assert!(close(q1.upper_lower, 0.25), "{:?}", q1.upper_lower);
    assert_eq!(counts(q1), vec![(true, 4, 1.5), (false, 1, 0.5), (false, 1, 0.0), (false, 0, 0.0)]);
    assert!(close(q1.mean_seconds, 40.0), "{:?}", q1.mean_seconds);

    assert_eq!((q2.question, q2.responses), (question(2), 6));
    assert!(close(q2.facility, 50.0), "{:?}", q2.facility);
    assert!(close(q2.point_biserial, 1.0 / 3f64.sqrt()), "{:?}", q2.point_biserial);
    assert!(close(q2.upper_lower, 1.0), "{:?}", q2.upper_lower);
    assert_eq!(counts(q2), vec![(false, 0, 0.0), (true, 3, 2.0), (false, 1, 0.0), (false, 2, 0.0)]);
    assert_eq!(q2.mean_seconds, None);

    assert!(close(q3.facility, 100.0 / 3.0), "{:?}", q3.facility);
    assert!(close(q3.point_biserial, (2.0f64 / 17.0).sqrt()), "{:?}", q3.point_biserial);
    assert!(close(q3.upper_lower, 0.75), "{:?}", q3.upper_lower);
    assert_eq!(counts(q3), vec![(false, 3, 0.5), (false, 1, 0.0), (true, 2, 1.5), (false, 0, 0.0)]);
    assert!(close(q3.mean_seconds, 60.0), "{:?}", q3.mean_seconds);

    // Six responses are too few to judge, whatever the numbers.
    for s in &stats {
        assert_eq!(s.flags, vec![Flag::TooFewResponses { responses: 6 }]);
    }
}

#[test]
fn the_groups_are_27_percent_rounded_half_up_and_at_least_one() {
    let sizes: Vec<usize> = [0, 1, 2, 3, 5, 6, 10, 50, 100].into_iter().map(group_size).collect();
    // 0.27 × 2 = 0.54 → 1; × 5 = 1.35 → 1; × 6 = 1.62 → 2; × 10 = 2.7 → 3;
    // × 50 = 13.5 → 14.
    assert_eq!(sizes, vec![1, 1, 1, 1, 1, 2, 3, 14, 27]);
}

/// Three attempts at a multiple-response question under partial credit
/// (q1: credit 1, 1/2, 0) and a single-answer one (q2: 1, 0, 0).
/// Totals 2, 1/2, 0; q1's rest scores 1, 0, 0 (mean 1/3), credits mean 1/2.
/// Σ(x − x̄)(y − ȳ) = (1/2)(2/3) + 0 + (−1/2)(−1/3) = 1/2,
/// Σ(x − x̄)² = 1/2, Σ(y − ȳ)² = 4/9 + 1/9 + 1/9 = 2/3,
/// r = (1/2) ÷ √(1/2 × 2/3) = √3 / 2 = 0.8660.
#[test]
fn under_partial_credit_the_correlation_is_pearsons() {
    let half = Credit::from_parts(Credit::PARTS / 2);
    let multiple = ItemKey { question: question(1), options: 4, keys: vec![0, 1] };
    let r = |a, q, credit, chosen: Vec<usize>| ItemResponse {
        attempt: attempt(a),
        question: question(q),
        credit,
        chosen,
        seconds: None,
    };
    let responses = vec![
        r(1, 1, Credit::FULL, vec![0, 1]),
        r(2, 1, half, vec![0, 1, 2]),
        r(3, 1, Credit::NONE, vec![2, 3]),
        r(1, 2, Credit::FULL, vec![0]),
        r(2, 2, Credit::NONE, vec![1]),
        r(3, 2, Credit::NONE, vec![1]),
    ];
    let stats = analyse(&[multiple], &Attempt::totals(&responses), &responses);
    assert!(close(stats[0].facility, 50.0), "{:?}", stats[0].facility);
    assert!(close(stats[0].point_biserial, 3f64.sqrt() / 2.0), "{:?}", stats[0].point_biserial);
    // Bands 1000, 250, 0; 27% of 3 → 1: upper a1 (1), lower a3 (0).
    assert!(close(stats[0].upper_lower, 1.0), "{:?}", stats[0].upper_lower);
    assert_eq!(counts(&stats[0]), vec![(true, 2, 1.0), (true, 2, 1.0), (false, 2, 0.0), (false, 1, 0.0)]);
}

#[test]
fn the_options_and_keys_come_from_the_question() {
    let choices = |n| (0..n).map(|i| Choice { text: format!("{i}"), rationale: String::new() }).collect::<Vec<_>>();
    let id = question(1);
    assert_eq!(
        ItemKey::of(id, &Body::Single { options: choices(4), key: 2 }),
        ItemKey { question: id, options: 4, keys: vec![2] }
    );
    assert_eq!(
        ItemKey::of(id, &Body::Multiple { options: choices(5), key: vec![0, 3] }),
        ItemKey { question: id, options: 5, keys: vec![0, 3] }
    );
    assert_eq!(
        ItemKey::of(id, &Body::Ordering { steps: choices(3) }),
        ItemKey { question: id, options: 0, keys: vec![] }
    );
    assert_eq!(
        ItemKey::of(id, &Body::Matching { pairs: vec![], extra_answers: choices(2) }),
        ItemKey { question: id, options: 0, keys: vec![] }
    );
}

#[test]
fn responses_of_unknown_attempts_questions_and_options_are_left_out() {
    let (items, mut responses) = small_class();
    let attempts = Attempt::totals(&responses);
    responses.push(response(99, 1, 0, 0, Some(1000))); // an attempt not listed
    responses.push(response(1, 9, 0, 0, None)); // a question not asked about
    responses.push(ItemResponse { chosen: vec![7], ..response(2, 2, 1, 1, None) }); // no option 7
    let stats = analyse(&items[..2], &attempts, &responses);
    assert_eq!(stats.len(), 2);
    assert_eq!(stats[0].responses, 6);
    assert!(close(stats[0].mean_seconds, 40.0));
    assert_eq!(counts(&stats[1]).iter().map(|c| c.1).sum::<u32>(), 6);
}

/// Every number is finite when it is there.
fn assert_no_nan(stats: &[ItemStats]) {
    for s in stats {
        for x in [s.facility, s.point_biserial, s.upper_lower, s.mean_seconds].into_iter().flatten() {
            assert!(x.is_finite(), "{s:?}");
        }
    }
}

#[test]
fn a_question_nobody_had_has_no_numbers() {
    let stats = analyse(&[single(1, 0)], &[], &[]);
    assert_eq!(
        stats,
        vec![ItemStats {
            question: question(1),
            responses: 0,
            facility: None,
            point_biserial: None,
            upper_lower: None,
            options: (0..4).map(|o| OptionCount { option: o, key: o == 0, chosen: 0, chosen_by_upper: 0.0 }).collect(),
            mean_seconds: None,
            flags: vec![Flag::TooFewResponses { responses: 0 }],
        }]
    );
}

#[test]
fn one_attempt_has_a_facility_and_no_discrimination() {
    let responses = vec![response(1, 1, 0, 0, Some(12))];
    let stats = analyse(&[single(1, 0)], &Attempt::totals(&responses), &responses);
    assert_eq!((stats[0].responses, stats[0].facility), (1, Some(100.0)));
    assert_eq!((stats[0].point_biserial, stats[0].upper_lower), (None, None));
    assert_eq!(counts(&stats[0])[0], (true, 1, 1.0));
    assert_no_nan(&stats);
}

#[test]
fn two_attempts_are_enough_for_both_discriminations() {
    // a1 right and a2 wrong at q1, both right at q2: totals 2 and 1, q1's
    // rest scores both 1 (no spread); groups of 1 attempt: D = 1 − 0.
    let responses = vec![
        response(1, 1, 0, 0, None),
        response(2, 1, 1, 0, None),
        response(1, 2, 0, 0, None),
        response(2, 2, 0, 0, None),
    ];
    let stats = analyse(&[single(1, 0)], &Attempt::totals(&responses), &responses);
    assert_eq!((stats[0].point_biserial, stats[0].upper_lower), (None, Some(1.0)));
    // a1 right at both, a2 wrong at both: q1's rest scores 1 and 0, r = 1.
    let responses = vec![
        response(1, 1, 0, 0, None),
        response(2, 1, 1, 0, None),
        response(1, 2, 0, 0, None),
        response(2, 2, 1, 0, None),
    ];
    let stats = analyse(&[single(1, 0)], &Attempt::totals(&responses), &responses);
    assert_eq!((stats[0].point_biserial, stats[0].upper_lower), (Some(1.0), Some(1.0)));
}

/// 25 attempts at two questions; `right(a, q)` says who got which right.
fn class_of_25(right: impl Fn(u128, u128) -> bool) -> Vec<ItemStats> {
    let responses: Vec<ItemResponse> =
        (1..=25).flat_map(|a| [1, 2].map(|q| response(a, q, if right(a, q) { 0 } else { 1 }, 0, None))).collect();
    analyse(&[single(1, 0), single(2, 0)], &Attempt::totals(&responses), &responses)
}

#[test]
fn all_right_gives_no_correlation_and_is_flagged_nearly_all_right() {
    let stats = class_of_25(|a, q| q == 1 || a % 2 == 0);
    assert_eq!((stats[0].facility, stats[0].point_biserial, stats[0].upper_lower), (Some(100.0), None, Some(0.0)));
    assert_eq!(stats[0].flags, vec![Flag::NearlyAllRight { facility: 100.0 }]);
    assert_no_nan(&stats);
}

#[test]
fn all_wrong_gives_no_correlation_and_is_flagged_nearly_all_wrong() {
    let stats = class_of_25(|a, q| q == 2 && a % 2 == 0);
    assert_eq!((stats[0].facility, stats[0].point_biserial, stats[0].upper_lower), (Some(0.0), None, Some(0.0)));
    // Everyone chose option 1, the upper group's 7 too.
    assert_eq!(
        stats[0].flags,
        vec![
            Flag::DistractorBeatsKey { distractor: 1, chosen_by_upper: 7.0, key_chosen_by_upper: 0.0 },
            Flag::NearlyAllWrong { facility: 0.0 }
        ]
    );
    assert_no_nan(&stats);
}

#[test]
fn rest_scores_all_equal_give_no_correlation() {
    // q2 always right: q1's rest score is 1 for everyone.
    let stats = class_of_25(|a, q| q == 2 || a % 2 == 0);
    assert_eq!(stats[0].point_biserial, None);
    assert!(stats[0].flags.is_empty(), "{:?}", stats[0].flags);
    assert_no_nan(&stats);
}

#[test]
fn identical_totals_share_the_groups_and_give_no_nan() {
    // Everyone gets exactly one of the two right: every total is 1. Ids
    // 13..=25 got q1, ids 1..=12 got q2.
    let stats = class_of_25(|a, q| (q == 1) == (a > 12));
    // Each rest score is 1 − the item's credit: exactly −1, as it should be.
    assert_eq!(stats[0].point_biserial, Some(-1.0));
    // One band for all: each group of 7 is 7/25 of everyone, so both
    // groups have q1's facility 13/25 and D is 0 (an attempt id would have
    // made it ±1 by chance).
    assert_eq!((stats[0].upper_lower, stats[1].upper_lower), (Some(0.0), Some(0.0)));
    assert!(close(Some(stats[0].options[0].chosen_by_upper), 7.0 * 13.0 / 25.0));
    assert_no_nan(&stats);
}

/// The question whose key is wrong in [`simulated_class`] (item 7).
const MISKEYED: u128 = 7;

/// 40 learners of abilities 0.0125..0.9875 answer 10 questions of
/// difficulties 0.26..0.8, each right when ability ± a small fixed wobble
/// beats the difficulty. The true answer is always option 0; a learner who
/// misses picks option 3 when weak (ability under 0.35), else option 1 or 2.
/// Item 7 is stored with key 3, the option the weakest choose.
fn simulated_class() -> (Vec<ItemKey>, Vec<ItemResponse>) {
    let items: Vec<ItemKey> = (1..=10).map(|q| single(q, if q == MISKEYED { 3 } else { 0 })).collect();
    let mut responses = Vec::new();
    for a in 0..40u128 {
        let ability = (a as f64 + 0.5) / 40.0;
        for q in 1..=10u128 {
            let difficulty = 0.2 + 0.06 * q as f64;
            let wobble = ((a * 7 + q * 13) % 11) as f64 / 50.0 - 0.1;
            let chosen = if ability + wobble > difficulty {
                0
            } else if ability < 0.35 {
                3
            } else {
                1 + ((a + q) % 2) as usize
            };
            let key = if q == MISKEYED { 3 } else { 0 };
            responses.push(response(a + 1, q, chosen, key, Some(30 + (a % 5) as u32)));
        }
    }
    (items, responses)
}

#[test]
fn a_miskeyed_question_is_flagged_and_the_others_are_not() {
    let (items, responses) = simulated_class();
    let stats = analyse(&items, &Attempt::totals(&responses), &responses);
    for s in &stats {
        if s.question == question(MISKEYED) {
            assert!(s.point_biserial.is_some_and(|r| r < 0.0), "{s:?}");
            assert!(s.upper_lower.is_some_and(|d| d < 0.0), "{s:?}");
            assert!(matches!(s.flags[0], Flag::NegativeDiscrimination { .. }), "{:?}", s.flags);
            // The 11 strongest all chose the true answer, none the key.
            assert_eq!(
                s.flags[1],
                Flag::DistractorBeatsKey { distractor: 0, chosen_by_upper: 11.0, key_chosen_by_upper: 0.0 }
            );
            assert_eq!(s.flags.len(), 2, "{:?}", s.flags);
        } else {
            assert!(s.flags.is_empty(), "{s:?}");
            assert!(s.point_biserial.is_some_and(|r| r > 0.3), "{s:?}");
        }
    }
    assert_no_nan(&stats);
}
