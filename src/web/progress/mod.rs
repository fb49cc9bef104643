//! `/me`: a learner's progress across sessions — history, trends,
//! readiness, weak spots, coverage, the review queue, confidence and the
//! plan to exam day — and the export of their own data.

pub(crate) mod export;
mod history;
mod me;
mod trends;

use axum::Router;
use axum::routing::{get, post};

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me::show))
        .route("/me/exam-date", post(me::set_exam_date))
        .route("/me/attempts.csv", get(export::attempts_csv))
        .route("/me/responses.csv", get(export::responses_csv))
}
