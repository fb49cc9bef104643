//! The exams on this server, and starting an attempt at one.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiUser};
use super::json::{ExamJson, ExamList, StartedJson};
use super::problems::{Forbidden, Invalid, NotFound, Unauthorized, Unavailable};
use crate::app::attempts::{self, StartOutcome, StartRequest};
use crate::app::exams;
use crate::web::AppState;
use crate::web::outcomes::start_refusal;

/// The exams on this server the caller may take, each with its blueprint:
/// the published ones, and the drafts the caller may edit.
#[utoipa::path(
    get,
    path = "/api/v1/exams",
    tag = "exams",
    operation_id = "listExams",
    responses(
        (status = 200, description = "The exams.", body = ExamList),
        (status = 401, response = Unauthorized),
        (status = 503, response = Unavailable),
    )
)]
pub async fn list_exams(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<ExamList>> {
    let exams = exams::visible(&state, &user).await?;
    let exams = exams
        .into_iter()
        .map(|e| ExamJson {
            attempts_url: format!("/api/v1/exams/{}/attempts", e.blueprint.slug),
            blueprint: e.blueprint,
        })
        .collect();
    Ok(Json(ExamList { exams }))
}

/// Start an attempt: a full mock exam, a practice, a drill or a review.
#[utoipa::path(
    post,
    path = "/api/v1/exams/{slug}/attempts",
    tag = "attempts",
    operation_id = "startAttempt",
    params(("slug" = String, Path, description = "The exam's slug, such as `mla-c01`.")),
    request_body = StartRequest,
    security(("bearerToken" = []), ("sessionCookie" = [], "csrfHeader" = [])),
    responses(
        (status = 201, description = "Started. `Location` is the attempt's URL.", body = StartedJson,
            headers(("Location" = String, description = "The attempt's URL."))),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
        (status = 503, response = Unavailable),
    )
)]
pub async fn start_attempt(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<StartRequest>,
) -> ApiResult<Response> {
    let exam = exams::visible_by_slug(&state, &user, &slug).await?;
    let id = match attempts::start(&state, user.id.0, &exam, &req).await? {
        StartOutcome::Started(id) => id,
        StartOutcome::Refused(refusal) => return Err(start_refusal(&refusal).into()),
    };
    let (attempt, items) = attempts::open(&state, user.id.0, id).await?;
    let url = format!("/api/v1/attempts/{id}");
    let started = StartedJson {
        id,
        exam: attempt.blueprint.slug,
        mode: attempt.mode,
        items: items.len(),
        deadline: attempt.deadline,
        first_item_url: format!("{url}/items/1"),
        url: url.clone(),
    };
    Ok((StatusCode::CREATED, [(header::LOCATION, url)], Json(started)).into_response())
}
