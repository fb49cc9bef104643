//! An exam's problem-report inbox: the list (filters by status, reason and
//! question; pages of 50), one report with the question as its learner saw
//! it, and the form that acknowledges, resolves or reopens it. The use
//! cases are `app::report_inbox`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::learner_view;
use super::questions::question_url;
use crate::app::exams::Actor;
use crate::app::report_inbox::{
    self, AnswerOutcome, AnswerRequest, InboxEntry, MAX_DUPLICATE_OF_CHARS, MAX_REPLY_CHARS,
};
use crate::exam::Blueprint;
use crate::exam::kind::Kind;
use crate::store::report_inbox::InboxFilter;
use crate::store::reports::{Reason, Status};
use crate::web::attempts::view::ItemView;
use crate::web::form::{AppForm, FieldErrors};
use crate::web::format::utc_minute;
use crate::web::paging::Paging;
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

/// Reports a page of the inbox holds.
const PER_PAGE: usize = 50;

/// The inbox's filters as typed; every field kept in the page links.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    status: String,
    reason: String,
    /// A question's uuid: the item-analysis page links here with it.
    question: String,
    page: String,
}

impl InboxQuery {
    fn filter(&self) -> InboxFilter {
        InboxFilter {
            status: Status::parse(self.status.trim()),
            reason: Reason::parse(self.reason.trim()),
            question: self.question.trim().parse().ok(),
        }
    }

    /// The link to page `page` with the same filters.
    fn page_link(&self, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [("status", &self.status), ("reason", &self.reason), ("question", &self.question)] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        query.append_pair("page", &page.to_string());
        format!("?{}", query.finish())
    }
}

/// The address of exam `slug`'s inbox, or of the reports on one question.
pub(super) fn inbox_url(slug: &str, question: Option<Uuid>) -> String {
    match question {
        Some(q) => format!("/instructor/exams/{slug}/reports?question={q}"),
        None => format!("/instructor/exams/{slug}/reports"),
    }
}

/// A report as the inbox and the report page show it.
struct Row {
    id: Uuid,
    question_id: Uuid,
    question_key: String,
    question_href: String,
    stem_line: String,
    reason: Reason,
    comment: String,
    status: Status,
    when: String,
    version: i32,
    version_current: bool,
    learner: String,
    reply: Option<String>,
    duplicate_of: Option<String>,
    resolved: Option<String>,
    resolver: Option<String>,
    question_reports: i64,
    question_unresolved: i64,
}

impl Row {
    fn new(slug: &str, e: InboxEntry) -> Row {
        let r = e.report;
        Row {
            id: r.id,
            question_id: r.question_id,
            question_href: question_url(slug, &r.question_key),
            question_key: r.question_key,
            stem_line: e.stem_line,
            reason: r.reason,
            comment: r.comment,
            status: r.status,
            when: utc_minute(r.created_at),
            version: r.version_number,
            version_current: r.version_current,
            learner: r.learner,
            reply: r.answer.reply,
            duplicate_of: r.answer.duplicate_of,
            resolved: r.answer.resolved_at.map(utc_minute),
            resolver: r.resolver,
            question_reports: r.question_reports,
            question_unresolved: r.question_unresolved,
        }
    }
}

#[derive(Template)]
#[template(path = "instructor/reports.html")]
struct InboxPage {
    chrome: Chrome,
    exam: Blueprint,
    form: InboxQuery,
    /// The question filtered to: its uuid and, when it is one of the
    /// exam's questions, its id in the exam.
    question: Option<(Uuid, Option<String>)>,
    rows: Vec<Row>,
    total: usize,
    paging: Paging,
    prev_link: Option<String>,
    next_link: Option<String>,
    page_links: Vec<(usize, String)>,
    statuses: [Status; 5],
    reasons: [Reason; 5],
}

pub async fn list_reports(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(slug): Path<String>,
    Query(form): Query<InboxQuery>,
) -> Result<Response> {
    let filter = form.filter();
    let page = form.page.parse().unwrap_or(1);
    let inbox = report_inbox::inbox(&state, &actor, &slug, &filter, page, PER_PAGE).await?;
    let paging = Paging::new(inbox.total, PER_PAGE, inbox.page);
    let rows: Vec<Row> = inbox.reports.into_iter().map(|e| Row::new(&slug, e)).collect();
    let question = filter.question.map(|q| (q, inbox.question_key));
    let page = InboxPage {
        chrome,
        exam: inbox.exam.blueprint,
        prev_link: paging.previous().map(|p| form.page_link(p)),
        next_link: paging.next().map(|p| form.page_link(p)),
        page_links: paging.numbers().map(|p| (p, form.page_link(p))).collect(),
        paging,
        total: inbox.total,
        question,
        rows,
        statuses: Status::ALL,
        reasons: Reason::ALL,
        form,
    };
    Ok(Html(page.render()?).into_response())
}

