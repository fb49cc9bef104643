//! Taking an attempt: one item a page, saving (form or JSON autosave),
//! the review screen, submit.

mod form;
pub mod retry;
pub mod view;

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;

use self::form::parse_item_form;
use self::view::{ItemView, PaletteEntry, cells, millis, palette, time_left};
use super::csrf::CsrfToken;
use super::form::AppBytes;
use super::outcomes::{self, ItemNotice, save_reply};
use super::reports::ItemReports;
use super::session::{Chrome, CurrentUser, SessionCookie};
use super::{AppError, AppState, Result};
use crate::app::attempts::{self, ItemPageOutcome, SaveRequest, SaveStatus, Saver};
use crate::exam::kind::Kind;
use crate::exam::{Mode, Visibility};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/attempts/{id}", get(resume))
        .route(retry::SAVE_ROUTE, get(show_item).post(save_item))
        .route("/attempts/{id}/review", get(show_review))
        .route("/attempts/{id}/submit", post(submit))
}

#[derive(Template)]
#[template(path = "attempts/item.html")]
struct ItemPage {
    chrome: Chrome,
    attempt_id: Uuid,
    exam_title: String,
    mode: Mode,
    total: usize,
    item: ItemView,
    palette: Vec<PaletteEntry>,
    time_left: Option<String>,
    deadline_ms: Option<i64>,
    now_ms: i64,
    next_seq: i64,
    message: Option<String>,
    answered_count: usize,
    /// The save statuses after which the script stops saving and goes to
    /// the result: from [`SaveStatus`], so the script keeps no list of its own.
    ending_statuses: String,
    /// The status of a save that a newer one overtook.
    stale_status: &'static str,
    /// Once feedback is shown: the form to report a problem with the question.
    reports: Option<ItemReports>,
}

async fn resume(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let (attempt, items) = attempts::open(&app, session.user.id.0, id).await?;
    if attempt.is_finished() {
        return Ok(Redirect::to(&format!("/attempts/{id}/result")).into_response());
    }
    let first_open = items.iter().find(|i| !i.answered).map_or(1, |i| i.position);
    Ok(Redirect::to(&format!("/attempts/{id}/items/{first_open}")).into_response())
}

async fn show_item(
    State(app): State<AppState>,
    cookie: SessionCookie,
    CsrfToken(csrf): CsrfToken,
    Path((id, n)): Path<(Uuid, i32)>,
    RawQuery(query): RawQuery,
) -> Result<Response> {
    // After a report was sent from this page; any other query is ignored.
    let notice = ItemNotice::from_query(query.as_deref());
    let token = cookie.token().ok_or_else(|| cookie.log_in_first())?;
    render_item(&app, token, csrf, id, n, None, StatusCode::OK, notice).await
}

// Eight: the item page is rendered after a GET (maybe with a report's
// notice) and after a refused form post (with its message and status).
#[allow(clippy::too_many_arguments)]
async fn render_item(
    app: &AppState,
    token: &str,
    csrf: String,
    id: Uuid,
    n: i32,
    message: Option<String>,
    status: StatusCode,
    notice: Option<ItemNotice>,
) -> Result<Response> {
    let page = match attempts::item_page(app, token, id, n).await? {
        ItemPageOutcome::Shown(page) => page,
        ItemPageOutcome::Finished => {
            return Ok(Redirect::to(&format!("/attempts/{id}/result?item={n}#item-{n}")).into_response());
        }
        ItemPageOutcome::LoggedOut => {
            return Err(AppError::Unauthorized { next: format!("/attempts/{id}/items/{n}") });
        }
    };
    let attempts::ItemPage { user, display, attempt, item, version, cells } = *page;
    let visibility =
        Visibility::of_attempt(attempt.mode, false, item.checked, attempt.blueprint.explanations_in_practice);
    let user_id = user.id.0;
    let reports =
        if visibility.feedback { Some(ItemReports::for_item(app, user_id, id, n, notice).await?) } else { None };
    let now = app.clock.now();
    let page = ItemPage {
        chrome: Chrome { user: Some(user), display, csrf, assets: super::assets::version() },
        attempt_id: id,
        exam_title: attempt.blueprint.title.clone(),
        mode: attempt.mode,
        total: cells.len(),
        item: ItemView::new(&item, &version, visibility, attempt.offers_confidence()),
        answered_count: cells.iter().filter(|c| c.answered).count(),
        palette: palette(&cells, Some(n)),
        time_left: attempt.deadline.map(|d| time_left(d, now)),
        deadline_ms: attempt.deadline.map(millis),
        now_ms: millis(now),
        next_seq: item.seq + 1,
        message,
        ending_statuses: SaveStatus::ALL
            .iter()
            .filter(|s| s.ends_attempt())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        stale_status: SaveStatus::Stale.as_str(),
        reports,
    };
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(page.render()?)).into_response())
}

