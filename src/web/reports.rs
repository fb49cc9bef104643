//! Reporting a problem with a question: the form on practice feedback and
//! on each item of a result, and the learner's own reports (`/me/reports`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;

use super::form::AppForm;
use super::misses::utc_day;
use super::outcomes::{self, ItemNotice};
use super::session::{Chrome, CurrentUser};
use super::{AppState, Result};
use crate::app::reports::{self, LIST_LIMIT, MAX_COMMENT_CHARS, ReportEntry, ReportRequest};
use crate::store::reports::{ItemReport, Reason, Status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/reports", get(show_reports))
        .route("/me/reports/{id}", get(show_report))
        .route("/attempts/{id}/items/{n}/report", post(file_report))
}

/// Which page a report form is on, so the learner comes back to it.
const FROM_ITEM: &str = "item";
const FROM_RESULT: &str = "result";

/// What the report form on an item shows: the reasons, the learner's
/// reports on it so far, and the notice after sending one.
pub struct ItemReports {
    reports: Vec<ItemReport>,
    notice: Option<(i32, ItemNotice)>,
    /// The page the form is on: [`FROM_ITEM`] or [`FROM_RESULT`].
    pub from: &'static str,
    pub reasons: [Reason; 5],
    pub max_comment: usize,
}

impl ItemReports {
    fn new(reports: Vec<ItemReport>, notice: Option<(i32, ItemNotice)>, from: &'static str) -> Self {
        let notice = notice.filter(|(_, n)| !n.is_note());
        ItemReports { reports, notice, from, reasons: Reason::ALL, max_comment: MAX_COMMENT_CHARS }
    }

    /// For every item of the learner's own finished attempt.
    pub async fn for_result(
        app: &AppState,
        user: Uuid,
        attempt: Uuid,
        notice: Option<(i32, ItemNotice)>,
    ) -> Result<Self> {
        Ok(Self::new(reports::of_attempt(app, user, attempt, None).await?, notice, FROM_RESULT))
    }

    /// For one item of the learner's own attempt, on its page.
    pub async fn for_item(
        app: &AppState,
        user: Uuid,
        attempt: Uuid,
        position: i32,
        notice: Option<ItemNotice>,
    ) -> Result<Self> {
        let found = reports::of_attempt(app, user, attempt, Some(position)).await?;
        Ok(Self::new(found, notice.map(|n| (position, n)), FROM_ITEM))
    }

    pub fn of(&self, position: &i32) -> Vec<&ItemReport> {
        self.reports.iter().filter(|r| r.position == *position).collect()
    }

    pub fn notice(&self, position: &i32) -> Option<&'static str> {
        self.notice.filter(|(p, _)| p == position).map(|(_, n)| n.message())
    }
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    comment: String,
    /// [`FROM_ITEM`] or [`FROM_RESULT`]: a word, never an address.
    #[serde(default)]
    from: String,
}

async fn file_report(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path((id, n)): Path<(Uuid, i32)>,
    AppForm(form): AppForm<ReportForm>,
) -> Result<Response> {
    let request = ReportRequest { reason: &form.reason, comment: &form.comment };
    let outcome = reports::report(&app, session.user.id.0, id, n, request).await?;
    let notice = outcomes::report_outcome(outcome)?.as_str();
    let to = if form.from == FROM_ITEM {
        format!("/attempts/{id}/items/{n}?notice={notice}#report-{n}")
    } else {
        format!("/attempts/{id}/result?notice={notice}&item={n}#item-{n}")
    };
    Ok(Redirect::to(&to).into_response())
}

/// A report as the learner's pages show it.
struct ReportRow {
    id: Uuid,
    day: String,
    updated: Option<String>,
    reason: Reason,
    status: Status,
    comment: String,
    exam_title: String,
    question_key: String,
    version: i32,
    stem_line: String,
    /// The item it was sent from, while its attempt exists.
    item_href: Option<String>,
    position: Option<i32>,
    /// The instructor's reply (plain text, shown escaped), the report or
    /// question a duplicate repeats, and the day it was resolved.
    reply: Option<String>,
    duplicate_of: Option<String>,
    resolved: Option<String>,
}

impl From<ReportEntry> for ReportRow {
    fn from(e: ReportEntry) -> Self {
        let r = e.report;
        let day = utc_day(r.created_at);
        let updated = Some(utc_day(r.updated_at)).filter(|u| *u != day);
        ReportRow {
            id: r.id,
            day,
            updated,
            reason: r.reason,
            status: r.status,
            comment: r.comment,
            exam_title: r.exam_title,
            question_key: r.question_key,
            version: r.version_number,
            stem_line: e.stem_line,
            // The item page sends a finished attempt's item to its result.
            item_href: r.attempt_id.zip(r.position).map(|(a, p)| format!("/attempts/{a}/items/{p}")),
            position: r.position,
            reply: r.answer.reply,
            duplicate_of: r.answer.duplicate_of,
            resolved: r.answer.resolved_at.map(utc_day),
        }
    }
}

fn page(page: impl Template) -> Result<Response> {
    Ok((StatusCode::OK, [(header::CACHE_CONTROL, "private, no-cache")], Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "progress/reports.html")]
struct ReportsPage {
    chrome: Chrome,
    rows: Vec<ReportRow>,
    /// Whether there may be older reports than the [`LIST_LIMIT`] shown.
    truncated: bool,
    limit: i64,
    statuses: [Status; 5],
}

async fn show_reports(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
) -> Result<Response> {
    let rows: Vec<ReportRow> = reports::list(&app, session.user.id.0).await?.into_iter().map(ReportRow::from).collect();
    let truncated = rows.len() as i64 >= LIST_LIMIT;
    page(ReportsPage { chrome, rows, truncated, limit: LIST_LIMIT, statuses: Status::ALL })
}

#[derive(Template)]
#[template(path = "progress/report.html")]
struct ReportPage {
    chrome: Chrome,
    r: ReportRow,
}

/// One of the learner's own reports; anyone else's is not found (404).
async fn show_report(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let r = reports::get(&app, session.user.id.0, id).await?.into();
    page(ReportPage { chrome, r })
}
