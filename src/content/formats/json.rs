//! Our JSON format (docs/formats/json.md, schema in
//! docs/formats/questions.schema.json): every question and case study field
//! in a versioned envelope, lossless. It stays whole: the file's shape, its
//! reader and its writer are one format. The shape is declared here, apart
//! from the exam model, so renaming a field of `Question` cannot change it.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{ReadQuestion, ReadSet, Written, check};
use crate::content::parse::is_valid_id;
use crate::exam::{Body, CaseStudy, Choice, Difficulty, Pair, Question};

/// The envelope's `format` value.
pub const FORMAT: &str = "mockexam-questions";
/// The one version this reader knows and this writer writes.
pub const VERSION: u64 = 1;

pub const LOSES: &str = "Nothing: every field of every question and case study is kept.";

/// Kinds other tools have that we cannot represent: named and left out.
const FOREIGN_KINDS: &[&str] =
    &["essay", "numerical", "shortanswer", "short-answer", "cloze", "multianswer", "description", "missingword"];

/// The whole file as read: questions and case studies are kept raw, each
/// read on its own, so that one bad question does not hide the others.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    #[allow(dead_code)] // checked while deserializing
    format: FormatName,
    #[allow(dead_code)] // checked while deserializing
    version: Version,
    #[serde(default, borrow)]
    case_studies: Vec<&'a RawValue>,
    #[serde(borrow)]
    questions: Vec<&'a RawValue>,
}

/// `"mockexam-questions"` and nothing else.
struct FormatName;

impl<'de> Deserialize<'de> for FormatName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        if name == FORMAT {
            Ok(FormatName)
        } else {
            Err(serde::de::Error::custom(format!("`format` is `{name}`, expected `{FORMAT}`")))
        }
    }
}

/// A version this reader knows (only 1 so far).
struct Version;

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let version = u64::deserialize(d)?;
        if version == VERSION {
            Ok(Version)
        } else {
            Err(serde::de::Error::custom(format!("unknown version {version}: this mockexam reads version {VERSION}")))
        }
    }
}

#[derive(Serialize)]
struct EnvelopeOut {
    format: &'static str,
    version: u64,
    case_studies: Vec<CaseFile>,
    questions: Vec<QuestionFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    id: String,
    title: String,
    scenario: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    id: String,
    domain: String,
    #[serde(default = "medium")]
    difficulty: Difficulty,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    case: Option<String>,
    stem: String,
    #[serde(default)]
    explanation: String,
    body: BodyFile,
}

