//! The instructor's exam list and exam page: facts, exports, past imports.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::app::exams::Actor;
use crate::app::{exams, imports, report_inbox};
use crate::content::formats::Format;
use crate::exam::Blueprint;
use crate::store::exams::Exam;
use crate::store::imports::ImportRecord;
use crate::web::format::utc_minute;
use crate::web::formats::{export_download, writable_format};
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

#[derive(Template)]
#[template(path = "instructor/exams.html")]
struct ExamsPage {
    chrome: Chrome,
    exams: Vec<Exam>,
}

pub async fn list_exams(State(state): State<AppState>, Editor(actor): Editor, chrome: Chrome) -> Result<Response> {
    let exams = exams::editable_list(&state, &actor).await?;
    Ok(Html(ExamsPage { chrome, exams }.render()?).into_response())
}

/// The counts an import just made, carried in the redirect's query.
#[derive(Deserialize)]
pub struct Imported {
    added: Option<usize>,
    changed: Option<usize>,
    unchanged: Option<usize>,
}

#[derive(Template)]
#[template(path = "instructor/exam.html")]
struct ExamPage {
    chrome: Chrome,
    exam: Blueprint,
    /// Whether learners see it, and why publishing was refused if it was.
    published: bool,
    publish_error: Option<String>,
    imports: Vec<ImportRecord>,
    formats: Vec<Format>,
    notice: Option<String>,
    /// Its reports waiting for an answer (open or acknowledged).
    unresolved_reports: i64,
}

impl ExamPage {
    fn when(&self, r: &ImportRecord) -> String {
        utc_minute(r.created_at)
    }
}

pub async fn show_exam(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(slug): Path<String>,
    Query(imported): Query<Imported>,
) -> Result<Response> {
    let notice = match imported {
        Imported { added: Some(n), changed: Some(m), unchanged: Some(k) } => {
            Some(format!("Imported: {n} new, {m} new versions, {k} unchanged."))
        }
        _ => None,
    };
    render_exam(&state, &actor, chrome, &slug, notice, None, StatusCode::OK).await
}

/// The exam page, with a notice of what was just done or why publishing
/// was refused.
pub(super) async fn render_exam(
    state: &AppState,
    actor: &Actor,
    chrome: Chrome,
    slug: &str,
    notice: Option<String>,
    publish_error: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let exam = exams::editable(state, actor, slug).await?;
    let imports = imports::list(state, actor, slug).await?;
    let formats = Format::ALL.into_iter().filter(|f| f.writable()).collect();
    let unresolved_reports = report_inbox::unresolved(state, &exam, None).await?;
    let page = ExamPage {
        chrome,
        exam: exam.blueprint,
        published: exam.published,
        publish_error,
        imports,
        formats,
        notice,
        unresolved_reports,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    format: String,
    /// One question set (the file its questions came from); the whole
    /// exam without it.
    set: Option<String>,
}

/// The exam's current questions (or one question set's) as a file in a
/// writable format.
pub async fn export_questions(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path(slug): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response> {
    let format = writable_format(&query.format)?;
    let set = query.set.as_deref().filter(|s| !s.is_empty());
    export_download(&state, &actor, &slug, format, set).await
}
