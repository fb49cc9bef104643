//! Tests of the Moodle XML reader and writer. Over 400 lines, it stays whole:
//! every test leans on the same fixture and helpers (`quiz`, `multichoice`,
//! `round_trip`), which splitting would only scatter.

use std::path::Path;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::content::formats::{Problem, ReadSet, Severity, testing};
use crate::exam::{Body, CaseStudy, Difficulty, Question};

const EXPORT: &str = include_str!("../../../../tests/fixtures/import/moodle-xml/moodle-export.xml");

fn errors(set: &ReadSet) -> Vec<&Problem> {
    set.problems.iter().filter(|p| p.severity == Severity::Error).collect()
}

/// One question element inside `<quiz>`: the question starts on line 2.
fn quiz(question: &str) -> String {
    format!("<quiz>\n{question}\n</quiz>\n")
}

/// A multichoice question with answers `(fraction, text)`; the answers
/// start on line 6 of the `quiz` around it.
fn multichoice(single: bool, answers: &[(&str, &str)]) -> String {
    let mut q = format!(
        "<question type=\"multichoice\">\n<name><text>Q</text></name>\n<questiontext format=\"markdown\"><text>Which? </text></questiontext>\n<single>{single}</single>\n"
    );
    for (fraction, text) in answers {
        q.push_str(&format!(
            "<answer fraction=\"{fraction}\"><text>{text}</text><feedback><text>why</text></feedback></answer>\n"
        ));
    }
    q.push_str("<generalfeedback><text>Because.</text></generalfeedback>\n</question>");
    quiz(&q)
}

#[test]
fn a_moodle_export_gives_its_questions_categories_and_skipped_types() {
    let set = read(EXPORT);
    assert!(errors(&set).is_empty(), "{:#?}", set.problems);
    let found: Vec<(&str, usize, Option<&str>)> =
        set.questions.iter().map(|q| (q.question.id.as_str(), q.line, q.category.as_deref())).collect();
    let (prep, endpoints) = (Some("$course$/top/MLA/Data preparation"), Some("$course$/top/MLA/Deployment/Endpoints"));
    assert_eq!(
        found,
        [
            ("mla-dp-001", 15, prep),
            ("leakage-in-a-churn-dataset", 74, prep),
            ("offline-store-format", 124, prep),
            ("pick-the-inference-option", 188, endpoints),
            ("mla-ep-002", 233, endpoints),
        ]
    );
    let q = |i: usize| &set.questions[i].question;

    // HTML is kept as it is, for the renderer to sanitize.
    assert!(q(0).stem.starts_with("<p>A payments team trains"), "{}", q(0).stem);
    assert!(q(0).explanation.starts_with("<p>Accuracy rewards"));
    assert_eq!((q(0).domain.as_str(), q(0).difficulty), ("", Difficulty::Medium));
    assert_eq!(q(0).tags, ["class-imbalance", "metrics"]);
    let Body::Single { options, key } = &q(0).body else { panic!("{:?}", q(0).body) };
    assert_eq!((options.len(), *key), (4, 0));
    assert_eq!(options[2].rationale, "<p>That deletes the signal the model has to learn.</p>");

    let Body::Multiple { options, key } = &q(1).body else { panic!("{:?}", q(1).body) };
    assert_eq!(key, &[0, 2]);
    assert_eq!(options[4].text, "<p>The learning rate is &gt; 0.1.</p>", "CDATA is kept as it is");

    let Body::Single { options, key } = &q(2).body else { panic!() };
    assert_eq!((options[0].text.as_str(), options[1].text.as_str(), *key), ("True", "False", 0));
    assert_eq!(options[1].rationale, "It is Parquet in S3.");

    let Body::Matching { pairs, extra_answers } = &q(3).body else { panic!() };
    assert_eq!(pairs.len(), 3);
    assert_eq!(pairs[1].answer, "Asynchronous inference");
    assert_eq!(extra_answers[0].text, "Amazon EMR step");

    let Body::Ordering { steps } = &q(4).body else { panic!() };
    let steps: Vec<&str> = steps.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        steps,
        [
            "Upload model.tar.gz to Amazon S3",
            "Create a SageMaker model",
            "Create an endpoint configuration",
            "Create the endpoint"
        ]
    );

    let skipped: Vec<(usize, &str, Option<&str>)> = set
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Skipped)
        .map(|p| (p.line, p.message.as_str(), p.question.as_deref()))
        .collect();
    assert_eq!(
        skipped,
        [
            (153, "an essay question (`Explain data drift`) cannot be imported", Some("Explain data drift")),
            (280, "a short-answer question (`Invocation metric`) cannot be imported", Some("Invocation metric")),
            (
                304,
                "the question `Architecture diagram` uses an embedded file (`endpoint.png`), which cannot be imported",
                Some("Architecture diagram")
            ),
        ]
    );
    let tag_warning = set.problems.iter().find(|p| p.message.contains("Class Imbalance")).unwrap();
    assert_eq!(
        (tag_warning.line, tag_warning.message.as_str()),
        (15, "the tag `Class Imbalance` was read as `class-imbalance`")
    );
    let pairs_warning =
        set.problems.iter().find(|p| p.question.as_deref() == Some("pick-the-inference-option")).unwrap();
    assert_eq!((pairs_warning.line, pairs_warning.severity), (188, Severity::Warning));
}

