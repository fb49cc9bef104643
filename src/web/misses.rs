//! Notes on misses: the note form on each item of a result, the learner's
//! misses (`/me/misses`), and their list of error tags (`/me/error-tags`).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::OffsetDateTime;
use time::macros::format_description;
use uuid::Uuid;

use super::form::AppForm;
use super::outcomes::{self, ItemNotice};
use super::session::{Chrome, CurrentUser};
use super::{AppState, Result};
use crate::app::misses::{self, MAX_NOTE_CHARS, MAX_TAG_CHARS, MAX_TAGS, NoteRequest, TagsOutcome};
use crate::store::misses::{MissFilter, Note, TagFilter};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/misses", get(show_misses))
        .route("/me/error-tags", get(show_error_tags).post(save_error_tags))
        .route("/attempts/{id}/items/{n}/note", post(save_note))
}

/// `2026-03-01`: the server keeps UTC and does not know the learner's zone.
pub(super) fn utc_day(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!("[year]-[month]-[day]")).unwrap_or_else(|_| utc.to_string())
}

fn page(status: StatusCode, page: impl Template) -> Result<Response> {
    // Notes are private: no shared cache keeps them.
    Ok((status, [(header::CACHE_CONTROL, "private, no-cache")], Html(page.render()?)).into_response())
}

// ----- the note form on a result's items -----

/// What the note form on each item of a result shows: the learner's note,
/// the tags they may choose, and the notice after a save.
pub struct ItemNotes {
    notes: HashMap<i32, Note>,
    tags: Vec<String>,
    notice: Option<(i32, ItemNotice)>,
    pub max_note: usize,
}

impl ItemNotes {
    /// For the learner's own attempt `attempt`, with the notice its page's
    /// query names.
    pub async fn for_result(
        app: &AppState,
        user: Uuid,
        attempt: Uuid,
        notice: Option<(i32, ItemNotice)>,
    ) -> Result<Self> {
        let found = misses::for_result(app, user, attempt).await?;
        Ok(ItemNotes {
            notes: found.notes.into_iter().map(|n| (n.position, n)).collect(),
            tags: found.tags,
            notice: notice.filter(|(_, n)| n.is_note()),
            max_note: MAX_NOTE_CHARS,
        })
    }

    pub fn note(&self, position: &i32) -> Option<&Note> {
        self.notes.get(position)
    }

    /// The learner's tags, and the note's own if it has left the list.
    pub fn tags(&self, position: &i32) -> Vec<&str> {
        let mut tags: Vec<&str> = self.tags.iter().map(String::as_str).collect();
        if let Some(own) = self.note(position).and_then(|n| n.error_tag.as_deref())
            && !tags.contains(&own)
        {
            tags.push(own);
        }
        tags
    }

    pub fn has_tag(&self, position: &i32, tag: &&str) -> bool {
        self.note(position).and_then(|n| n.error_tag.as_deref()) == Some(*tag)
    }

    pub fn notice(&self, position: &i32) -> Option<&'static str> {
        self.notice.filter(|(p, _)| p == position).map(|(_, n)| n.message())
    }
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    error_tag: String,
    #[serde(default)]
    note: String,
}

async fn save_note(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path((id, n)): Path<(Uuid, i32)>,
    AppForm(form): AppForm<NoteForm>,
) -> Result<Response> {
    let request = NoteRequest { error_tag: &form.error_tag, note: &form.note };
    let outcome = misses::save_note(&app, session.user.id.0, id, n, request).await?;
    let notice = outcomes::note_outcome(outcome, n)?;
    Ok(Redirect::to(&format!("/attempts/{id}/result?notice={}&item={n}#item-{n}", notice.as_str())).into_response())
}

// ----- /me/misses -----

/// The filter's error tag: any, untagged, or `tag:<name>` (a prefix, so no
/// tag a learner writes can read as "untagged").
const UNTAGGED: &str = "untagged";
const TAG_PREFIX: &str = "tag:";

#[derive(Deserialize, Default)]
struct MissQuery {
    #[serde(default)]
    error_tag: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    page: String,
}

impl MissQuery {
    fn filter(&self) -> MissFilter {
        let error_tag = match self.error_tag.as_str() {
            UNTAGGED => TagFilter::Untagged,
            t => match t.strip_prefix(TAG_PREFIX) {
                Some(tag) if !tag.is_empty() => TagFilter::Tag(tag.to_string()),
                _ => TagFilter::Any,
            },
        };
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        MissFilter { error_tag, domain: some(&self.domain), tag: some(&self.tag) }
    }

    /// This list's address on another page.
    fn href(&self, page: u32) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("error_tag", &self.error_tag), ("domain", &self.domain), ("tag", &self.tag)] {
            if !v.is_empty() {
                query.append_pair(k, v);
            }
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        let query = query.finish();
        if query.is_empty() { "/me/misses".into() } else { format!("/me/misses?{query}") }
    }
}

