//! The result of a finished attempt.

use axum::Json;
use axum::extract::State;
use uuid::Uuid;

use super::ApiResult;
use super::extract::{ApiPath, ApiUser};
use super::json::{AttemptHead, DomainJson, ItemJson, ResultJson};
use super::problems::{Conflict, NotFound, Unauthorized, Unavailable};
use crate::app::attempts::{self, AttemptResult, ResultOutcome};
use crate::exam::Visibility;
use crate::exam::scoring::Score;
use crate::web::attempts::view::ItemView;
use crate::web::{AppError, AppState};

/// The result of a finished attempt: the scaled score, each domain, and every item with its key and explanation.
#[utoipa::path(
    get,
    path = "/api/v1/attempts/{id}/result",
    tag = "results",
    operation_id = "showResult",
    params(("id" = Uuid, Path, description = "The attempt's id.")),
    responses(
        (status = 200, description = "The result.", body = ResultJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    )
)]
pub async fn show_result(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ResultJson>> {
    Ok(Json(result_of(&state, id, user.id.0).await?))
}

/// The result of a finished attempt, every item with its key and
/// explanation; a running one has none yet (409).
pub async fn result_of(state: &AppState, id: Uuid, user: Uuid) -> ApiResult<ResultJson> {
    let ResultOutcome::Finished(result) = attempts::result(state, user, id).await? else {
        return Err(AppError::Conflict(
            "This attempt is still running, so it has no result yet. Submit it (POST …/submit) or wait for its deadline."
                .into(),
        )
        .into());
    };
    let visibility =
        Visibility::of_attempt(result.attempt.mode, true, true, result.attempt.blueprint.explanations_in_practice);
    let mut views = Vec::with_capacity(result.items.len());
    for item in &result.items {
        let version = result.version(item)?;
        views.push(ItemJson::new(
            ItemView::new(item, version, visibility, result.attempt.offers_confidence()),
            item.seq + 1,
        ));
    }
    let AttemptResult { attempt, score, confidence, .. } = *result;
    let finished_at = attempt.finished_at.unwrap_or(attempt.started_at);
    let Score { weighted_percent, scaled, passed, correct, total, .. } = score;
    Ok(ResultJson {
        head: AttemptHead::of(&attempt),
        finished_reason: attempt.finished_reason,
        scaled,
        passed,
        scale: attempt.blueprint.scale,
        weighted_percent,
        correct,
        total,
        domains: score
            .domains
            .iter()
            .map(|d| DomainJson {
                code: d.code.clone(),
                name: d.name.clone(),
                weight: d.weight,
                correct: d.correct,
                total: d.total,
                percent: d.percent(),
            })
            .collect(),
        time_used_seconds: (finished_at - attempt.started_at).whole_seconds(),
        real_conditions: attempt.settings.real_conditions,
        confidence_groups: confidence,
        items: views,
    })
}
