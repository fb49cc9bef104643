//! My attempts: the list, one attempt, one item, saving into it, and
//! submitting it.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiUser};
use super::json::{AttemptHead, AttemptJson, AttemptList, AttemptSummaryJson, ItemJson, ItemStatusJson, ResultJson};
use super::problems::{Forbidden, Invalid, NotFound, Unauthorized, Unavailable};
use super::results::result_of;
use crate::app::attempts::{self, SaveRequest};
use crate::exam::Visibility;
use crate::web::AppState;
use crate::web::attempts::view::{ItemView, seconds_left, time_left};
use crate::web::error::{AppError, Problem};
use crate::web::outcomes::{SaveReply, save_reply};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// How many to return (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// My attempts, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/attempts",
    tag = "attempts",
    operation_id = "listAttempts",
    params(ListQuery),
    responses(
        (status = 200, description = "The attempts.", body = AttemptList),
        (status = 401, response = Unauthorized),
        (status = 422, response = Invalid),
        (status = 503, response = Unavailable),
    )
)]
pub async fn list_attempts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Json<AttemptList>> {
    let Query(query) =
        query.map_err(|r| AppError::Invalid(format!("The query could not be read: {}", r.body_text())))?;
    let limit = query.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::Invalid("`limit` runs from 1 to 500.".into()).into());
    }
    let attempts = attempts::list(&state, user.id.0, limit)
        .await?
        .into_iter()
        .map(|a| AttemptSummaryJson {
            url: format!("/api/v1/attempts/{}", a.id),
            head: AttemptHead {
                id: a.id,
                exam: a.exam_slug,
                exam_title: a.exam_title,
                mode: a.mode,
                started_at: a.started_at,
                deadline: a.deadline,
                finished: a.finished_at.is_some(),
                finished_at: a.finished_at,
            },
            scaled: a.score.as_ref().map(|s| s.scaled),
            passed: a.score.as_ref().map(|s| s.passed),
            answered: a.answered,
            items: a.items,
        })
        .collect();
    Ok(Json(AttemptList { attempts }))
}

/// One attempt: its clock and the state of every item. An attempt past its deadline is graded first.
#[utoipa::path(
    get,
    path = "/api/v1/attempts/{id}",
    tag = "attempts",
    operation_id = "showAttempt",
    params(("id" = Uuid, Path, description = "The attempt's id.")),
    responses(
        (status = 200, description = "The attempt.", body = AttemptJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    )
)]
pub async fn show_attempt(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<AttemptJson>> {
    let (attempt, items) = attempts::open(&state, user.id.0, id).await?;
    let now = state.clock.now();
    let running = !attempt.is_finished();
    let deadline = attempt.deadline.filter(|_| running);
    Ok(Json(AttemptJson {
        head: AttemptHead::of(&attempt),
        time_left_seconds: deadline.map(|d| seconds_left(d, now)),
        time_left: deadline.map(|d| time_left(d, now)),
        finished_reason: attempt.finished_reason,
        answered: items.iter().filter(|i| i.answered).count(),
        flagged: items.iter().filter(|i| i.flagged).count(),
        items: items
            .iter()
            .map(|i| ItemStatusJson {
                position: i.position,
                answered: i.answered,
                flagged: i.flagged,
                url: format!("/api/v1/attempts/{id}/items/{}", i.position),
            })
            .collect(),
        result_url: attempt.is_finished().then(|| format!("/api/v1/attempts/{id}/result")),
    }))
}

/// One item as the learner may see it.
///
/// The key, explanation and rationales appear only once the mode allows them: in a mock exam after it is
/// finished, in practice after the item is checked (there without the explanation and rationales when the
/// exam keeps them out of practice).
#[utoipa::path(
    get,
    path = "/api/v1/attempts/{id}/items/{n}",
    tag = "attempts",
    operation_id = "showItem",
    params(
        ("id" = Uuid, Path, description = "The attempt's id."),
        ("n" = i32, Path, minimum = 1, description = "The item's position in the attempt, from 1."),
    ),
    responses(
        (status = 200, description = "The item.", body = ItemJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    )
)]
pub async fn show_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, n)): ApiPath<(Uuid, i32)>,
) -> ApiResult<Json<ItemJson>> {
    let (attempt, item, version) = attempts::open_item(&state, user.id.0, id, n).await?;
    // Unlike the page, a finished attempt's item is shown (with its
    // feedback) rather than redirected: a client may read it either way.
    let visibility = Visibility::of_attempt(
        attempt.mode,
        attempt.is_finished(),
        item.checked,
        attempt.blueprint.explanations_in_practice,
    );
    Ok(Json(ItemJson::new(ItemView::new(&item, &version, visibility, attempt.offers_confidence()), item.seq + 1)))
}

/// Save the response to one item (and its flag and struck options).
///
/// Send the item's `seq`; a save with an older `seq` than the stored one is refused as `stale`, so a late retry
/// never overwrites a newer answer. Refusals answer with `status` naming why and the stored `seq`.
#[utoipa::path(
    put,
    path = "/api/v1/attempts/{id}/items/{n}",
    tag = "attempts",
    operation_id = "saveItem",
    params(
        ("id" = Uuid, Path, description = "The attempt's id."),
        ("n" = i32, Path, minimum = 1, description = "The item's position in the attempt, from 1."),
    ),
    request_body = SaveRequest,
    security(("bearerToken" = []), ("sessionCookie" = [], "csrfHeader" = [])),
    responses(
        (status = 200, description = "Saved.", body = SaveReply),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, body = SaveReply, description = "Not saved: `stale` (a newer save is stored), `locked` \
            (checked in practice), `time_up` (after the deadline and grace) or `finished`."),
        (status = 422, description = "The response does not fit the item. A reply with `status: invalid` keeps \
            the previous answer; a problem document means the body could not be read or names options the item \
            does not have.",
            content((SaveReply = "application/json"), (Problem = "application/problem+json"))),
        (status = 503, response = Unavailable),
    )
)]
pub async fn save_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, n)): ApiPath<(Uuid, i32)>,
    ApiJson(req): ApiJson<SaveRequest>,
) -> ApiResult<Response> {
    Ok(save_reply(attempts::save(&state, attempts::Saver::User(user.id.0), id, n, &req).await?)?)
}

/// Submit and grade the attempt. Idempotent: submitting again returns the same result.
///
/// It grades once, however often it is called: a retry after a lost reply gets the same result.
#[utoipa::path(
    post,
    path = "/api/v1/attempts/{id}/submit",
    tag = "attempts",
    operation_id = "submitAttempt",
    params(("id" = Uuid, Path, description = "The attempt's id.")),
    security(("bearerToken" = []), ("sessionCookie" = [], "csrfHeader" = [])),
    responses(
        (status = 200, description = "The result.", body = ResultJson),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    )
)]
pub async fn submit_attempt(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ResultJson>> {
    attempts::submit(&state, user.id.0, id).await?;
    Ok(Json(result_of(&state, id, user.id.0).await?))
}