fn only_error(set: &ReadSet) -> (usize, Option<usize>, &str) {
    let e = errors(set);
    assert_eq!(e.len(), 1, "{:#?}", set.problems);
    (e[0].line, e[0].column, e[0].message.as_str())
}

#[test]
fn every_type_we_cannot_hold_is_skipped_by_name() {
    for (kind, name) in [
        ("numerical", "a numerical"),
        ("multianswer", "a cloze (multianswer)"),
        ("description", "a description"),
        ("calculatedmulti", "a calculated (calculatedmulti)"),
        ("gapselect", "a select-missing-words (gapselect)"),
        ("ddwtos", "a drag-and-drop into text (ddwtos)"),
        ("ddimageortext", "a drag-and-drop onto image (ddimageortext)"),
        ("random", "a random (random)"),
        ("oumultiresponse", "a `oumultiresponse`"),
    ] {
        let set = read(&quiz(&format!("<question type=\"{kind}\">\n<name><text>N</text></name>\n</question>")));
        let p = &set.problems[0];
        assert_eq!((set.problems.len(), p.severity, p.line), (1, Severity::Skipped, 2), "{kind}");
        assert_eq!(p.message, format!("{name} question (`N`) cannot be imported"));
    }
}

#[test]
fn a_file_that_is_not_moodle_xml_is_one_error_at_line_1() {
    const NOT: &str = "not a Moodle XML file: expected an XML document whose root element is <quiz>";
    let gift = read("// a GIFT file\n::q1:: Which? {=a ~b}\n");
    assert_eq!(only_error(&gift), (1, None, NOT));
    assert!(gift.questions.is_empty());
    let html = read("<html><body>hi</body></html>");
    assert_eq!(only_error(&html), (1, None, &*format!("{NOT}, not <html>")));
    let broken = read("<quiz");
    assert_eq!(broken.problems.len(), 1);
    assert!(broken.problems[0].message.starts_with(NOT) && broken.problems[0].line == 1, "{:?}", broken.problems);
    let empty = read(
        "<?xml version=\"1.0\"?>\n<quiz>\n  <question type=\"category\"><category><text>$course$/top/A</text></category></question>\n</quiz>",
    );
    assert_eq!(
        only_error(&empty),
        (1, None, "no questions found: a Moodle XML file holds <question type=\"…\"> elements inside <quiz>")
    );
}

#[test]
fn malformed_xml_is_an_error_at_its_line_and_column() {
    let text = multichoice(true, &[("100", "a"), ("0", "b")]).replace("<single>true</single>", "<single>true</singel>");
    let set = read(&text);
    let (line, column, message) = only_error(&set);
    assert_eq!((line, column), (5, Some(13)), "{message}");
    assert!(message.starts_with("the XML is malformed:"), "{message}");

    let set = read("<quiz>\n<question type=\"truefalse\">\n<name><text>x</text>");
    let (line, _, message) = only_error(&set);
    assert_eq!((line, message), (3, "the file ends before <name> (line 3) is closed"));
}

