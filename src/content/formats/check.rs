//! The checks every question read from a foreign file must pass, whatever
//! its format: what the exam screen needs to show and grade it. Looser than
//! our own Markdown's house rules (a Moodle true/false has two options, a
//! Moodle single-answer question often four), strict on what would break
//! grading: a key that names no option, a count in the stem that differs
//! from the key, options a learner could not tell apart.

use std::collections::HashSet;

use crate::content::parse::{COUNT_WORDS, stated_count};
use crate::exam::{Body, Question};

/// Options, steps or pairs a question may have, from a foreign file.
pub const MIN_CHOICES: usize = 2;
pub const MAX_CHOICES: usize = 12;

/// What is wrong with a question: errors block the import, warnings not.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

pub fn check(q: &Question) -> Findings {
    let mut f = Findings::default();
    if q.stem.trim().is_empty() {
        f.errors.push("the question has no text".into());
    }
    if q.explanation.trim().is_empty() {
        f.warnings.push("no general feedback: the question has no explanation".into());
    }
    let count = |f: &mut Findings, n: usize, what: &str| {
        if !(MIN_CHOICES..=MAX_CHOICES).contains(&n) {
            f.errors.push(format!("needs {MIN_CHOICES} to {MAX_CHOICES} {what}, found {n}"));
        }
    };
    let distinct = |f: &mut Findings, texts: Vec<&str>, what: &str| {
        let mut seen = HashSet::new();
        for t in texts {
            if t.trim().is_empty() {
                f.errors.push(format!("{} {what} has no text", if what.starts_with('o') { "an" } else { "a" }));
            } else if !seen.insert(t.trim()) {
                f.errors.push(format!("the {what} `{}` appears twice", t.trim()));
            }
        }
    };
    let rationales = |f: &mut Findings, missing: usize, what: &str| {
        if missing > 0 {
            let (what, they) = if missing == 1 { (what.trim_end_matches('s'), "it gets") } else { (what, "they get") };
            f.warnings.push(format!("{missing} {what} without feedback: {they} no rationale"));
        }
    };
    match &q.body {
        Body::Single { options, key } => {
            count(&mut f, options.len(), "options");
            distinct(&mut f, options.iter().map(|o| o.text.as_str()).collect(), "option");
            if *key >= options.len() {
                f.errors.push(format!("the key names option {} of {}", key + 1, options.len()));
            }
            rationales(&mut f, options.iter().filter(|o| o.rationale.trim().is_empty()).count(), "options");
        }
        Body::Multiple { options, key } => {
            count(&mut f, options.len(), "options");
            distinct(&mut f, options.iter().map(|o| o.text.as_str()).collect(), "option");
            if let Some(&k) = key.iter().find(|&&k| k >= options.len()) {
                f.errors.push(format!("the key names option {} of {}", k + 1, options.len()));
            }
            if key.len() < 2 || key.len() >= options.len() {
                f.errors.push(format!(
                    "a multiple-answer question needs two or more correct options and at least one wrong one; {} of {} are correct",
                    key.len(),
                    options.len()
                ));
            }
            if key.windows(2).any(|w| w[0] >= w[1]) {
                f.errors.push("the key lists an option twice or out of order".into());
            }
            if let Some(n) = stated_count(&q.stem)
                && n != key.len()
            {
                f.errors.push(format!("the text says Select {} but {} options are correct", COUNT_WORDS[n], key.len()));
            }
            rationales(&mut f, options.iter().filter(|o| o.rationale.trim().is_empty()).count(), "options");
        }
        Body::Ordering { steps } => {
            count(&mut f, steps.len(), "steps");
            distinct(&mut f, steps.iter().map(|s| s.text.as_str()).collect(), "step");
            rationales(&mut f, steps.iter().filter(|s| s.rationale.trim().is_empty()).count(), "steps");
        }
        Body::Matching { pairs, extra_answers } => {
            count(&mut f, pairs.len(), "pairs");
            distinct(&mut f, pairs.iter().map(|p| p.prompt.as_str()).collect(), "prompt");
            if pairs.iter().any(|p| p.answer.trim().is_empty()) {
                f.errors.push("a pair has no answer".into());
            }
            let mut answers: Vec<&str> = pairs.iter().map(|p| p.answer.trim()).collect();
            answers.sort_unstable();
            answers.dedup();
            for extra in extra_answers {
                if answers.contains(&extra.text.trim()) {
                    f.errors.push(format!("the extra answer `{}` is already the answer of a pair", extra.text.trim()));
                }
            }
            if answers.len() + extra_answers.len() < 2 {
                f.errors.push("a matching question needs at least two different answers".into());
            }
            rationales(&mut f, pairs.iter().filter(|p| p.rationale.trim().is_empty()).count(), "pairs");
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::{Choice, Difficulty, Pair};

    fn choice(text: &str, rationale: &str) -> Choice {
        Choice { text: text.into(), rationale: rationale.into() }
    }

    fn question(stem: &str, body: Body) -> Question {
        Question {
            id: "q".into(),
            domain: "D1".into(),
            difficulty: Difficulty::Medium,
            tags: vec![],
            references: vec![],
            case: None,
            stem: stem.into(),
            explanation: "Because.".into(),
            body,
        }
    }

    fn options(n: usize) -> Vec<Choice> {
        (0..n).map(|i| choice(&format!("o{i}"), "r")).collect()
    }

    #[test]
    fn a_sound_question_of_each_kind_passes() {
        let pairs = (0..3).map(|i| Pair { prompt: format!("p{i}"), answer: format!("a{i}"), rationale: "r".into() });
        for body in [
            Body::Single { options: options(2), key: 1 },
            Body::Multiple { options: options(4), key: vec![0, 2] },
            Body::Ordering { steps: options(3) },
            Body::Matching { pairs: pairs.collect(), extra_answers: vec![choice("x", "r")] },
        ] {
            assert_eq!(check(&question("Select TWO.", body.clone())), Findings::default(), "{body:?}");
        }
    }

    #[test]
    fn keys_counts_and_repeats_that_would_break_grading_are_errors() {
        let errors = |stem: &str, body| check(&question(stem, body)).errors;
        assert_eq!(errors("S", Body::Single { options: options(3), key: 3 }), ["the key names option 4 of 3"]);
        assert_eq!(errors("S", Body::Single { options: options(1), key: 0 }), ["needs 2 to 12 options, found 1"]);
        assert_eq!(errors("S", Body::Single { options: options(13), key: 0 }), ["needs 2 to 12 options, found 13"]);
        assert_eq!(errors(" ", Body::Single { options: options(2), key: 0 }), ["the question has no text"]);
        let e = errors("Select THREE.", Body::Multiple { options: options(4), key: vec![0, 1] });
        assert_eq!(e, ["the text says Select THREE but 2 options are correct"]);
        let e = errors("S", Body::Multiple { options: options(4), key: vec![0, 4] });
        assert_eq!(e, ["the key names option 5 of 4"]);
        assert!(errors("S", Body::Multiple { options: options(3), key: vec![0] })[0].contains("1 of 3 are correct"));
        assert!(errors("S", Body::Multiple { options: options(3), key: vec![0, 1, 2] })[0].contains("3 of 3"));
        assert_eq!(
            errors("S", Body::Multiple { options: options(4), key: vec![1, 1] }),
            ["the key lists an option twice or out of order"]
        );
        let twice = vec![choice("a", "r"), choice(" a ", "r"), choice("", "r")];
        assert_eq!(
            errors("S", Body::Single { options: twice, key: 0 }),
            ["the option `a` appears twice", "an option has no text"]
        );
        let pair = |p: &str, a: &str| Pair { prompt: p.into(), answer: a.into(), rationale: "r".into() };
        let e = errors("S", Body::Matching { pairs: vec![pair("p", "a"), pair("q", "a")], extra_answers: vec![] });
        assert_eq!(e, ["a matching question needs at least two different answers"]);
        let e = errors(
            "S",
            Body::Matching { pairs: vec![pair("p", "a"), pair("q", "")], extra_answers: vec![choice("a", "")] },
        );
        assert_eq!(e, ["a pair has no answer", "the extra answer `a` is already the answer of a pair"]);
        assert_eq!(errors("S", Body::Ordering { steps: options(1) }), ["needs 2 to 12 steps, found 1"]);
    }

    #[test]
    fn missing_feedback_is_a_warning() {
        let mut q = question("S", Body::Single { options: vec![choice("a", ""), choice("b", "r")], key: 0 });
        q.explanation = " ".into();
        let f = check(&q);
        assert!(f.errors.is_empty());
        assert_eq!(
            f.warnings,
            ["no general feedback: the question has no explanation", "1 option without feedback: it gets no rationale"]
        );
    }
}
