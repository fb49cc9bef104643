//! An exam's questions in the instructor's hands: the list with its search
//! and filters, one question with its history, retiring and restoring, and
//! editing one in our Markdown format, checked by the same pipeline as an
//! import. Every use case first checks that the actor may edit the exam.

use super::exams::{self, Actor};
use super::{App, Error, Result};
use crate::content::formats::{Format, Problem};
use crate::content::import::{self, Options};
use crate::exam::VersionContent;
use crate::store::exams::Exam;
use crate::store::imports::{self, ImportRecord};
use crate::store::questions::{self, Filter, Listed, StoredQuestion, Version, Written};

/// One page of an exam's questions, with what the filters offer.
pub struct Listing {
    pub exam: Exam,
    pub total: usize,
    /// The page shown, moved into range (1-based).
    pub page: usize,
    pub questions: Vec<Listed>,
    /// The exam's imports, for the upload filter, newest first.
    pub imports: Vec<ImportRecord>,
    pub tags: Vec<String>,
}

pub async fn list(
    app: &App,
    actor: &Actor,
    slug: &str,
    filter: &Filter,
    page: usize,
    per_page: usize,
) -> Result<Listing> {
    let exam = exams::editable(app, actor, slug).await?;
    let total = questions::count(&app.db, exam.id, filter).await? as usize;
    let per_page = per_page.max(1);
    let page = page.clamp(1, total.div_ceil(per_page).max(1));
    let offset = ((page - 1) * per_page) as i64;
    let questions = questions::list(&app.db, exam.id, filter, offset, per_page as i64).await?;
    let imports = imports::list(&app.db, exam.id, 200).await?;
    let tags = questions::all_tags(&app.db, exam.id).await?;
    Ok(Listing { exam, total, page, questions, imports, tags })
}

/// A question with every version, the newest first (never empty).
pub struct Detail {
    pub exam: Exam,
    pub question: StoredQuestion,
    pub versions: Vec<Version>,
}

impl Detail {
    pub fn current(&self) -> &Version {
        &self.versions[0]
    }

    pub fn version(&self, number: i32) -> Option<&Version> {
        self.versions.iter().find(|v| v.number == number)
    }
}

pub async fn show(app: &App, actor: &Actor, slug: &str, key: &str) -> Result<Detail> {
    let exam = exams::editable(app, actor, slug).await?;
    let question = questions::by_key(&app.db, exam.id, key).await?.ok_or(Error::NotFound)?;
    let versions = questions::versions(&app.db, question.id).await?;
    if versions.is_empty() {
        return Err(Error::NotFound);
    }
    Ok(Detail { exam, question, versions })
}

