use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::content::formats::testing::{bank, mutate, questions};
use crate::content::formats::{Severity, testing};

const REALISTIC: &str = include_str!("../../../../tests/fixtures/import/csv/realistic.csv");
const SEMICOLON: &str = include_str!("../../../../tests/fixtures/import/csv/semicolon.csv");

/// The problems of a file made of the header and `rows`, as (line,
/// column, message).
fn problems_of(rows: &str) -> Vec<(usize, Option<usize>, String)> {
    let text = format!("{}\n{rows}", header_line());
    read(&text).problems.into_iter().map(|p| (p.line, p.column, p.message)).collect()
}

/// A row of the full layout: the fixed columns, then `options` (each
/// `text|rationale`), then the key.
fn row(fixed: [&str; 9], options: &[&str], key: &str) -> String {
    let mut cells: Vec<String> = fixed.iter().map(|c| format!("\"{c}\"")).collect();
    let split: Vec<(&str, &str)> = options.iter().map(|o| o.split_once('|').unwrap_or((o, ""))).collect();
    cells.extend((0..OPTION_COLUMNS).map(|i| split.get(i).map(|o| o.0).unwrap_or_default().to_string()));
    cells.extend((0..OPTION_COLUMNS).map(|i| split.get(i).map(|o| o.1).unwrap_or_default().to_string()));
    cells.push(format!("\"{key}\""));
    cells.join(",")
}

fn single(key: &str) -> String {
    row(["q1", "D1", "single", "", "", "", "", "Which?", "Because."], &["a|ra", "b|rb", "c|rc"], key)
}

#[test]
fn a_realistic_file_reads_every_kind_and_names_what_it_skips() {
    let set = read(REALISTIC);
    let found: Vec<(usize, &str)> = set.questions.iter().map(|q| (q.line, q.question.id.as_str())).collect();
    let hashed = identity::hashed("Which metric suits a regression model?", ["RMSE", "F1 score", "AUC"]);
    assert_eq!(
        found,
        [
            (5, "d3-async-inference"),
            (8, "cs-grocery-ingest"),
            (10, "cs-grocery-order"),
            (12, "d4-drift"),
            (13, hashed.as_str())
        ]
    );
    let categories: Vec<Option<&str>> = set.questions.iter().map(|q| q.category.as_deref()).collect();
    assert_eq!(categories, [Some("D3"), Some("D1"), Some("D1"), Some("D4"), Some("D2")]);
    let [single, multiple, ordering, matching, unnamed] = &questions(&set)[..] else { panic!("five questions") };

    assert_eq!(single.tags, ["async-inference", "sagemaker-endpoints"]);
    assert_eq!(single.references, ["https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html"]);
    assert!(single.stem.contains("10 minutes.\n\nWhich"), "a multi-line cell keeps its lines");
    assert!(
        matches!(&single.body, Body::Single { key: 1, options } if options[2].rationale == "Short timeout, small payloads.")
    );
    assert_eq!(single.explanation, "Asynchronous inference queues large payloads and scales to zero.");

    assert_eq!((multiple.case.as_deref(), multiple.difficulty), (Some("cs-grocery"), Difficulty::Hard));
    assert!(matches!(&multiple.body, Body::Multiple { key, .. } if key == &[0, 1]), "`a, b` is a key");

    assert_eq!(ordering.difficulty, Difficulty::Medium, "an empty difficulty is medium");
    assert!(matches!(&ordering.body, Body::Ordering { steps } if steps[1].text == "Train the model"));

    assert_eq!(matching.body.answers(), ["Data quality", "Model quality", "Bias drift", "AWS CloudTrail"]);
    let Body::Matching { pairs, extra_answers } = &matching.body else { panic!("matching") };
    assert_eq!(
        (pairs[0].prompt.as_str(), pairs[0].rationale.as_str()),
        ("A feature's mean shifted", "Feature statistics.")
    );
    assert_eq!(extra_answers[0].rationale, "Records API calls.");

    assert!(matches!(&unnamed.body, Body::Single { key: 0, .. }), "an empty kind with one key letter is single");

    assert_eq!(set.cases.len(), 1);
    assert_eq!(set.cases[0].title, "Demand forecasting at a grocery chain");
    assert!(set.cases[0].scenario.ends_with("every night."));

    let problems: Vec<(Severity, usize, Option<&str>, &str)> =
        set.problems.iter().map(|p| (p.severity, p.line, p.question.as_deref(), p.message.as_str())).collect();
    assert_eq!(
        problems,
        [
            (Severity::Skipped, 9, Some("Essay: why?"), "an essay question (`Essay: why?`) cannot be imported"),
            (Severity::Skipped, 14, Some("how-many"), "a numerical question (`how-many`) cannot be imported"),
        ]
    );
}