#[test]
fn fractions_that_do_not_make_a_key_are_errors_at_the_question() {
    let set = read(&multichoice(false, &[("50", "a"), ("25", "b"), ("0", "c")]));
    assert_eq!(only_error(&set), (2, None, "the fractions of the correct answers add up to 75%, not 100%"));
    assert_eq!(set.problems[0].question.as_deref(), Some("Q"));
    assert!(set.questions.is_empty());
    let set = read(&multichoice(false, &[("-50", "a"), ("0", "b")]));
    assert_eq!(
        only_error(&set),
        (2, None, "no answer has a positive fraction: a multiple-answer question needs correct answers")
    );
    let set = read(&multichoice(true, &[("50", "a"), ("0", "b")]));
    assert_eq!(
        only_error(&set),
        (2, None, "no answer has fraction 100: a single-answer question needs one fully correct answer")
    );
    let set = read(&multichoice(true, &[("100", "a"), ("100", "b")]));
    assert_eq!(only_error(&set), (2, None, "2 answers have fraction 100: a single-answer question has exactly one"));
    let set = read(&multichoice(true, &[("100", "a"), ("lots", "b")]));
    assert_eq!(only_error(&set), (7, Some(1), "the answer's fraction `lots` is not a number"));
}

#[test]
fn thirds_sum_to_100_and_one_correct_answer_reads_as_single() {
    let thirds = [("33.33333", "a"), ("33.33333", "b"), ("33.33333", "c"), ("-100", "d")];
    let set = read(&multichoice(false, &thirds));
    assert!(errors(&set).is_empty(), "{:?}", set.problems);
    assert!(matches!(&set.questions[0].question.body, Body::Multiple { key, .. } if key == &[0, 1, 2]));

    let set = read(&multichoice(false, &[("100", "a"), ("0", "b")]));
    assert!(matches!(set.questions[0].question.body, Body::Single { key: 0, .. }));
    let w = &set.problems[0];
    assert_eq!((w.line, w.severity), (2, Severity::Warning));
    assert_eq!(w.message, "a multiple-answer question with one correct answer: read as a single-answer question");

    let set = read(&multichoice(true, &[("100", "a"), ("50", "b"), ("0", "c")]));
    assert!(matches!(set.questions[0].question.body, Body::Single { key: 0, .. }));
    assert_eq!(set.problems[0].message, "answer 2 gives partial credit (50%) in Moodle; here it counts as wrong");
}

#[test]
fn the_shared_checks_report_at_the_question_line() {
    let set = read(&multichoice(true, &[("100", "same"), ("0", "same")]));
    let (line, _, message) = only_error(&set);
    assert_eq!((line, message), (2, "the option `same` appears twice"));
    assert_eq!(set.problems[0].question.as_deref(), Some("q"), "the id, once the question is built");
}

#[test]
fn tags_become_ours_or_are_dropped_with_a_warning() {
    let text = multichoice(true, &[("100", "a"), ("0", "b")]).replace(
        "</question>",
        "<tags><tag><text>Week 3</text></tag><tag><text>¿?</text></tag><tag><text>week-3</text></tag><tag><text>mockexam-difficulty-hard</text></tag></tags></question>",
    );
    let set = read(&text);
    let q = &set.questions[0].question;
    assert_eq!((q.tags.as_slice(), q.difficulty), (&["week-3".to_string()][..], Difficulty::Hard));
    let messages: Vec<&str> = set.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        ["the tag `Week 3` was read as `week-3`", "the tag `¿?` was dropped: it has no letters or digits"]
    );
}

