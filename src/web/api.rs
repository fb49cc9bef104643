//! The JSON API under `/api/v1`: the same exams, attempts and results as
//! the pages, for scripts and other clients. Every handler here is thin:
//! starting, loading, saving and grading are the functions the pages use,
//! and what a learner may see of an item is decided by [`ItemView`] alone,
//! so the API can never show more than the page would.
//!
//! Auth is a personal API token (`Authorization: Bearer …`, made on the
//! account page) or the browser's session cookie. Errors are RFC 9457
//! problem documents ([`ApiError`]), never the HTML error page.

mod openapi;

use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router, middleware};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::attempts::view::{ItemView, seconds_left, time_left};
use super::outcomes::{save_reply, start_refusal};
use super::session::MaybeUser;
use super::{ApiError, AppError, AppState};
use crate::app::accounts;
use crate::app::attempts::{self, AttemptResult, ResultOutcome, SaveRequest, StartOutcome, StartRequest};
use crate::app::exams;
use crate::exam::kind::Kind;
use crate::exam::scoring::Score;
use crate::exam::{Blueprint, FinishReason, Mode, Scale, Visibility};
use crate::store::attempts::Attempt;
use crate::store::users::User;

type ApiResult<T> = Result<T, ApiError>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::show_document))
        .route("/api/v1/exams", get(list_exams))
        .route("/api/v1/exams/{slug}/attempts", post(start_attempt))
        .route("/api/v1/attempts", get(list_attempts))
        .route("/api/v1/attempts/{id}", get(show_attempt))
        .route("/api/v1/attempts/{id}/items/{n}", get(show_item).put(save_item))
        .route("/api/v1/attempts/{id}/submit", post(submit_attempt))
        .route("/api/v1/attempts/{id}/result", get(show_result))
        // Anything else under /api is a JSON 404: a client parsing our
        // answers should never be handed the HTML error page.
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .layer(middleware::map_response(api_headers))
}

async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// Attempt data is personal and changes with every save: no cache may keep
/// it. A 401 names the scheme that would work.
async fn api_headers(mut response: Response) -> Response {
    let unauthorized = response.status() == StatusCode::UNAUTHORIZED;
    let headers = response.headers_mut();
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    if unauthorized {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"mockexam\""));
    }
    response
}

// ----- extractors -----

/// Who is calling: the owner of a personal API token, or the user of the
/// browser session.
///
/// A request that sends `Authorization` is judged by its token alone, even
/// if it also carries a session cookie: the CSRF layer lets such requests
/// through without the double-submit token, which is only safe if their
/// cookies then count for nothing.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthorized = || ApiError(AppError::Unauthorized { next: String::new() });
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = bearer(value).ok_or_else(unauthorized)?;
            let user = accounts::token_user(state, token).await?;
            return user.map(ApiUser).ok_or_else(unauthorized);
        }
        let Ok(MaybeUser(session)) = MaybeUser::from_request_parts(parts, state).await;
        session.map(|s| ApiUser(s.user)).ok_or_else(unauthorized)
    }
}

/// The token of an `Authorization: Bearer <token>` header (the scheme is
/// case-insensitive, RFC 9110).
fn bearer(value: &HeaderValue) -> Option<&str> {
    let (scheme, token) = value.to_str().ok()?.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Like `axum::Json`, but a body that is not the JSON we take gets a
/// problem document (422) instead of axum's plain-text rejection.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(AppError::Invalid(format!(
                "The request body could not be read: {}. See /api/openapi.json for what this endpoint takes.",
                rejection.body_text()
            )))),
        }
    }
}

/// Path parameters; one that cannot be an id names nothing there is, so it
/// is a 404 like any other unknown address.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(ApiError(AppError::NotFound)),
        }
    }
}

// ----- JSON shapes -----

mod rfc3339 {
    pub use time::serde::rfc3339::option::serialize as option;
    pub use time::serde::rfc3339::serialize as required;
}

#[derive(Serialize)]
struct ExamList {
    exams: Vec<ExamJson>,
}

#[derive(Serialize)]
struct ExamJson {
    #[serde(flatten)]
    blueprint: Blueprint,
    attempts_url: String,
}

#[derive(Serialize)]
struct StartedJson {
    id: Uuid,
    exam: String,
    mode: Mode,
    items: usize,
    #[serde(serialize_with = "rfc3339::option")]
    deadline: Option<OffsetDateTime>,
    url: String,
    first_item_url: String,
}

