//! Bringing question sets in from files and taking them out again. An
//! import is two steps: [`validate`] reads and checks the files and reports,
//! storing nothing; [`import`] does the same and, only when nothing is
//! wrong, writes every question in one transaction and records the import.
//! [`export`] writes an exam's current questions in any writable format.

use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use super::exams::{self, Actor};
use super::{App, Error, Result};
use crate::content::SourcedQuestion;
use crate::content::formats::{Format, Severity, Written};
use crate::content::import::{self, FileProblem, Options};
use crate::exam::kind::Kind;
use crate::exam::{Blueprint, CaseStudy, VersionContent};
use crate::store::exams::{content_hash, current_contents, current_hashes, write_questions};
use crate::store::imports::{self, ImportCounts, ImportRecord, ImportedFile, NewImport};

/// What an import would do (or did) to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    Unchanged,
    NewVersion,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Unchanged => "unchanged",
            Change::NewVersion => "new version",
        }
    }
}

/// One question of the files, where it is and what the import does to it.
#[derive(Debug, Clone)]
pub struct QuestionRow {
    pub id: String,
    pub domain: String,
    pub kind: Kind,
    pub file: String,
    pub line: usize,
    pub change: Change,
}

/// The report of a validation or an import.
#[derive(Debug, Clone)]
pub struct Report {
    pub exam: String,
    pub files: Vec<ImportedFile>,
    pub questions: Vec<QuestionRow>,
    pub problems: Vec<FileProblem>,
    pub counts: ImportCounts,
    /// Set once imported; None for a validation, or when errors stopped it.
    pub import_id: Option<Uuid>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.problem.severity == Severity::Error)
    }

    /// Questions per domain and kind, in the exam's domain order.
    pub fn per_domain(&self) -> Vec<(String, Kind, usize)> {
        let mut counts: Vec<(String, Kind, usize)> = Vec::new();
        for q in &self.questions {
            match counts.iter_mut().find(|(d, k, _)| *d == q.domain && *k == q.kind) {
                Some(row) => row.2 += 1,
                None => counts.push((q.domain.clone(), q.kind, 1)),
            }
        }
        counts.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        counts
    }
}

/// Reads and checks `files` (name, bytes) for the exam `slug`; stores
/// nothing.
pub async fn validate(
    app: &App,
    actor: &Actor,
    slug: &str,
    files: &[(String, Vec<u8>)],
    options: &Options,
) -> Result<Report> {
    let exam = exams::editable(app, actor, slug).await?;
    let validated = import::validate(&exam.blueprint, files, options);
    let hashes = current_hashes(&app.db, exam.id).await?;
    Ok(report(slug, &validated, &hashes))
}

/// Checks files against a blueprint with no database (`content check`):
/// every question counts as new.
pub fn check(blueprint: &Blueprint, files: &[(String, Vec<u8>)], options: &Options) -> Report {
    report(&blueprint.slug, &import::validate(blueprint, files, options), &HashMap::new())
}

/// Validates, then imports when nothing is wrong: every question in one
/// transaction, recorded as one import. With any error, nothing is stored
/// and the report says why.
pub async fn import(
    app: &App,
    actor: &Actor,
    slug: &str,
    files: &[(String, Vec<u8>)],
    options: &Options,
) -> Result<Report> {
    let mut tx = app.db.begin().await?;
    let report = import_in(app, &mut tx, actor, slug, files, options).await?;
    if report.import_id.is_some() {
        tx.commit().await?;
    }
    Ok(report)
}

/// [`import`] inside the caller's transaction, which commits it (or not:
/// on errors nothing has been written).
pub(super) async fn import_in(
    app: &App,
    tx: &mut PgConnection,
    actor: &Actor,
    slug: &str,
    files: &[(String, Vec<u8>)],
    options: &Options,
) -> Result<Report> {
    let exam = exams::editable(app, actor, slug).await?;
    let validated = import::validate(&exam.blueprint, files, options);
    // Read the transaction the import writes in, so the report says
    // what this import did.
    let hashes = current_hashes(&mut *tx, exam.id).await?;
    let mut report = report(slug, &validated, &hashes);
    if report.has_errors() {
        return Ok(report);
    }
    let id = Uuid::new_v4();
    let now = app.clock.now();
    let new = NewImport {
        id,
        exam_id: exam.id,
        user_id: actor.user_id,
        actor: &actor.name,
        created_at: now,
        files: &report.files,
        counts: &report.counts,
    };
    imports::record(&mut *tx, &new).await?;
    let written = write_questions(tx, exam.id, &validated.questions, &validated.cases, now, Some(id)).await?;
    report.counts.added = written.added;
    report.counts.changed = written.changed;
    report.counts.unchanged = written.unchanged;
    imports::set_counts(&mut *tx, id, &report.counts).await?;
    report.import_id = Some(id);
    Ok(report)
}

