//! Tests of the Aiken reader: a realistic file, one test per documented
//! error, and random input.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::read;
use crate::content::formats::{Severity, identity};
use crate::exam::{Body, Difficulty};

const ML_BASICS: &str = include_str!("../../../../tests/fixtures/import/aiken/ml-basics.txt");

fn errors(text: &str) -> Vec<(usize, String)> {
    let set = read(text);
    set.problems.iter().filter(|p| p.severity == Severity::Error).map(|p| (p.line, p.message.clone())).collect()
}

#[test]
fn a_realistic_file_gives_ten_single_answer_questions_and_one_feedback_warning() {
    let set = read(ML_BASICS);
    assert!(!set.has_errors(), "{:#?}", set.problems);
    assert_eq!(set.questions.len(), 10);
    let first = &set.questions[0];
    assert_eq!(first.line, 1);
    assert_eq!(first.category, None);
    let q = &first.question;
    assert_eq!(q.stem, "Which AWS service runs managed Jupyter-based notebooks for ML development?");
    assert_eq!(
        q.id,
        identity::hashed(&q.stem, ["Amazon SageMaker Studio", "AWS Glue DataBrew", "Amazon Athena", "AWS Batch"])
    );
    assert_eq!((q.domain.as_str(), q.difficulty, q.explanation.as_str()), ("", Difficulty::Medium, ""));
    assert!(matches!(&q.body, Body::Single { key: 0, options } if options.len() == 4));
    // `A)` options, a stem of two lines, five options.
    let Body::Single { options, key } = &set.questions[1].question.body else { panic!() };
    assert_eq!((options[1].text.as_str(), *key), ("Amazon SageMaker Ground Truth", 1));
    assert_eq!(set.questions[3].line, 22);
    assert_eq!(set.questions[3].question.stem.lines().count(), 2);
    assert!(matches!(&set.questions[8].question.body, Body::Single { key: 1, options } if options.len() == 5));
    let ids: std::collections::HashSet<_> = set.questions.iter().map(|q| &q.question.id).collect();
    assert_eq!(ids.len(), 10);
    let warnings: Vec<_> = set.problems.iter().filter(|p| p.severity == Severity::Warning).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        (warnings[0].line, warnings[0].message.as_str()),
        (1, "Aiken files hold no feedback: the 10 questions have no explanation and no option rationales")
    );
    assert_eq!(read(ML_BASICS), set, "reading twice gives the same ids");
}

#[test]
fn each_broken_question_is_an_error_at_its_line() {
    let e = |line: usize, message: &str| vec![(line, message.to_string())];
    assert_eq!(errors("Q?\nA. x\nB. y\nANSWER: C\n"), e(4, "`ANSWER: C` names no option: the options are A to B"));
    assert_eq!(errors("Q?\nA. x\nB. y\nANSWER: AB\n"), e(4, "`ANSWER: AB` names no option: the options are A to B"));
    assert_eq!(
        errors("Q1?\nA. x\nB. y\n\nQ2?\nA. x\nB. y\nANSWER: A\n"),
        e(1, "the question has no `ANSWER:` line after its options")
    );
    assert_eq!(
        errors("Q?\nA. x\nB. y\nANSWER: A\n\nQ2?\nA. x\nB. z\n"),
        e(6, "the question has no `ANSWER:` line after its options")
    );
    assert_eq!(errors("Q?\nA. only\nANSWER: A\n"), e(1, "a question needs at least 2 options, found 1"));
    assert_eq!(
        errors("Q?\nA. x\nC. y\nANSWER: A\n"),
        e(3, "option C where B should come: options run A, B, C, … in order")
    );
    assert_eq!(errors("ANSWER: A\nQ?\nA. x\nB. y\nANSWER: A"), e(1, "an `ANSWER:` line with no question before it"));
    // What the shared checks find, at the question's line with its id.
    let set = read("\nQ?\nA. same\nB. same\nANSWER: A\n");
    let p = set.problems.iter().find(|p| p.severity == Severity::Error).unwrap();
    assert_eq!((p.line, p.message.as_str()), (2, "the option `same` appears twice"));
    assert_eq!(p.question.as_deref(), Some(set.questions[0].question.id.as_str()));
}

#[test]
fn a_file_of_another_format_is_one_error_at_line_1() {
    for text in ["::q:: What? {=a ~b}", "<?xml version=\"1.0\"?><quiz/>", "id,stem\n1,What?"] {
        let set = read(text);
        assert!(set.questions.is_empty());
        assert_eq!(set.problems.len(), 1);
        assert_eq!(
            (set.problems[0].line, set.problems[0].message.as_str()),
            (1, "no Aiken questions found: expected a question, its options `A. text` and an `ANSWER: A` line")
        );
    }
}

#[test]
fn script_in_a_text_is_stored_and_never_rendered() {
    let set = read("Hi <script>alert(1)</script>?\nA. <img src=x onerror=alert(1)>\nB. no\nANSWER: B\n");
    let q = &set.questions[0].question;
    let Body::Single { options, .. } = &q.body else { panic!() };
    for text in [&q.stem, &options[0].text] {
        let html = crate::content::markdown::render(text);
        assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");
    }
}

#[test]
fn random_bytes_and_mutations_never_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let syntax = ["ANSWER: ", "A. ", "B) ", "Z. ", "\n", "\n\n", "ANSWER:"];
    for round in 0..2000 {
        let text: String = if round % 3 == 0 {
            let bytes: Vec<u8> = (0..rng.random_range(0..200)).map(|_| rng.random()).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let mut chars: Vec<char> = ML_BASICS.chars().collect();
            for _ in 0..rng.random_range(1..6) {
                let at = rng.random_range(0..=chars.len());
                let end = (at + rng.random_range(0..200)).min(chars.len());
                match rng.random_range(0..3) {
                    0 => {
                        let copy: Vec<char> = chars[at..end].to_vec();
                        chars.splice(at..at, copy);
                    }
                    1 => {
                        chars.drain(at..end);
                    }
                    _ => {
                        chars.splice(at..at, syntax[rng.random_range(0..syntax.len())].chars());
                    }
                }
            }
            chars.into_iter().collect()
        };
        let set = read(&text);
        assert!(set.problems.iter().all(|p| p.line >= 1));
    }
}
