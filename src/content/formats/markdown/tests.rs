use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::content::formats::testing::{bank, mutate, questions};
use crate::content::formats::{Severity, testing};
use crate::exam::Pair;

const REALISTIC: &str = include_str!("../../../../tests/fixtures/import/markdown/realistic.md");

fn loss(q: &Question) -> Option<String> {
    let written = write(std::slice::from_ref(q), &[]);
    written.losses.into_iter().next().map(|(_, why)| why)
}

fn sample() -> Question {
    read(REALISTIC).questions[2].question.clone()
}

#[test]
fn a_realistic_file_reads_every_kind_with_lines_and_case_studies() {
    let set = read(REALISTIC);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    let found: Vec<(usize, &str)> = set.questions.iter().map(|q| (q.line, q.question.id.as_str())).collect();
    assert_eq!(
        found,
        [(11, "cs-grocery-ingest"), (38, "cs-grocery-order"), (61, "d3-async-inference"), (90, "d4-drift")]
    );
    assert!(set.questions.iter().all(|q| q.category.is_none()));
    assert_eq!(set.cases[0].title, "Demand forecasting at a grocery chain");
    let [multiple, ordering, single, matching] = &questions(&set)[..] else { panic!("four questions") };
    assert!(matches!(&multiple.body, Body::Multiple { key, .. } if key == &[0, 1]));
    assert_eq!(multiple.case.as_deref(), Some("cs-grocery"));
    assert!(matches!(&ordering.body, Body::Ordering { steps } if steps[0].rationale == "Training needs clean data."));
    assert!(matches!(&single.body, Body::Single { key: 1, .. }));
    assert!(single.stem.contains("413 Payload Too Large"));
    assert_eq!(single.explanation, "Asynchronous inference queues large payloads and scales to zero.");
    assert_eq!(matching.body.answers(), ["Data quality", "Model quality", "Bias drift", "AWS CloudTrail"]);
}

#[test]
fn errors_carry_their_line_and_question_but_no_file_name() {
    let set = read(&REALISTIC.replace("kind: single", "kind: essay"));
    assert_eq!(set.problems.len(), 1, "{:?}", set.problems);
    let e = &set.problems[0];
    assert_eq!((e.severity, e.line, e.question.as_deref()), (Severity::Error, 64, Some("d3-async-inference")));
    assert_eq!(e.message, "unknown kind `essay`: expected single, multiple, ordering or matching");

    let e = &read(&REALISTIC.replace("  > Records API calls.\n", "  > Records API calls.\n  > Twice.\n")).problems[0];
    assert_eq!((e.line, e.message.as_str()), (112, "only one rationale line per entry"));
}

#[test]
fn a_file_of_another_format_is_one_clear_error() {
    let set = read("::q1:: What? {=a ~b}\n");
    assert_eq!(set.problems.len(), 1);
    let e = &set.problems[0];
    assert_eq!((e.line, e.question.as_deref()), (1, None));
    assert_eq!(e.message, "no questions found: a question starts with a `## Question <id>` heading");
}

#[test]
fn case_studies_come_first_and_order_is_kept() {
    let set = read(REALISTIC);
    let text = write(&questions(&set), &set.cases).text;
    let case = text.find("## Case study cs-grocery").expect("the case study is written");
    assert!(case < text.find("## Question cs-grocery-ingest").expect("its question"));
    assert!(read(&text).problems.is_empty());
    assert_eq!(questions(&read(&text)), questions(&set));
}

/// A case study our Markdown cannot hold leaves out itself and each of its
/// questions, named; the rest of the set is written.
#[test]
fn a_case_study_our_markdown_cannot_hold_is_left_out_with_its_questions() {
    let set = read(REALISTIC);
    let all = questions(&set);
    type Break<'a> = &'a dyn Fn(&mut CaseStudy);
    let breaks: [(Break, &str); 4] = [
        (&|c| c.title = "Grocery\ntwo lines".into(), "its title runs over more than one line"),
        (&|c| c.title.clear(), "the case study cannot be written"),
        (&|c| c.scenario = "```\nopen fence".into(), "a code fence in its scenario is not closed"),
        (&|c| c.scenario.push_str("   "), "its texts do not read back the same"),
    ];
    for (break_case, why) in breaks {
        let mut cases = set.cases.clone();
        break_case(&mut cases[0]);
        let written = write(&all, &cases);
        let named: Vec<&str> = written.losses.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(named, ["cs-grocery", "cs-grocery-ingest", "cs-grocery-order"], "{:?}", written.losses);
        assert!(written.losses[0].1.contains(why), "{:?}", written.losses[0]);
        let kept: Vec<&str> = written.text.lines().filter_map(|l| l.strip_prefix("## Question ")).collect();
        assert_eq!(kept, ["d3-async-inference", "d4-drift"]);
    }
}

