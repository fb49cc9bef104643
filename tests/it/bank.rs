//! The bundled MLA-C01 bank: big enough for four mocks without a repeat,
//! every kind, every explanation, no near-duplicates, balanced keys.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use mockexam::content::{self, ExamContent};
use mockexam::exam::Body;
use mockexam::exam::kind::Kind;

fn bank() -> ExamContent {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/mla-c01");
    match content::load_dir(&dir) {
        Ok(c) => c,
        Err(errors) => {
            panic!("the bank has errors:\n{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
        }
    }
}

#[test]
fn the_bank_parses_and_holds_enough_questions_per_domain_and_kind() {
    let bank = bank();
    let b = &bank.blueprint;
    assert_eq!(b.slug, "mla-c01");
    assert_eq!((b.question_count, b.time_limit_minutes), (65, 130));
    assert_eq!((b.scale.min, b.scale.max, b.scale.pass), (100, 1000, 720));
    let weights: Vec<(&str, u32)> = b.domains.iter().map(|d| (d.code.as_str(), d.weight)).collect();
    assert_eq!(weights, vec![("D1", 28), ("D2", 26), ("D3", 22), ("D4", 24)]);
    assert_eq!(b.domains[3].name, "ML Solution Monitoring, Maintenance, and Security");

    let per_domain = |code: &str| bank.questions.iter().filter(|q| q.question.domain == code).count();
    // Four 65-item mocks without a repeat: 4 × 18 / 17 / 14 / 16.
    for (code, min) in [("D1", 74), ("D2", 69), ("D3", 58), ("D4", 64)] {
        assert!(per_domain(code) >= min, "{code} has {} questions, needs {min}", per_domain(code));
    }
    assert!(bank.questions.len() >= 265);

    let per_kind = |kind: Kind| bank.questions.iter().filter(|q| q.question.body.kind() == kind).count();
    assert!(per_kind(Kind::Multiple) >= 40, "multiple: {}", per_kind(Kind::Multiple));
    assert!(per_kind(Kind::Ordering) >= 15, "ordering: {}", per_kind(Kind::Ordering));
    assert!(per_kind(Kind::Matching) >= 15, "matching: {}", per_kind(Kind::Matching));
    assert!(per_kind(Kind::Single) > bank.questions.len() / 2, "mostly single");

    assert!(bank.cases.len() >= 4, "case studies: {}", bank.cases.len());
    for case in &bank.cases {
        let n = bank.questions.iter().filter(|q| q.question.case.as_deref() == Some(case.id.as_str())).count();
        assert!((2..=4).contains(&n), "case study {} has {n} questions", case.id);
    }
}

#[test]
fn every_question_explains_itself_and_every_option() {
    let short: Vec<String> = bank()
        .questions
        .iter()
        .map(|s| &s.question)
        .filter(|q| {
            q.explanation.split_inclusive(['.', '!', '?']).filter(|s| s.split_whitespace().count() >= 3).count() < 2
        })
        .map(|q| q.id.clone())
        .collect();
    assert!(short.is_empty(), "explanations should teach in 2–5 sentences: {short:?}");
    for q in bank().questions.iter().map(|s| &s.question) {
        assert!(!q.tags.is_empty(), "{}: no tags", q.id);
        let rationales: Vec<&str> = match &q.body {
            Body::Single { options, .. } | Body::Multiple { options, .. } => {
                options.iter().map(|o| o.rationale.as_str()).collect()
            }
            Body::Ordering { steps } => steps.iter().map(|s| s.rationale.as_str()).collect(),
            Body::Matching { pairs, .. } => pairs.iter().map(|p| p.rationale.as_str()).collect(),
        };
        assert!(
            rationales.iter().all(|r| r.split_whitespace().count() >= 3),
            "{}: every option needs a real rationale",
            q.id
        );
        if let Body::Multiple { options, key } = &q.body {
            let words = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE"];
            let stated = format!("SELECT {}", words[key.len()]);
            assert!(q.stem.to_uppercase().contains(&stated), "{}: the stem must say {stated}", q.id);
            assert!((5..=6).contains(&options.len()), "{}: multiple has 5–6 options", q.id);
        }
    }
}

fn five_grams(text: &str) -> HashSet<Vec<String>> {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.windows(5).map(<[String]>::to_vec).collect()
}

#[test]
fn no_two_stems_are_near_duplicates_and_no_option_repeats() {
    let bank = bank();
    let grams: Vec<(&str, HashSet<Vec<String>>)> =
        bank.questions.iter().map(|q| (q.question.id.as_str(), five_grams(&q.question.stem))).collect();
    let mut worst = (0.0, "", "");
    for (i, (a, ga)) in grams.iter().enumerate() {
        for (b, gb) in &grams[i + 1..] {
            if ga.is_empty() || gb.is_empty() {
                continue;
            }
            let shared = ga.intersection(gb).count() as f64;
            let jaccard = shared / (ga.len() as f64 + gb.len() as f64 - shared);
            if jaccard > worst.0 {
                worst = (jaccard, a, b);
            }
        }
    }
    assert!(worst.0 < 0.5, "stems {} and {} are near-duplicates (5-gram Jaccard {:.2})", worst.1, worst.2, worst.0);

    for q in bank.questions.iter().map(|s| &s.question) {
        let texts: Vec<String> = match &q.body {
            Body::Single { options, .. } | Body::Multiple { options, .. } => {
                options.iter().map(|o| o.text.to_lowercase()).collect()
            }
            Body::Ordering { steps } => steps.iter().map(|s| s.text.to_lowercase()).collect(),
            Body::Matching { pairs, .. } => pairs.iter().map(|p| p.prompt.to_lowercase()).collect(),
        };
        let distinct: HashSet<&String> = texts.iter().collect();
        assert_eq!(distinct.len(), texts.len(), "{}: an option repeats", q.id);
    }
}

#[test]
fn key_positions_are_balanced() {
    let bank = bank();
    let mut positions: HashMap<usize, usize> = HashMap::new();
    let mut keys = 0;
    for q in bank.questions.iter().map(|s| &s.question) {
        match &q.body {
            Body::Single { key, .. } => {
                *positions.entry(*key).or_default() += 1;
                keys += 1;
            }
            Body::Multiple { key, .. } => {
                for k in key {
                    *positions.entry(*k).or_default() += 1;
                    keys += 1;
                }
            }
            _ => {}
        }
    }
    for (position, n) in &positions {
        let share = *n as f64 / keys as f64;
        assert!(share <= 0.35, "option {} holds {:.0}% of the keys", position + 1, share * 100.0);
    }
}