async fn save_item(
    State(app): State<AppState>,
    cookie: SessionCookie,
    CsrfToken(csrf): CsrfToken,
    Path((id, n)): Path<(Uuid, i32)>,
    headers: HeaderMap,
    AppBytes(body): AppBytes,
) -> Result<Response> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        let token = cookie.token().ok_or_else(|| cookie.log_in_first())?;
        let req: SaveRequest =
            serde_json::from_slice(&body).map_err(|e| AppError::Invalid(format!("The save could not be read: {e}")))?;
        return match attempts::save(&app, Saver::Session(token), id, n, &req).await {
            // Not found for this session: because it is not live (log in
            // again), or because the attempt is not its user's.
            Err(crate::app::Error::NotFound) => {
                cookie.user().await?;
                Err(AppError::NotFound)
            }
            outcome => save_reply(outcome?),
        };
    }

    // A form post: save, then go where the learner asked.
    let session = cookie.user().await?;
    let user = session.user.id.0;
    let shape = attempts::shape(&app, user, id, n).await?;
    let form = match parse_item_form(&body, shape.kind, shape.options, shape.prompts) {
        Ok(form) => form,
        Err(form::FormError(message)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_item(&app, &session.token, csrf, id, n, Some(message), status, None).await;
        }
    };
    let total = shape.item_count;
    let outcome = attempts::save(&app, Saver::User(user), id, n, &form.save).await?;
    match outcome.status() {
        // Navigation goes on even when the answer itself was not taken.
        SaveStatus::Saved | SaveStatus::Stale | SaveStatus::Locked => {}
        SaveStatus::TimeUp | SaveStatus::Finished => {
            return Ok(Redirect::to(&format!("/attempts/{id}/result?notice=time-up")).into_response());
        }
        SaveStatus::Invalid => {
            let (code, message) = outcomes::save_refusal(outcome)?;
            return render_item(&app, &session.token, csrf, id, n, Some(message), code, None).await;
        }
    }
    let target = match form.action.as_str() {
        "next" if n < total => format!("/attempts/{id}/items/{}", n + 1),
        "next" | "review" => format!("/attempts/{id}/review"),
        "prev" if n > 1 => format!("/attempts/{id}/items/{}", n - 1),
        a => match a.strip_prefix("goto-").and_then(|k| k.parse::<i32>().ok()).filter(|k| (1..=total).contains(k)) {
            Some(k) => format!("/attempts/{id}/items/{k}"),
            None => format!("/attempts/{id}/items/{n}#item"),
        },
    };
    Ok(Redirect::to(&target).into_response())
}

#[derive(Template)]
#[template(path = "attempts/review.html")]
struct ReviewPage {
    chrome: Chrome,
    attempt_id: Uuid,
    exam_title: String,
    mode: Mode,
    palette: Vec<PaletteEntry>,
    answered: usize,
    unanswered: usize,
    flagged: usize,
    time_left: Option<String>,
    deadline_ms: Option<i64>,
    now_ms: i64,
}

async fn show_review(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let (attempt, items) = attempts::open(&app, session.user.id.0, id).await?;
    if attempt.is_finished() {
        return Ok(Redirect::to(&format!("/attempts/{id}/result")).into_response());
    }
    let now = app.clock.now();
    let answered = items.iter().filter(|i| i.answered).count();
    let page = ReviewPage {
        chrome,
        attempt_id: id,
        exam_title: attempt.blueprint.title.clone(),
        mode: attempt.mode,
        palette: palette(&cells(&items), None),
        answered,
        unanswered: items.len() - answered,
        flagged: items.iter().filter(|i| i.flagged).count(),
        time_left: attempt.deadline.map(|d| time_left(d, now)),
        deadline_ms: attempt.deadline.map(millis),
        now_ms: millis(now),
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(page.render()?)).into_response())
}

/// Grades once, however often it is called: double clicks, two tabs and
/// retries all land on the same result.
async fn submit(
    State(app): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    attempts::submit(&app, session.user.id.0, id).await?;
    Ok(Redirect::to(&format!("/attempts/{id}/result")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The script reads every save status from the page, which takes them
    /// from [`SaveStatus`]: it keeps no list of its own to drift.
    #[test]
    fn the_script_names_no_save_status_of_its_own() {
        let script = include_str!("../../../static/app.js");
        let compact: String = script.chars().filter(|c| !c.is_whitespace()).collect();
        for status in SaveStatus::ALL {
            for quote in ['"', '\'', '`'] {
                let literal = format!("{quote}{}{quote}", status.as_str());
                for compared in [format!("==={literal}"), format!("{literal}===")] {
                    assert!(!compact.contains(&compared), "static/app.js compares with the save status {literal}");
                }
            }
        }
    }
}
