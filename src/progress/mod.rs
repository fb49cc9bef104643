//! Progress across sessions, pure: the rules that turn one learner's stored
//! answers and attempts into readiness, weak spots, coverage, the review
//! queue, confidence groups and a plan to exam day. Plain data in, plain
//! data out: no I/O and no clock (callers pass the time). Each rule module
//! states its rule in words as `RULE`, shown on the page as it is applied.

pub mod confidence;
pub mod coverage;
pub mod plan;
pub mod readiness;
pub mod review;
pub mod weak_spots;

#[cfg(test)]
pub(crate) mod testing;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::exam::Mode;
use crate::exam::scoring::Score;

/// How sure the learner was of an answer, marked with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Sure,
    Unsure,
}

impl Confidence {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sure" => Some(Self::Sure),
            "unsure" => Some(Self::Unsure),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sure => "sure",
            Self::Unsure => "unsure",
        }
    }
}

/// One graded answer of the learner: an item of a finished attempt, or a
/// checked item of a practice, drill or review still running.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub attempt: Uuid,
    pub mode: Mode,
    /// The question, the same across its versions.
    pub question: Uuid,
    pub domain: String,
    /// Counted in its attempt's score (unscored items of a mock under real
    /// conditions are not).
    pub scored: bool,
    /// When it was graded: when checked, or when its attempt ended.
    pub at: OffsetDateTime,
    pub correct: bool,
    pub confidence: Option<Confidence>,
    /// The first time this learner met this question; set by [`History::new`].
    pub fresh: bool,
}

/// A finished attempt and its stored score.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRecord {
    pub id: Uuid,
    pub mode: Mode,
    pub started_at: OffsetDateTime,
    pub finished_at: OffsetDateTime,
    pub score: Score,
}

/// What every progress rule reads: one learner's answers and finished
/// attempts of one exam, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub answers: Vec<Answer>,
    pub attempts: Vec<AttemptRecord>,
}

impl History {
    /// Puts answers and attempts in time order and marks each answer that
    /// was the learner's first meeting with its question: a repeated
    /// question scores memory, not skill.
    pub fn new(mut answers: Vec<Answer>, mut attempts: Vec<AttemptRecord>) -> Self {
        answers.sort_by_key(|a| a.at);
        attempts.sort_by_key(|a| a.finished_at);
        let mut met = HashSet::new();
        for a in &mut answers {
            a.fresh = met.insert(a.question);
        }
        History { answers, attempts }
    }

    /// Finished mock exams, oldest first.
    pub fn mocks(&self) -> impl DoubleEndedIterator<Item = &AttemptRecord> {
        self.attempts.iter().filter(|a| a.mode == Mode::Exam)
    }
}
