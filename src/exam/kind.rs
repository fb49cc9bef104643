//! What a question is and how a response to it is graded.
//!
//! Indices in a [`Body`] and a [`Response`] are *canonical*: positions in the
//! question file. What the learner sees is a shuffled order kept on the item;
//! the web layer maps between the two, so nothing the client receives reveals
//! the file order (which, for `ordering`, is the key).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Single,
    Multiple,
    Ordering,
    Matching,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Single, Kind::Multiple, Kind::Ordering, Kind::Matching];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "single" => Some(Self::Single),
            "multiple" => Some(Self::Multiple),
            "ordering" => Some(Self::Ordering),
            "matching" => Some(Self::Matching),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multiple => "multiple",
            Self::Ordering => "ordering",
            Self::Matching => "matching",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An option, a step, or an extra answer, with the one line that says why
/// it is right or wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    pub rationale: String,
}

/// A matching prompt with its correct answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub prompt: String,
    pub answer: String,
    pub rationale: String,
}

/// The kind-specific part of a question, key included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Body {
    Single {
        options: Vec<Choice>,
        key: usize,
    },
    Multiple {
        options: Vec<Choice>,
        key: Vec<usize>,
    },
    /// Steps in the correct order: the file order is the key.
    Ordering {
        steps: Vec<Choice>,
    },
    Matching {
        pairs: Vec<Pair>,
        extra_answers: Vec<Choice>,
    },
}

/// A learner's response, in canonical indices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Response {
    Single(usize),
    /// The chosen options, sorted.
    Multiple(Vec<usize>),
    /// For each step, the position (0-based) the learner gave it.
    Ordering(Vec<Option<usize>>),
    /// For each prompt, the index of the chosen answer in [`Body::answers`].
    Matching(Vec<Option<usize>>),
}

impl Body {
    pub fn kind(&self) -> Kind {
        match self {
            Body::Single { .. } => Kind::Single,
            Body::Multiple { .. } => Kind::Multiple,
            Body::Ordering { .. } => Kind::Ordering,
            Body::Matching { .. } => Kind::Matching,
        }
    }

    /// How many things the learner sees in shuffled order: options, steps,
    /// or (for matching) answers.
    pub fn shuffled_len(&self) -> usize {
        match self {
            Body::Single { options, .. } | Body::Multiple { options, .. } => options.len(),
            Body::Ordering { steps } => steps.len(),
            Body::Matching { .. } => self.answers().len(),
        }
    }

    /// For `multiple`, how many options the learner must choose.
    pub fn select_count(&self) -> Option<usize> {
        match self {
            Body::Multiple { key, .. } => Some(key.len()),
            _ => None,
        }
    }

    /// The answers a matching prompt can take: each distinct paired answer in
    /// file order, then the extra answers. Empty for other kinds.
    pub fn answers(&self) -> Vec<&str> {
        let Body::Matching { pairs, extra_answers } = self else {
            return Vec::new();
        };
        let mut answers: Vec<&str> = Vec::new();
        for pair in pairs {
            if !answers.contains(&pair.answer.as_str()) {
                answers.push(&pair.answer);
            }
        }
        answers.extend(extra_answers.iter().map(|c| c.text.as_str()));
        answers
    }

    /// The response that earns credit.
    pub fn key(&self) -> Response {
        match self {
            Body::Single { key, .. } => Response::Single(*key),
            Body::Multiple { key, .. } => {
                let mut key = key.clone();
                key.sort_unstable();
                Response::Multiple(key)
            }
            Body::Ordering { steps } => Response::Ordering((0..steps.len()).map(Some).collect()),
            Body::Matching { pairs, .. } => {
                let answers = self.answers();
                Response::Matching(pairs.iter().map(|p| answers.iter().position(|a| *a == p.answer)).collect())
            }
        }
    }

    /// All-or-nothing credit, as on the real exam: partial is wrong, and no
    /// response is wrong.
    pub fn is_correct(&self, response: Option<&Response>) -> bool {
        response.is_some_and(|r| r.is_complete() && *r == self.key())
    }

