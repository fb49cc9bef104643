//! How an attempt flows and what the learner may see when: Moodle's
//! "behaviour", apart from the question kinds.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(description = "`exam`: timed, on the blueprint, feedback after submit. `practice`: feedback after each \
    checked answer. `drill`: practice on one domain or tag. `review`: questions missed before.")]
pub enum Mode {
    /// Timed, blueprint draw, feedback only after submit.
    Exam,
    /// Feedback and explanation right after each answer.
    Practice,
    /// Practice restricted to one domain or tag.
    Drill,
    /// Questions this learner missed before, most recently missed first.
    Review,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Exam, Mode::Practice, Mode::Drill, Mode::Review];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "exam" => Some(Self::Exam),
            "practice" => Some(Self::Practice),
            "drill" => Some(Self::Drill),
            "review" => Some(Self::Review),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exam => "exam",
            Self::Practice => "practice",
            Self::Drill => "drill",
            Self::Review => "review",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Exam => "Mock exam",
            Self::Practice => "Practice",
            Self::Drill => "Drill",
            Self::Review => "Review",
        }
    }

    /// Whether each answer gets its feedback at once (deferred until submit
    /// otherwise).
    pub fn immediate_feedback(self) -> bool {
        !matches!(self, Self::Exam)
    }

    /// Whether the learner may mark how sure they are of each answer
    /// (certainty-based practice): always in the practice modes, in a mock
    /// exam only when `asked` for when it was started.
    pub fn offers_confidence(self, asked: bool) -> bool {
        self.immediate_feedback() || asked
    }
}

/// Why an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FinishReason {
    /// The learner submitted it.
    Submitted,
    /// Its deadline passed; it was graded as it stood.
    Expired,
}

impl FinishReason {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "submitted" => Some(Self::Submitted),
            "expired" => Some(Self::Expired),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Expired => "expired",
        }
    }
}

/// What the learner may see of one item, decided in one place and read by
/// templates and the API alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Visibility {
    /// The verdict and the key.
    pub feedback: bool,
    /// With the feedback, the explanation and the option rationales.
    pub explanation: bool,
    /// Which domain the item belongs to (hidden while a mock runs, as on
    /// the real exam).
    pub domain: bool,
    /// The learner may still change the response.
    pub editable: bool,
}

impl Visibility {
    /// `finished`: the attempt was submitted or expired.
    /// `checked`: in a feedback-at-once mode, the learner checked this item.
    /// The explanation comes with the feedback.
    pub fn of(mode: Mode, finished: bool, checked: bool) -> Self {
        let final_item = finished || (mode.immediate_feedback() && checked);
        Self {
            feedback: final_item,
            explanation: final_item,
            domain: finished || mode != Mode::Exam,
            editable: !final_item,
        }
    }

    /// As [`Visibility::of`], for an attempt on a blueprint that may keep
    /// explanations out of practice (`explanations_in_practice` false): a
    /// practice, drill or review attempt then shows the verdict and the key
    /// but never the explanation or the rationales, during or after it. A
    /// mock exam's result always explains.
    pub fn of_attempt(mode: Mode, finished: bool, checked: bool, explanations_in_practice: bool) -> Self {
        let v = Self::of(mode, finished, checked);
        Self { explanation: v.feedback && (mode == Mode::Exam || explanations_in_practice), ..v }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exam_mode_hides_feedback_until_the_attempt_is_finished() {
        let running = Visibility::of(Mode::Exam, false, true);
        assert!(!running.feedback && !running.domain && running.editable);
        let finished = Visibility::of(Mode::Exam, true, false);
        assert!(finished.feedback && finished.domain && !finished.editable);
    }

    #[test]
    fn modes_read_back_what_they_write_and_have_their_own_labels() {
        for mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(Mode::parse("Exam"), None);
        let words: Vec<&str> = Mode::ALL.iter().map(|m| m.as_str()).collect();
        assert_eq!(words, ["exam", "practice", "drill", "review"], "the words stored and sent");
        let labels: Vec<&str> = Mode::ALL.iter().map(|m| m.label()).collect();
        assert_eq!(labels, ["Mock exam", "Practice", "Drill", "Review"]);
    }

    #[test]
    fn practice_modes_always_offer_the_confidence_mark_and_a_mock_only_when_asked() {
        for mode in [Mode::Practice, Mode::Drill, Mode::Review] {
            assert!(mode.offers_confidence(false) && mode.offers_confidence(true), "{mode:?}");
        }
        assert!(!Mode::Exam.offers_confidence(false));
        assert!(Mode::Exam.offers_confidence(true));
    }

    #[test]
    fn finish_reasons_read_back_what_they_write() {
        for r in [FinishReason::Submitted, FinishReason::Expired] {
            assert_eq!(FinishReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(FinishReason::parse("graded"), None);
    }

    #[test]
    fn the_explanation_comes_with_the_feedback_unless_practice_keeps_it_out() {
        for mode in Mode::ALL {
            for (finished, checked) in [(false, false), (false, true), (true, false), (true, true)] {
                let shown = Visibility::of_attempt(mode, finished, checked, true);
                assert_eq!(shown, Visibility::of(mode, finished, checked), "{mode:?} {finished} {checked}");
                assert_eq!(shown.explanation, shown.feedback);
                let kept_out = Visibility::of_attempt(mode, finished, checked, false);
                assert_eq!(kept_out.feedback, shown.feedback, "the verdict and key are shown alike");
                assert_eq!((kept_out.domain, kept_out.editable), (shown.domain, shown.editable));
            }
        }
        for mode in [Mode::Practice, Mode::Drill, Mode::Review] {
            let checked = Visibility::of_attempt(mode, false, true, false);
            assert!(checked.feedback && !checked.explanation, "{mode:?}: the key without the explanation");
            let result = Visibility::of_attempt(mode, true, true, false);
            assert!(result.feedback && !result.explanation, "{mode:?}: nor in its result");
        }
        let mock = Visibility::of_attempt(Mode::Exam, true, true, false);
        assert!(mock.feedback && mock.explanation, "a mock's result explains as before");
        assert!(!Visibility::of_attempt(Mode::Exam, false, true, true).explanation, "not while it runs");
    }

    #[test]
    fn practice_shows_feedback_once_the_item_is_checked() {
        assert!(!Visibility::of(Mode::Practice, false, false).feedback);
        let checked = Visibility::of(Mode::Practice, false, true);
        assert!(checked.feedback && !checked.editable);
        assert!(Visibility::of(Mode::Drill, false, false).domain);
    }
}