#[derive(Serialize)]
struct AttemptList {
    attempts: Vec<AttemptSummaryJson>,
}

/// What every view of an attempt starts with.
#[derive(Serialize)]
struct AttemptHead {
    id: Uuid,
    exam: String,
    exam_title: String,
    mode: Mode,
    #[serde(serialize_with = "rfc3339::required")]
    started_at: OffsetDateTime,
    #[serde(serialize_with = "rfc3339::option")]
    deadline: Option<OffsetDateTime>,
    finished: bool,
    #[serde(serialize_with = "rfc3339::option")]
    finished_at: Option<OffsetDateTime>,
}

impl AttemptHead {
    fn of(attempt: &Attempt) -> Self {
        AttemptHead {
            id: attempt.id,
            exam: attempt.blueprint.slug.clone(),
            exam_title: attempt.blueprint.title.clone(),
            mode: attempt.mode,
            started_at: attempt.started_at,
            deadline: attempt.deadline,
            finished: attempt.is_finished(),
            finished_at: attempt.finished_at,
        }
    }
}

#[derive(Serialize)]
struct AttemptSummaryJson {
    #[serde(flatten)]
    head: AttemptHead,
    scaled: Option<u32>,
    passed: Option<bool>,
    answered: i64,
    items: i64,
    url: String,
}

#[derive(Serialize)]
struct AttemptJson {
    #[serde(flatten)]
    head: AttemptHead,
    /// Whole seconds, rounded up; null when untimed or finished.
    time_left_seconds: Option<i64>,
    /// The same as the page's countdown shows it, e.g. `129:58`.
    time_left: Option<String>,
    finished_reason: Option<FinishReason>,
    answered: usize,
    flagged: usize,
    items: Vec<ItemStatusJson>,
    result_url: Option<String>,
}

#[derive(Serialize)]
struct ItemStatusJson {
    position: i32,
    answered: bool,
    flagged: bool,
    url: String,
}

#[derive(Serialize)]
struct CaseJson {
    title: String,
    scenario_html: Option<String>,
}

/// One item as the learner may see it. The fields marked "feedback" are
/// left out entirely, not sent empty, until [`Visibility`] allows them.
#[derive(Serialize)]
struct ItemJson {
    position: i32,
    kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<String>,
    stem_html: String,
    case: Option<CaseJson>,
    select_count: Option<usize>,
    choices: Vec<ChoiceJson>,
    /// Matching only: the prompts, each with the answer chosen for it.
    prompts: Vec<PromptJson>,
    answered: bool,
    flagged: bool,
    editable: bool,
    /// The `seq` to send with the next save of this item.
    seq: i64,
    // feedback
    #[serde(skip_serializing_if = "Option::is_none")]
    scored: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correct: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_order_html: Option<Vec<String>>,
}

#[derive(Serialize)]
struct ChoiceJson {
    /// The display position, as saves name it.
    position: usize,
    letter: char,
    html: String,
    selected: bool,
    struck: bool,
    /// Ordering: the place (0-based, as saves send it) given to this step.
    #[serde(skip_serializing_if = "Option::is_none")]
    rank: Option<usize>,
    // feedback
    #[serde(skip_serializing_if = "Option::is_none")]
    keyed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rationale_html: Option<String>,
}

#[derive(Serialize)]
struct PromptJson {
    index: usize,
    html: String,
    chosen: Option<usize>,
    // feedback
    #[serde(skip_serializing_if = "Option::is_none")]
    answer_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rationale_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    right: Option<bool>,
}

impl ItemJson {
    /// Copies what the view holds: the view has already dropped whatever
    /// this learner may not see yet.
    fn new(view: ItemView, next_seq: i64) -> Self {
        let feedback = view.visibility.feedback;
        // Only single and multiple have keyed options; the other kinds show
        // their key through the prompts or the right order.
        let keyed_kind = view.has_keyed_options();
        ItemJson {
            position: view.position,
            kind: view.kind,
            domain: view.domain,
            stem_html: view.stem,
            case: view.case_title.map(|title| CaseJson { title, scenario_html: view.case_scenario }),
            select_count: view.select_count,
            choices: view
                .choices
                .into_iter()
                .map(|c| ChoiceJson {
                    position: c.pos,
                    letter: c.letter,
                    html: c.html,
                    selected: c.selected,
                    struck: c.struck,
                    rank: c.rank.map(|r| r - 1),
                    keyed: (feedback && keyed_kind).then_some(c.keyed),
                    rationale_html: c.rationale,
                })
                .collect(),
            prompts: view
                .prompts
                .into_iter()
                .map(|p| PromptJson {
                    index: p.index,
                    html: p.html,
                    chosen: p.chosen,
                    answer_html: p.answer,
                    rationale_html: p.rationale,
                    right: feedback.then_some(p.right),
                })
                .collect(),
            answered: view.answered,
            flagged: view.flagged,
            editable: view.visibility.editable,
            seq: next_seq,
            scored: feedback.then_some(view.scored),
            correct: view.correct,
            explanation_html: view.explanation,
            key_order_html: (feedback && !view.key_order.is_empty()).then_some(view.key_order),
        }
    }
}

