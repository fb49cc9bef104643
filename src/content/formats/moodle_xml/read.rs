//! Moodle XML question trees to our questions: multichoice (single and
//! multiple answer), truefalse, matching and qtype_ordering; case studies
//! written by us as marked `description` questions; every other type named
//! and skipped.

use super::tree::{Lines, Tree};
use super::{CASE_TAG_PREFIX, DIFFICULTY_TAG_PREFIX, Extra, SCENARIO_TAG, extra_from_comment};
use crate::content::formats::{Problem, ReadQuestion, ReadSet, check, identity};
use crate::exam::{Body, CaseStudy, Choice, Difficulty, Pair, Question};

/// A fraction this close to a whole number counts as it (Moodle writes
/// thirds as 33.33333).
const FRACTION_SLACK: f64 = 0.01;

pub fn read(text: &str) -> ReadSet {
    let lines = Lines::new(text);
    let document = match super::tree::parse(text, &lines) {
        Ok(document) => document,
        Err(problem) => return ReadSet { problems: vec![problem], ..ReadSet::default() },
    };
    let mut set = ReadSet::default();
    let mut category: Option<String> = None;
    let mut questions = 0;
    for tree in &document.questions {
        let line = lines.line(tree.root().at);
        let kind = tree.attribute(0, "type").unwrap_or("");
        if kind == "category" {
            category = tree.text_of(0, "category").filter(|c| !c.is_empty());
            continue;
        }
        questions += 1;
        let mut reader = QuestionReader { tree, lines: &lines, line, problems: Vec::new() };
        match reader.read(kind) {
            Read::Question(question) => {
                let findings = check::check(&question);
                let id = question.id.clone();
                reader.problems.extend(findings.errors.into_iter().map(|m| Problem::error(line, m)));
                reader.problems.extend(findings.warnings.into_iter().map(|m| Problem::warning(line, m)));
                set.problems.extend(reader.problems.into_iter().map(|p| p.for_question(id.clone())));
                set.questions.push(ReadQuestion { line, category: category.clone(), question });
            }
            Read::Case(case) => {
                let id = case.id.clone();
                set.problems.extend(reader.problems.into_iter().map(|p| p.for_question(id.clone())));
                set.cases.push(case);
            }
            Read::Nothing => {
                let label = reader.label();
                set.problems.extend(reader.problems.into_iter().map(|p| p.for_question(label.clone())));
            }
        }
    }
    if questions == 0 && document.broken.is_none() {
        set.problems.push(Problem::error(
            1,
            "no questions found: a Moodle XML file holds <question type=\"…\"> elements inside <quiz>",
        ));
    }
    set.problems.extend(document.broken);
    set
}

enum Read {
    Question(Question),
    Case(CaseStudy),
    /// Skipped or broken: the problems say why.
    Nothing,
}

struct QuestionReader<'a> {
    tree: &'a Tree,
    lines: &'a Lines<'a>,
    line: usize,
    problems: Vec<Problem>,
}

/// A multichoice, truefalse or ordering `<answer>`.
struct Answer {
    fraction: f64,
    choice: Choice,
}

