//! The upload of a question set: the form, holding the files, the preview
//! of what an import would do, and the import itself. The use cases are
//! `app::uploads`; this module reads the form and shapes the pages.

use askama::Template;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::diff::{self, Mark};
use super::learner_view;
use crate::app::exams;
use crate::app::exams::Actor;
use crate::app::imports::Change;
use crate::app::uploads::{self, ImportOutcome, Preview};
use crate::content::formats::Format;
use crate::content::import::{FileProblem, Options};
use crate::exam::Blueprint;
use crate::exam::kind::Kind;
use crate::web::attempts::view::ItemView;
use crate::web::form::FieldErrors;
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

/// Files as named and uploaded.
type Files = Vec<(String, Vec<u8>)>;

/// The form as typed, kept to show it again with its errors.
#[derive(Debug, Default)]
struct UploadForm {
    files: Files,
    pasted: String,
    pasted_name: String,
    format: String,
    domain_map: String,
    all_in_domain: String,
}

#[derive(Template)]
#[template(path = "instructor/upload.html")]
struct UploadPage {
    chrome: Chrome,
    exam: Blueprint,
    form: UploadForm,
    errors: FieldErrors,
    formats: [Format; 6],
    limit_kb: usize,
}

pub async fn new_upload(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(slug): Path<String>,
) -> Result<Response> {
    let exam = exams::editable(&state, &actor, &slug).await?.blueprint;
    let form = UploadForm { pasted_name: "pasted".into(), ..UploadForm::default() };
    render_form(&state, chrome, exam, form, FieldErrors::default(), StatusCode::OK)
}

fn render_form(
    state: &AppState,
    chrome: Chrome,
    exam: Blueprint,
    form: UploadForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response> {
    let page = UploadPage {
        chrome,
        exam,
        form,
        errors,
        formats: Format::ALL,
        limit_kb: state.config.import_limit_bytes / 1024,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// Reads the multipart form; a body over the limit is an error on the
/// files field, not a broken page.
async fn read_form(mut multipart: Multipart, errors: &mut FieldErrors, limit_kb: usize) -> UploadForm {
    let mut form = UploadForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                errors.add("files", read_error(&e, limit_kb));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => {
                errors.add("files", read_error(&e, limit_kb));
                break;
            }
        };
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            // A browser sends an empty part, with no name, when no file
            // was chosen.
            "files" => {
                if let Some(file_name) = file_name.filter(|n| !n.is_empty()) {
                    form.files.push((file_name, bytes.to_vec()));
                }
            }
            "pasted" => form.pasted = text(),
            "pasted_name" => form.pasted_name = text(),
            "format" => form.format = text(),
            "domain_map" => form.domain_map = text(),
            "all_in_domain" => form.all_in_domain = text(),
            _ => {}
        }
    }
    form
}

fn read_error(e: &MultipartError, limit_kb: usize) -> String {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        format!("The upload is over the limit of {limit_kb} KiB. Upload fewer or smaller files.")
    } else {
        "The upload arrived incomplete. Choose the files again.".into()
    }
}

/// The files and options the form asks for, or what is wrong, per field.
fn parse(form: &UploadForm, exam: &Blueprint, errors: &mut FieldErrors) -> Option<(Files, Options)> {
    let mut files = form.files.clone();
    if !form.pasted.trim().is_empty() {
        let name = form.pasted_name.trim();
        files
            .push((if name.is_empty() { "pasted".into() } else { name.to_string() }, form.pasted.clone().into_bytes()));
    }
    if files.is_empty() && errors.get("files").is_none() {
        errors.add("files", "Choose a file, or paste the questions below.");
    }
    let format = match form.format.as_str() {
        "" => None,
        name => {
            let format = Format::parse(name);
            if format.is_none() {
                errors.add("format", format!("“{name}” is not a format we read."));
            }
            format
        }
    };
    let mut domain_map = Vec::new();
    for (n, line) in form.domain_map.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match Options::parse_mapping(line) {
            Ok((category, domain)) if exam.domain(&domain).is_some() => domain_map.push((category, domain)),
            Ok((_, domain)) => {
                errors.add("domain_map", format!("Line {}: “{domain}” is not a domain of this exam.", n + 1));
                break;
            }
            Err(e) => {
                errors.add("domain_map", format!("Line {}: {e}.", n + 1));
                break;
            }
        }
    }
    let all_in_domain = Some(form.all_in_domain.trim().to_string()).filter(|d| !d.is_empty());
    if let Some(d) = &all_in_domain
        && exam.domain(d).is_none()
    {
        errors.add("all_in_domain", format!("“{d}” is not a domain of this exam."));
    }
    errors.is_empty().then_some((files, Options { format, domain_map, all_in_domain }))
}

