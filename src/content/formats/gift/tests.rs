//! Tests of the GIFT reader and writer: a Moodle export, one test per
//! documented error, round trips of generated questions and of the bundled
//! bank, hostile input and random mutations. It stays whole: the tests
//! share one fixture and helpers, and read as one list of what GIFT does.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{LOSES, read, write};
use crate::content::formats::{Problem, ReadSet, Severity, testing};
use crate::exam::{Body, CaseStudy, Difficulty, Question};

const MOODLE_EXPORT: &str = include_str!("../../../../tests/fixtures/import/gift/moodle-export.gift");

fn problems(set: &ReadSet, severity: Severity) -> Vec<&Problem> {
    set.problems.iter().filter(|p| p.severity == severity).collect()
}

fn errors(text: &str) -> Vec<(usize, Option<usize>, String)> {
    let set = read(text);
    problems(&set, Severity::Error).into_iter().map(|p| (p.line, p.column, p.message.clone())).collect()
}

fn only(text: &str) -> Question {
    let set = read(text);
    assert!(!set.has_errors(), "{:#?}", set.problems);
    assert_eq!(set.questions.len(), 1, "{:#?}", set);
    set.questions[0].question.clone()
}

#[test]
fn a_moodle_export_gives_28_questions_and_names_the_essay_and_the_numerical_one() {
    let set = read(MOODLE_EXPORT);
    assert!(!set.has_errors(), "{:#?}", problems(&set, Severity::Error));
    assert_eq!(set.questions.len(), 28);
    let skipped: Vec<(usize, &str)> =
        problems(&set, Severity::Skipped).iter().map(|p| (p.line, p.message.as_str())).collect();
    assert_eq!(
        skipped,
        [
            (61, "an essay question (`Q07 Explain data leakage`) cannot be imported"),
            (144, "a numerical question (`Q16 Learning rate warm-up steps`) cannot be imported"),
        ]
    );
    let kinds = |k| set.questions.iter().filter(|q| q.question.body.kind() == k).count();
    use crate::exam::kind::Kind;
    assert_eq!([kinds(Kind::Single), kinds(Kind::Multiple), kinds(Kind::Matching)], [18, 6, 4]);

    let q = &set.questions[0];
    assert_eq!((q.line, q.question.id.as_str()), (6, "q01-scaler-fitted-on-all-rows"));
    assert_eq!(q.category.as_deref(), Some("$course$/top/Default for MLE-201/Data preparation"));
    assert_eq!(q.question.domain, "");
    assert_eq!(q.question.difficulty, Difficulty::Medium);
    assert!(q.question.stem.starts_with("<p>A team standardises every feature"));
    let Body::Single { options, key } = &q.question.body else { panic!("{:?}", q.question.body) };
    assert_eq!(*key, 1);
    assert_eq!(options[1].text, "Statistics of the test rows leak into the training data.");
    assert_eq!(options[1].rationale, "Fit the scaler on the training split only and apply it to the test split.");
    assert!(q.question.explanation.starts_with("<p>Any statistic computed before the split"));

    let by_id = |id: &str| &set.questions.iter().find(|q| q.question.id == id).expect(id).question;
    let Body::Multiple { key, .. } = &by_id("q09-signs-of-a-leaky-feature").body else { panic!() };
    assert_eq!(key, &[0, 1, 2]);
    // True/false: the first feedback is for the wrong answer, the second for the right one.
    let Body::Single { options, key } = &by_id("q10-normalising-trees").body else { panic!() };
    assert_eq!((options[0].text.as_str(), options[1].text.as_str(), *key), ("True", "False", 1));
    assert!(options[0].rationale.starts_with("Trees split on thresholds"));
    assert!(options[1].rationale.starts_with("Correct: tree splits"));
    let Body::Matching { pairs, extra_answers } = &by_id("q22-kinds-of-drift").body else { panic!() };
    assert_eq!(pairs.len(), 3);
    assert_eq!(
        (pairs[1].prompt.as_str(), pairs[1].answer.as_str()),
        ("The same inputs now lead to different outcomes", "concept drift")
    );
    assert_eq!(extra_answers[0].text, "training drift");
    assert!(by_id("q22-kinds-of-drift").explanation.contains("what changed: the inputs"), "escaped colon");
    assert!(by_id("q06-one-hot-encoding-cardinality").stem.starts_with(r#"<p dir="ltr" style="text-align: left;">"#));
    assert_eq!(
        by_id("q20-bias-metric-before-training").stem.lines().next(),
        Some(
            "Which SageMaker Clarify metric measures, *before training*, whether one group is underrepresented in the dataset?"
        )
    );

    let categories: std::collections::BTreeSet<_> =
        set.questions.iter().filter_map(|q| q.category.as_deref()).collect();
    assert_eq!(categories.len(), 3);
    let last = set.questions.last().unwrap();
    assert_eq!(
        (last.question.id.as_str(), last.category.as_deref()),
        ("q30-shadow-testing", Some("$course$/top/Default for MLE-201/Deployment and monitoring"))
    );
    // Warnings: no general feedback for Q28, none for Q25's, matching pairs without feedback.
    let q28 =
        problems(&set, Severity::Warning).into_iter().find(|p| p.question.as_deref() == Some("q28-retraining-trigger"));
    assert_eq!(
        q28.map(|p| (p.line, p.message.as_str())),
        Some((251, "no general feedback: the question has no explanation"))
    );
}

#[test]
fn a_question_too_broken_to_read_is_named_by_its_name() {
    let set = read("::Q02 Columnar format:: Which? {~x ~y}\n\n::Q03 Essay:: Explain. {}\n\nUnnamed {~x ~y}");
    let named: Vec<(usize, Severity, Option<&str>)> =
        set.problems.iter().map(|p| (p.line, p.severity, p.question.as_deref())).collect();
    assert_eq!(
        named,
        [
            (1, Severity::Error, Some("q02-columnar-format")),
            (3, Severity::Skipped, Some("q03-essay")),
            (5, Severity::Error, None),
        ]
    );
}

#[test]
fn each_broken_question_is_an_error_at_its_line_and_column() {
    let at = |text: &str| errors(text).into_iter().next().expect(text);
    let e = |line, column: Option<usize>, message: &str| (line, column, message.to_string());
    assert_eq!(
        at("::a:: First {=x ~y}\n\n::b:: Second\n{=x ~y"),
        e(4, Some(1), "the answers opened with `{` here are not closed with `}`")
    );
    assert_eq!(at("Stray } here {=x ~y}"), e(1, Some(7), "this `}` closes no answers: escape it as `\\}`"));
    assert_eq!(at("Nested {=x {~y}"), e(1, Some(12), "a `{` inside the answers: escape it as `\\{`"));
    assert_eq!(at("::a Q {=x ~y}"), e(1, Some(1), "the question name after `::` is not closed with `::`"));
    assert_eq!(
        at("Q {\n=x\n~%abc%y\n}"),
        e(3, Some(1), "an unknown weight in `%abc%y`: write a percentage such as `~%50%` or `~%-100%`")
    );
    assert_eq!(at("Q {~%50 x ~%50%y}").0, 1, "a weight with no closing %");
    assert_eq!(at("Q {~%150%x ~%-50%y ~z}"), e(1, Some(4), "the weight 150% is outside -100% to 100%"));
    assert_eq!(
        at("\n\nQ {~x ~y ~%-100%z}"),
        e(
            3,
            None,
            "no answer is correct: mark one with `=`, or give the correct ones positive weights such as `~%50%`"
        )
    );
    assert_eq!(at("Q {~%50%x ~%30%y ~z}"), e(1, None, "the weights of the correct answers add up to 80%, not 100%"));
    assert!(errors("Q (Select THREE.) {~%33.3%x ~%33.3%y ~%33.3%w ~z ~v}").is_empty(), "99.9% is near enough");
    assert_eq!(
        at("Q {=x =y ~z}"),
        e(
            1,
            Some(7),
            "more than one answer is marked `=`: a single-answer question has one correct answer (for several, give each a weight such as `~%50%`)"
        )
    );
    assert_eq!(at("Q {junk =x ~y}"), e(1, Some(4), "text before the first answer: start each answer with `=` or `~`"));
    assert_eq!(
        at("Q {\n=a -> b\n=c d\n}".replace("\\n", "\n").as_str()),
        e(3, Some(1), "a matching pair needs `prompt -> answer`")
    );
    assert_eq!(at("$CATEGORY:   \n\nQ {=x ~y}"), e(1, None, "`$CATEGORY:` names no category"));
    assert_eq!(
        at("// mockexam: difficulty=brutal\nQ {=x ~y}"),
        e(1, None, "unknown difficulty `brutal`: write easy, medium or hard")
    );
    assert_eq!(
        at("// mockexam: case=nowhere\nQ {=x ~y}"),
        e(1, None, "the case study `nowhere` is not defined above this question")
    );
    // What the shared checks find is reported at the question's line, with its id.
    let set = read("\n::Dup:: Q {=same ~same}");
    let p = &set.problems[0];
    assert_eq!(
        (p.line, p.question.as_deref(), p.message.as_str()),
        (2, Some("dup"), "the option `same` appears twice")
    );
}

#[test]
fn a_file_of_another_format_or_without_questions_is_one_error_at_line_1() {
    let one = |text: &str| {
        let set = read(text);
        assert!(set.questions.is_empty());
        assert_eq!(set.problems.len(), 1, "{:?}", set.problems);
        (set.problems[0].line, set.problems[0].message.clone())
    };
    assert_eq!(
        one("<?xml version=\"1.0\"?>\n<quiz></quiz>").1,
        "this file looks like XML (Moodle XML?), not GIFT: choose that format instead"
    );
    assert_eq!(one("{\"questions\": []}").1, "this file looks like JSON, not GIFT: choose that format instead");
    assert_eq!(one("[\n {\"id\": 1}\n]").1, "this file looks like JSON, not GIFT: choose that format instead");
    let aiken = "What is 2 + 2?\nA. 3\nB. 4\nANSWER: B\n";
    assert_eq!(
        one(aiken),
        (1, "no GIFT questions found: expected questions such as `::name:: text {=right ~wrong}`, separated by blank lines".into())
    );
    assert_eq!(one("// only a comment\n\n$CATEGORY: a/b\n").0, 1);
}

#[test]
fn kinds_we_cannot_hold_are_skipped_by_name_and_line() {
    let text = "::E:: Explain. {}\n\n::N:: How many? {#3:1}\n\n::S:: Who? {=Grant =grant}\n\n\
                ::M:: Grant is {~buried =entombed} in the tomb.\n\n::D:: Just a description.\n\n\
                Unnamed and very long description text that goes on for a while.\n\n::OK:: Fine? {=a ~b}";
    let set = read(text);
    let skipped: Vec<(usize, &str)> =
        problems(&set, Severity::Skipped).iter().map(|p| (p.line, p.message.as_str())).collect();
    assert_eq!(
        skipped,
        [
            (1, "an essay question (`E`) cannot be imported"),
            (3, "a numerical question (`N`) cannot be imported"),
            (5, "a short-answer question (`S`) cannot be imported"),
            (7, "a missing-word question (`M`) cannot be imported"),
            (9, "a description (`D`) has no answers and cannot be imported"),
            (11, "a description (`Unnamed and very long description text t…`) has no answers and cannot be imported"),
        ]
    );
    assert_eq!(set.questions.len(), 1);
    assert!(!set.has_errors());
}

#[test]
fn weights_true_false_escapes_and_text_formats_read_as_moodle_reads_them() {
    // One positive weight: a single-answer question, with a warning.
    let set = read("Q {~%100%a ~b ~%-50%c}");
    assert!(matches!(set.questions[0].question.body, Body::Single { key: 0, .. }));
    assert!(
        set.problems
            .iter()
            .any(|p| p.message == "only one answer has a positive weight: read as a single-answer question")
    );
    // Partial credit beside an `=` answer is dropped, with a warning.
    let set = read("Q {=a ~%50%b ~c}");
    assert!(matches!(set.questions[0].question.body, Body::Single { key: 0, .. }));
    assert!(
        set.problems
            .iter()
            .any(|p| p.message == "the 50% partial credit of `b` is dropped: only the `=` answer earns credit")
    );
    // {T} and {F}: the first feedback is for a wrong response, the second for a right one.
    let q = only("Q {T#no#yes####because}");
    let Body::Single { options, key: 0 } = &q.body else { panic!("{:?}", q.body) };
    assert_eq!(
        (options[0].rationale.as_str(), options[1].rationale.as_str(), q.explanation.as_str()),
        ("yes", "no", "because")
    );
    let Body::Single { key: 1, .. } = only("Q {F}").body else { panic!() };
    let Body::Single { key: 0, .. } = only("Q {TRUE}").body else { panic!() };
    // Escapes, `\n`, an unnamed question's hashed id, a name's slug.
    let q = only("Is 1 \\= 2 \\{really\\}\\: a\\~b \\#c\\nnext \\\\ end? {=yes#a \\# b ~no}");
    assert_eq!(q.stem, "Is 1 = 2 {really}: a~b #c\nnext \\ end?");
    assert_eq!(q.id, crate::content::formats::identity::hashed(&q.stem, ["yes", "no"]));
    let Body::Single { options, .. } = &q.body else { panic!() };
    assert_eq!(options[0].rationale, "a # b");
    // Text formats: [markdown] and [html] kept, [plain] escaped so it shows as written.
    assert_eq!(only("[markdown]*Which?* {=a ~b}").stem, "*Which?*");
    assert_eq!(only("[html]<b>Which?</b> {=a ~b}").stem, "<b>Which?</b>");
    let q = only("[plain]Is <b> *bold*? {=a_b ~c}");
    assert_eq!(q.stem, "Is \\<b\\> \\*bold\\*?");
    let Body::Single { options, .. } = &q.body else { panic!() };
    assert_eq!(options[0].text, "a\\_b", "options take the question's format");
    assert_eq!(only("[unknown]Which? {=a ~b}").stem, "[unknown]Which?");
}

#[test]
fn a_category_line_names_the_category_of_the_questions_after_it() {
    let set = read("Q0 {=a ~b}\n\n$CATEGORY: $course$/top/One\n\nQ1 {=a ~b}\n\n$CATEGORY: top/Two/Three\nQ2 {=a ~b}");
    let categories: Vec<Option<&str>> = set.questions.iter().map(|q| q.category.as_deref()).collect();
    assert_eq!(categories, [None, Some("$course$/top/One"), Some("top/Two/Three")]);
    let warning = problems(&set, Severity::Warning).into_iter().find(|p| p.message.contains("CATEGORY")).unwrap();
    assert_eq!(
        (warning.line, warning.message.as_str()),
        (8, "no blank line after `$CATEGORY:`: Moodle would read this question as part of the category")
    );
}

#[test]
fn script_in_an_html_text_is_stored_and_never_rendered() {
    let q = only("::X::[html]<p>Hi<script>alert(1)</script><img src\\=x onerror\\=alert(1)></p>{=a ~b}");
    assert!(q.stem.contains("<script>"), "{}", q.stem);
    let html = crate::content::markdown::render(&q.stem);
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");
}

/// Reads back what `write` wrote and compares it with what went in, minus
/// what LOSES says: ordering questions. The domain comes back as the
/// category `$course$/top/<code>`, which the import pipeline maps.
fn assert_round_trip(questions: &[Question], cases: &[CaseStudy]) {
    let written = write(questions, cases);
    let set = read(&written.text);
    assert!(!set.has_errors(), "{:#?}", problems(&set, Severity::Error));
    assert!(problems(&set, Severity::Skipped).is_empty());
    let ordering = |q: &&Question| matches!(q.body, Body::Ordering { .. });
    let lost: Vec<&str> = written.losses.iter().map(|(id, _)| id.as_str()).collect();
    let expected_lost: Vec<&str> = questions.iter().filter(ordering).map(|q| q.id.as_str()).collect();
    assert_eq!(lost, expected_lost);
    let expected: Vec<&Question> = questions.iter().filter(|q| !ordering(q)).collect();
    assert_eq!(set.questions.len(), expected.len());
    for (read, want) in set.questions.iter().zip(expected) {
        let mut got = read.question.clone();
        got.domain = read.category.as_deref().and_then(|c| c.strip_prefix("$course$/top/")).unwrap_or("").into();
        assert_eq!(&got, want);
    }
    let used: Vec<&CaseStudy> = cases
        .iter()
        .filter(|c| questions.iter().any(|q| !ordering(&q) && q.case.as_deref() == Some(c.id.as_str())))
        .collect();
    assert_eq!(set.cases.iter().collect::<Vec<_>>(), used);
}

#[test]
fn generated_questions_come_back_as_they_went_except_ordering() {
    for seed in [1, 2, 3, 4, 5] {
        let (questions, cases) = testing::generated(seed, 60);
        assert_round_trip(&questions, &cases);
    }
    assert!(LOSES.contains("Ordering"));
}

#[test]
fn the_bundled_bank_comes_back_as_it_went_except_ordering() {
    let bank = crate::content::load_dir(Path::new("content/mla-c01")).expect("the bundled bank loads");
    let questions: Vec<Question> = bank.questions.into_iter().map(|q| q.question).collect();
    assert_eq!(questions.len(), 398);
    assert_round_trip(&questions, &bank.cases);
}

#[test]
fn random_bytes_and_mutations_never_panic() {
    // Small enough that 1,500 reads stay well under 2 s in a debug build.
    let (questions, cases) = testing::generated(11, 8);
    let moodle: String = MOODLE_EXPORT.lines().skip(55).take(40).collect::<Vec<_>>().join("\n");
    let valid = write(&questions, &cases).text + &moodle;
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let syntax = ["{", "}", "~", "=", "#", "%", "->", "::", "\\", "\n\n", "//", "$CATEGORY:", "[html]", "%-", "####"];
    for round in 0..1500 {
        let text: String = if round % 3 == 0 {
            let bytes: Vec<u8> = (0..rng.random_range(0..200)).map(|_| rng.random()).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let mut chars: Vec<char> = valid.chars().collect();
            for _ in 0..rng.random_range(1..8) {
                let at = rng.random_range(0..=chars.len());
                let end = (at + rng.random_range(0..300)).min(chars.len());
                match rng.random_range(0..4) {
                    0 => chars.truncate(at),
                    1 => {
                        let copy: Vec<char> = chars[at..end].to_vec();
                        chars.splice(at..at, copy);
                    }
                    2 => {
                        chars.drain(at..end);
                    }
                    _ => {
                        let s = syntax[rng.random_range(0..syntax.len())];
                        chars.splice(at..at, s.chars());
                    }
                }
            }
            chars.into_iter().collect()
        };
        let set = read(&text);
        assert!(set.problems.iter().all(|p| p.line >= 1), "{text}");
    }
}

#[test]
fn texts_that_look_like_gift_syntax_survive_the_writer() {
    use crate::exam::{Choice, Pair};
    let choice = |text: &str, rationale: &str| Choice { text: text.into(), rationale: rationale.into() };
    let question = |id: &str, body| Question {
        id: id.into(),
        domain: "D2".into(),
        difficulty: Difficulty::Easy,
        tags: vec![],
        references: vec![],
        case: None,
        stem: "[x] A stem\n\n    indented code {x}\n\n// not a comment\n$CATEGORY: not a category".into(),
        explanation: "[Docs](https://example.com) say #1 ####".into(),
        body,
    };
    let single = Body::Single {
        options: vec![choice("%5% off", "[why](u)"), choice("%50%", ""), choice("=right", "~ \\n")],
        key: 2,
    };
    let pair =
        |prompt: &str, answer: &str| Pair { prompt: prompt.into(), answer: answer.into(), rationale: "r".into() };
    let matching = Body::Matching {
        pairs: vec![pair("a -> b", "-> c"), pair("[d]-", "e = f")],
        extra_answers: vec![choice("[g] ->", "")],
    };
    let questions = [question("one", single), question("two", matching)];
    assert_round_trip(&questions, &[]);
    let text = write(&questions, &[]).text;
    assert!(text.contains("\t~%0%%5% off#[markdown][why](u)\n"), "{text}");
    assert!(text.contains("\t=[markdown][d]- -> e \\= f\n"), "{text}");
    assert!(text.contains("\t=a -\\> b -> -> c\n"), "{text}");
}

#[test]
fn our_comments_are_checked_and_a_changed_scenario_is_kept() {
    let set = read(
        "// mockexam: colour=blue\n// mockexam: nonsense\n// mockexam: pair 9=why\n::M:: Match {=a -> b =c -> d}\n\n\
         // mockexam: case-study=cs\n// mockexam: title=T\n// mockexam: scenario=Once upon a time\n\n\
         // mockexam: case=cs\n::C:: Edited in Moodle {=a ~b}",
    );
    let warnings: Vec<(usize, Option<&str>, &str)> = problems(&set, Severity::Warning)
        .into_iter()
        .filter(|p| !p.message.contains("feedback"))
        .map(|p| (p.line, p.question.as_deref(), p.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (1, Some("m"), "unknown `// mockexam:` key `colour`: ignored"),
            (2, Some("m"), "a `// mockexam:` comment without `key=value`: ignored"),
            (3, Some("m"), "`pair 9=`: there is no pair 9"),
            (11, Some("c"), "the text does not start with its case study's scenario: kept whole"),
        ]
    );
    assert_eq!(set.cases, [CaseStudy { id: "cs".into(), title: "T".into(), scenario: "Once upon a time".into() }]);
    assert_eq!(set.questions[1].question.case.as_deref(), Some("cs"));
    assert_eq!(set.questions[1].question.stem, "Edited in Moodle");
}

#[test]
fn windows_line_endings_read_the_same() {
    let crlf = MOODLE_EXPORT.replace('\n', "\r\n");
    assert_eq!(read(&crlf), read(MOODLE_EXPORT));
}

#[test]
fn a_question_too_long_to_hold_is_one_error_and_the_rest_is_read() {
    let long = format!("::Long::{} {{=a ~b}}", "word ".repeat(60_000));
    let text = format!("::Short::Which? {{=a ~b}}\n\n{long}\n\n::Last::Which else? {{=c ~d}}\n");
    let set = read(&text);
    let errors: Vec<_> = set.problems.iter().filter(|p| p.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{:?}", set.problems);
    assert_eq!(errors[0].line, 3);
    assert!(errors[0].message.contains("over the 256 KB one question may hold"), "{}", errors[0].message);
    let ids: Vec<&str> = set.questions.iter().map(|q| q.question.id.as_str()).collect();
    assert_eq!(ids, ["short", "last"]);
}
