//! My progress and my own data: the same as `/me` and its CSV exports.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiResult;
use super::extract::ApiUser;
use super::problems::{Invalid, NotFound, Unauthorized, Unavailable};
use crate::app::exams;
use crate::app::progress::{self, AttemptRow, Progress};
use crate::progress::confidence::ConfidenceGroups;
use crate::progress::coverage::Coverage;
use crate::progress::plan::DayPlan;
use crate::progress::readiness::Readiness;
use crate::progress::review::ReviewEntry;
use crate::progress::weak_spots::WeakSpot;
use crate::store::progress::ResponseRow;
use crate::web::AppState;
use crate::web::error::AppError;

#[derive(Serialize, ToSchema)]
#[schema(as = MyAttempts)]
pub struct AttemptRows {
    /// Oldest first.
    pub attempts: Vec<AttemptRow>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = MyResponses)]
pub struct ResponseRows {
    /// Every item of every attempt, oldest attempt first, by position.
    pub responses: Vec<ResponseRow>,
}

/// The review queue: what is due now, and the whole queue in the order a
/// review takes it.
#[derive(Serialize, ToSchema)]
pub struct ReviewJson {
    pub due: usize,
    pub queue: Vec<ReviewEntry>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = MyProgress)]
pub struct ProgressJson {
    /// The exam's slug.
    pub exam: String,
    pub readiness: Readiness,
    /// Ranked, weakest first.
    pub weak_spots: Vec<WeakSpot>,
    pub coverage: Coverage,
    pub review: ReviewJson,
    pub confidence: ConfidenceGroups,
    /// The learner's exam date (`YYYY-MM-DD`), if set.
    #[schema(required = true)]
    pub exam_date: Option<String>,
    pub plan: DayPlan,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// The exam's slug, such as `mla-c01`.
    exam: String,
}

/// My attempts, oldest first, one row each, as in the CSV export.
#[utoipa::path(
    get,
    path = "/api/v1/me/attempts",
    tag = "progress",
    operation_id = "myAttempts",
    responses(
        (status = 200, description = "Every attempt.", body = AttemptRows),
        (status = 401, response = Unauthorized),
        (status = 503, response = Unavailable),
    )
)]
pub async fn my_attempts(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<AttemptRows>> {
    Ok(Json(AttemptRows { attempts: progress::attempt_rows(&state, user.id.0).await? }))
}

/// My item responses, one row per item of every attempt, as in the CSV
/// export.
#[utoipa::path(
    get,
    path = "/api/v1/me/responses",
    tag = "progress",
    operation_id = "myResponses",
    responses(
        (status = 200, description = "Every item response.", body = ResponseRows),
        (status = 401, response = Unauthorized),
        (status = 503, response = Unavailable),
    )
)]
pub async fn my_responses(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<ResponseRows>> {
    Ok(Json(ResponseRows { responses: progress::responses(&state, user.id.0).await? }))
}

/// My progress in one exam: readiness, weak spots, coverage, the review
/// queue, confidence and today's plan, as on `/me`.
#[utoipa::path(
    get,
    path = "/api/v1/me/progress",
    tag = "progress",
    operation_id = "myProgress",
    params(ProgressQuery),
    responses(
        (status = 200, description = "My progress.", body = ProgressJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
        (status = 503, response = Unavailable),
    )
)]
pub async fn my_progress(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<ProgressQuery>, QueryRejection>,
) -> ApiResult<Json<ProgressJson>> {
    let Query(query) =
        query.map_err(|r| AppError::Invalid(format!("The query could not be read: {}", r.body_text())))?;
    let exam = exams::visible_by_slug(&state, &user, &query.exam).await?;
    let Progress { readiness, weak_spots, coverage, queue, due, confidence, exam_date, plan, .. } =
        progress::progress(&state, user.id.0, &exam).await?;
    Ok(Json(ProgressJson {
        exam: exam.blueprint.slug,
        readiness,
        weak_spots,
        coverage,
        review: ReviewJson { due, queue },
        confidence,
        exam_date: exam_date.map(|d| d.to_string()),
        plan,
    }))
}