/// Retires (`retired`) or restores a question. A retired question is not
/// drawn; its versions and the attempts that used them stay.
pub async fn set_retired(app: &App, actor: &Actor, slug: &str, key: &str, retired: bool) -> Result<()> {
    let exam = exams::editable(app, actor, slug).await?;
    if !questions::set_retired(&app.db, exam.id, key, retired).await? {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// A version as text in our Markdown format, its case study first; None
/// with the reason when our format cannot hold it (a question imported
/// from a looser format).
pub fn markdown_of(content: &VersionContent) -> Result<String, String> {
    let written = Format::Markdown
        .write(std::slice::from_ref(&content.question), content.case.as_slice())
        .expect("our Markdown is writable");
    match written.losses.into_iter().next() {
        Some((_, reason)) => Err(reason),
        None => Ok(written.text),
    }
}

/// The name the edited text goes by in its problems.
const EDITED: &str = "edited text";

/// Reads edited text as question `key` of `exam`, with the import's own
/// checks; the problems, each with its line, when it is not one valid
/// question with that id.
pub fn check(exam: &Exam, key: &str, text: &str) -> Result<VersionContent, Vec<Problem>> {
    let options = Options { format: Some(Format::Markdown), ..Options::default() };
    let validated = import::validate(&exam.blueprint, &[(EDITED.to_string(), text.as_bytes().to_vec())], &options);
    let mut problems: Vec<Problem> = validated
        .problems
        .iter()
        .map(|p| p.problem.clone())
        .filter(|p| p.severity == crate::content::formats::Severity::Error)
        // One question of a case study is edited alone; the bank holds the
        // case's other questions, so the set-wide count does not apply.
        .filter(|p| !p.message.contains("needs two or more questions"))
        .collect();
    if problems.is_empty() {
        match validated.questions.as_slice() {
            [only] if only.question.id == key => {
                let case =
                    only.question.case.as_deref().and_then(|c| validated.cases.iter().find(|k| k.id == c)).cloned();
                return Ok(VersionContent { question: only.question.clone(), case });
            }
            [only] => problems.push(
                Problem::error(
                    only.line,
                    format!(
                        "the id was changed to `{}`: a question keeps its id `{key}`; to make another question, upload it",
                        only.question.id
                    ),
                )
                .for_question(&only.question.id),
            ),
            [] => problems.push(Problem::error(1, format!("no question found: start it with `## Question {key}`"))),
            many => problems.push(Problem::error(
                many[1].line,
                format!("the text holds {} questions: keep only `{key}`", many.len()),
            )),
        }
    }
    Err(problems)
}

/// What saving edited text came to.
#[derive(Debug)]
pub enum EditOutcome {
    /// Stored as this new version number.
    Saved(i32),
    /// The text says what the current version says: nothing stored.
    Unchanged(Box<VersionContent>),
    /// Nothing stored; each problem has its line.
    Invalid(Vec<Problem>),
}

/// Checks edited text and, when it is valid and changed, stores it as the
/// question's next version by `actor`, in one transaction. Attempts keep
/// the versions they drew. The exam comes back for the page.
pub async fn save(app: &App, actor: &Actor, slug: &str, key: &str, text: &str) -> Result<(Exam, EditOutcome)> {
    let exam = exams::editable(app, actor, slug).await?;
    let question = questions::by_key(&app.db, exam.id, key).await?.ok_or(Error::NotFound)?;
    let content = match check(&exam, key, text) {
        Ok(content) => content,
        Err(problems) => return Ok((exam, EditOutcome::Invalid(problems))),
    };
    let mut tx = app.db.begin().await?;
    let written = questions::write_version(&mut tx, question.id, &content, &actor.name, app.clock.now()).await?;
    tx.commit().await?;
    let outcome = match written {
        Written::Version(n) => EditOutcome::Saved(n),
        Written::Unchanged => EditOutcome::Unchanged(Box::new(content)),
    };
    Ok((exam, outcome))
}

/// Checks edited text for a preview; stores nothing.
pub async fn preview(
    app: &App,
    actor: &Actor,
    slug: &str,
    key: &str,
    text: &str,
) -> Result<(Exam, Result<VersionContent, Vec<Problem>>)> {
    let exam = exams::editable(app, actor, slug).await?;
    questions::by_key(&app.db, exam.id, key).await?.ok_or(Error::NotFound)?;
    let checked = check(&exam, key, text);
    Ok((exam, checked))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::Blueprint;

    fn exam() -> Exam {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/content/mla-c01/exam.toml"))
            .expect("the bundled exam");
        let blueprint: Blueprint = crate::content::parse_blueprint("exam.toml", &text).expect("a valid blueprint");
        Exam { id: uuid::Uuid::nil(), blueprint, owner_id: None, published: true }
    }

    const QUESTION: &str = "## Question d1-sample

domain: D1
kind: single
difficulty: easy
tags: sample

Which one?

### Options

- [x] This one
  > Because it is.
- [ ] That one
  > Because it is not.
- [ ] The other one
  > Neither.

### Explanation

This one is right.
";

    #[test]
    fn valid_text_reads_back_as_the_question_and_writes_the_same() {
        let content = check(&exam(), "d1-sample", QUESTION).expect("valid");
        assert_eq!(content.question.id, "d1-sample");
        assert_eq!(check(&exam(), "d1-sample", &markdown_of(&content).expect("writable")), Ok(content));
    }

    #[test]
    fn a_changed_id_an_error_and_no_question_are_each_said_with_a_line() {
        let renamed = check(&exam(), "d1-other", QUESTION).unwrap_err();
        assert!(renamed[0].message.contains("keeps its id `d1-other`"), "{renamed:?}");
        assert_eq!(renamed[0].line, 1);
        let broken = check(&exam(), "d1-sample", &QUESTION.replace("domain: D1", "domain: D9")).unwrap_err();
        assert!(broken.iter().any(|p| p.line >= 1 && p.message.contains("D9")), "{broken:?}");
        let empty = check(&exam(), "d1-sample", "just words").unwrap_err();
        assert!(!empty.is_empty());
    }
}
