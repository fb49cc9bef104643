use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::content::formats::testing::{bank, mutate, questions};
use crate::content::formats::{Severity, testing};

const REALISTIC: &str = include_str!("../../../../tests/fixtures/import/json/realistic.json");

fn errors(text: &str) -> Vec<(usize, Option<usize>, String)> {
    read(text)
        .problems
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.line, p.column, p.message))
        .collect()
}

#[test]
fn a_realistic_file_reads_every_kind_and_names_what_it_skips() {
    let set = read(REALISTIC);
    let ids: Vec<&str> = set.questions.iter().map(|q| q.question.id.as_str()).collect();
    assert_eq!(ids, ["d3-async-inference", "cs-grocery-ingest", "cs-grocery-order", "d4-drift"]);
    let lines: Vec<usize> = set.questions.iter().map(|q| q.line).collect();
    assert_eq!(lines, [12, 31, 58, 74]);
    assert!(set.questions.iter().all(|q| q.category.is_none()));

    let single = &set.questions[0].question;
    assert_eq!((single.domain.as_str(), single.difficulty), ("D3", Difficulty::Medium));
    assert_eq!(single.tags, ["async-inference", "sagemaker-endpoints"]);
    assert_eq!(single.references.len(), 1);
    let Body::Single { options, key } = &single.body else { panic!("not single") };
    assert_eq!((*key, options[0].rationale.as_str()), (1, "60 s and 6 MB limits."));
    assert!(single.explanation.starts_with("Asynchronous"));

    let multiple = &set.questions[1].question;
    assert_eq!(multiple.case.as_deref(), Some("cs-grocery"));
    assert!(matches!(&multiple.body, Body::Multiple { key, .. } if key == &[0, 1]));

    let ordering = &set.questions[2].question;
    assert_eq!(ordering.difficulty, Difficulty::Medium, "difficulty defaults to medium");
    assert!(matches!(&ordering.body, Body::Ordering { steps } if steps[2].text == "Register the model"));

    let matching = &set.questions[3].question;
    assert_eq!(matching.body.answers(), ["Data quality", "Model quality", "Bias drift", "AWS CloudTrail"]);
    assert!(matches!(&matching.body, Body::Matching { pairs, .. } if pairs[1].rationale == "Needs ground truth."));

    assert_eq!(set.cases.len(), 1);
    assert!(set.cases[0].scenario.contains("\n\nSales land"));

    let skipped: Vec<(usize, Option<&str>, &str)> = set
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Skipped)
        .map(|p| (p.line, p.question.as_deref(), p.message.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                52,
                Some("essay-why"),
                "an essay question (`essay-why`) cannot be imported: mockexam has single, multiple, ordering and matching questions"
            ),
            (
                91,
                Some("numbers"),
                "a numerical question (`numbers`) cannot be imported: mockexam has single, multiple, ordering and matching questions"
            ),
        ]
    );
    assert!(!set.has_errors(), "{:?}", set.problems);
}

#[test]
fn an_unknown_field_is_an_error_at_its_line_and_column() {
    let text = REALISTIC.replace("\"difficulty\": \"hard\",", "\"difficulty\": \"hard\", \"level\": 3,");
    let set = read(&text);
    let e = set.problems.iter().find(|p| p.severity == Severity::Error).expect("an error");
    assert_eq!((e.line, e.column), (34, Some(29)), "at the field's name");
    assert!(e.message.starts_with("unknown field `level`, expected one of"), "{}", e.message);
    assert_eq!(e.question.as_deref(), Some("cs-grocery-ingest"));
    assert_eq!(set.questions.len(), 3, "the other questions are still read");

    let e = errors(&REALISTIC.replace("\"version\": 1,", "\"version\": 1, \"author\": \"me\","));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, 3);
    assert!(e[0].2.starts_with("unknown field `author`"), "{e:?}");
}

#[test]
fn an_unknown_version_or_format_is_an_error_at_its_place() {
    assert_eq!(
        errors(&REALISTIC.replace("\"version\": 1,", "\"version\": 2,")),
        [(3, Some(14), "unknown version 2: this mockexam reads version 1".to_string())]
    );
    assert_eq!(
        errors(&REALISTIC.replace("mockexam-questions", "quizlet")),
        [(2, Some(21), "`format` is `quizlet`, expected `mockexam-questions`".to_string())]
    );
    assert_eq!(errors("{\"questions\": []}")[0].2, "missing field `format`");
}

#[test]
fn a_file_of_another_format_is_one_clear_error() {
    for text in ["::q1:: What? {=a ~b}", "<?xml version=\"1.0\"?>\n<quiz></quiz>", "\n\nWhat?\nA. x\nANSWER: A"] {
        let set = read(text);
        assert_eq!(set.problems.len(), 1, "{text}");
        assert!(set.problems[0].message.starts_with("this is not a JSON question file"), "{:?}", set.problems);
        assert!(set.questions.is_empty());
    }
    assert_eq!(read("\n\n<quiz/>").problems[0].line, 3);
}

#[test]
fn broken_json_is_an_error_with_its_line_and_column() {
    let text = REALISTIC.replacen("\"key\": 1", "\"key\": 1,,", 1);
    let e = errors(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0, e[0].1), (28, Some(18)));
    assert_eq!(e[0].2, "key must be a string");
    assert_eq!(errors("{\"format\": ")[0].2, "EOF while parsing a value");
}

