//! An exam's questions for its editors: the list (search, filters, pages),
//! one question's page (rendered as a learner sees it, its key and
//! rationales, its history and a diff between versions), and retiring or
//! restoring it. Editing is `question_edit`. The use cases are
//! `app::questions`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::diff::{self, Mark};
use super::learner_view;
use crate::app::questions::{self, Detail};
use crate::app::report_inbox;
use crate::content::formats::Format;
use crate::exam::kind::Kind;
use crate::exam::{Blueprint, VersionContent};
use crate::store::imports::ImportRecord;
use crate::store::questions::{Filter, Listed};
use crate::web::attempts::view::ItemView;
use crate::web::format::utc_minute;
use crate::web::paging::Paging;
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

/// Questions a page of the list holds.
const PER_PAGE: usize = 50;

/// The list's form as typed; every field kept in the page links.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    domain: String,
    kind: String,
    tag: String,
    difficulty: String,
    upload: String,
    /// `live` (the default), `retired` or `all`.
    state: String,
    page: String,
}

impl ListQuery {
    fn filter(&self) -> Filter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Filter {
            text: some(&self.q),
            domain: some(&self.domain),
            kind: some(&self.kind),
            tag: some(&self.tag),
            difficulty: some(&self.difficulty),
            import: self.upload.parse().ok(),
            retired: match self.state.as_str() {
                "retired" => Some(true),
                "all" => None,
                _ => Some(false),
            },
        }
    }

    /// The state as the form shows it.
    fn state(&self) -> &str {
        match self.state.as_str() {
            "retired" | "all" => &self.state,
            _ => "live",
        }
    }

    /// The link to page `page` with the same filters.
    fn page_link(&self, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("q", &self.q),
            ("domain", &self.domain),
            ("kind", &self.kind),
            ("tag", &self.tag),
            ("difficulty", &self.difficulty),
            ("upload", &self.upload),
        ] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        query.append_pair("state", self.state());
        query.append_pair("page", &page.to_string());
        format!("?{}", query.finish())
    }
}

#[derive(Template)]
#[template(path = "instructor/questions.html")]
struct ListPage {
    chrome: Chrome,
    exam: Blueprint,
    form: ListQuery,
    questions: Vec<Listed>,
    total: usize,
    paging: Paging,
    /// Links to the other pages, the filters kept.
    prev_link: Option<String>,
    next_link: Option<String>,
    page_links: Vec<(usize, String)>,
    kinds: [Kind; 4],
    imports: Vec<ImportRecord>,
    tags: Vec<String>,
}

impl ListPage {
    fn import_label(&self, r: &ImportRecord) -> String {
        let files: Vec<&str> = r.files.iter().map(|f| f.name.as_str()).collect();
        format!("{} · {} · {}", utc_minute(r.created_at), r.actor, files.join(", "))
    }
}

pub async fn list_questions(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(slug): Path<String>,
    Query(form): Query<ListQuery>,
) -> Result<Response> {
    let page = form.page.parse().unwrap_or(1);
    let listing = questions::list(&state, &actor, &slug, &form.filter(), page, PER_PAGE).await?;
    let paging = Paging::new(listing.total, PER_PAGE, listing.page);
    let page = ListPage {
        chrome,
        exam: listing.exam.blueprint,
        prev_link: paging.previous().map(|p| form.page_link(p)),
        next_link: paging.next().map(|p| form.page_link(p)),
        page_links: paging.numbers().map(|p| (p, form.page_link(p))).collect(),
        paging,
        total: listing.total,
        questions: listing.questions,
        kinds: Kind::ALL,
        imports: listing.imports,
        tags: listing.tags,
        form,
    };
    Ok(Html(page.render()?).into_response())
}

/// A row of the version history.
struct VersionRow {
    number: i32,
    when: String,
    author: String,
    hash: String,
}

#[derive(Template)]
#[template(path = "instructor/question.html")]
struct QuestionPage {
    chrome: Chrome,
    exam: Blueprint,
    key: String,
    source: String,
    retired: bool,
    number: i32,
    item: ItemView,
    versions: Vec<VersionRow>,
    /// The versions compared, and their diff (empty with one version).
    from: i32,
    to: i32,
    diff: Vec<(Mark, String)>,
    formats: Vec<Format>,
    notice: Option<String>,
    /// Its reports waiting for an answer, and the inbox filtered to it.
    unresolved_reports: i64,
    reports_url: String,
}