#[test]
fn a_semicolon_file_from_european_excel_reads_too() {
    let set = read(SEMICOLON);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    let [decimal, multi] = &questions(&set)[..] else { panic!("two questions") };
    assert!(
        matches!(&decimal.body, Body::Single { key: 0, options } if options[0].text == "0,5" && options.len() == 3)
    );
    assert!(matches!(&multi.body, Body::Multiple { key, .. } if key == &[0, 1]));
    assert_eq!(multi.difficulty, Difficulty::Medium);
}

#[test]
fn the_template_reads_back_without_problems() {
    let text = template();
    assert!(text.starts_with(&header_line()));
    let set = read(&text);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    let kinds: Vec<_> = set.questions.iter().map(|q| q.question.body.kind()).collect();
    assert_eq!(kinds, [crate::exam::kind::Kind::Single, crate::exam::kind::Kind::Multiple]);
    assert_eq!(set.questions[1].line, 3);
}

#[test]
fn a_wrong_or_missing_header_is_one_error_with_the_expected_header() {
    let expected = format!("the header is `{}`", header_line());
    for (text, message) in [
        ("What?,A,B\nx,y,z\n", format!("the first row must be the header: {expected}")),
        ("::q1:: What? {=a ~b}\n", format!("the first row must be the header: {expected}")),
        ("<?xml version=\"1.0\"?>\n<quiz/>\n", format!("the first row must be the header: {expected}")),
        ("{\"format\": \"mockexam-questions\"}", format!("the first row must be the header: {expected}")),
        ("id,stem,notes,option_1,key\n", format!("unknown column `notes` in the header: {expected}")),
        ("id,stem,option_1\n", format!("the header has no `key` column: {expected}")),
        ("stem,Stem,option_1,key\n", format!("the column `stem` is in the header twice: {expected}")),
    ] {
        let set = read(text);
        let found: Vec<(usize, &str)> = set.problems.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert_eq!(found, [(1, message.as_str())], "{text}");
    }
}