/// The answer form as typed, kept on an error.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    status: String,
    reply: String,
    duplicate_of: String,
}

#[derive(Template)]
#[template(path = "instructor/report.html")]
struct ReportPage {
    chrome: Chrome,
    exam: Blueprint,
    r: Row,
    /// The question as the learner saw it, key and rationales shown.
    item: ItemView,
    form: AnswerForm,
    errors: FieldErrors,
    notice: Option<&'static str>,
    resolutions: [Status; 3],
    max_reply: usize,
    max_duplicate_of: usize,
}

impl ReportPage {
    fn url(&self) -> String {
        format!("/instructor/exams/{}/reports/{}", self.exam.slug, self.r.id)
    }

    fn inbox_url(&self) -> String {
        inbox_url(&self.exam.slug, None)
    }

    fn question_inbox_url(&self) -> String {
        inbox_url(&self.exam.slug, Some(self.r.question_id))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    /// The status an answer just set.
    saved: String,
}

/// The report page: with the answer as typed and its problems when it was
/// refused (422), else with the report's own answer in the form.
async fn render_report(
    state: &AppState,
    actor: &Actor,
    chrome: Chrome,
    (slug, id): (&str, Uuid),
    refused: Option<(AnswerForm, FieldErrors)>,
    notice: Option<&'static str>,
) -> Result<Response> {
    let detail = report_inbox::report(state, actor, slug, id).await?;
    let r = Row::new(slug, detail.entry);
    let status = if refused.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    // A second look shows what was said.
    let (form, errors) = refused.unwrap_or_else(|| {
        let form = AnswerForm {
            status: if r.status.is_resolved() { r.status.as_str().to_string() } else { String::new() },
            reply: r.reply.clone().unwrap_or_default(),
            duplicate_of: r.duplicate_of.clone().unwrap_or_default(),
        };
        (form, FieldErrors::default())
    });
    let page = ReportPage {
        chrome,
        exam: detail.exam.blueprint,
        r,
        item: learner_view(detail.seen, 1),
        form,
        errors,
        notice,
        resolutions: [Status::Fixed, Status::Rejected, Status::Duplicate],
        max_reply: MAX_REPLY_CHARS,
        max_duplicate_of: MAX_DUPLICATE_OF_CHARS,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show_report(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path((slug, id)): Path<(String, Uuid)>,
    Query(query): Query<ReportQuery>,
) -> Result<Response> {
    // Notices are fixed words: a link cannot make this page say anything else.
    let notice = match Status::parse(&query.saved) {
        Some(Status::Open) => Some("Reopened: the report is open again, its reply cleared."),
        Some(Status::Acknowledged) => Some("Marked acknowledged: the learner sees that you are working on it."),
        Some(_) => Some("Resolved: the learner sees the status and your reply on their reports."),
        None => None,
    };
    render_report(&state, &actor, chrome, (&slug, id), None, notice).await
}

pub async fn answer_report(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path((slug, id)): Path<(String, Uuid)>,
    AppForm(form): AppForm<AnswerForm>,
) -> Result<Response> {
    let request = AnswerRequest { status: &form.status, reply: &form.reply, duplicate_of: &form.duplicate_of };
    match report_inbox::answer(&state, &actor, &slug, id, request).await? {
        AnswerOutcome::Saved(status) => {
            let to = format!("/instructor/exams/{slug}/reports/{id}?saved={}", status.as_str());
            Ok(Redirect::to(&to).into_response())
        }
        AnswerOutcome::Invalid(problems) => {
            let mut errors = FieldErrors::default();
            for (field, message) in problems {
                errors.add(field, message);
            }
            render_report(&state, &actor, chrome, (&slug, id), Some((form, errors)), None).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_the_filters() {
        let q = "0b6c5a8e-3f7d-4c3e-9a51-2f1f7f9a0c11";
        let form = InboxQuery { status: "open".into(), question: q.into(), ..InboxQuery::default() };
        assert_eq!(form.page_link(2), format!("?status=open&question={q}&page=2"));
        assert_eq!(InboxQuery::default().page_link(1), "?page=1");
    }

    #[test]
    fn unknown_filters_show_every_report() {
        let form =
            InboxQuery { status: "closed".into(), reason: "x".into(), question: "q1".into(), ..Default::default() };
        assert_eq!(form.filter(), InboxFilter::default());
        let form = InboxQuery { status: "duplicate".into(), reason: "typo".into(), ..Default::default() };
        assert_eq!(form.filter().status, Some(Status::Duplicate));
        assert_eq!(form.filter().reason, Some(Reason::Typo));
    }
}