impl QuestionPage {
    fn url(&self) -> String {
        question_url(&self.exam.slug, &self.key)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    from: String,
    to: String,
    /// The version number a save just made.
    saved: String,
}

pub async fn show_question(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path((slug, key)): Path<(String, String)>,
    Query(query): Query<ShowQuery>,
) -> Result<Response> {
    let detail = questions::show(&state, &actor, &slug, &key).await?;
    let current = detail.current().number;
    // By default the previous version against the current one.
    let to = query.to.parse().ok().filter(|n| detail.version(*n).is_some()).unwrap_or(current);
    let from = query.from.parse().ok().filter(|n| detail.version(*n).is_some()).unwrap_or((to - 1).max(1));
    let diff = compare(&detail, from, to);
    let notice = query
        .saved
        .parse::<i32>()
        .ok()
        .filter(|n| detail.version(*n).is_some())
        .map(|n| format!("Saved as version {n}."));
    let versions = detail
        .versions
        .iter()
        .map(|v| VersionRow {
            number: v.number,
            when: utc_minute(v.created_at),
            author: v.author.clone(),
            hash: v.content_hash.chars().take(12).collect(),
        })
        .collect();
    let unresolved_reports = report_inbox::unresolved(&state, &detail.exam, Some(detail.question.id)).await?;
    let page = QuestionPage {
        chrome,
        unresolved_reports,
        reports_url: super::reports::inbox_url(&slug, Some(detail.question.id)),
        number: current,
        item: learner_view(detail.current().content.clone(), 1),
        key: detail.question.key.clone(),
        source: detail.question.source.clone(),
        retired: detail.question.retired,
        exam: detail.exam.blueprint,
        versions,
        from,
        to,
        diff,
        formats: Format::ALL.into_iter().filter(|f| f.writable()).collect(),
        notice,
    };
    Ok(Html(page.render()?).into_response())
}

/// Version `from` against version `to`, line by line; nothing when they
/// are the same version.
fn compare(detail: &Detail, from: i32, to: i32) -> Vec<(Mark, String)> {
    match (detail.version(from), detail.version(to)) {
        (Some(a), Some(b)) if from != to => diff::lines(&as_text(&a.content), &as_text(&b.content)),
        _ => Vec::new(),
    }
}

/// A version as the lines an editor knows: our Markdown, or, for one our
/// format cannot hold, its fields as JSON.
fn as_text(content: &VersionContent) -> String {
    questions::markdown_of(content).unwrap_or_else(|_| serde_json::to_string_pretty(content).unwrap_or_default())
}

pub async fn retire_question(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path((slug, key)): Path<(String, String)>,
) -> Result<Response> {
    questions::set_retired(&state, &actor, &slug, &key, true).await?;
    Ok(Redirect::to(&question_url(&slug, &key)).into_response())
}

pub async fn restore_question(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path((slug, key)): Path<(String, String)>,
) -> Result<Response> {
    questions::set_retired(&state, &actor, &slug, &key, false).await?;
    Ok(Redirect::to(&question_url(&slug, &key)).into_response())
}

/// The question page's address, its id percent-encoded (ids from other
/// formats may hold any character).
pub(super) fn question_url(slug: &str, key: &str) -> String {
    let encoded: String = key
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/instructor/exams/{slug}/questions/{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_the_filters() {
        let form = ListQuery { q: "a b&c".into(), tag: "t".into(), state: "all".into(), ..ListQuery::default() };
        assert_eq!(form.page_link(3), "?q=a+b%26c&tag=t&state=all&page=3");
        assert_eq!(ListQuery::default().page_link(1), "?state=live&page=1");
    }

    #[test]
    fn the_state_filter_defaults_to_live_questions() {
        assert_eq!(ListQuery::default().filter().retired, Some(false));
        assert_eq!(ListQuery { state: "retired".into(), ..ListQuery::default() }.filter().retired, Some(true));
        assert_eq!(ListQuery { state: "all".into(), ..ListQuery::default() }.filter().retired, None);
    }

    #[test]
    fn question_ids_are_encoded_in_addresses() {
        assert_eq!(question_url("x", "d1-a"), "/instructor/exams/x/questions/d1-a");
        assert_eq!(question_url("x", "Q1 a/b"), "/instructor/exams/x/questions/Q1%20a%2Fb");
    }
}