fn medium() -> Difficulty {
    Difficulty::Medium
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
enum BodyFile {
    Single { options: Vec<ChoiceFile>, key: usize },
    Multiple { options: Vec<ChoiceFile>, key: Vec<usize> },
    Ordering { steps: Vec<ChoiceFile> },
    Matching { pairs: Vec<PairFile>, extra_answers: Vec<ChoiceFile> },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceFile {
    text: String,
    #[serde(default)]
    rationale: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PairFile {
    prompt: String,
    answer: String,
    #[serde(default)]
    rationale: String,
}

/// Just enough of a question to name it and see its kind before reading it
/// whole: an essay is skipped by name, not refused as an unknown variant.
#[derive(Deserialize)]
struct Probe {
    id: Option<String>,
    body: Option<ProbeBody>,
}

#[derive(Deserialize)]
struct ProbeBody {
    kind: Option<String>,
}

fn choices_out(choices: &[Choice]) -> Vec<ChoiceFile> {
    choices.iter().map(|c| ChoiceFile { text: c.text.clone(), rationale: c.rationale.clone() }).collect()
}

fn choices_in(choices: Vec<ChoiceFile>) -> Vec<Choice> {
    choices.into_iter().map(|c| Choice { text: c.text, rationale: c.rationale }).collect()
}

impl From<&Question> for QuestionFile {
    fn from(q: &Question) -> Self {
        let body = match &q.body {
            Body::Single { options, key } => BodyFile::Single { options: choices_out(options), key: *key },
            Body::Multiple { options, key } => BodyFile::Multiple { options: choices_out(options), key: key.clone() },
            Body::Ordering { steps } => BodyFile::Ordering { steps: choices_out(steps) },
            Body::Matching { pairs, extra_answers } => BodyFile::Matching {
                pairs: pairs
                    .iter()
                    .map(|p| PairFile {
                        prompt: p.prompt.clone(),
                        answer: p.answer.clone(),
                        rationale: p.rationale.clone(),
                    })
                    .collect(),
                extra_answers: choices_out(extra_answers),
            },
        };
        QuestionFile {
            id: q.id.clone(),
            domain: q.domain.clone(),
            difficulty: q.difficulty,
            tags: q.tags.clone(),
            references: q.references.clone(),
            case: q.case.clone(),
            stem: q.stem.clone(),
            explanation: q.explanation.clone(),
            body,
        }
    }
}

impl From<QuestionFile> for Question {
    fn from(q: QuestionFile) -> Self {
        let body = match q.body {
            BodyFile::Single { options, key } => Body::Single { options: choices_in(options), key },
            BodyFile::Multiple { options, key } => Body::Multiple { options: choices_in(options), key },
            BodyFile::Ordering { steps } => Body::Ordering { steps: choices_in(steps) },
            BodyFile::Matching { pairs, extra_answers } => Body::Matching {
                pairs: pairs
                    .into_iter()
                    .map(|p| Pair { prompt: p.prompt, answer: p.answer, rationale: p.rationale })
                    .collect(),
                extra_answers: choices_in(extra_answers),
            },
        };
        Question {
            id: q.id,
            domain: q.domain,
            difficulty: q.difficulty,
            tags: q.tags,
            references: q.references,
            case: q.case,
            stem: q.stem,
            explanation: q.explanation,
            body,
        }
    }
}

/// Every question and case study, except a question whose case study is
/// not among `cases` (the reader would refuse it): left out and named.
pub fn write(questions: &[Question], cases: &[CaseStudy]) -> Written {
    let (whole, orphans): (Vec<&Question>, Vec<&Question>) =
        questions.iter().partition(|q| q.case.as_ref().is_none_or(|id| cases.iter().any(|c| &c.id == id)));
    let losses = orphans
        .iter()
        .map(|q| {
            (q.id.clone(), format!("its case study `{}` is not in the set", q.case.as_deref().unwrap_or_default()))
        })
        .collect();
    let envelope = EnvelopeOut {
        format: FORMAT,
        version: VERSION,
        case_studies: cases
            .iter()
            .map(|c| CaseFile { id: c.id.clone(), title: c.title.clone(), scenario: c.scenario.clone() })
            .collect(),
        questions: whole.into_iter().map(QuestionFile::from).collect(),
    };
    let mut text = serde_json::to_string_pretty(&envelope).expect("plain structs of strings always serialize");
    text.push('\n');
    Written { text, losses }
}

/// 1-based line and column of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(offset, |n| offset - n - 1) + 1;
    (line, column)
}

/// serde_json's message without its own " at line L column C" (the
/// problem carries those).
fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" at line ") {
        Some((message, _)) => message.to_string(),
        None => text,
    }
}

/// Where `raw` (a slice of `text`) starts, and an error inside `raw` moved
/// to its place in `text`.
struct Located<'a> {
    raw: &'a str,
    line: usize,
    column: usize,
}

