//! The instructor's groups: the list with a form for a new one, and a
//! group's page with its join code and link, its assignments, its
//! members, Remove, and a new code.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::{assignments, groups};
use crate::assignments::Tally;
use crate::groups::GroupName;
use crate::store::assignments::Assignment;
use crate::store::groups::{Group, Listed, Member};
use crate::web::form::{AppForm, FieldErrors};
use crate::web::format::utc_minute;
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

#[derive(Template)]
#[template(path = "instructor/groups.html")]
struct GroupsPage {
    chrome: Chrome,
    groups: Vec<Listed>,
    /// What was typed in the new-group form, kept on an error.
    name: String,
    errors: FieldErrors,
}

pub async fn list_groups(State(state): State<AppState>, Editor(actor): Editor, chrome: Chrome) -> Result<Response> {
    let groups = groups::list(&state, &actor).await?;
    let page = GroupsPage { chrome, groups, name: String::new(), errors: FieldErrors::default() };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize)]
pub struct NewGroupForm {
    #[serde(default)]
    name: String,
}

pub async fn create_group(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    AppForm(form): AppForm<NewGroupForm>,
) -> Result<Response> {
    match GroupName::parse(&form.name) {
        Ok(name) => {
            let id = groups::create(&state, &actor, &name).await?;
            Ok(Redirect::to(&format!("/instructor/groups/{id}?notice=created")).into_response())
        }
        Err(message) => {
            let mut errors = FieldErrors::default();
            errors.add("name", message);
            let groups = groups::list(&state, &actor).await?;
            let page = GroupsPage { chrome, groups, name: form.name, errors };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct GroupQuery {
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "instructor/group.html")]
struct GroupPage {
    chrome: Chrome,
    group: Group,
    members: Vec<Member>,
    /// Each assignment with how the members stand on it.
    assignments: Vec<(Assignment, Tally)>,
    join_link: String,
    expires: String,
    expired: bool,
    notice: Option<&'static str>,
}

impl GroupPage {
    fn joined(&self, m: &Member) -> String {
        utc_minute(m.joined_at)
    }

    fn due(&self, a: &Assignment) -> String {
        super::assignments::due_text(a)
    }
}

/// The address learners open to join: this server as the instructor's
/// browser reached it, so the link works wherever they share it from.
fn join_link(state: &AppState, headers: &HeaderMap, group: &Group) -> String {
    let path = format!("/groups/join?code={}", group.code);
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) => {
            let scheme = if state.config.secure_cookies { "https" } else { "http" };
            format!("{scheme}://{host}{path}")
        }
        None => path,
    }
}

pub async fn show_group(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
    Query(q): Query<GroupQuery>,
) -> Result<Response> {
    let (group, members) = groups::show(&state, &actor, id).await?;
    let assignments = assignments::of_group(&state, &actor, id).await?;
    // Notices are fixed words: a link cannot make this page say anything else.
    let notice = match q.notice.as_deref() {
        Some("created") => Some("The group is made. Share its code or link with your learners."),
        Some("code") => Some("A new code is made; the old one no longer works."),
        Some("removed") => Some("The learner is removed from this group; their attempts stay theirs."),
        Some("assigned") => Some("Assigned. Your learners see it on their page."),
        Some("unassigned") => Some("The assignment is deleted; the attempts taken for it stay their learners'."),
        _ => None,
    };
    let page = GroupPage {
        chrome,
        join_link: join_link(&state, &headers, &group),
        expires: utc_minute(group.code_expires_at),
        expired: crate::groups::is_expired(group.code_expires_at, state.clock.now()),
        group,
        members,
        assignments,
        notice,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn regenerate_code(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    groups::regenerate_code(&state, &actor, id).await?;
    Ok(Redirect::to(&format!("/instructor/groups/{id}?notice=code")).into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path((id, user)): Path<(Uuid, Uuid)>,
) -> Result<Response> {
    groups::remove_member(&state, &actor, id, user).await?;
    Ok(Redirect::to(&format!("/instructor/groups/{id}?notice=removed#members")).into_response())
}
