//! Every typed outcome of a use case, mapped to an HTTP status and the
//! words a learner reads, in this one place: the pages and the JSON API
//! both take their statuses and messages from here.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::AppError;
use crate::app;
use crate::app::accounts::Throttled;
use crate::app::attempts::{SaveOutcome, SaveStatus, StartRefusal};

impl From<app::Error> for AppError {
    fn from(e: app::Error) -> Self {
        match e {
            app::Error::NotFound => AppError::NotFound,
            app::Error::Busy => AppError::Busy,
            app::Error::Db(e) => e.into(),
            app::Error::Internal(e) => AppError::Internal(e),
        }
    }
}

/// Why an attempt was not started, as the learner reads it (422).
pub fn start_refusal(refusal: &StartRefusal) -> AppError {
    AppError::Invalid(match refusal {
        StartRefusal::UnknownDomain(d) => format!("This exam has no domain {d}."),
        StartRefusal::DrillNeedsOneFocus => "A drill is on one domain or one tag: choose one of them.".into(),
        StartRefusal::CountOutOfRange => {
            format!("Choose between 1 and {} questions.", app::attempts::MAX_COUNT)
        }
        StartRefusal::NothingToReview => {
            "You have no missed questions to review yet. Take a mock or a practice first.".into()
        }
        StartRefusal::NothingToDraw => "There are no questions to draw for that choice.".into(),
    })
}

/// A refused save's status code and message. A response that names
/// options the question does not have is not a save at all: an error.
pub fn save_refusal(outcome: SaveOutcome) -> Result<(StatusCode, String), AppError> {
    Ok(match outcome {
        SaveOutcome::Saved { .. } => (StatusCode::OK, "Saved".into()),
        SaveOutcome::TooManyChoices { allowed } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Choose at most {allowed} options; your previous answer is kept."),
        ),
        SaveOutcome::DoesNotFit => return Err(AppError::Invalid("That answer does not fit this question.".into())),
        SaveOutcome::RepeatedPlace => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Each step needs a place of its own: two steps were given the same place. Your previous answer is kept."
                .into(),
        ),
        SaveOutcome::SeqTooLarge => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "This save's sequence number is above the largest one taken ({}); nothing was saved. Reload the \
                 question and save again.",
                app::attempts::MAX_SEQ
            ),
        ),
        SaveOutcome::NothingToCheck => {
            (StatusCode::UNPROCESSABLE_ENTITY, "Answer the question before checking it.".into())
        }
        SaveOutcome::ConfidenceNotOffered => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "This mock exam was started without confidence marks, so `confidence` is not taken; nothing was saved. \
             Send the save without it."
                .into(),
        ),
        SaveOutcome::TimeUp { .. } => (
            StatusCode::CONFLICT,
            "Time is up: this answer arrived after the deadline and was not saved. Every answer saved before it counts."
                .into(),
        ),
        SaveOutcome::Finished { .. } => {
            (StatusCode::CONFLICT, "This attempt was already submitted; answers can no longer change.".into())
        }
        // A form with the answer fieldset disabled sends no answer at all,
        // so this is a real attempt to change a checked practice answer.
        SaveOutcome::Locked { .. } => {
            (StatusCode::CONFLICT, "This answer was already checked and can no longer change.".into())
        }
        SaveOutcome::Stale { .. } => (
            StatusCode::CONFLICT,
            "A newer answer to this question was saved (another tab or a retry); reload to see it.".into(),
        ),
    })
}

/// The JSON answer to a save, the same for the page's script and the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SaveReply {
    pub status: SaveStatus,
    /// The stored seq; null when the save was refused before reaching the
    /// item (an invalid response).
    #[schema(required = true)]
    pub seq: Option<i64>,
    pub message: String,
}

/// The refusal's status code with its reason, or 200 with the stored seq.
pub fn save_reply(outcome: SaveOutcome) -> Result<Response, AppError> {
    let (code, message) = save_refusal(outcome)?;
    let reply = SaveReply { status: outcome.status(), seq: outcome.seq(), message };
    Ok((code, Json(reply)).into_response())
}

/// Too many failed logins, as the login page says it (429).
pub fn login_locked(who: Throttled, minutes: i64) -> String {
    let whose = match who {
        Throttled::Account => "this account",
        Throttled::Address => "your network address",
    };
    format!(
        "Too many failed logins for {whose}. Wait {minutes} minute{} and try again; nothing else is affected.",
        if minutes == 1 { "" } else { "s" }
    )
}