impl QuestionReader<'_> {
    fn name(&self) -> Option<String> {
        self.tree.text_of(0, "name").filter(|n| !n.is_empty())
    }

    fn idnumber(&self) -> Option<String> {
        self.tree.child(0, "idnumber").map(|i| self.tree.text(i).trim().to_string()).filter(|i| !i.is_empty())
    }

    /// How problems name a question we did not build.
    fn label(&self) -> String {
        self.idnumber().or_else(|| self.name()).unwrap_or_else(|| "unnamed".into())
    }

    fn error(&mut self, message: impl Into<String>) {
        self.problems.push(Problem::error(self.line, message));
    }

    fn warning(&mut self, message: impl Into<String>) {
        self.problems.push(Problem::warning(self.line, message));
    }

    fn read(&mut self, kind: &str) -> Read {
        let supported = matches!(kind, "multichoice" | "truefalse" | "matching" | "ordering");
        let ours = kind == "description" && self.tags().iter().any(|t| t == SCENARIO_TAG);
        if !supported && !ours {
            let message = format!("{} question (`{}`) cannot be imported", kind_name(kind), self.label());
            self.problems.push(Problem::skipped(self.line, message));
            return Read::Nothing;
        }
        if let Some(file) = self.embedded_file() {
            let message =
                format!("the question `{}` uses an embedded file ({file}), which cannot be imported", self.label());
            self.problems.push(Problem::skipped(self.line, message));
            return Read::Nothing;
        }
        let stem = self.formatted(0, "questiontext");
        if ours {
            let id = identity::id_for(self.idnumber().or_else(|| self.name()).as_deref(), &stem, []);
            return Read::Case(CaseStudy { id, title: self.name().unwrap_or_default(), scenario: stem });
        }
        let extra = self.extra();
        let body = match kind {
            "multichoice" => self.multichoice(),
            "truefalse" => self.truefalse(),
            "matching" => self.matching(&extra),
            _ => self.ordering(),
        };
        let Some(body) = body else { return Read::Nothing };
        let (difficulty, case, tags) = self.our_tags();
        let id = identity::id_for(self.idnumber().or_else(|| self.name()).as_deref(), &stem, identity::texts(&body));
        Read::Question(Question {
            id,
            domain: String::new(),
            difficulty,
            tags,
            references: extra.references,
            case,
            explanation: self.formatted(0, "generalfeedback"),
            stem,
            body,
        })
    }

    /// A `<file>` element or an `@@PLUGINFILE@@` link anywhere inside.
    fn embedded_file(&self) -> Option<String> {
        let elements = 0..self.tree.elements.len();
        if let Some(file) = elements.clone().find(|&i| self.tree.elements[i].name == "file") {
            return Some(format!("`{}`", self.tree.attribute(file, "name").unwrap_or("a file")));
        }
        elements
            .into_iter()
            .any(|i| self.tree.text(i).contains("@@PLUGINFILE@@"))
            .then(|| "an @@PLUGINFILE@@ link".into())
    }

    /// The text of `<name format="…"><text>` under `parent`, as Markdown.
    fn formatted(&self, parent: usize, name: &str) -> String {
        self.tree.child(parent, name).map(|element| self.formatted_text(element)).unwrap_or_default()
    }

    /// `element`'s `<text>`, as Markdown: Markdown and HTML as they are
    /// (HTML inside Markdown is sanitized when rendered), plain text escaped.
    fn formatted_text(&self, element: usize) -> String {
        let text = self.tree.child(element, "text").map(|t| self.tree.text(t)).unwrap_or_default();
        let text = text.trim();
        match self.tree.attribute(element, "format") {
            Some("plain_text") => escape_markdown(text),
            _ => text.to_string(),
        }
    }

    fn tags(&self) -> Vec<String> {
        let Some(tags) = self.tree.child(0, "tags") else { return Vec::new() };
        self.tree
            .children(tags, "tag")
            .filter_map(|t| self.tree.child(t, "text"))
            .map(|t| self.tree.text(t).trim().to_string())
            .collect()
    }

    /// Difficulty and case study from our own tags; other tags as our tags
    /// (lowercase words joined by hyphens), slugified with a warning.
    fn our_tags(&mut self) -> (Difficulty, Option<String>, Vec<String>) {
        let (mut difficulty, mut case, mut tags) = (Difficulty::Medium, None, Vec::new());
        for tag in self.tags() {
            if let Some(level) = tag.strip_prefix(DIFFICULTY_TAG_PREFIX) {
                match Difficulty::parse(level) {
                    Some(d) => difficulty = d,
                    None => self.warning(format!("the tag `{tag}` names no difficulty (easy, medium, hard)")),
                }
            } else if let Some(id) = tag.strip_prefix(CASE_TAG_PREFIX) {
                case = Some(id.to_string());
            } else if tag != SCENARIO_TAG {
                match identity::slug(&tag) {
                    Some(slug) if !tags.contains(&slug) => {
                        if slug != tag {
                            self.warning(format!("the tag `{tag}` was read as `{slug}`"));
                        }
                        tags.push(slug);
                    }
                    Some(_) => {}
                    None => self.warning(format!("the tag `{tag}` was dropped: it has no letters or digits")),
                }
            }
        }
        (difficulty, case, tags)
    }

    /// Our own comment (references, matching rationales), if any.
    fn extra(&mut self) -> Extra {
        let comments: Vec<&str> = self.tree.comments(0).collect();
        for comment in comments {
            if let Some(found) = extra_from_comment(comment) {
                return found.unwrap_or_else(|e| {
                    self.warning(format!(
                        "the mockexam comment could not be read ({e}): its references and rationales are lost"
                    ));
                    Extra::default()
                });
            }
        }
        Extra::default()
    }

    fn answers(&mut self) -> Vec<Answer> {
        let mut answers = Vec::new();
        for a in self.tree.children(0, "answer").collect::<Vec<_>>() {
            let raw = self.tree.attribute(a, "fraction").unwrap_or("0").trim().to_string();
            let fraction = raw.parse::<f64>().ok().filter(|f| f.is_finite()).unwrap_or_else(|| {
                let at = self.tree.elements[a].at;
                self.problems.push(self.lines.error(at, format!("the answer's fraction `{raw}` is not a number")));
                0.0
            });
            let choice = Choice { text: self.formatted_text(a), rationale: self.formatted(a, "feedback") };
            answers.push(Answer { fraction, choice });
        }
        answers
    }

    fn multichoice(&mut self) -> Option<Body> {
        let single = self.tree.child(0, "single").map(|s| self.tree.text(s).trim().to_ascii_lowercase());
        let single = !matches!(single.as_deref(), Some("false" | "0"));
        let answers = self.answers();
        let correct: Vec<usize> = (0..answers.len()).filter(|&i| answers[i].fraction > 0.0).collect();
        if single {
            return self.single(answers);
        }
        let sum: f64 = correct.iter().map(|&i| answers[i].fraction).sum();
        if correct.is_empty() {
            self.error("no answer has a positive fraction: a multiple-answer question needs correct answers");
            return None;
        }
        if (sum - 100.0).abs() > correct.len() as f64 * FRACTION_SLACK {
            self.error(format!("the fractions of the correct answers add up to {}%, not 100%", round(sum)));
            return None;
        }
        let options = answers.into_iter().map(|a| a.choice).collect();
        if correct.len() == 1 {
            self.warning("a multiple-answer question with one correct answer: read as a single-answer question");
            return Some(Body::Single { options, key: correct[0] });
        }
        Some(Body::Multiple { options, key: correct })
    }

    /// One answer at 100%; partial credit is not ours to give, so other
    /// positive answers count as wrong, with a warning.
    fn single(&mut self, answers: Vec<Answer>) -> Option<Body> {
        let full: Vec<usize> = (0..answers.len()).filter(|&i| answers[i].fraction >= 100.0 - FRACTION_SLACK).collect();
        match full.len() {
            0 => {
                self.error("no answer has fraction 100: a single-answer question needs one fully correct answer");
                return None;
            }
            1 => {}
            n => {
                self.error(format!("{n} answers have fraction 100: a single-answer question has exactly one"));
                return None;
            }
        }
        for (i, a) in answers.iter().enumerate() {
            if a.fraction > 0.0 && !full.contains(&i) {
                self.warning(format!(
                    "answer {} gives partial credit ({}%) in Moodle; here it counts as wrong",
                    i + 1,
                    round(a.fraction)
                ));
            }
        }
        Some(Body::Single { options: answers.into_iter().map(|a| a.choice).collect(), key: full[0] })
    }

    fn truefalse(&mut self) -> Option<Body> {
        let mut answers = self.answers();
        for a in &mut answers {
            let text = &mut a.choice.text;
            if text.eq_ignore_ascii_case("true") {
                *text = "True".into();
            } else if text.eq_ignore_ascii_case("false") {
                *text = "False".into();
            }
        }
        self.single(answers)
    }

    /// Subquestions with a text are pairs; those without are extra answers.
    fn matching(&mut self, extra: &Extra) -> Option<Body> {
        let subquestions: Vec<usize> = self.tree.children(0, "subquestion").collect();
        // Moodle has no feedback per subquestion: ours ride in our comment.
        let rationale = |i: usize| {
            if extra.rationales.len() == subquestions.len() { extra.rationales[i].clone() } else { String::new() }
        };
        let (mut pairs, mut extra_answers) = (Vec::new(), Vec::new());
        for (i, &s) in subquestions.iter().enumerate() {
            let prompt = self.formatted_text(s);
            let answer = self.tree.text_of(s, "answer").unwrap_or_default();
            if prompt.is_empty() {
                extra_answers.push(Choice { text: answer, rationale: rationale(i) });
            } else {
                pairs.push(Pair { prompt, answer, rationale: rationale(i) });
            }
        }
        Some(Body::Matching { pairs, extra_answers })
    }

    /// qtype_ordering numbers its answers 1, 2, 3… in `fraction`: that is
    /// the correct order.
    fn ordering(&mut self) -> Option<Body> {
        let mut answers = self.answers();
        answers.sort_by(|a, b| a.fraction.total_cmp(&b.fraction));
        Some(Body::Ordering { steps: answers.into_iter().map(|a| a.choice).collect() })
    }
}

/// How a message names a question type we cannot import.
fn kind_name(kind: &str) -> String {
    match kind {
        "essay" => "an essay".into(),
        "numerical" => "a numerical".into(),
        "shortanswer" => "a short-answer".into(),
        "multianswer" => "a cloze (multianswer)".into(),
        "description" => "a description".into(),
        "calculated" | "calculatedsimple" | "calculatedmulti" => format!("a calculated ({kind})"),
        "gapselect" => "a select-missing-words (gapselect)".into(),
        "ddwtos" => "a drag-and-drop into text (ddwtos)".into(),
        "ddimageortext" | "ddmarker" => format!("a drag-and-drop onto image ({kind})"),
        "random" | "randomsamatch" => format!("a random ({kind})"),
        "" => "a".into(),
        other => format!("a `{other}`"),
    }
}

/// Plain text as Markdown that renders as that text.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn round(fraction: f64) -> f64 {
    (fraction * 1000.0).round() / 1000.0
}
