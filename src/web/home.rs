//! The home page: exams to take, attempts to resume, recent results.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::session::{Chrome, MaybeUser};
use super::{AppState, Result};
use crate::app::{attempts, exams};
use crate::store::attempts::Summary;
use crate::store::exams::Exam;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(show_home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    exams: Vec<Exam>,
    in_progress: Vec<Summary>,
    finished: Vec<Summary>,
}

async fn show_home(State(state): State<AppState>, MaybeUser(session): MaybeUser, chrome: Chrome) -> Result<Response> {
    let (exams, mine) = match session {
        Some(s) => (exams::visible(&state, &s.user).await?, attempts::list(&state, s.user.id.0, 30).await?),
        None => (Vec::new(), Vec::new()),
    };
    let (finished, in_progress) = mine.into_iter().partition(|a| a.finished_at.is_some());
    Ok(Html(HomePage { chrome, exams, in_progress, finished }.render()?).into_response())
}
