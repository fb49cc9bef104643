//! The instructor's area: the exams, each with its past imports and
//! exports, the exam editor and publishing, and the upload of question
//! sets with a preview before the import. Every route is for instructors and admins: a learner gets 403,
//! a visitor the login page.

mod blueprints;
mod diff;
mod exams;
mod uploads;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};

use super::AppState;
use super::auth::require_instructor;
use super::limit::UPLOAD_ROUTE;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/instructor", get(exams::list_exams))
        .route("/instructor/exams/new", get(blueprints::new_exam).post(blueprints::create_exam))
        .route("/instructor/exams/{slug}", get(exams::show_exam))
        .route("/instructor/exams/{slug}/edit", get(blueprints::edit_exam).post(blueprints::update_exam))
        .route("/instructor/exams/{slug}/publish", post(blueprints::publish_exam))
        .route("/instructor/exams/{slug}/unpublish", post(blueprints::unpublish_exam))
        .route("/instructor/exams/{slug}/export", get(exams::export_questions))
        .route("/instructor/exams/{slug}/uploads/new", get(uploads::new_upload))
        // The multipart extractor would hold this body to the general
        // limit; `limit::bound` already holds it to the import limit.
        .route(UPLOAD_ROUTE, post(uploads::hold_upload).layer(DefaultBodyLimit::disable()))
        .route("/instructor/uploads/{id}", get(uploads::show_preview))
        .route("/instructor/uploads/{id}/import", post(uploads::import_upload))
        .route_layer(middleware::from_fn(require_instructor))
}
