//! The four groups of certainty-based practice.

use super::Confidence;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ConfidenceGroups {
    pub right_sure: u32,
    /// Lucky guesses.
    pub right_unsure: u32,
    /// Misconceptions, the most dangerous.
    pub wrong_sure: u32,
    pub wrong_unsure: u32,
    /// Answers given without a mark.
    pub unmarked: u32,
}

/// Counts answers given as (correct, confidence).
pub fn groups(answers: impl IntoIterator<Item = (bool, Option<Confidence>)>) -> ConfidenceGroups {
    let mut g = ConfidenceGroups::default();
    for (correct, confidence) in answers {
        match (correct, confidence) {
            (true, Some(Confidence::Sure)) => g.right_sure += 1,
            (true, Some(Confidence::Unsure)) => g.right_unsure += 1,
            (false, Some(Confidence::Sure)) => g.wrong_sure += 1,
            (false, Some(Confidence::Unsure)) => g.wrong_unsure += 1,
            (_, None) => g.unmarked += 1,
        }
    }
    g
}
