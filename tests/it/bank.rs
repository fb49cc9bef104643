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
    // Six 65-item mocks without a repeat: 6 × 18 / 17 / 14 / 16.
    for (code, min) in [("D1", 108), ("D2", 102), ("D3", 84), ("D4", 96)] {
        assert!(per_domain(code) >= min, "{code} has {} questions, needs {min}", per_domain(code));
    }

    let per_kind = |kind: Kind| bank.questions.iter().filter(|q| q.question.body.kind() == kind).count();
    assert!(per_kind(Kind::Multiple) >= 60, "multiple: {}", per_kind(Kind::Multiple));
    assert!(per_kind(Kind::Ordering) >= 25, "ordering: {}", per_kind(Kind::Ordering));
    assert!(per_kind(Kind::Matching) >= 25, "matching: {}", per_kind(Kind::Matching));
    assert!(per_kind(Kind::Single) > bank.questions.len() / 2, "mostly single");
}

/// As on the real exam: at least 10 case studies, each of 3–4 questions
/// that together test more than one domain.
#[test]
fn case_studies_are_many_and_each_spans_domains() {
    let bank = bank();
    assert!(bank.cases.len() >= 10, "case studies: {}", bank.cases.len());
    for case in &bank.cases {
        let members: Vec<&str> = bank
            .questions
            .iter()
            .filter(|q| q.question.case.as_deref() == Some(case.id.as_str()))
            .map(|q| q.question.domain.as_str())
            .collect();
        assert!((3..=4).contains(&members.len()), "case study {} has {} questions", case.id, members.len());
        let domains: HashSet<&str> = members.iter().copied().collect();
        assert!(domains.len() > 1, "case study {} tests only {domains:?}", case.id);
    }
}

/// At least a third of the questions weigh two stated constraints against
/// each other, tagged `trade-off`.
#[test]
fn a_third_of_the_questions_are_trade_offs() {
    let bank = bank();
    let trade_offs = bank.questions.iter().filter(|q| q.question.tags.iter().any(|t| t == "trade-off")).count();
    assert!(
        3 * trade_offs >= bank.questions.len(),
        "{trade_offs} of {} questions are tagged trade-off, fewer than a third",
        bank.questions.len()
    );
}

/// The drill picker lists a curated set a person can scan: about 100
/// declared topics, each named and in use by at least two questions, and
/// every question tagged from them (`load_dir` refuses an undeclared tag).
#[test]
fn the_topics_are_declared_named_and_a_scannable_number() {
    let bank = bank();
    assert!((80..=120).contains(&bank.tags.len()), "{} declared tags", bank.tags.len());
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for q in &bank.questions {
        assert!((1..=5).contains(&q.question.tags.len()), "{} has {} tags", q.question.id, q.question.tags.len());
        for t in &q.question.tags {
            *uses.entry(t.as_str()).or_default() += 1;
        }
    }
    for t in &bank.tags {
        assert!(!t.name.trim().is_empty());
        let n = uses.get(t.tag.as_str()).copied().unwrap_or(0);
        assert!(n >= 2, "the declared tag {} is used by {n} questions", t.tag);
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

/// The drill picker shows the declared topics by their names, under their
/// domains, each with its number of questions; a drill on one of them draws
/// only questions carrying it.
#[tokio::test]
async fn the_drill_picker_lists_named_topics_by_domain_with_counts() {
    let app = crate::helpers::TestApp::spawn().await;
    app.log_in_as_learner().await;
    let page = app.get_text("/exams/mla-c01").await;
    let athena = bank().questions.iter().filter(|q| q.question.tags.iter().any(|t| t == "athena")).count();
    let d1 = page.find(r#"<optgroup label="D1 Data Preparation for Machine Learning">"#).expect("a D1 group");
    let d2 = page.find(r#"<optgroup label="D2 ML Model Development">"#).expect("a D2 group");
    let option = page.find(&format!(r#"<option value="athena">Amazon Athena ({athena} questions)</option>"#));
    assert!(option.is_some_and(|i| d1 < i && i < d2), "Athena is listed by name under D1");
    assert!(page.contains(r#"<optgroup label="Across domains">"#), "trade-offs span the domains");
    assert!(page.contains(r#"<option value="trade-off">Trade-offs between two constraints ("#));

    let id = app.start(&[("mode", "drill"), ("tag", "athena"), ("count", "5")]).await;
    let tagged: Vec<Vec<String>> = sqlx::query_scalar(
        "SELECT q.tags FROM items i JOIN question_versions v ON v.id = i.version_id
         JOIN questions q ON q.id = v.question_id WHERE i.attempt_id = $1",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(tagged.len(), 5);
    assert!(tagged.iter().all(|tags| tags.iter().any(|t| t == "athena")), "{tagged:?}");
}
