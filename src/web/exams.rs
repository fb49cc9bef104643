//! Exams: the start page where a learner picks a mode and starts an
//! attempt.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::form::AppForm;
use super::outcomes::start_refusal;
use super::session::{Chrome, CurrentUser};
use super::{AppError, AppState, Result};
use crate::app::attempts::{self, StartOutcome, StartRequest};
use crate::app::exams;
use crate::exam::{Blueprint, ExtraTime, Mode};
use crate::store::attempts::Summary;
use crate::store::users::User;

pub fn router() -> Router<AppState> {
    Router::new().route("/exams/{slug}", get(show_exam)).route("/exams/{slug}/attempts", axum::routing::post(start))
}

#[derive(Template)]
#[template(path = "exams/start.html")]
struct StartPage {
    chrome: Chrome,
    exam: Blueprint,
    /// Only its editors see a draft: they are told learners do not.
    draft: bool,
    topics: Vec<exams::TopicGroup>,
    in_progress: Vec<Summary>,
    error: Option<String>,
    extra_times: [ExtraTime; 3],
}

async fn show_exam(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path(slug): Path<String>,
) -> Result<Response> {
    render_start(&state, &session.user, chrome, &slug, None, StatusCode::OK).await
}

async fn render_start(
    state: &AppState,
    user: &User,
    chrome: Chrome,
    slug: &str,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response> {
    let exams::Overview { exam, topics, in_progress } = exams::overview(state, user, slug).await?;
    let page = StartPage {
        chrome,
        draft: !exam.published,
        exam: exam.blueprint,
        topics,
        in_progress,
        error,
        extra_times: ExtraTime::ALL,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The start form, as browsers send it: `domains` may repeat, and empty
/// fields count as not given.
#[derive(Deserialize)]
struct StartForm {
    #[serde(default)]
    mode: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    domain: Vec<String>,
    #[serde(default)]
    tag: String,
    timed: Option<String>,
    real_conditions: Option<String>,
    confidence: Option<String>,
    #[serde(default)]
    extra_time: String,
}

impl StartForm {
    fn parse(self) -> Result<StartRequest> {
        let mode = Mode::parse(&self.mode)
            .ok_or_else(|| AppError::Invalid("Choose a mode: exam, practice, drill or review.".into()))?;
        let extra_time = match self.extra_time.as_str() {
            "" => ExtraTime::None,
            other => ExtraTime::parse(other)
                .ok_or_else(|| AppError::Invalid(format!("“{other}” is not a choice of extra time.")))?,
        };
        let count = self.count.trim();
        let count = if count.is_empty() {
            None
        } else {
            Some(count.parse().map_err(|_| AppError::Invalid(format!("“{count}” is not a number of questions.")))?)
        };
        Ok(StartRequest {
            mode,
            count,
            domains: self.domains.into_iter().chain(self.domain).filter(|d| !d.is_empty()).collect(),
            tag: Some(self.tag).filter(|t| !t.is_empty()),
            timed: self.timed.is_some(),
            real_conditions: self.real_conditions.is_some(),
            confidence: self.confidence.is_some(),
            extra_time,
        })
    }
}

async fn start(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path(slug): Path<String>,
    AppForm(form): AppForm<StartForm>,
) -> Result<Response> {
    let user = &session.user;
    let exam = exams::visible_by_slug(&state, user, &slug).await?;
    let refused = match form.parse() {
        Ok(req) => match attempts::start(&state, user.id.0, &exam, &req).await? {
            StartOutcome::Started(id) => return Ok(Redirect::to(&format!("/attempts/{id}/items/1")).into_response()),
            StartOutcome::Refused(refusal) => start_refusal(&refusal),
        },
        Err(e) => e,
    };
    match refused {
        AppError::Invalid(message) => {
            render_start(&state, user, chrome, &slug, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        e => Err(e),
    }
}
