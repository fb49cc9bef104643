//! The spaced review of misses: a Leitner schedule replayed from the
//! learner's answers.
//!
//! Nothing is stored: the queue is recomputed from the answers each time,
//! so it can never drift from what the learner actually did.

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{Confidence, History};

// The numbers live in macros so that the code and the words of `RULE` read
// the same literal.
macro_rules! unsure_days {
    () => {
        1
    };
}
macro_rules! box_two_days {
    () => {
        3
    };
}

/// Days until a right answer marked unsure comes back.
pub const UNSURE_DAYS: i64 = unsure_days!();
/// Days until a question moved to box 2 comes back.
pub const BOX_TWO_DAYS: i64 = box_two_days!();

pub const RULE: &str = concat!(
    "A question you miss goes into box 1, due at once; a right answer then moves it to box 2, due ",
    box_two_days!(),
    " days later, and a right answer in box 2 takes it out. A right answer you mark unsure counts as a guess: the \
     question goes to box 1, due ",
    unsure_days!(),
    " day later. Misses you were sure of come first, then the earliest due."
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewEntry {
    pub question: Uuid,
    pub domain: String,
    /// The Leitner box, from 1.
    #[serde(rename = "box")]
    pub level: u8,
    #[serde(with = "time::serde::rfc3339")]
    pub due: OffsetDateTime,
    /// The last answer was wrong but marked sure.
    pub misconception: bool,
}

/// Every question in the queue, in the order a review takes them:
/// misconceptions first, then the earliest due, then by question id.
pub fn queue(history: &History) -> Vec<ReviewEntry> {
    let mut entries: HashMap<Uuid, ReviewEntry> = HashMap::new();
    // Answers are oldest first: the schedule is replayed as it happened.
    for a in &history.answers {
        let enter = |level, due| ReviewEntry {
            question: a.question,
            domain: a.domain.clone(),
            level,
            due,
            misconception: !a.correct && a.confidence == Some(Confidence::Sure),
        };
        if !a.correct {
            entries.insert(a.question, enter(1, a.at));
        } else if a.confidence == Some(Confidence::Unsure) {
            entries.insert(a.question, enter(1, a.at + Duration::days(UNSURE_DAYS)));
        } else if let Some(entry) = entries.get(&a.question) {
            if entry.level == 1 {
                entries.insert(a.question, enter(2, a.at + Duration::days(BOX_TWO_DAYS)));
            } else {
                entries.remove(&a.question);
            }
        }
    }
    let mut queue: Vec<ReviewEntry> = entries.into_values().collect();
    queue.sort_by(|a, b| {
        b.misconception.cmp(&a.misconception).then(a.due.cmp(&b.due)).then(a.question.cmp(&b.question))
    });
    queue
}

/// The entries due at `now`, in the order a review takes them.
pub fn due(queue: &[ReviewEntry], now: OffsetDateTime) -> Vec<&ReviewEntry> {
    queue.iter().filter(|e| e.due <= now).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::testing::{answer, at, id, right, wrong};
    use crate::progress::{Answer, Confidence};
    use Confidence::{Sure, Unsure};

    fn history(answers: Vec<Answer>) -> History {
        History::new(answers, vec![])
    }

    fn entry(q: u128, domain: &str, level: u8, due: OffsetDateTime, misconception: bool) -> ReviewEntry {
        ReviewEntry { question: id(q), domain: domain.into(), level, due, misconception }
    }

    fn order(queue: &[ReviewEntry]) -> Vec<Uuid> {
        queue.iter().map(|e| e.question).collect()
    }

    #[test]
    fn the_rule_states_the_numbers_the_code_uses() {
        assert!(RULE.contains(&format!("due {BOX_TWO_DAYS} days later")), "{RULE}");
        assert!(RULE.contains(&format!("due {UNSURE_DAYS} day later")), "{RULE}");
    }

    #[test]
    fn no_history_has_an_empty_queue() {
        assert_eq!(queue(&History::default()), vec![]);
    }

    #[test]
    fn a_miss_is_due_at_once_in_box_one() {
        let q = queue(&history(vec![wrong(1, "D1", at(0, 5))]));
        assert_eq!(q, vec![entry(1, "D1", 1, at(0, 5), false)]);
        assert_eq!(due(&q, at(0, 5)).len(), 1);
        assert_eq!(due(&q, at(0, 4)).len(), 0);
    }

    #[test]
    fn a_right_sure_answer_to_a_question_not_queued_changes_nothing() {
        let answers = vec![right(1, "D1", at(0, 0)), answer(2, "D1", at(0, 1), true, Some(Sure))];
        assert_eq!(queue(&history(answers)), vec![]);
    }

    #[test]
    fn a_right_answer_moves_a_miss_to_box_two_for_three_days() {
        let answers = vec![wrong(1, "D1", at(0, 0)), right(1, "D1", at(1, 0))];
        let q = queue(&history(answers));
        assert_eq!(q, vec![entry(1, "D1", 2, at(4, 0), false)]);
        assert!(due(&q, at(3, 59 + 23 * 60)).is_empty());
        assert_eq!(due(&q, at(4, 0)).len(), 1);
    }

    #[test]
    fn missed_once_then_right_twice_leaves_the_queue() {
        let answers = vec![wrong(1, "D1", at(0, 0)), right(1, "D1", at(1, 0)), right(1, "D1", at(4, 0))];
        assert_eq!(queue(&history(answers)), vec![]);
    }

    #[test]
    fn a_right_sure_answer_counts_like_an_unmarked_one() {
        let sure = |day| answer(1, "D1", at(day, 0), true, Some(Sure));
        let answers = vec![wrong(1, "D1", at(0, 0)), sure(1)];
        assert_eq!(queue(&history(answers.clone())), vec![entry(1, "D1", 2, at(4, 0), false)]);
        let answers = [answers, vec![sure(4)]].concat();
        assert_eq!(queue(&history(answers)), vec![]);
    }

    #[test]
    fn a_miss_in_box_two_goes_back_to_box_one() {
        let answers = vec![wrong(1, "D1", at(0, 0)), right(1, "D1", at(1, 0)), wrong(1, "D1", at(4, 0))];
        assert_eq!(queue(&history(answers)), vec![entry(1, "D1", 1, at(4, 0), false)]);
    }

    #[test]
    fn a_right_but_unsure_answer_to_a_new_question_enters_box_one_for_a_day() {
        let answers = vec![answer(1, "D2", at(0, 0), true, Some(Unsure))];
        assert_eq!(queue(&history(answers)), vec![entry(1, "D2", 1, at(1, 0), false)]);
    }

    #[test]
    fn a_right_but_unsure_answer_keeps_a_miss_in_box_one() {
        let answers = vec![wrong(1, "D1", at(0, 0)), answer(1, "D1", at(0, 30), true, Some(Unsure))];
        assert_eq!(queue(&history(answers)), vec![entry(1, "D1", 1, at(1, 30), false)]);
    }

    #[test]
    fn a_right_but_unsure_answer_brings_box_two_back_to_box_one() {
        let answers =
            vec![wrong(1, "D1", at(0, 0)), right(1, "D1", at(1, 0)), answer(1, "D1", at(4, 0), true, Some(Unsure))];
        assert_eq!(queue(&history(answers)), vec![entry(1, "D1", 1, at(5, 0), false)]);
    }

    #[test]
    fn wrong_but_sure_comes_before_other_due_entries() {
        let answers = vec![
            wrong(1, "D1", at(0, 0)),
            answer(2, "D2", at(0, 10), false, Some(Unsure)),
            answer(3, "D3", at(0, 20), false, Some(Sure)),
            wrong(4, "D4", at(0, 30)),
        ];
        let q = queue(&history(answers));
        assert_eq!(order(&q), vec![id(3), id(1), id(2), id(4)]);
        assert_eq!(q[0], entry(3, "D3", 1, at(0, 20), true));
        assert!(q[1..].iter().all(|e| !e.misconception));
        assert_eq!(order(&due(&q, at(1, 0)).into_iter().cloned().collect::<Vec<_>>()), order(&q));
    }

    #[test]
    fn a_misconception_answered_right_later_is_no_longer_one() {
        let answers = vec![answer(1, "D1", at(0, 0), false, Some(Sure)), right(1, "D1", at(1, 0))];
        assert_eq!(queue(&history(answers)), vec![entry(1, "D1", 2, at(4, 0), false)]);
    }

    #[test]
    fn entries_due_together_are_taken_by_question_id() {
        let answers = vec![wrong(3, "D1", at(0, 0)), wrong(1, "D1", at(0, 0)), wrong(2, "D1", at(0, 0))];
        assert_eq!(order(&queue(&history(answers))), vec![id(1), id(2), id(3)]);
        let sure = |q| answer(q, "D1", at(0, 0), false, Some(Sure));
        assert_eq!(order(&queue(&history(vec![sure(2), sure(1)]))), vec![id(1), id(2)]);
    }

    #[test]
    fn due_keeps_the_queue_order_and_drops_what_is_not_yet_due() {
        // Due at day 0 (misconception), day 0, day 1 (unsure) and day 4 (box 2).
        let answers = vec![
            wrong(1, "D1", at(0, 0)),
            right(1, "D1", at(1, 0)),
            answer(2, "D1", at(0, 0), true, Some(Unsure)),
            wrong(3, "D1", at(0, 5)),
            answer(4, "D1", at(0, 10), false, Some(Sure)),
        ];
        let q = queue(&history(answers));
        assert_eq!(order(&q), vec![id(4), id(3), id(2), id(1)]);
        let now = at(2, 0);
        assert_eq!(due(&q, now).into_iter().map(|e| e.question).collect::<Vec<_>>(), vec![id(4), id(3), id(2)]);
    }

    #[test]
    fn the_domain_is_that_of_the_latest_answer() {
        let answers = vec![wrong(1, "D1", at(0, 0)), right(1, "D3", at(1, 0))];
        assert_eq!(queue(&history(answers))[0].domain, "D3");
    }

    #[test]
    fn answers_are_replayed_in_time_order() {
        // Given newest first, the miss still comes before the right answer.
        let answers = vec![right(1, "D1", at(1, 0)), wrong(1, "D1", at(0, 0))];
        assert_eq!(queue(&history(answers)), vec![entry(1, "D1", 2, at(4, 0), false)]);
    }

    #[test]
    fn all_unsure_answers_keep_every_question_in_box_one() {
        let answers: Vec<Answer> =
            (0..6).map(|i| answer(i % 2 + 1, "D1", at(i as i64, 0), i % 3 != 0, Some(Unsure))).collect();
        // Question 1 answered on days 0 (wrong), 2, 4; question 2 on 1, 3 (wrong), 5.
        let q = queue(&history(answers));
        assert_eq!(q, vec![entry(1, "D1", 1, at(5, 0), false), entry(2, "D1", 1, at(6, 0), false)]);
    }

    #[test]
    fn five_hundred_attempts_replay_to_the_right_queue() {
        // Attempt i answers question i mod 50 right unless i mod 7 is 0.
        let answers: Vec<Answer> =
            (0..500u128).map(|i| answer(i % 50, "D1", at(i as i64, 0), i % 7 != 0, None)).collect();
        let q = queue(&history(answers.clone()));
        // Replay by hand: the box a question ends in after its answers.
        let mut expected = Vec::new();
        for question in 0..50u128 {
            let mut state: Option<(u8, i64)> = None;
            for i in (0..500u128).filter(|i| i % 50 == question) {
                state = match (i % 7 != 0, state) {
                    (false, _) => Some((1, i as i64)),
                    (true, Some((1, _))) => Some((2, i as i64 + 3)),
                    (true, _) => None,
                };
            }
            if let Some((level, day)) = state {
                expected.push(entry(question, "D1", level, at(day, 0), false));
            }
        }
        expected.sort_by_key(|e| (e.due, e.question));
        assert!(!expected.is_empty());
        assert_eq!(q, expected);
    }
}