#[test]
fn errors_name_their_column_and_the_line_the_row_starts_at() {
    let key_column = Some(FIXED.len() + 2 * OPTION_COLUMNS + 1);
    assert_eq!(problems_of(&single("D")), [(2, key_column, "`key`: `D` names no option: there are 3 options".into())]);
    assert_eq!(
        problems_of(&single("300")),
        [(2, key_column, "`key`: `300` names no option: there are 3 options".into())]
    );
    assert_eq!(
        problems_of(&single("B or C")),
        [(2, key_column, "`key`: `or` is not an option letter: write `B`, or `A,C` for several".into())]
    );
    assert_eq!(
        problems_of(&single("")),
        [(2, key_column, "`key`: empty: write the letter of the correct option, such as `B` (or `A,C`)".into())]
    );
    assert_eq!(
        problems_of(&single("A,C")),
        [(2, key_column, "`key`: a single question has one correct option, the key names 2".into())]
    );
    let multi_line = single("B").replace("\"Which?\"", "\"Which\nof these?\"");
    let text = format!("{multi_line}\n{}", single("E").replace("q1", "q2"));
    assert_eq!(problems_of(&text)[0].0, 4, "the second row starts on line 4");

    let kind = single("B").replace("\"single\"", "\"truefalse\"");
    assert_eq!(
        problems_of(&kind),
        [(
            2,
            Some(3),
            "`kind`: unknown kind `truefalse`: expected single, multiple, ordering, matching or case".into()
        )]
    );
    let kind = single("").replace("\"single\"", "\"\"");
    assert_eq!(
        problems_of(&kind),
        [(2, Some(3), "`kind`: empty: write single, multiple, ordering, matching or case".into())]
    );
    let difficulty = single("B").replace("\"single\",\"\"", "\"single\",\"tricky\"");
    assert_eq!(
        problems_of(&difficulty),
        [(2, Some(4), "`difficulty`: unknown difficulty `tricky`: expected easy, medium or hard".into())]
    );
    let case = single("B").replace("\"\",\"Which?\"", "\"cs-x\",\"Which?\"");
    assert_eq!(problems_of(&case), [(2, Some(7), "`case`: no case study row has the id `cs-x`".into())]);

    let gap = row(["q1", "D1", "single", "", "", "", "", "Which?", "Because."], &["a|ra", "|", "c|rc", "d|rd"], "A");
    assert_eq!(
        problems_of(&gap),
        [(2, Some(12), "`option_3`: `option_2` before it is empty: fill the options from `option_1` on".into())]
    );
    let lonely =
        row(["q1", "D1", "single", "", "", "", "", "Which?", "Because."], &["a|ra", "b|rb", "c|rc", "|rd"], "A");
    assert_eq!(problems_of(&lonely), [(2, Some(21), "`rationale_4`: a rationale without `option_4`".into())]);
    let matching =
        row(["q1", "D1", "matching", "", "", "", "", "Match.", "Because."], &["p => a|r", "q => b|r", "c|r"], "");
    assert_eq!(
        problems_of(&matching),
        [(
            2,
            Some(12),
            "`option_3`: a matching option is `prompt => answer`, or `=> answer` for an extra answer".into()
        )]
    );
    assert_eq!(
        problems_of(&format!("{},x", single("B"))),
        [(2, None, "this row has 1 filled cells right of the last column of the header".into())]
    );
}

#[test]
fn the_shared_checks_apply_at_the_row_line() {
    let multiple = row(
        ["q1", "D1", "multiple", "", "", "", "", "Which? (Select THREE.)", ""],
        &["a|ra", "b|rb", "c|rc", "d|"],
        "A,B",
    );
    let found: Vec<(usize, Option<usize>, String)> = problems_of(&format!("\n{multiple}"));
    assert_eq!(
        found,
        [
            (3, None, "the text says Select THREE but 2 options are correct".into()),
            (3, None, "no general feedback: the question has no explanation".into()),
            (3, None, "1 option without feedback: it gets no rationale".into()),
        ]
    );
    let text = format!("{}\n{multiple}", header_line());
    assert!(read(&text).questions.is_empty(), "a question with errors is left out");
    let ordering = row(["q1", "D1", "ordering", "", "", "", "", "Order.", "Because."], &["a|r", "b|r"], "A");
    assert_eq!(
        problems_of(&ordering),
        [(2, None, "`key`: not used for ordering: the options are the steps in the correct order".into())]
    );
}

#[test]
fn case_study_rows_need_a_title_and_a_scenario() {
    let case = row(["cs-a", "", "case", "", "", "", "", "", "The scenario."], &[], "");
    let questions: Vec<String> = ["q1", "q2"]
        .iter()
        .map(|id| row([id, "D1", "single", "", "", "", "cs-a", "Which?", "Because."], &["a|r", "b|r"], "A"))
        .collect();
    let found = problems_of(&format!("{case}\n{}", questions.join("\n")));
    assert_eq!(found, [(2, Some(8), "`stem`: a case study row holds its title in `stem`".into())]);
    let nameless = row(["", "", "case", "", "", "", "", "A title", "The scenario."], &[], "");
    let found = problems_of(&format!("{nameless}\n{}", single("B")));
    assert_eq!(found, [(2, Some(1), "`id`: a case study row needs an id, such as `cs-grocery`".into())]);
}

#[test]
fn a_header_alone_has_no_questions() {
    assert_eq!(problems_of(""), [(1, None, "no questions found: after the header, write one question per row".into())]);
}