impl<'a> Located<'a> {
    fn of(text: &str, raw: &'a RawValue) -> Located<'a> {
        let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        let (line, column) = position(text, offset);
        Located { raw: raw.get(), line, column }
    }

    /// serde reads a `body` whole before it knows its kind, so its errors
    /// inside a body point at the body's end; an unknown field is found by
    /// its name instead, which is where the author must look.
    fn error(&self, e: &serde_json::Error) -> super::Problem {
        let message = message(e);
        let (line, column) = match unknown_field(&message).and_then(|name| key_offset(self.raw, name)) {
            Some(offset) => position(self.raw, offset),
            None => (e.line().max(1), e.column().max(1)),
        };
        let column = if line == 1 { self.column + column - 1 } else { column };
        super::Problem::error(self.line + line - 1, message).at_column(column)
    }
}

fn unknown_field(message: &str) -> Option<&str> {
    message.strip_prefix("unknown field `")?.split('`').next()
}

/// Where `"name":` is in a JSON text.
fn key_offset(json: &str, name: &str) -> Option<usize> {
    let quoted = format!("\"{name}\"");
    json.match_indices(&quoted).map(|(i, _)| i).find(|&i| json[i + quoted.len()..].trim_start().starts_with(':'))
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

pub fn read(text: &str) -> ReadSet {
    use super::Problem;
    let mut set = ReadSet::default();
    let first = text.trim_start();
    if !first.starts_with('{') {
        let (line, _) = position(text, text.len() - first.len());
        set.problems.push(Problem::error(
            line,
            format!("this is not a JSON question file: expected an object `{{\"format\": \"{FORMAT}\", \"version\": {VERSION}, \"questions\": [...]}}`"),
        ));
        return set;
    }
    let envelope: Envelope = match serde_json::from_str(text) {
        Ok(envelope) => envelope,
        Err(e) => {
            set.problems.push(Problem::error(e.line().max(1), message(&e)).at_column(e.column().max(1)));
            return set;
        }
    };
    if envelope.questions.is_empty() {
        set.problems.push(Problem::error(1, "no questions found: `questions` is empty"));
    }
    for raw in &envelope.case_studies {
        let at = Located::of(text, raw);
        match serde_json::from_str::<CaseFile>(raw.get()) {
            Ok(c) => {
                let problem = |message: &str| Problem::error(at.line, message).at_column(at.column).for_question(&c.id);
                if !is_valid_id(&c.id) {
                    set.problems.push(problem("a case study id is lowercase letters, digits and hyphens"));
                }
                if c.title.trim().is_empty() {
                    set.problems.push(problem("the case study has no title"));
                }
                if c.scenario.trim().is_empty() {
                    set.problems.push(problem("the case study has no scenario"));
                }
                set.cases.push(CaseStudy { id: c.id, title: c.title, scenario: c.scenario });
            }
            Err(e) => set.problems.push(at.error(&e)),
        }
    }
    for raw in &envelope.questions {
        let at = Located::of(text, raw);
        let probe = serde_json::from_str::<Probe>(raw.get()).ok();
        let name = probe.as_ref().and_then(|p| p.id.clone());
        let kind = probe.and_then(|p| p.body).and_then(|b| b.kind).unwrap_or_default();
        if FOREIGN_KINDS.contains(&kind.as_str()) {
            let name = name.unwrap_or_default();
            let mut skipped = Problem::skipped(
                at.line,
                format!(
                    "{} {kind} question (`{name}`) cannot be imported: mockexam has single, multiple, ordering and matching questions",
                    article(&kind)
                ),
            )
            .at_column(at.column);
            if !name.is_empty() {
                skipped = skipped.for_question(name);
            }
            set.problems.push(skipped);
            continue;
        }
        let question: Question = match serde_json::from_str::<QuestionFile>(raw.get()) {
            Ok(q) => q.into(),
            Err(e) => {
                let problem = at.error(&e);
                set.problems.push(match name {
                    Some(name) => problem.for_question(name),
                    None => problem,
                });
                continue;
            }
        };
        let problem = |p: Problem| p.at_column(at.column).for_question(&question.id);
        let mut sound = true;
        if !is_valid_id(&question.id) {
            set.problems.push(problem(Problem::error(
                at.line,
                "a question id is lowercase letters, digits and hyphens, like `d1-glue-vs-emr`",
            )));
            sound = false;
        }
        if let Some(case) = &question.case
            && !set.cases.iter().any(|c| &c.id == case)
        {
            set.problems.push(problem(Problem::error(
                at.line,
                format!("case study `{case}` is not in this file's `case_studies`"),
            )));
            sound = false;
        }
        let findings = check::check(&question);
        sound &= findings.errors.is_empty();
        set.problems.extend(findings.errors.into_iter().map(|m| problem(Problem::error(at.line, m))));
        set.problems.extend(findings.warnings.into_iter().map(|m| problem(Problem::warning(at.line, m))));
        // A question that fails a check is reported, not kept: nothing
        // after the reader has to cope with a key that names no option.
        if sound {
            set.questions.push(ReadQuestion { line: at.line, category: None, question });
        }
    }
    set
}

// `pub(crate)`: the other formats' no-panic tests share its `mutate`.
#[cfg(test)]
mod tests;
