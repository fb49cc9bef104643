//! The band rule, the sums and their merging, a boundary band shared pro
//! rata worked out by hand, and tallies made in parts giving the same
//! numbers as all the responses analysed at once.

use uuid::Uuid;

use super::*;
use crate::analysis::items::{Attempt, analyse};

const EPS: f64 = 1e-9;

fn close(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() < EPS)
}

fn points(n: u32) -> Credit {
    Credit::points(n)
}

#[test]
fn the_band_is_the_total_as_permille_of_the_maximum_rounded_half_up() {
    assert_eq!(band(points(0), points(3)), 0);
    assert_eq!(band(points(1), points(3)), 333);
    assert_eq!(band(points(2), points(3)), 667);
    assert_eq!(band(points(3), points(3)), TOP_BAND);
    // 1 part of 2000 is half a permille: up. 1 of 2001 is under half: down.
    assert_eq!(band(Credit::from_parts(1), Credit::from_parts(2000)), 1);
    assert_eq!(band(Credit::from_parts(1), Credit::from_parts(2001)), 0);
    // Nothing to earn, or more than the maximum (never stored): in range.
    assert_eq!(band(points(0), points(0)), 0);
    assert_eq!(band(points(4), points(3)), TOP_BAND);
}

#[test]
fn a_tally_keeps_the_sums_in_parts() {
    let mut t = Tally::default();
    t.add(points(1), points(2), &[0], Some(30));
    t.add(points(0), points(3), &[2], None);
    t.add(Credit::from_parts(10), points(1), &[0, 2], Some(12));
    let p = Credit::PARTS as i64;
    assert_eq!(
        t,
        Tally {
            responses: 3,
            credit: p + 10,
            credit_sq: p * p + 100,
            rest: 6 * p,
            rest_sq: (4 + 9 + 1) * p * p,
            credit_rest: 2 * p * p + 10 * p,
            seconds: 42,
            timed: 2,
            chosen: vec![2, 0, 2],
        }
    );
}

#[test]
fn merging_tallies_is_adding_their_responses_in_one() {
    let mut one = Tally::default();
    one.add(points(1), points(2), &[0], Some(30));
    let mut other = Tally::default();
    other.add(points(0), points(3), &[3], None);
    other.add(points(1), points(1), &[1], Some(5));
    let mut all = Tally::default();
    all.add(points(1), points(2), &[0], Some(30));
    all.add(points(0), points(3), &[3], None);
    all.add(points(1), points(1), &[1], Some(5));

    let mut merged = one.clone();
    merged.merge(&other);
    assert_eq!(merged, all);
    // The shorter chosen list may be either side.
    let mut merged = other.clone();
    merged.merge(&one);
    assert_eq!(merged, all);
}

fn key() -> ItemKey {
    ItemKey { question: Uuid::from_u128(1), options: 3, keys: vec![0] }
}

/// `(credit, chosen)` responses in one tally; the rest score is 1 point.
fn tally(responses: &[(u32, usize)]) -> Tally {
    let mut t = Tally::default();
    for &(credit, chosen) in responses {
        t.add(points(credit), points(1), &[chosen], None);
    }
    t
}

/// Ten responses to a question with key 0, in three bands:
///
/// ```text
///   band 1000: ✓0 ✓0
///   band  800: ✓0 ✗1 ✗1 ✗2
///   band  300: ✗1 ✗2 ✗2 ✗2
/// ```
///
/// 27% of 10 = 2.7 → groups of 3. Upper: band 1000 whole (2 responses, 2
/// right) and 1 of the 4 in band 800, so ¼ of its 1 right: 2.25 of 3 =
/// 0.75. Lower: 3 of the 4 in band 300, none right: 0. D = 0.75.
/// The upper group chose 0: 2 + ¼ × 1 = 2.25, 1: ¼ × 2 = 0.5, 2: ¼ × 1 =
/// 0.25. Facility 3 of 10 = 30%.
#[test]
fn the_band_at_the_boundary_counts_pro_rata() {
    let bands = [
        (300, tally(&[(0, 1), (0, 2), (0, 2), (0, 2)])),
        (1000, tally(&[(1, 0), (1, 0)])),
        (800, tally(&[(1, 0), (0, 1), (0, 1), (0, 2)])),
    ];
    let s = stats(&key(), &bands);
    assert_eq!(s.responses, 10);
    assert!(close(s.facility, 30.0), "{:?}", s.facility);
    assert!(close(s.upper_lower, 0.75), "{:?}", s.upper_lower);
    let upper: Vec<f64> = s.options.iter().map(|o| o.chosen_by_upper).collect();
    assert_eq!(upper, vec![2.25, 0.5, 0.25]);
    let all: Vec<(bool, u32)> = s.options.iter().map(|o| (o.key, o.chosen)).collect();
    assert_eq!(all, vec![(true, 3), (false, 3), (false, 4)]);
}