#[test]
fn generated_questions_round_trip_identically() {
    for seed in [1, 2, 3, 42] {
        let (qs, cs) = testing::generated(seed, 60);
        let written = write(&qs, &cs);
        assert!(written.losses.is_empty(), "{:?}", written.losses);
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
    assert!(written.losses.is_empty(), "{:?}", written.losses);
    let set = read(&written.text);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    assert_eq!(questions(&set), qs);
    assert_eq!(set.cases, cs);
}

#[test]
fn what_the_layout_cannot_carry_is_left_out_and_named() {
    let (mut qs, cs) = testing::generated(3, 8);
    qs[0].tags = vec!["a,b".into()];
    qs[1].references = vec!["https://x.test/a b".into()];
    qs[3].explanation = " padded".into();
    let Body::Matching { pairs, .. } = &mut qs[2].body else { panic!("gen-3 is matching") };
    pairs[0].prompt = "p => q".into();
    let Body::Multiple { options, .. } = &mut qs[4].body else { panic!("gen-5 is multiple") };
    options.extend((0..4).map(|i| Choice { text: format!("more {i}"), rationale: "r".into() }));
    qs[5].id = "Not a slug".into();
    qs[7].case = Some("cs-nowhere".into());
    let written = write(&qs, &cs);
    let lost: Vec<(&str, &str)> = written.losses.iter().map(|(id, why)| (id.as_str(), why.as_str())).collect();
    assert_eq!(lost.len(), 7, "{lost:#?}");
    assert_eq!(lost[0], ("gen-1", "the tag `a,b` holds a comma or spaces at its ends"));
    assert_eq!(lost[1], ("gen-2", "the reference `https://x.test/a b` holds a space or ends with a comma"));
    assert_eq!(lost[2], ("gen-3", "a prompt holds `=>`, which the layout puts between prompt and answer"));
    assert_eq!(lost[3], ("gen-4", "the text `padded` begins or ends with spaces, which a cell does not keep"));
    assert!(lost[4].1.starts_with("it has 1"), "{}", lost[4].1);
    assert_eq!(lost[5], ("Not a slug", "its id `Not a slug` is not a slug and would be read back changed"));
    assert_eq!(lost[6], ("gen-8", "its case study `cs-nowhere` is not in the set"));
    assert_eq!(questions(&read(&written.text)), qs[6..7]);
}

#[test]
fn formulas_are_never_written_as_formulas_and_read_back_as_text() {
    let (mut qs, _) = testing::generated(4, 4);
    qs[0].stem = "=HYPERLINK(\"http://evil.test\")".into();
    qs[1].stem = "'quoted".into();
    qs[2].explanation = "- a list\n- of two".into();
    let text = write(&qs, &[]).text;
    assert!(text.contains("\"'=HYPERLINK(") && !text.contains(",=HYPERLINK"), "{text}");
    assert_eq!(questions(&read(&text)), qs);
    let typed = single("B").replace("\"Which?\"", "\"=1+1\"");
    let set = read(&format!("{}\n{typed}", header_line()));
    assert_eq!(set.questions[0].question.stem, "=1+1", "a formula typed by hand is kept as text");
}

#[test]
fn script_in_a_text_is_kept_and_never_rendered_as_script() {
    let hostile = single("B").replace("\"Which?\"", "\"<script>alert(1)</script><img src=x onerror=alert(2)>\"");
    let set = read(&format!("{}\n{hostile}", header_line()));
    let stem = &set.questions[0].question.stem;
    assert!(stem.contains("<script>"));
    let html = crate::content::markdown::render(stem);
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");
}

#[test]
fn no_input_makes_the_reader_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(19);
    let syntax = ["\"", ",", ";", "\t", "\n", "\r\n", "=>", "'=", "case", "Z", "é", "option_9"];
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

#[test]
fn the_example_in_the_documentation_reads_without_problems() {
    let doc = include_str!("../../../../docs/formats/csv.md");
    let example = doc.split("```csv\n").nth(1).and_then(|s| s.split("```").next()).expect("a csv example");
    let set = read(example);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    assert_eq!(set.questions.len(), 2);
    assert_eq!(example.lines().nth(1), template().lines().nth(1), "the first row is the template's");
}
