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
    let mut groups = ConfidenceGroups::default();
    for (correct, confidence) in answers {
        let count = match (correct, confidence) {
            (true, Some(Confidence::Sure)) => &mut groups.right_sure,
            (true, Some(Confidence::Unsure)) => &mut groups.right_unsure,
            (false, Some(Confidence::Sure)) => &mut groups.wrong_sure,
            (false, Some(Confidence::Unsure)) => &mut groups.wrong_unsure,
            (_, None) => &mut groups.unmarked,
        };
        *count += 1;
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use Confidence::{Sure, Unsure};

    #[test]
    fn no_answers_make_empty_groups() {
        assert_eq!(groups([]), ConfidenceGroups::default());
    }

    #[test]
    fn one_answer_lands_in_its_own_group() {
        let one = |correct, confidence| groups([(correct, confidence)]);
        assert_eq!(one(true, Some(Sure)), ConfidenceGroups { right_sure: 1, ..Default::default() });
        assert_eq!(one(true, Some(Unsure)), ConfidenceGroups { right_unsure: 1, ..Default::default() });
        assert_eq!(one(false, Some(Sure)), ConfidenceGroups { wrong_sure: 1, ..Default::default() });
        assert_eq!(one(false, Some(Unsure)), ConfidenceGroups { wrong_unsure: 1, ..Default::default() });
        assert_eq!(one(true, None), ConfidenceGroups { unmarked: 1, ..Default::default() });
        assert_eq!(one(false, None), ConfidenceGroups { unmarked: 1, ..Default::default() });
    }

    #[test]
    fn five_hundred_answers_are_each_counted_once() {
        let marks = [Some(Sure), Some(Unsure), None];
        let answers = (0..500).map(|i| (i % 2 == 0, marks[i % 3]));
        let g = groups(answers);
        // i mod 6 picks (correct, mark): 0 right sure, 1 wrong unsure,
        // 2 right unmarked, 3 wrong sure, 4 right unsure, 5 wrong unmarked.
        // 500 = 6·83 + 2, so residues 0 and 1 get one more.
        assert_eq!(
            g,
            ConfidenceGroups { right_sure: 84, wrong_unsure: 84, unmarked: 166, wrong_sure: 83, right_unsure: 83 }
        );
    }

    #[test]
    fn all_unsure_answers_split_into_lucky_guesses_and_honest_misses() {
        let g = groups((0..10).map(|i| (i < 3, Some(Unsure))));
        assert_eq!(g, ConfidenceGroups { right_unsure: 3, wrong_unsure: 7, ..Default::default() });
    }
}
