//! Whether the learner is ready for the real exam, by a rule stated on the
//! page.

use super::History;
use crate::exam::Blueprint;

/// The rule in words, as shown beside the verdict.
pub const RULE: &str = "TODO";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Ready,
    NotYet,
    /// Too few mocks or answers to judge.
    TooLittleData,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub verdict: Verdict,
    /// One plain sentence, e.g. "Not yet: D3 averages 58% over your last
    /// 40 new D3 items."
    pub statement: String,
    /// How many answers the statement rests on.
    pub items: usize,
}

pub fn readiness(_blueprint: &Blueprint, _history: &History) -> Readiness {
    todo!()
}