/// The groups end exactly at a band's edge: nothing is shared. 27% of 11 =
/// 2.97 → 3: upper the 3 of band 900 (2 right), lower the 3 of band 100 (1
/// right); the 5 between are in neither. D = 2/3 − 1/3.
#[test]
fn a_group_that_ends_at_a_band_edge_shares_nothing() {
    let bands = [
        (100, tally(&[(1, 0), (0, 1), (0, 1)])),
        (500, tally(&[(1, 0), (1, 0), (1, 0), (1, 0), (1, 0)])),
        (900, tally(&[(1, 0), (1, 0), (0, 2)])),
    ];
    let s = stats(&key(), &bands);
    assert!(close(s.upper_lower, 1.0 / 3.0), "{:?}", s.upper_lower);
    let upper: Vec<f64> = s.options.iter().map(|o| o.chosen_by_upper).collect();
    assert_eq!(upper, vec![2.0, 0.0, 1.0]);
}

#[test]
fn empty_bands_and_no_bands_give_no_numbers() {
    let s = stats(&key(), &[(500, Tally::default())]);
    assert_eq!((s.responses, s.facility, s.point_biserial, s.upper_lower), (0, None, None, None));
    assert_eq!(s.mean_seconds, None);
    assert_eq!(stats(&key(), &[]), s);
}

#[test]
fn the_mean_time_is_over_the_timed_responses_only() {
    let mut t = Tally::default();
    t.add(points(1), points(1), &[0], Some(20));
    t.add(points(1), points(1), &[0], None);
    t.add(points(0), points(2), &[1], Some(41));
    let s = stats(&key(), &[(500, t)]);
    assert!(close(s.mean_seconds, 30.5), "{:?}", s.mean_seconds);
}

/// 30 attempts at 5 questions, right when a wobbled ability beats the
/// difficulty; with times, and two-option choices on a wrong answer.
fn class() -> (Vec<ItemKey>, Vec<ItemResponse>) {
    let items: Vec<ItemKey> =
        (0..5u128).map(|q| ItemKey { question: Uuid::from_u128(100 + q), options: 4, keys: vec![0] }).collect();
    let mut responses = Vec::new();
    for a in 0..30u128 {
        for q in 0..5u128 {
            let right = (a * 3 + q * 7) % 10 > q + a % 4;
            responses.push(ItemResponse {
                attempt: Uuid::from_u128(a + 1),
                question: Uuid::from_u128(100 + q),
                credit: Credit::from(right),
                chosen: if right { vec![0] } else { vec![1 + ((a + q) % 3) as usize] },
                seconds: (a % 3 != 0).then_some(20 + (a * q % 17) as u32),
            });
        }
    }
    (items, responses)
}

#[test]
fn tallies_made_in_parts_and_merged_give_the_numbers_of_one_analysis() {
    let (items, responses) = class();
    let attempts = Attempt::totals(&responses);
    let at_once = analyse(&items, &attempts, &responses);

    // Two batches, as two runs of the tallying would count them.
    let mut batches = [Tallies::default(), Tallies::default()];
    for (i, attempt) in attempts.iter().enumerate() {
        let own: Vec<ItemResponse> = responses.iter().filter(|r| r.attempt == attempt.id).cloned().collect();
        batches[i % 2].add_attempt(attempt.total, attempt.max, &own);
    }
    let [mut merged, second] = batches;
    merged.merge(&second);
    let in_parts: Vec<ItemStats> = items.iter().map(|item| merged.stats(item)).collect();
    assert_eq!(in_parts, at_once);
    assert!(at_once.iter().all(|s| s.responses == 30 && s.point_biserial.is_some()), "{at_once:?}");
}

#[test]
fn one_question_s_bands_in_any_order_give_the_same_numbers() {
    let (items, responses) = class();
    let mut tallies = Tallies::default();
    for attempt in Attempt::totals(&responses) {
        let own: Vec<ItemResponse> = responses.iter().filter(|r| r.attempt == attempt.id).cloned().collect();
        tallies.add_attempt(attempt.total, attempt.max, &own);
    }
    let mut bands: Vec<(i16, Tally)> =
        tallies.rows.iter().filter(|((q, _), _)| *q == items[2].question).map(|((_, b), t)| (*b, t.clone())).collect();
    let sorted = stats(&items[2], &bands);
    bands.reverse();
    assert_eq!(stats(&items[2], &bands), sorted);
    assert_eq!(tallies.stats(&items[2]), sorted);
}