fn report(slug: &str, validated: &import::Validated, hashes: &HashMap<String, String>) -> Report {
    let questions: Vec<QuestionRow> = validated
        .questions
        .iter()
        .map(|q| QuestionRow {
            id: q.question.id.clone(),
            domain: q.question.domain.clone(),
            kind: q.question.body.kind(),
            file: q.file.clone(),
            line: q.line,
            change: change(q, &validated.cases, hashes),
        })
        .collect();
    let count = |c: Change| questions.iter().filter(|q| q.change == c).count();
    let counts = ImportCounts {
        added: count(Change::New),
        changed: count(Change::NewVersion),
        unchanged: count(Change::Unchanged),
        skipped: validated.count(Severity::Skipped),
        warnings: validated.count(Severity::Warning),
    };
    let files = validated
        .files
        .iter()
        .map(|f| ImportedFile {
            name: f.name.clone(),
            format: f.format.map(|f| f.as_str().to_string()).unwrap_or_default(),
            bytes: f.bytes,
            checksum: f.checksum.clone(),
            questions: f.questions,
        })
        .collect();
    Report { exam: slug.to_string(), files, questions, problems: validated.problems.clone(), counts, import_id: None }
}

fn change(q: &SourcedQuestion, cases: &[CaseStudy], hashes: &HashMap<String, String>) -> Change {
    let Some(old) = hashes.get(&q.question.id) else {
        return Change::New;
    };
    let case = q.question.case.as_deref().and_then(|id| cases.iter().find(|c| c.id == id)).cloned();
    let hash = content_hash(&VersionContent { question: q.question.clone(), case });
    if *old == hash { Change::Unchanged } else { Change::NewVersion }
}

/// An exam's imports, newest first.
pub async fn list(app: &App, actor: &Actor, slug: &str) -> Result<Vec<ImportRecord>> {
    let exam = exams::editable(app, actor, slug).await?;
    Ok(imports::list(&app.db, exam.id, 200).await?)
}

/// An exam's current questions (not retired), or those of one question set
/// (see [`current_contents`]), written in `format`, with what the format
/// could not carry; None for a read-only format. A set with no questions
/// is not found.
pub async fn export(
    app: &App,
    actor: &Actor,
    slug: &str,
    format: Format,
    set: Option<&str>,
) -> Result<Option<Written>> {
    let exam = exams::editable(app, actor, slug).await?;
    let contents = current_contents(&app.db, exam.id, set).await?;
    if set.is_some() && contents.is_empty() {
        return Err(Error::NotFound);
    }
    let mut cases: Vec<CaseStudy> = Vec::new();
    for case in contents.iter().filter_map(|c| c.case.as_ref()) {
        if !cases.iter().any(|c| c.id == case.id) {
            cases.push(case.clone());
        }
    }
    let questions: Vec<_> = contents.into_iter().map(|c| c.question).collect();
    Ok(format.write(&questions, &cases))
}

/// A report as JSON, the same for `mockexam import --json` and the API.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReportJson {
    pub exam: String,
    /// Set when the questions were imported; null for a dry run, or when
    /// errors stopped the import (then nothing was stored).
    pub import_id: Option<Uuid>,
    /// True when nothing can be imported until the errors are fixed.
    pub has_errors: bool,
    pub counts: ImportCounts,
    pub files: Vec<ImportedFile>,
    /// Questions per domain and kind.
    pub per_domain: Vec<DomainCountJson>,
    pub questions: Vec<QuestionJson>,
    pub problems: Vec<ProblemJson>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DomainCountJson {
    pub domain: String,
    /// single, multiple, ordering or matching
    pub kind: String,
    pub questions: usize,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct QuestionJson {
    pub id: String,
    pub domain: String,
    pub kind: String,
    pub file: String,
    pub line: usize,
    /// new, unchanged or new version
    pub change: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProblemJson {
    /// error (nothing is imported), skipped (a question of a kind mockexam
    /// cannot hold, left out) or warning
    pub severity: String,
    /// Empty for a problem with the options (a domain map, say).
    pub file: String,
    pub line: usize,
    pub column: Option<usize>,
    pub question: Option<String>,
    pub message: String,
}

impl From<&Report> for ReportJson {
    fn from(r: &Report) -> Self {
        ReportJson {
            exam: r.exam.clone(),
            import_id: r.import_id,
            has_errors: r.has_errors(),
            counts: r.counts.clone(),
            files: r.files.clone(),
            per_domain: r
                .per_domain()
                .into_iter()
                .map(|(domain, kind, questions)| DomainCountJson { domain, kind: kind.as_str().into(), questions })
                .collect(),
            questions: r
                .questions
                .iter()
                .map(|q| QuestionJson {
                    id: q.id.clone(),
                    domain: q.domain.clone(),
                    kind: q.kind.as_str().into(),
                    file: q.file.clone(),
                    line: q.line,
                    change: q.change.as_str().into(),
                })
                .collect(),
            problems: r
                .problems
                .iter()
                .map(|p| ProblemJson {
                    severity: p.problem.severity.as_str().into(),
                    file: p.file.clone(),
                    line: p.problem.line,
                    column: p.problem.column,
                    question: p.problem.question.clone(),
                    message: p.problem.message.clone(),
                })
                .collect(),
        }
    }
}