#[test]
fn what_our_markdown_cannot_hold_is_left_out_and_named() {
    let mut q = sample();
    let Body::Single { options, .. } = &mut q.body else { panic!("single") };
    options[1].text = "two\nlines".into();
    assert_eq!(loss(&q).as_deref(), Some("option 2 runs over more than one line"));

    let mut q = sample();
    q.explanation = "```\nopen fence".into();
    assert_eq!(loss(&q).as_deref(), Some("a code fence in its texts is not closed"));

    let mut q = sample();
    q.stem = "Which?\n## Not a heading".into();
    assert!(loss(&q).is_some(), "a line that reads as a heading is a loss");

    let mut q = sample();
    q.stem = "Which?   ".into();
    assert!(loss(&q).expect("a loss").starts_with("its texts do not read back the same"));

    let mut q = sample();
    q.case = Some("cs-nowhere".into());
    assert_eq!(loss(&q).as_deref(), Some("its case study `cs-nowhere` is not in the set"));

    let matching = read(REALISTIC).questions[3].question.clone();
    let mut q = matching.clone();
    let Body::Matching { pairs, .. } = &mut q.body else { panic!("matching") };
    pairs[0] = Pair { prompt: "a => b".into(), ..pairs[0].clone() };
    assert_eq!(loss(&q).as_deref(), Some("prompt 1 holds `=>`, which our Markdown puts between prompt and answer"));

    let written = write(&[sample(), q], &[]);
    assert_eq!(written.losses.len(), 1);
    assert_eq!(written.losses[0].0, "d4-drift");
    assert_eq!(questions(&read(&written.text)), [sample()]);
}

/// A question that breaks only our house rules (option counts, rationales,
/// an explanation, a tag, "Select N") is written, and reads back whole
/// with a warning: an instructor's imported set can be edited as text.
#[test]
fn a_question_outside_our_house_rules_is_written_and_read_back_with_a_warning() {
    let two_options = |q: &mut Question| {
        let Body::Single { options, .. } = &mut q.body else { panic!("single") };
        options.pop();
    };
    let no_rationale = |q: &mut Question| {
        let Body::Single { options, .. } = &mut q.body else { panic!("single") };
        options[0].rationale.clear();
    };
    type BreakRule<'a> = &'a dyn Fn(&mut Question);
    let cases: [(BreakRule, &str); 4] = [
        (&two_options, "needs 3 to 6 options, found 2"),
        (&no_rationale, "this option has no rationale: add a line `  > why it is right or wrong` under it"),
        (&|q: &mut Question| q.explanation.clear(), "the explanation is empty"),
        (&|q: &mut Question| q.tags.clear(), "missing `tags:`"),
    ];
    for (break_rule, warning) in cases {
        let mut q = sample();
        break_rule(&mut q);
        assert_eq!(loss(&q), None, "{warning}");
        let set = read(&write(std::slice::from_ref(&q), &[]).text);
        assert_eq!(questions(&set), [q]);
        let problems: Vec<(Severity, &str)> = set.problems.iter().map(|p| (p.severity, p.message.as_str())).collect();
        assert_eq!(problems, [(Severity::Warning, warning)]);
    }
}

#[test]
fn generated_questions_round_trip_except_what_is_named() {
    for seed in [1, 2, 3, 42] {
        let (qs, cs) = testing::generated(seed, 60);
        let written = write(&qs, &cs);
        let lost: Vec<&str> = written.losses.iter().map(|(id, _)| id.as_str()).collect();
        // Generated questions with no tags break only a house rule: kept, warned.
        assert_eq!(lost, Vec::<&str>::new(), "{:?}", written.losses);
        let set = read(&written.text);
        let untagged = qs.iter().filter(|q| q.tags.is_empty()).count();
        assert!(set.problems.iter().all(|p| p.severity == Severity::Warning && p.message == "missing `tags:`"));
        assert_eq!(set.problems.len(), untagged, "{:?}", set.problems);
        let kept: Vec<Question> = qs.into_iter().filter(|q| !lost.contains(&q.id.as_str())).collect();
        assert_eq!(questions(&set), kept);
        assert_eq!(set.cases, cs);
    }
}

#[test]
fn the_whole_bank_round_trips_identically() {
    let (qs, cs) = bank();
    assert_eq!(qs.len(), 398);
    let written = write(&qs, &cs);
    assert!(written.losses.is_empty(), "{:?}", written.losses);
    let set = read(&written.text);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    assert_eq!(questions(&set), qs);
    assert_eq!(set.cases, cs);
    let bank = crate::content::load_dir(Path::new("content/mla-c01")).expect("loads");
    let checked = crate::content::check_questions((bank.blueprint, bank.tags), &[("bank.md".into(), written.text)]);
    assert!(checked.is_ok(), "the written file passes the exam's own checks: {:?}", checked.err());
}

#[test]
fn script_in_a_text_is_kept_and_never_rendered_as_script() {
    let text = REALISTIC.replace("Put the steps in order.", "<script>alert(1)</script><img src=x onerror=alert(2)>");
    let set = read(&text);
    let stem = &set.questions[1].question.stem;
    assert!(stem.contains("<script>"));
    let html = crate::content::markdown::render(stem);
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");
}

#[test]
fn no_input_makes_the_reader_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let syntax = ["## Question x\n", "### Options\n", "- [x] ", "  > ", "=>", "```\n", "1. ", "\n\n", ":", "é"];
    for round in 0..2000 {
        let text = if round % 4 == 0 {
            let bytes: Vec<u8> = (0..rng.random_range(0..200)).map(|_| rng.random()).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            mutate(&mut rng, REALISTIC, &syntax)
        };
        let _ = read(&text);
    }
}