struct MissRow {
    href: String,
    day: String,
    exam_title: String,
    position: i32,
    stem_line: String,
    domain: String,
    tags: Vec<String>,
    error_tag: Option<String>,
    note: String,
}

/// An option of a filter's select: its value, its label, whether chosen.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(values: &[String], chosen: &str, value: impl Fn(&str) -> String) -> Vec<Choice> {
    values
        .iter()
        .map(|v| {
            let value = value(v);
            Choice { selected: value == chosen, label: v.clone(), value }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "progress/misses.html")]
struct MissesPage {
    chrome: Chrome,
    rows: Vec<MissRow>,
    total: u64,
    page: u32,
    pages: u32,
    filtered: bool,
    untagged_selected: bool,
    error_tags: Vec<Choice>,
    domains: Vec<Choice>,
    tags: Vec<Choice>,
    prev: Option<String>,
    next: Option<String>,
}

async fn show_misses(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Query(q): Query<MissQuery>,
) -> Result<Response> {
    let filter = q.filter();
    let requested = q.page.trim().parse::<u32>().unwrap_or(1).max(1);
    let found = misses::list(&app, session.user.id.0, &filter, requested).await?;
    let rows = found
        .misses
        .into_iter()
        .map(|e| MissRow {
            href: format!("/attempts/{0}/result?item={1}#item-{1}", e.miss.attempt_id, e.miss.position),
            day: utc_day(e.miss.finished_at),
            exam_title: e.miss.exam_title,
            position: e.miss.position,
            stem_line: e.stem_line,
            domain: e.miss.domain,
            tags: e.miss.tags,
            error_tag: e.miss.error_tag,
            note: e.miss.note,
        })
        .collect();
    let facets = found.facets;
    let view = MissesPage {
        chrome,
        rows,
        total: found.total,
        page: found.page,
        pages: found.pages,
        filtered: filter != MissFilter::default(),
        untagged_selected: filter.error_tag == TagFilter::Untagged,
        error_tags: choices(&facets.error_tags, &q.error_tag, |t| format!("{TAG_PREFIX}{t}")),
        domains: choices(&facets.domains, &q.domain, str::to_string),
        tags: choices(&facets.tags, &q.tag, str::to_string),
        prev: (found.page > 1).then(|| q.href(found.page.min(found.pages + 1) - 1)),
        next: (found.page < found.pages).then(|| q.href(found.page + 1)),
    };
    page(StatusCode::OK, view)
}

// ----- /me/error-tags -----

#[derive(Template)]
#[template(path = "progress/error_tags.html")]
struct ErrorTagsPage {
    chrome: Chrome,
    /// The list as stored, or as typed when it was refused.
    text: String,
    errors: Vec<String>,
    is_default: bool,
    notice: Option<&'static str>,
    max_tags: usize,
    max_chars: usize,
    rows: usize,
}

impl ErrorTagsPage {
    fn new(chrome: Chrome, text: String, is_default: bool) -> Self {
        let rows = (text.lines().count() + 2).clamp(8, MAX_TAGS + 2);
        ErrorTagsPage {
            chrome,
            text,
            errors: Vec::new(),
            is_default,
            notice: None,
            max_tags: MAX_TAGS,
            max_chars: MAX_TAG_CHARS,
            rows,
        }
    }
}

#[derive(Deserialize, Default)]
struct TagsQuery {
    #[serde(default)]
    saved: String,
}

async fn show_error_tags(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Query(q): Query<TagsQuery>,
) -> Result<Response> {
    let tags = misses::error_tags(&app, session.user.id.0).await?;
    let mut view = ErrorTagsPage::new(chrome, tags.tags.join("\n"), tags.is_default);
    view.notice = match q.saved.as_str() {
        "list" => Some(outcomes::error_tags_notice(false)),
        "default" => Some(outcomes::error_tags_notice(true)),
        _ => None,
    };
    page(StatusCode::OK, view)
}

#[derive(Deserialize)]
struct TagsForm {
    #[serde(default)]
    tags: String,
    /// `reset` goes back to the default list.
    #[serde(default)]
    action: String,
}

async fn save_error_tags(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    AppForm(form): AppForm<TagsForm>,
) -> Result<Response> {
    let user = session.user.id.0;
    if form.action == "reset" {
        misses::reset_error_tags(&app, user).await?;
        return Ok(Redirect::to("/me/error-tags?saved=default").into_response());
    }
    match misses::set_error_tags(&app, user, &form.tags).await? {
        TagsOutcome::Saved => Ok(Redirect::to("/me/error-tags?saved=list").into_response()),
        TagsOutcome::Refused(problems) => {
            // Shown back as typed: nothing the learner wrote is lost.
            let is_default = misses::error_tags(&app, user).await?.is_default;
            let mut view = ErrorTagsPage::new(chrome, form.tags, is_default);
            view.errors = problems.iter().map(outcomes::tag_list_problem).collect();
            page(StatusCode::UNPROCESSABLE_ENTITY, view)
        }
    }
}