#[test]
fn a_doctype_entities_and_external_references_are_refused_whole() {
    let refused = |text: &str| {
        let started = Instant::now();
        let set = read(text);
        assert!(started.elapsed() < Duration::from_secs(1), "refused quickly");
        assert!(set.questions.is_empty() && set.cases.is_empty(), "nothing read");
        assert_eq!(set.problems.len(), 1, "{:?}", set.problems);
        set.problems[0].clone()
    };
    let mut laughs = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let previous = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        laughs.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", format!("&{previous};").repeat(10)));
    }
    laughs.push_str("]>\n<quiz><question type=\"essay\"><name><text>&lol9;</text></name></question></quiz>\n");
    let p = refused(&laughs);
    assert_eq!(
        (p.line, p.message.as_str()),
        (
            2,
            "the file has a document type declaration (<!DOCTYPE>): DTDs, entity declarations and external references are refused"
        )
    );
    let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz SYSTEM \"file:///etc/passwd\">\n<quiz/>";
    assert_eq!(refused(xxe).line, 2);
    // A question read before the reference is dropped too: nothing is read.
    let undefined = multichoice(true, &[("100", "a"), ("0", "b")])
        .replace("</quiz>", "<question type=\"essay\"><name><text>&xxe;</text></name></question>\n</quiz>");
    let p = refused(&undefined);
    assert_eq!((p.line, p.column), (10, Some(36)));
    assert_eq!(p.message, "the file refers to the entity `&xxe;`, which XML does not define: entities are refused");
    let p = refused("<quiz>\n<question type=\"&xxe;\"></question></quiz>");
    assert_eq!((p.line, p.message.as_str()), (2, "an attribute refers to the entity `&xxe;`: entities are refused"));
    // The five entities of XML and character references are fine.
    let set = read(&multichoice(true, &[("100", "a &amp; b &lt;c&gt; &#65;&#x42;"), ("0", "&quot;d&apos;")]));
    let Body::Single { options, .. } = &set.questions[0].question.body else { panic!() };
    assert_eq!((options[0].text.as_str(), options[1].text.as_str()), ("a & b <c> AB", "\"d'"));
}

#[test]
fn deeply_nested_elements_do_not_overflow_the_stack() {
    let depth = 200_000;
    let text = multichoice(true, &[("100", "a"), ("0", "b")])
        .replace("Which? ", &format!("Which?{}{}", "<b>".repeat(depth), "</b>".repeat(depth)));
    let set = read(&text);
    assert!(errors(&set).is_empty(), "{:?}", set.problems);
    assert_eq!(set.questions[0].question.stem, "Which?");
    let unclosed = read(&format!("<quiz>{}", "<a>".repeat(depth)));
    assert_eq!(errors(&unclosed).len(), 1);
}

#[test]
fn script_in_html_is_stored_and_never_rendered() {
    let stem = "<![CDATA[<p>Pick one.</p><script>alert(1)</script><img src=x onerror=\"alert(2)\">]]>";
    let text = multichoice(true, &[("100", "a"), ("0", "b")]).replace(
        "<questiontext format=\"markdown\"><text>Which? </text>",
        &format!("<questiontext format=\"html\"><text>{stem}</text>"),
    );
    let set = read(&text);
    let q = &set.questions[0].question;
    assert!(q.stem.contains("<script>alert(1)</script>") && q.stem.contains("onerror"), "stored as given: {}", q.stem);
    let html = crate::content::markdown::render(&q.stem);
    assert!(!html.contains("<script") && !html.contains("onerror") && html.contains("Pick one."), "{html}");
}

#[test]
fn a_broken_comment_of_ours_is_a_warning_and_other_comments_are_ignored() {
    let text = multichoice(true, &[("100", "a"), ("0", "b")])
        .replace("</question>", "<!-- question: 4101 --><!-- mockexam {\"references\": [1] --></question>");
    let set = read(&text);
    assert!(set.questions[0].question.references.is_empty());
    let w = &set.problems[0];
    assert_eq!((w.line, w.severity), (2, Severity::Warning));
    assert!(w.message.starts_with("the mockexam comment could not be read ("), "{}", w.message);
}

#[test]
fn plain_text_is_escaped_so_it_renders_as_written() {
    let text = multichoice(true, &[("100", "a"), ("0", "b")])
        .replace("format=\"markdown\"><text>Which? ", "format=\"plain_text\"><text>Use *args &amp; &lt;b&gt;");
    let set = read(&text);
    assert_eq!(set.questions[0].question.stem, "Use \\*args \\& \\<b\\>");
}

/// What the import pipeline does with our categories: the domain code.
fn domains_settled(set: ReadSet) -> (Vec<Question>, Vec<CaseStudy>) {
    let questions = set
        .questions
        .into_iter()
        .map(|r| {
            let category = r.category.expect("every question is in a category");
            let domain = category.strip_prefix("$course$/top/").expect("our category path").to_string();
            Question { domain, ..r.question }
        })
        .collect();
    (questions, set.cases)
}

fn sorted(mut questions: Vec<Question>) -> Vec<Question> {
    questions.sort_by(|a, b| a.id.cmp(&b.id));
    questions
}

