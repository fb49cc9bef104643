//! Small constructors for hand-built histories, shared by the rule tests.

use time::{Date, Duration, Month, OffsetDateTime, Time};
use uuid::Uuid;

use super::{Answer, AttemptRecord, Confidence};
use crate::exam::scoring::{self, Score};
use crate::exam::{Blueprint, Mode};

/// Four domains weighted 28/26/22/24, scale 100–1000, pass 720.
pub fn blueprint() -> Blueprint {
    crate::exam::scoring::tests::mla()
}

/// Day 0 is 1 November 2026.
pub fn date(day: i64) -> Date {
    Date::from_calendar_date(2026, Month::November, 1).expect("a real date") + Duration::days(day)
}

/// Noon of `day`, plus `minute` minutes.
pub fn at(day: i64, minute: i64) -> OffsetDateTime {
    date(day).with_time(Time::from_hms(12, 0, 0).expect("noon is a time")).assume_utc() + Duration::minutes(minute)
}

pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A scored practice answer to question `q` (attempt id 0).
pub fn answer(q: u128, domain: &str, when: OffsetDateTime, correct: bool, confidence: Option<Confidence>) -> Answer {
    Answer {
        attempt: Uuid::nil(),
        mode: Mode::Practice,
        question: id(q),
        domain: domain.into(),
        scored: true,
        at: when,
        correct,
        confidence,
        fresh: false,
    }
}

pub fn right(q: u128, domain: &str, when: OffsetDateTime) -> Answer {
    answer(q, domain, when, true, None)
}

pub fn wrong(q: u128, domain: &str, when: OffsetDateTime) -> Answer {
    answer(q, domain, when, false, None)
}

/// A finished attempt with a stored score.
pub fn attempt(n: u128, mode: Mode, finished: OffsetDateTime, score: Score) -> AttemptRecord {
    AttemptRecord { id: id(n), mode, started_at: finished - Duration::hours(2), finished_at: finished, score }
}

/// A finished attempt whose stored score is just its scaled score.
pub fn attempt_scaled(n: u128, mode: Mode, finished: OffsetDateTime, scaled: u32) -> AttemptRecord {
    let mut score = scoring::score(&blueprint(), []);
    score.scaled = scaled;
    score.passed = scaled >= blueprint().scale.pass;
    attempt(n, mode, finished, score)
}

/// A finished mock `n` of the given items (question, domain, correct), all
/// scored and answered at `finished`; its stored score is computed from
/// them all.
pub fn mock(n: u128, finished: OffsetDateTime, items: &[(u128, &str, bool)]) -> (AttemptRecord, Vec<Answer>) {
    let answers: Vec<Answer> = items
        .iter()
        .map(|&(q, domain, correct)| Answer {
            attempt: id(n),
            mode: Mode::Exam,
            ..answer(q, domain, finished, correct, None)
        })
        .collect();
    let score = scoring::score(&blueprint(), answers.iter().map(|a| (a.domain.as_str(), a.correct)));
    (attempt(n, Mode::Exam, finished, score), answers)
}

/// A learner's history built step by step, each mock or practice on new
/// questions unless said otherwise.
#[derive(Default, Clone)]
pub struct Learner {
    pub answers: Vec<Answer>,
    pub attempts: Vec<AttemptRecord>,
    next_question: u128,
    next_attempt: u128,
}

impl Learner {
    fn questions(&mut self, n: u32) -> u128 {
        let first = self.next_question + 1;
        self.next_question += u128::from(n);
        first
    }

    /// A mock on new questions finished at `when`: `per` questions in each
    /// of D1–D4, the first `right[k]` of domain k right. Returns its id.
    pub fn mock(&mut self, when: OffsetDateTime, right: [u32; 4], per: u32) -> Uuid {
        let first = self.questions(4 * per);
        self.mock_on(first, when, right, per)
    }

    /// A mock like [`Learner::mock`] on the questions numbered from `first`
    /// (repeats when they were met before).
    pub fn mock_on(&mut self, first: u128, when: OffsetDateTime, right: [u32; 4], per: u32) -> Uuid {
        self.next_attempt += 1;
        let n = self.next_attempt;
        let mut items = Vec::new();
        for (k, domain) in ["D1", "D2", "D3", "D4"].into_iter().enumerate() {
            for i in 0..per {
                items.push((first + u128::from(k as u32 * per + i), domain, i < right[k]));
            }
        }
        let (record, answers) = mock(n, when, &items);
        self.attempts.push(record);
        self.answers.extend(answers);
        id(n)
    }

    /// `total` practice answers in `domain` on new questions at `when`, the
    /// first `right` of them right.
    pub fn practice(&mut self, when: OffsetDateTime, domain: &str, right: u32, total: u32) {
        let first = self.questions(total);
        for i in 0..total {
            self.answers.push(answer(first + u128::from(i), domain, when, i < right, None));
        }
    }

    /// A finished attempt of `mode` with no answers (a drill or review).
    pub fn finished(&mut self, mode: Mode, when: OffsetDateTime) {
        self.next_attempt += 1;
        self.attempts.push(attempt_scaled(self.next_attempt, mode, when, 500));
    }

    pub fn history(&self) -> super::History {
        super::History::new(self.answers.clone(), self.attempts.clone())
    }
}