#[derive(Serialize)]
struct ResultJson {
    #[serde(flatten)]
    head: AttemptHead,
    finished_reason: Option<FinishReason>,
    scaled: u32,
    passed: bool,
    scale: Scale,
    weighted_percent: f64,
    correct: u32,
    total: u32,
    domains: Vec<DomainJson>,
    time_used_seconds: i64,
    real_conditions: bool,
    items: Vec<ItemJson>,
}

#[derive(Serialize)]
struct DomainJson {
    code: String,
    name: String,
    weight: u32,
    correct: u32,
    total: u32,
    percent: f64,
}

// ----- handlers -----

async fn list_exams(State(state): State<AppState>, ApiUser(_): ApiUser) -> ApiResult<Json<ExamList>> {
    let exams = exams::list(&state).await?;
    let exams = exams
        .into_iter()
        .map(|e| ExamJson {
            attempts_url: format!("/api/v1/exams/{}/attempts", e.blueprint.slug),
            blueprint: e.blueprint,
        })
        .collect();
    Ok(Json(ExamList { exams }))
}

async fn start_attempt(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<StartRequest>,
) -> ApiResult<Response> {
    let exam = exams::by_slug(&state, &slug).await?;
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

#[derive(Deserialize)]
struct ListQuery {
    limit: Option<i64>,
}

async fn list_attempts(
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

async fn show_attempt(
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

async fn show_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, n)): ApiPath<(Uuid, i32)>,
) -> ApiResult<Json<ItemJson>> {
    let (attempt, item, version) = attempts::open_item(&state, user.id.0, id, n).await?;
    // Unlike the page, a finished attempt's item is shown (with its
    // feedback) rather than redirected: a client may read it either way.
    let visibility = Visibility::of(attempt.mode, attempt.is_finished(), item.checked);
    Ok(Json(ItemJson::new(ItemView::new(&item, &version, visibility), item.seq + 1)))
}

async fn save_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, n)): ApiPath<(Uuid, i32)>,
    ApiJson(req): ApiJson<SaveRequest>,
) -> ApiResult<Response> {
    Ok(save_reply(attempts::save(&state, user.id.0, id, n, &req).await?)?)
}

/// Grades once, however often it is called: a retry after a lost reply
/// gets the same result.
async fn submit_attempt(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ResultJson>> {
    attempts::submit(&state, user.id.0, id).await?;
    Ok(Json(result_of(&state, id, user.id.0).await?))
}

async fn show_result(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ResultJson>> {
    Ok(Json(result_of(&state, id, user.id.0).await?))
}

/// The result of a finished attempt, every item with its key and
/// explanation; a running one has none yet (409).
async fn result_of(state: &AppState, id: Uuid, user: Uuid) -> ApiResult<ResultJson> {
    let ResultOutcome::Finished(result) = attempts::result(state, user, id).await? else {
        return Err(AppError::Conflict(
            "This attempt is still running, so it has no result yet. Submit it (POST …/submit) or wait for its deadline."
                .into(),
        )
        .into());
    };
    let visibility = Visibility::of(result.attempt.mode, true, true);
    let mut views = Vec::with_capacity(result.items.len());
    for item in &result.items {
        let version = result.version(item)?;
        views.push(ItemJson::new(ItemView::new(item, version, visibility), item.seq + 1));
    }
    let AttemptResult { attempt, score, .. } = *result;
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
        items: views,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bearer_authorization_names_a_token() {
        let value = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(bearer(&value("Bearer abc")), Some("abc"));
        assert_eq!(bearer(&value("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(&value("Basic abc")), None);
        assert_eq!(bearer(&value("Bearer ")), None);
        assert_eq!(bearer(&value("Bearer")), None);
    }
}
