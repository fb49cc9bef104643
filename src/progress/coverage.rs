//! How much of the bank the learner has met.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::History;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Coverage {
    /// Live questions in the bank.
    pub bank: usize,
    pub seen: usize,
    pub right_once: usize,
    /// Right on each of the last two tries.
    pub mastered: usize,
}

/// What coverage needs to know of one question's answers.
#[derive(Default)]
struct Track {
    right_once: bool,
    last: Option<bool>,
    before_last: Option<bool>,
}

/// `bank`: the ids of the exam's live questions. Answers to questions no
/// longer live are left out: coverage is of the bank as it stands.
pub fn coverage(bank: &[Uuid], history: &History) -> Coverage {
    let live: HashSet<Uuid> = bank.iter().copied().collect();
    let mut tracks: HashMap<Uuid, Track> = HashMap::new();
    // Answers are oldest first, so the last two seen are the last two tries.
    for a in history.answers.iter().filter(|a| live.contains(&a.question)) {
        let track = tracks.entry(a.question).or_default();
        track.right_once |= a.correct;
        track.before_last = track.last;
        track.last = Some(a.correct);
    }
    Coverage {
        bank: live.len(),
        seen: tracks.len(),
        right_once: tracks.values().filter(|t| t.right_once).count(),
        mastered: tracks.values().filter(|t| t.last == Some(true) && t.before_last == Some(true)).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::testing::{answer, at, id, right, wrong};
    use crate::progress::{Answer, Confidence};

    fn bank(n: u128) -> Vec<Uuid> {
        (1..=n).map(id).collect()
    }

    fn history(answers: Vec<Answer>) -> History {
        History::new(answers, vec![])
    }

    #[test]
    fn no_history_covers_nothing_of_the_bank() {
        let c = coverage(&bank(12), &History::default());
        assert_eq!(c, Coverage { bank: 12, ..Default::default() });
    }

    #[test]
    fn an_empty_bank_covers_nothing_whatever_was_answered() {
        let c = coverage(&[], &history(vec![right(1, "D1", at(0, 0))]));
        assert_eq!(c, Coverage::default());
    }

    #[test]
    fn one_right_answer_is_seen_and_right_once_but_not_mastered() {
        let c = coverage(&bank(5), &history(vec![right(1, "D1", at(0, 0))]));
        assert_eq!(c, Coverage { bank: 5, seen: 1, right_once: 1, mastered: 0 });
    }

    #[test]
    fn one_wrong_answer_is_seen_only() {
        let c = coverage(&bank(5), &history(vec![wrong(1, "D1", at(0, 0))]));
        assert_eq!(c, Coverage { bank: 5, seen: 1, right_once: 0, mastered: 0 });
    }

    #[test]
    fn right_twice_in_a_row_at_the_end_is_mastered() {
        let answers = vec![wrong(1, "D1", at(0, 0)), right(1, "D1", at(1, 0)), right(1, "D1", at(2, 0))];
        let c = coverage(&bank(5), &history(answers));
        assert_eq!(c, Coverage { bank: 5, seen: 1, right_once: 1, mastered: 1 });
    }

    #[test]
    fn a_miss_after_two_rights_undoes_mastery() {
        let answers = vec![right(1, "D1", at(0, 0)), right(1, "D1", at(1, 0)), wrong(1, "D1", at(2, 0))];
        let c = coverage(&bank(5), &history(answers));
        assert_eq!(c, Coverage { bank: 5, seen: 1, right_once: 1, mastered: 0 });
    }

    #[test]
    fn right_then_wrong_then_right_is_not_mastered() {
        let answers = vec![right(1, "D1", at(0, 0)), wrong(1, "D1", at(1, 0)), right(1, "D1", at(2, 0))];
        let c = coverage(&bank(5), &history(answers));
        assert_eq!(c, Coverage { bank: 5, seen: 1, right_once: 1, mastered: 0 });
    }

    #[test]
    fn answers_given_out_of_order_are_read_in_time_order() {
        // The last two in time are both right, whatever order they came in.
        let answers = vec![right(1, "D1", at(2, 0)), right(1, "D1", at(1, 0)), wrong(1, "D1", at(0, 0))];
        let c = coverage(&bank(1), &history(answers));
        assert_eq!(c.mastered, 1);
    }

    #[test]
    fn answers_to_questions_out_of_the_bank_are_ignored() {
        let answers = vec![right(99, "D1", at(0, 0)), right(99, "D1", at(1, 0)), wrong(2, "D1", at(1, 0))];
        let c = coverage(&bank(3), &history(answers));
        assert_eq!(c, Coverage { bank: 3, seen: 1, right_once: 0, mastered: 0 });
    }

    #[test]
    fn a_question_listed_twice_in_the_bank_counts_once() {
        let c = coverage(&[id(1), id(1), id(2)], &History::default());
        assert_eq!(c.bank, 2);
    }

    #[test]
    fn five_hundred_attempts_each_count_their_question_once() {
        // Attempt i answers question i mod 100: each of 100 questions gets
        // five answers; those with an even number end right-right.
        let answers: Vec<Answer> = (0..500u128)
            .map(|i| answer(i % 100 + 1, "D1", at(i as i64, 0), i >= 300 && (i % 100) % 2 == 0, None))
            .collect();
        let c = coverage(&bank(200), &history(answers));
        assert_eq!(c, Coverage { bank: 200, seen: 100, right_once: 50, mastered: 50 });
    }

    #[test]
    fn unsure_answers_count_as_their_grade() {
        let unsure = |q, day, correct| answer(q, "D2", at(day, 0), correct, Some(Confidence::Unsure));
        let answers = vec![unsure(1, 0, true), unsure(1, 1, true), unsure(2, 0, false)];
        let c = coverage(&bank(4), &history(answers));
        assert_eq!(c, Coverage { bank: 4, seen: 2, right_once: 1, mastered: 1 });
    }
}