pub async fn hold_upload(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response> {
    let exam = exams::editable(&state, &actor, &slug).await?.blueprint;
    let mut errors = FieldErrors::default();
    let mut form = read_form(multipart, &mut errors, state.config.import_limit_bytes / 1024).await;
    match parse(&form, &exam, &mut errors) {
        Some((files, options)) => {
            let id = uploads::hold(&state, &actor, &slug, files, &options).await?;
            Ok(Redirect::to(&format!("/instructor/uploads/{id}")).into_response())
        }
        None => {
            // A browser cannot be given its chosen files back: they are
            // chosen again, and everything typed is kept.
            form.files.clear();
            render_form(&state, chrome, exam, form, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// One question of the preview, rendered as a learner sees it.
struct QuestionView {
    id: String,
    domain: String,
    file: String,
    line: usize,
    item: ItemView,
    /// For a new version: its text against the current one's.
    diff: Vec<(Mark, String)>,
}

/// A problem, with its question's anchor when the question is shown.
struct ProblemView {
    severity: &'static str,
    place: String,
    question: Option<String>,
    shown: bool,
    message: String,
}

#[derive(Template)]
#[template(path = "instructor/preview.html")]
struct PreviewPage {
    chrome: Chrome,
    id: Uuid,
    exam: Blueprint,
    preview: Preview,
    per_domain: Vec<(String, Kind, usize)>,
    problems: Vec<ProblemView>,
    /// New, new-version and unchanged questions, each group with its title.
    groups: Vec<(&'static str, Vec<QuestionView>)>,
    has_errors: bool,
    error: Option<String>,
}

pub async fn show_preview(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    render_preview(&state, &actor, chrome, id, None, StatusCode::OK).await
}

async fn render_preview(
    state: &AppState,
    actor: &Actor,
    chrome: Chrome,
    id: Uuid,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let preview = uploads::preview(state, actor, id).await?;
    let (mut new, mut changed, mut unchanged) = (Vec::new(), Vec::new(), Vec::new());
    for (n, q) in preview.questions.iter().enumerate() {
        let view = QuestionView {
            id: q.row.id.clone(),
            domain: q.row.domain.clone(),
            file: q.row.file.clone(),
            line: q.row.line,
            item: learner_view(q.content.clone(), n as i32 + 1),
            diff: q.current.as_ref().map(|c| diff::lines(&text(c), &text(&q.content))).unwrap_or_default(),
        };
        match q.row.change {
            Change::New => new.push(view),
            Change::NewVersion => changed.push(view),
            Change::Unchanged => unchanged.push(view),
        }
    }
    let shown = |id: &str| preview.questions.iter().any(|q| q.row.id == id);
    let problems = preview.report.problems.iter().map(|p| problem_view(p, &shown)).collect();
    let page = PreviewPage {
        chrome,
        id,
        exam: preview.exam.blueprint.clone(),
        per_domain: preview.report.per_domain(),
        has_errors: preview.report.has_errors(),
        problems,
        groups: vec![("New questions", new), ("New versions", changed), ("Unchanged questions", unchanged)],
        error,
        preview,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn problem_view(p: &FileProblem, shown: &dyn Fn(&str) -> bool) -> ProblemView {
    let pr = &p.problem;
    let place = match pr.column {
        Some(c) => format!("{}:{}:{c}", p.file, pr.line),
        None => format!("{}:{}", p.file, pr.line),
    };
    ProblemView {
        severity: pr.severity.as_str(),
        place,
        shown: pr.question.as_deref().is_some_and(shown),
        question: pr.question.clone(),
        message: pr.message.clone(),
    }
}

/// A question as lines of text, for the diff: stem, explanation, and the
/// options, key and rationales one field a line.
fn text(c: &crate::exam::VersionContent) -> String {
    let q = &c.question;
    let body = serde_json::to_string_pretty(&q.body).unwrap_or_default();
    format!("{}\n\nExplanation: {}\n\n{body}", q.stem, q.explanation)
}

pub async fn import_upload(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    match uploads::import(&state, &actor, id).await? {
        ImportOutcome::Imported(report) => {
            let c = &report.counts;
            Ok(Redirect::to(&format!(
                "/instructor/exams/{}?added={}&changed={}&unchanged={}",
                report.exam, c.added, c.changed, c.unchanged
            ))
            .into_response())
        }
        ImportOutcome::HasErrors => {
            let message = "Nothing was imported: the files still have errors. Correct them and upload again.";
            render_preview(&state, &actor, chrome, id, Some(message.into()), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