fn round_trip(questions: &[Question], cases: &[CaseStudy]) {
    let written = write(questions, cases);
    assert!(written.losses.is_empty(), "{:?}", written.losses);
    for comment in written.text.split("<!--").skip(1) {
        let comment = comment.split_once("-->").expect("every comment is closed").0;
        assert!(!comment.contains("--") && !comment.ends_with('-'), "XML forbids `--` in a comment: {comment}");
    }
    let set = read(&written.text);
    assert!(errors(&set).is_empty(), "{:#?}", errors(&set));
    assert!(set.problems.iter().all(|p| p.severity != Severity::Skipped));
    let (read_questions, mut read_cases) = domains_settled(set);
    let expected = sorted(questions.to_vec());
    let got = sorted(read_questions);
    assert_eq!(got.len(), expected.len());
    for (got, expected) in got.iter().zip(&expected) {
        assert_eq!(got, expected);
    }
    let mut cases = cases.to_vec();
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    read_cases.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(read_cases, cases);
}

#[test]
fn generated_questions_survive_a_round_trip() {
    for seed in [1, 2, 3, 4] {
        let (questions, cases) = testing::generated(seed, 40);
        round_trip(&questions, &cases);
    }
}

#[test]
fn the_whole_bank_survives_a_round_trip() {
    let content = crate::content::load_dir(Path::new("content/mla-c01")).expect("the bundled bank loads");
    let questions: Vec<Question> = content.questions.into_iter().map(|q| q.question).collect();
    assert_eq!(questions.len(), 398);
    round_trip(&questions, &content.cases);
}

#[test]
fn the_writer_speaks_moodle() {
    let (questions, cases) = testing::generated(5, 8);
    let text = write(&questions, &cases).text;
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"));
    assert!(text.contains("<text>$course$/top/D2</text>"));
    assert!(text.contains("<single>false</single>") && text.contains("fraction=\"-100\""));
    assert!(text.contains("<gradingtype>ALL_OR_NOTHING</gradingtype>"));
    assert!(text.contains("<question type=\"description\">") && text.contains("<text>mockexam-scenario</text>"));
    assert!(text.contains("<idnumber>gen-1</idnumber>"));
    assert_eq!(write::fraction(100.0 / 3.0), "33.33333");
    assert_eq!(write::fraction(12.5), "12.5");
    assert_eq!(write::fraction(50.0), "50");
    let mut q = questions[0].clone();
    q.stem.push('\u{1}');
    let written = write(&[q.clone()], &[]);
    assert_eq!(
        written.losses,
        [(q.id.clone(), "control characters XML cannot hold were dropped from a text".to_string())]
    );
    assert!(errors(&read(&written.text)).is_empty());
}

#[test]
fn no_input_makes_the_reader_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let valid = write(&testing::generated(9, 6).0, &testing::generated(9, 6).1).text;
    let sources = [valid.as_str(), EXPORT];
    const SYNTAX: &[&str] =
        &["<", ">", "&", ";", "</", "/>", "<![CDATA[", "]]>", "<!--", "-->", "\"", "<!DOCTYPE", "&#", "<?"];
    let started = Instant::now();
    for round in 0..3000 {
        let text = if round % 4 == 0 {
            let bytes: Vec<u8> = (0..rng.random_range(0..200)).map(|_| rng.random()).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let mut text = sources[round % 2].to_string();
            for _ in 0..rng.random_range(1..4) {
                let (a, b) = (rng.random_range(0..=text.len()), rng.random_range(0..=text.len()));
                let (a, b) = (a.min(b), a.max(b));
                let b = b.min(a + 200);
                if !text.is_char_boundary(a) || !text.is_char_boundary(b) {
                    continue;
                }
                match rng.random_range(0..4) {
                    0 => text.truncate(a),
                    1 => text.replace_range(a..b, ""),
                    2 => {
                        let piece = text[a..b].to_string();
                        text.insert_str(a, &piece);
                    }
                    _ => text.insert_str(a, SYNTAX[rng.random_range(0..SYNTAX.len())]),
                }
            }
            text
        };
        let set = read(&text);
        assert!(set.problems.iter().all(|p| p.line >= 1));
    }
    assert!(started.elapsed() < Duration::from_secs(20));
}
