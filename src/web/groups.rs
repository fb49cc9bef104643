//! The learner's side of groups: joining with a code (typed, or from the
//! link an instructor shared), and leaving a group after a confirmation
//! that works without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use uuid::Uuid;

use super::form::AppForm;
use super::format::utc_minute;
use super::session::{Chrome, CurrentUser};
use super::{AppState, Result};
use crate::app::groups::{self, JoinOutcome};
use crate::store::groups::Membership;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups/join", get(show_join).post(join_group))
        .route("/groups/{id}/leave", get(confirm_leave).post(leave_group))
}

#[derive(Template)]
#[template(path = "groups/join.html")]
struct JoinPage {
    chrome: Chrome,
    code: String,
    /// What joining came to: good news, or why not (then the code stays).
    joined: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct JoinQuery {
    #[serde(default)]
    code: String,
}

/// The join form, filled in from the link's `?code=`. A visitor is sent to
/// log in (or register) and comes back here with the code.
async fn show_join(CurrentUser(_): CurrentUser, chrome: Chrome, Query(q): Query<JoinQuery>) -> Result<Response> {
    let page = JoinPage { chrome, code: q.code.trim().to_string(), joined: None, error: None };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize)]
struct JoinForm {
    #[serde(default)]
    code: String,
}

async fn join_group(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    AppForm(form): AppForm<JoinForm>,
) -> Result<Response> {
    let typed = form.code.trim().to_string();
    let (status, joined, error) = if typed.is_empty() {
        (StatusCode::UNPROCESSABLE_ENTITY, None, Some("Enter the join code your instructor gave you.".to_string()))
    } else {
        match groups::join(&state, &session.user, &typed).await? {
            JoinOutcome::Joined { group } => (StatusCode::OK, Some(format!("You joined {group}.")), None),
            JoinOutcome::AlreadyIn { group } => (StatusCode::OK, Some(format!("You are already in {group}.")), None),
            JoinOutcome::NoSuchCode => (
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(format!(
                    "No group has the code “{typed}”. Check it against the one your instructor gave you: \
                     8 letters and digits, such as ABCD-EFGH."
                )),
            ),
            JoinOutcome::Expired { on } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(format!("This code expired on {}; ask your instructor for a new one.", utc_minute(on))),
            ),
            JoinOutcome::Locked { minutes } => (
                StatusCode::TOO_MANY_REQUESTS,
                None,
                Some(format!("Too many wrong codes from your account in the last hour: try again in {minutes} min.")),
            ),
        }
    };
    // After a join the form is empty again; after a refusal it keeps the code.
    let code = if joined.is_some() { String::new() } else { typed };
    let page = JoinPage { chrome, code, joined, error };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "groups/leave.html")]
struct LeavePage {
    chrome: Chrome,
    group: Membership,
}

/// "Leave <group>?" with the button that does it.
async fn confirm_leave(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let group = groups::membership(&state, &session.user, id).await?;
    Ok(Html(LeavePage { chrome, group }.render()?).into_response())
}

async fn leave_group(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    groups::leave(&state, &session.user, id).await?;
    Ok(Redirect::to("/me?notice=group-left#groups").into_response())
}