    /// Whether `response` fits this question: the right kind, indices in
    /// range, for `multiple` no more than the count asked for, and for
    /// `ordering` no place given to two steps (an incomplete order is
    /// fine; two steps in one place is no order at all). Matching prompts
    /// may share an answer.
    pub fn check_response(&self, response: &Response) -> Result<(), ResponseError> {
        let in_range = |i: &usize, len: usize| *i < len;
        match (self, response) {
            (Body::Single { options, .. }, Response::Single(i)) if in_range(i, options.len()) => Ok(()),
            (Body::Multiple { options, key }, Response::Multiple(chosen)) => {
                if chosen.iter().any(|i| !in_range(i, options.len())) {
                    Err(ResponseError::OutOfRange)
                } else if chosen.len() > key.len() {
                    Err(ResponseError::TooMany { allowed: key.len() })
                } else {
                    Ok(())
                }
            }
            (Body::Ordering { steps }, Response::Ordering(ranks))
                if ranks.len() == steps.len() && ranks.iter().flatten().all(|r| in_range(r, steps.len())) =>
            {
                let mut placed = vec![false; steps.len()];
                if ranks.iter().flatten().all(|&r| !std::mem::replace(&mut placed[r], true)) {
                    Ok(())
                } else {
                    Err(ResponseError::RepeatedPlace)
                }
            }
            (Body::Matching { pairs, .. }, Response::Matching(chosen))
                if chosen.len() == pairs.len()
                    && chosen.iter().flatten().all(|a| in_range(a, self.answers().len())) =>
            {
                Ok(())
            }
            _ => Err(ResponseError::OutOfRange),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    #[error("choose at most {allowed} options")]
    TooMany { allowed: usize },
    #[error("that response does not fit this question")]
    OutOfRange,
    /// Ordering: two steps were given the same place.
    #[error("two steps were given the same place")]
    RepeatedPlace,
}

impl Response {
    /// Every part answered: an option chosen, every step placed, every
    /// prompt matched. Incomplete responses are saved but earn no credit.
    pub fn is_complete(&self) -> bool {
        match self {
            Response::Single(_) => true,
            Response::Multiple(chosen) => !chosen.is_empty(),
            Response::Ordering(ranks) => ranks.iter().all(Option::is_some),
            Response::Matching(chosen) => chosen.iter().all(Option::is_some),
        }
    }

    /// Nothing chosen at all: the same as no response.
    pub fn is_empty(&self) -> bool {
        match self {
            Response::Single(_) => false,
            Response::Multiple(chosen) => chosen.is_empty(),
            Response::Ordering(ranks) => ranks.iter().all(Option::is_none),
            Response::Matching(chosen) => chosen.iter().all(Option::is_none),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(text: &str) -> Choice {
        Choice { text: text.into(), rationale: format!("why {text}") }
    }

    #[test]
    fn a_kind_shows_as_the_word_its_files_use() {
        for kind in Kind::ALL {
            assert_eq!(kind.to_string(), kind.as_str());
            assert_eq!(Kind::parse(&kind.to_string()), Some(kind));
        }
    }

    fn single() -> Body {
        Body::Single { options: vec![choice("a"), choice("b"), choice("c"), choice("d")], key: 2 }
    }

    fn multiple() -> Body {
        Body::Multiple { options: ["a", "b", "c", "d", "e"].map(choice).to_vec(), key: vec![3, 0] }
    }

    fn ordering() -> Body {
        Body::Ordering { steps: ["one", "two", "three"].map(choice).to_vec() }
    }

    fn matching() -> Body {
        let pair = |p: &str, a: &str| Pair { prompt: p.into(), answer: a.into(), rationale: "r".into() };
        Body::Matching {
            pairs: vec![pair("p1", "x"), pair("p2", "y"), pair("p3", "x")],
            extra_answers: vec![choice("z")],
        }
    }

    #[test]
    fn single_is_right_only_with_the_keyed_option() {
        assert!(single().is_correct(Some(&Response::Single(2))));
        assert!(!single().is_correct(Some(&Response::Single(1))));
        assert!(!single().is_correct(None));
    }

    #[test]
    fn multiple_needs_exactly_the_keyed_set() {
        let q = multiple();
        assert!(q.is_correct(Some(&Response::Multiple(vec![0, 3]))));
        assert!(!q.is_correct(Some(&Response::Multiple(vec![0]))), "partial is wrong");
        assert!(!q.is_correct(Some(&Response::Multiple(vec![0, 1]))));
        assert!(!q.is_correct(Some(&Response::Multiple(vec![]))), "empty is wrong");
        assert!(!q.is_correct(None));
    }

    #[test]
    fn multiple_refuses_more_than_the_count() {
        let err = multiple().check_response(&Response::Multiple(vec![0, 1, 3])).unwrap_err();
        assert_eq!(err, ResponseError::TooMany { allowed: 2 });
        assert!(multiple().check_response(&Response::Multiple(vec![0, 9])).is_err());
    }

    #[test]
    fn ordering_needs_the_exact_order() {
        let q = ordering();
        assert!(q.is_correct(Some(&Response::Ordering(vec![Some(0), Some(1), Some(2)]))));
        assert!(!q.is_correct(Some(&Response::Ordering(vec![Some(1), Some(0), Some(2)]))));
        assert!(!q.is_correct(Some(&Response::Ordering(vec![Some(0), Some(1), None]))), "partial is wrong");
        assert!(!q.is_correct(Some(&Response::Ordering(vec![None, None, None]))), "empty is wrong");
    }

    #[test]
    fn a_single_answer_must_name_one_of_the_options() {
        let body = Body::Single { options: vec![choice("a"), choice("b"), choice("c")], key: 0 };
        assert_eq!(body.check_response(&Response::Single(2)), Ok(()));
        assert_eq!(body.check_response(&Response::Single(3)), Err(ResponseError::OutOfRange));
        assert_eq!(body.check_response(&Response::Multiple(vec![0])), Err(ResponseError::OutOfRange), "the kind");
    }

    #[test]
    fn ordering_refuses_two_steps_in_one_place() {
        let q = ordering();
        let check = |ranks: [Option<usize>; 3]| q.check_response(&Response::Ordering(ranks.to_vec()));
        assert_eq!(check([Some(0), Some(0), Some(1)]), Err(ResponseError::RepeatedPlace));
        assert_eq!(check([Some(2), None, Some(2)]), Err(ResponseError::RepeatedPlace), "apart, with a gap");
        assert_eq!(check([Some(1), Some(2), Some(0)]), Ok(()));
        assert_eq!(check([Some(2), None, Some(0)]), Ok(()), "incomplete, each place once");
        assert_eq!(check([None, None, None]), Ok(()), "unplaced steps share no place");
        assert_eq!(check([Some(0), Some(3), Some(0)]), Err(ResponseError::OutOfRange), "out of range first");
    }

    #[test]
    fn matching_prompts_may_share_an_answer_but_not_name_a_missing_one() {
        let q = matching();
        let check = |chosen: [Option<usize>; 3]| q.check_response(&Response::Matching(chosen.to_vec()));
        assert_eq!(check([Some(0), Some(0), Some(0)]), Ok(()));
        assert_eq!(check([Some(2), None, Some(2)]), Ok(()), "the extra answer, twice");
        assert_eq!(check([Some(3), None, None]), Err(ResponseError::OutOfRange));
    }

    #[test]
    fn matching_needs_every_pair() {
        let q = matching();
        assert_eq!(q.answers(), vec!["x", "y", "z"]);
        assert!(q.is_correct(Some(&Response::Matching(vec![Some(0), Some(1), Some(0)]))));
        assert!(!q.is_correct(Some(&Response::Matching(vec![Some(0), Some(1), Some(2)]))));
        assert!(!q.is_correct(Some(&Response::Matching(vec![Some(0), Some(1), None]))), "partial is wrong");
        assert!(!q.is_correct(Some(&Response::Matching(vec![None, None, None]))), "empty is wrong");
    }

    #[test]
    fn a_response_of_another_kind_is_wrong_and_refused() {
        assert!(!single().is_correct(Some(&Response::Multiple(vec![2]))));
        assert!(single().check_response(&Response::Multiple(vec![2])).is_err());
    }
}