#[test]
fn questions_that_fail_the_checks_are_reported_and_left_out() {
    let text =
        REALISTIC.replacen("\"key\": 1", "\"key\": 7", 1).replace("\"id\": \"d4-drift\"", "\"id\": \"D4 drift\"");
    let set = read(&text);
    let e: Vec<(usize, Option<&str>, &str)> = set
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.line, p.question.as_deref(), p.message.as_str()))
        .collect();
    assert_eq!(
        e,
        [
            (12, Some("d3-async-inference"), "the key names option 8 of 3"),
            (74, Some("D4 drift"), "a question id is lowercase letters, digits and hyphens, like `d1-glue-vs-emr`"),
        ]
    );
    assert_eq!(set.questions.len(), 2);

    let e = errors(&REALISTIC.replace("\"case\": \"cs-grocery\",", "\"case\": \"cs-other\","));
    assert_eq!(e[0], (31, Some(5), "case study `cs-other` is not in this file's `case_studies`".to_string()));

    let e = errors(&REALISTIC.replace("\"title\": \"Demand forecasting at a grocery chain\"", "\"title\": \" \""));
    assert_eq!(e, [(5, Some(5), "the case study has no title".to_string())]);

    let empty = format!("{{\"format\": \"{FORMAT}\", \"version\": 1, \"questions\": []}}");
    assert_eq!(errors(&empty), [(1, None, "no questions found: `questions` is empty".to_string())]);
}

#[test]
fn missing_feedback_is_a_warning() {
    let text = REALISTIC.replace("\"explanation\": \"Model Monitor has four monitor types.\",", "");
    let set = read(&text);
    let w = set.problems.iter().find(|p| p.severity == Severity::Warning).expect("a warning");
    assert_eq!((w.line, w.question.as_deref()), (74, Some("d4-drift")));
    assert_eq!(w.message, "no general feedback: the question has no explanation");
    assert_eq!(set.questions.len(), 4);
}

#[test]
fn generated_questions_round_trip_identically() {
    for seed in [1, 2, 3, 42] {
        let (qs, cs) = testing::generated(seed, 60);
        let written = write(&qs, &cs);
        assert!(written.losses.is_empty());
        let set = read(&written.text);
        assert!(set.problems.iter().all(|p| p.severity == Severity::Warning), "{:?}", set.problems);
        assert_eq!(questions(&set), qs);
        assert_eq!(set.cases, cs);
    }
}

#[test]
fn the_whole_bank_round_trips_identically() {
    let (qs, cs) = bank();
    assert_eq!(qs.len(), 398);
    let written = write(&qs, &cs);
    assert!(written.losses.is_empty());
    let set = read(&written.text);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    assert_eq!(questions(&set), qs);
    assert_eq!(set.cases, cs);
}

#[test]
fn the_writer_output_follows_the_published_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../../docs/formats/questions.schema.json"))
            .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let (qs, cs) = bank();
    let (generated, generated_cases) = testing::generated(5, 40);
    for text in [write(&qs, &cs).text, write(&generated, &generated_cases).text, REALISTIC.to_string()] {
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let problems: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).take(5).collect();
        if text == REALISTIC {
            // The fixture's essay and numerical questions are outside the schema.
            assert!(!problems.is_empty());
        } else {
            assert!(problems.is_empty(), "{problems:#?}");
        }
    }
    let mut extra: serde_json::Value = serde_json::from_str(&write(&generated, &generated_cases).text).expect("JSON");
    extra["questions"][0]["level"] = 3.into();
    assert!(!validator.is_valid(&extra), "the schema refuses unknown fields too");
    extra["questions"][0].as_object_mut().expect("an object").remove("level");
    extra["version"] = 2.into();
    assert!(!validator.is_valid(&extra), "and unknown versions");
}

#[test]
fn script_in_a_text_is_kept_and_never_rendered_as_script() {
    let text = REALISTIC
        .replace("Which deployment is MOST cost-effective?", "<script>alert(1)</script><img src=x onerror=alert(2)>");
    let set = read(&text);
    let stem = &set.questions[0].question.stem;
    assert!(stem.contains("<script>alert(1)</script>"));
    let html = crate::content::markdown::render(stem);
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");
}

#[test]
fn no_input_makes_the_reader_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let (qs, cs) = testing::generated(9, 6);
    let valid = write(&qs, &cs).text;
    let syntax = ["{", "}", "[", "]", "\"", ",", ":", "\\", "\\u", "null", "1e999", "\u{FEFF}", "é", "\n"];
    for round in 0..2000 {
        let text = if round % 4 == 0 {
            let bytes: Vec<u8> = (0..rng.random_range(0..200)).map(|_| rng.random()).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            mutate(&mut rng, &valid, &syntax)
        };
        let _ = read(&text);
    }
}

#[test]
fn an_unknown_field_inside_a_body_or_option_is_located_too() {
    let text = REALISTIC.replacen("\"key\": 1", "\"key\": 1, \"shuffle\": false", 1);
    let e = errors(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].2.starts_with("unknown field `shuffle`"), "{e:?}");
    assert_eq!((e[0].0, e[0].1), (28, Some(19)), "{e:?}");
    let text = REALISTIC.replacen("\"rationale\": \"60 s and 6 MB limits.\"", "\"correct\": false", 1);
    let e = errors(&text);
    assert!(e[0].2.starts_with("unknown field `correct`"), "{e:?}");
    assert_eq!((e[0].0, e[0].1), (24, Some(45)), "{e:?}");
}

#[test]
fn a_question_whose_case_study_is_missing_is_left_out_and_named() {
    let (qs, cs) = testing::generated(2, 20);
    let orphan = qs.iter().find(|q| q.case.is_some()).expect("a case question").clone();
    let written = write(&qs, &cs[..0]);
    assert!(written.losses.contains(&(
        orphan.id.clone(),
        format!("its case study `{}` is not in the set", orphan.case.as_deref().unwrap_or_default())
    )));
    let set = read(&written.text);
    assert!(!set.has_errors(), "{:?}", set.problems);
    assert!(!questions(&set).contains(&orphan));
}
