//! `/admin/users`: the accounts, searched by email or name, a page at a
//! time; a role changed, an account disabled or enabled, each with a
//! notice of what changed and the search kept.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::account::{Role, UserId};
use crate::app::users::{self, Change, Changed};
use crate::store::users::Account;
use crate::web::form::AppForm;
use crate::web::format::utc_minute;
use crate::web::paging::Paging;
use crate::web::session::{Chrome, Editor};
use crate::web::{AppError, AppState, Result};

const PER_PAGE: usize = 25;

/// The search and page a list was shown with, kept through each change.
#[derive(Debug, Default, Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<usize>,
}

impl Search {
    /// `q=…&page=…&` for links and redirects that keep the search.
    fn query(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !self.q.trim().is_empty() {
            query.append_pair("q", self.q.trim());
        }
        if let Some(page) = self.page.filter(|p| *p > 1) {
            query.append_pair("page", &page.to_string());
        }
        let mut query = query.finish();
        if !query.is_empty() {
            query.push('&');
        }
        query
    }
}

/// What a change just did, carried in the redirect back to the list.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
    user: Option<Uuid>,
}

/// One row of the list, in words.
struct Row {
    id: Uuid,
    name: String,
    email: String,
    role: Role,
    created: String,
    last_seen: String,
    disabled: bool,
    /// The admin's own account: no controls that would lock them out.
    own: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    chrome: Chrome,
    search: String,
    /// The search for pager links: `q=…&`.
    search_query: String,
    /// The search and page for the forms' hidden fields.
    page: usize,
    rows: Vec<Row>,
    total: usize,
    paging: Paging,
    roles: [Role; 3],
    notice: Option<String>,
    error: Option<String>,
}

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Learner => "a learner",
        Role::Instructor => "an instructor",
        Role::Admin => "an admin",
    }
}

/// The notice after a change, from the account as it is now.
fn notice(done: &str, account: &Account) -> Option<String> {
    let name = &account.user.display_name;
    match done {
        "role" => Some(format!("{name} is now {}.", role_words(account.user.role))),
        "disabled" => Some(format!("{name}’s account is disabled: their sessions and API tokens are ended.")),
        "enabled" => Some(format!("{name}’s account is enabled: they can log in again.")),
        _ => None,
    }
}

async fn page(state: &AppState, chrome: Chrome, search: &Search) -> Result<UsersPage> {
    let me = chrome.user.as_ref().map(|u| u.id);
    let total = users::count(state, &search.q).await?;
    let paging = Paging::new(total, PER_PAGE, search.page.unwrap_or(1));
    let accounts = users::find(state, &search.q, paging.start, paging.end).await?;
    let rows = accounts
        .into_iter()
        .map(|a| Row {
            id: a.user.id.0,
            own: Some(a.user.id) == me,
            name: a.user.display_name,
            email: a.user.email,
            role: a.user.role,
            created: utc_minute(a.created_at),
            last_seen: a.last_seen_at.map_or_else(|| "never".into(), utc_minute),
            disabled: a.disabled_at.is_some(),
        })
        .collect();
    let search_query = Search { q: search.q.clone(), page: None }.query();
    Ok(UsersPage {
        chrome,
        search: search.q.trim().to_string(),
        search_query,
        page: paging.page,
        rows,
        total,
        paging,
        roles: [Role::Learner, Role::Instructor, Role::Admin],
        notice: None,
        error: None,
    })
}

pub async fn list_users(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(search): Query<Search>,
    Query(done): Query<Done>,
) -> Result<Response> {
    let mut page = page(&state, chrome, &search).await?;
    if let (Some(what), Some(id)) = (done.done, done.user) {
        let account = users::account(&state, UserId(id)).await?;
        page.notice = notice(&what, &account);
    }
    Ok(Html(page.render()?).into_response())
}

/// The role form; it carries the list's search and page, to go back to.
#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<usize>,
}

pub async fn set_role(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(id): Path<Uuid>,
    AppForm(form): AppForm<RoleForm>,
) -> Result<Response> {
    let role =
        Role::parse(&form.role).ok_or_else(|| AppError::Invalid("Choose learner, instructor or admin.".into()))?;
    let outcome = users::change(&state, &actor, UserId(id), Change::Role(role)).await?;
    respond(&state, chrome, outcome, "role", &Search { q: form.q, page: form.page }).await
}

pub async fn disable_user(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(id): Path<Uuid>,
    AppForm(search): AppForm<Search>,
) -> Result<Response> {
    let outcome = users::change(&state, &actor, UserId(id), Change::Disable).await?;
    respond(&state, chrome, outcome, "disabled", &search).await
}

pub async fn enable_user(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(id): Path<Uuid>,
    AppForm(search): AppForm<Search>,
) -> Result<Response> {
    let outcome = users::change(&state, &actor, UserId(id), Change::Enable).await?;
    respond(&state, chrome, outcome, "enabled", &search).await
}

/// Back to the list with the search kept: with a notice of the change, or
/// with the reason it was refused.
async fn respond(state: &AppState, chrome: Chrome, outcome: Changed, done: &str, search: &Search) -> Result<Response> {
    match outcome {
        Changed::Done(account) => {
            let to = format!("/admin/users?{}done={done}&user={}", search.query(), account.user.id);
            Ok(Redirect::to(&to).into_response())
        }
        Changed::OwnAccount => {
            let mut page = page(state, chrome, search).await?;
            page.error = Some(
                "You cannot demote or disable your own account, so no admin is lost by accident. \
                 Ask another admin to do it."
                    .into(),
            );
            Ok((StatusCode::CONFLICT, Html(page.render()?)).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_search_reads_as_a_query() {
        assert_eq!(Search { q: " ines ".into(), page: Some(2) }.query(), "q=ines&page=2&");
        assert_eq!(Search { q: "a&b".into(), page: Some(1) }.query(), "q=a%26b&");
        assert_eq!(Search::default().query(), "");
    }
}
