//! Domains and tags ranked by recent accuracy.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use super::History;
use crate::exam::Blueprint;

// The numbers live in macros so that the code and the words of `RULE` read
// the same literal.
macro_rules! recent {
    () => {
        40
    };
}
macro_rules! min_answers {
    () => {
        8
    };
}

/// How many of the latest answers in a domain or tag are judged.
pub const RECENT: usize = recent!();
/// How many answers a domain or tag needs before it ranks.
pub const MIN_ANSWERS: u32 = min_answers!();

pub const RULE: &str = concat!(
    "Each domain and tag is judged on your last ",
    recent!(),
    " answers in it, and ranks only once it has at least ",
    min_answers!(),
    ", so that a few lucky or unlucky answers cannot place it. The lowest accuracy comes first; on a tie, the one with \
     more answers."
);

/// What a weak spot is about; a drill starts on exactly this.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase", tag = "kind", content = "code")]
pub enum Focus {
    Domain(String),
    Tag(String),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct WeakSpot {
    pub focus: Focus,
    pub correct: u32,
    pub total: u32,
}

impl WeakSpot {
    pub fn percent(&self) -> u32 {
        (100 * self.correct).checked_div(self.total).unwrap_or(0)
    }
}

/// `tags`: each live question's tags. Every blueprint domain and every tag
/// with at least [`MIN_ANSWERS`] answers, weakest first.
pub fn weak_spots(blueprint: &Blueprint, history: &History, tags: &HashMap<Uuid, Vec<String>>) -> Vec<WeakSpot> {
    let mut by_domain: Vec<(&str, Vec<bool>)> =
        blueprint.domains.iter().map(|d| (d.code.as_str(), Vec::new())).collect();
    let mut by_tag: BTreeMap<&str, Vec<bool>> = BTreeMap::new();
    for a in &history.answers {
        if let Some((_, results)) = by_domain.iter_mut().find(|(code, _)| *code == a.domain) {
            results.push(a.correct);
        }
        // A tag listed twice on one question still counts the answer once.
        let question_tags: BTreeSet<&str> = tags.get(&a.question).into_iter().flatten().map(String::as_str).collect();
        for tag in question_tags {
            by_tag.entry(tag).or_default().push(a.correct);
        }
    }

    let domains = by_domain.into_iter().map(|(code, results)| (Focus::Domain(code.to_owned()), results));
    let tags = by_tag.into_iter().map(|(tag, results)| (Focus::Tag(tag.to_owned()), results));
    let mut spots: Vec<WeakSpot> =
        domains.chain(tags).filter_map(|(focus, results)| recent_spot(focus, &results)).collect();
    spots.sort_by(weakest_first);
    spots
}

/// The spot over the latest [`RECENT`] results (oldest first), if there are
/// enough of them to rank.
fn recent_spot(focus: Focus, results: &[bool]) -> Option<WeakSpot> {
    let recent = &results[results.len().saturating_sub(RECENT)..];
    let total = u32::try_from(recent.len()).expect("at most RECENT results");
    let correct = u32::try_from(recent.iter().filter(|&&c| c).count()).expect("at most RECENT results");
    (total >= MIN_ANSWERS).then_some(WeakSpot { focus, correct, total })
}

/// Lowest accuracy first (compared exactly, as fractions); then more
/// answers, then domains before tags, then by code.
fn weakest_first(a: &WeakSpot, b: &WeakSpot) -> Ordering {
    let accuracy = |s: &WeakSpot, other: &WeakSpot| u64::from(s.correct) * u64::from(other.total);
    accuracy(a, b)
        .cmp(&accuracy(b, a))
        .then(b.total.cmp(&a.total))
        .then_with(|| focus_key(&a.focus).cmp(&focus_key(&b.focus)))
}

fn focus_key(focus: &Focus) -> (u8, &str) {
    match focus {
        Focus::Domain(code) => (0, code),
        Focus::Tag(tag) => (1, tag),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::testing::{answer, at, blueprint, id, right, wrong};
    use crate::progress::{Answer, Confidence};

    fn history(answers: Vec<Answer>) -> History {
        History::new(answers, vec![])
    }

    /// `n` answers in `domain` to fresh questions numbered from `first`, the
    /// first `correct` of them right, one minute apart from `start`.
    fn run(first: u128, domain: &str, start: i64, correct: usize, n: usize) -> Vec<Answer> {
        (0..n).map(|i| answer(first + i as u128, domain, at(start, i as i64), i < correct, None)).collect()
    }

    fn spot(focus: Focus, correct: u32, total: u32) -> WeakSpot {
        WeakSpot { focus, correct, total }
    }

    fn d(code: &str) -> Focus {
        Focus::Domain(code.into())
    }

    fn t(tag: &str) -> Focus {
        Focus::Tag(tag.into())
    }

    #[test]
    fn the_rule_states_the_numbers_the_code_uses() {
        assert!(RULE.contains(&format!("last {RECENT} answers")), "{RULE}");
        assert!(RULE.contains(&format!("at least {MIN_ANSWERS},")), "{RULE}");
    }

    #[test]
    fn no_history_has_no_weak_spots() {
        assert_eq!(weak_spots(&blueprint(), &History::default(), &HashMap::new()), vec![]);
    }

    #[test]
    fn one_answer_is_too_few_to_rank() {
        let h = history(vec![wrong(1, "D1", at(0, 0))]);
        assert_eq!(weak_spots(&blueprint(), &h, &HashMap::from([(id(1), vec!["s3".into()])])), vec![]);
    }

    #[test]
    fn seven_answers_do_not_rank_and_eight_do() {
        let seven = history(run(1, "D1", 0, 0, 7));
        assert_eq!(weak_spots(&blueprint(), &seven, &HashMap::new()), vec![]);
        let eight = history(run(1, "D1", 0, 3, 8));
        assert_eq!(weak_spots(&blueprint(), &eight, &HashMap::new()), vec![spot(d("D1"), 3, 8)]);
    }

    #[test]
    fn only_the_last_forty_answers_are_judged() {
        // Ten old misses, then forty right answers: the misses fall away.
        let mut answers = run(1, "D2", 0, 0, 10);
        answers.extend(run(100, "D2", 1, 40, 40));
        let h = history(answers);
        assert_eq!(weak_spots(&blueprint(), &h, &HashMap::new()), vec![spot(d("D2"), 40, 40)]);
    }

    #[test]
    fn repeated_answers_count_as_well_as_first_meetings() {
        let answers: Vec<Answer> = (0..8).map(|i| wrong(1, "D3", at(i, 0))).collect();
        let h = history(answers);
        assert_eq!(weak_spots(&blueprint(), &h, &HashMap::new()), vec![spot(d("D3"), 0, 8)]);
    }

    #[test]
    fn spots_rank_by_accuracy_ascending() {
        let mut answers = run(1, "D1", 0, 9, 10);
        answers.extend(run(100, "D2", 0, 2, 10));
        answers.extend(run(200, "D4", 0, 5, 10));
        let h = history(answers);
        let spots = weak_spots(&blueprint(), &h, &HashMap::new());
        assert_eq!(spots, vec![spot(d("D2"), 2, 10), spot(d("D4"), 5, 10), spot(d("D1"), 9, 10)]);
        assert_eq!(spots.iter().map(WeakSpot::percent).collect::<Vec<_>>(), vec![20, 50, 90]);
    }

    #[test]
    fn accuracy_is_compared_exactly_not_by_rounded_percent() {
        // 2/3 = 66.7% and 13/20 = 65%: 13/20 is weaker though both round
        // near; and 5/9 (55.6%) is weaker than 9/16 (56.25%).
        let mut answers = run(1, "D1", 0, 10, 15);
        answers.extend(run(100, "D2", 0, 13, 20));
        answers.extend(run(200, "D3", 0, 5, 9));
        answers.extend(run(300, "D4", 0, 9, 16));
        let h = history(answers);
        let order: Vec<Focus> = weak_spots(&blueprint(), &h, &HashMap::new()).into_iter().map(|s| s.focus).collect();
        assert_eq!(order, vec![d("D3"), d("D4"), d("D2"), d("D1")]);
    }

    #[test]
    fn on_equal_accuracy_more_answers_come_first() {
        let mut answers = run(1, "D1", 0, 4, 8);
        answers.extend(run(100, "D2", 0, 8, 16));
        let h = history(answers);
        let spots = weak_spots(&blueprint(), &h, &HashMap::new());
        assert_eq!(spots, vec![spot(d("D2"), 8, 16), spot(d("D1"), 4, 8)]);
    }

    #[test]
    fn on_a_full_tie_domains_come_before_tags_and_then_by_name() {
        // Questions 1–8 in D2 and D1 alike, tagged "b" and "a".
        let mut answers = run(1, "D2", 0, 4, 8);
        answers.extend(run(101, "D1", 0, 4, 8));
        let mut tags = HashMap::new();
        for q in 1..=8 {
            tags.insert(id(q), vec!["b".to_string()]);
            tags.insert(id(100 + q), vec!["a".to_string()]);
        }
        let order: Vec<Focus> =
            weak_spots(&blueprint(), &history(answers), &tags).into_iter().map(|s| s.focus).collect();
        assert_eq!(order, vec![d("D1"), d("D2"), t("a"), t("b")]);
    }

    #[test]
    fn tags_gather_answers_across_domains() {
        // Four D1 and four D3 answers share the tag "sagemaker".
        let mut answers = run(1, "D1", 0, 0, 4);
        answers.extend(run(11, "D3", 0, 4, 4));
        let tags: HashMap<Uuid, Vec<String>> =
            [1, 2, 3, 4, 11, 12, 13, 14].into_iter().map(|q| (id(q), vec!["sagemaker".to_string()])).collect();
        let spots = weak_spots(&blueprint(), &history(answers), &tags);
        assert_eq!(spots, vec![spot(t("sagemaker"), 4, 8)]);
    }

    #[test]
    fn a_tag_listed_twice_on_a_question_counts_its_answers_once() {
        let answers = run(1, "D1", 0, 2, 8);
        let tags: HashMap<Uuid, Vec<String>> =
            (1..=8).map(|q| (id(q), vec!["s3".to_string(), "s3".to_string()])).collect();
        let spots = weak_spots(&blueprint(), &history(answers), &tags);
        assert_eq!(spots, vec![spot(d("D1"), 2, 8), spot(t("s3"), 2, 8)]);
    }

    #[test]
    fn a_tag_keeps_only_its_last_forty_answers() {
        let mut answers = run(1, "D1", 0, 0, 5);
        answers.extend(run(100, "D1", 1, 40, 40));
        let tags: HashMap<Uuid, Vec<String>> =
            (1..=5).chain(100..140).map(|q| (id(q), vec!["iam".to_string()])).collect();
        let spots = weak_spots(&blueprint(), &history(answers), &tags);
        assert!(spots.contains(&spot(t("iam"), 40, 40)), "{spots:?}");
    }

    #[test]
    fn questions_without_tags_count_for_their_domain_only() {
        let h = history(run(1, "D4", 0, 6, 8));
        let tags = HashMap::from([(id(999), vec!["unused".to_string()])]);
        assert_eq!(weak_spots(&blueprint(), &h, &tags), vec![spot(d("D4"), 6, 8)]);
    }

    #[test]
    fn a_domain_outside_the_blueprint_is_not_ranked() {
        let h = history(run(1, "D9", 0, 0, 10));
        assert_eq!(weak_spots(&blueprint(), &h, &HashMap::new()), vec![]);
    }

    #[test]
    fn a_domain_never_seen_is_left_out() {
        let mut answers = run(1, "D1", 0, 5, 10);
        answers.extend(run(100, "D2", 0, 5, 10));
        answers.extend(run(200, "D3", 0, 5, 10));
        let spots = weak_spots(&blueprint(), &history(answers), &HashMap::new());
        assert!(spots.iter().all(|s| s.focus != d("D4")), "{spots:?}");
        assert_eq!(spots.len(), 3);
    }

    #[test]
    fn all_unsure_answers_count_by_their_grade() {
        let answers: Vec<Answer> =
            (0..10).map(|i| answer(i + 1, "D1", at(0, i as i64), i < 7, Some(Confidence::Unsure))).collect();
        assert_eq!(weak_spots(&blueprint(), &history(answers), &HashMap::new()), vec![spot(d("D1"), 7, 10)]);
    }

    #[test]
    fn five_hundred_attempts_rank_on_the_latest_forty_of_each_domain() {
        // Attempt i answers one D1 question (right when i is even) and one
        // D2 question, right only in the last 20 attempts.
        let mut answers = Vec::new();
        for i in 0..500u128 {
            answers.push(answer(i, "D1", at(i as i64, 0), i % 2 == 0, None));
            answers.push(if i >= 480 {
                right(1000 + i, "D2", at(i as i64, 1))
            } else {
                wrong(1000 + i, "D2", at(i as i64, 1))
            });
        }
        let spots = weak_spots(&blueprint(), &history(answers), &HashMap::new());
        assert_eq!(spots, vec![spot(d("D1"), 20, 40), spot(d("D2"), 20, 40)]);
    }
}
