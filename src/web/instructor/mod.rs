//! The instructor's area: the exams, each with its past imports and
//! exports, the exam editor and publishing, the upload of question sets
//! with a preview before the import, the problem reports learners sent,
//! and the groups learners join with their assignments. Every route is for
//! instructors and admins: a learner gets 403, a visitor the login page.

mod assignments;
mod blueprints;
mod dashboard;
mod diff;
mod exams;
mod groups;
mod items;
mod question_edit;
mod questions;
mod reports;
mod uploads;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};

use uuid::Uuid;

use super::AppState;
use super::attempts::view::ItemView;
use super::auth::require_instructor;
use super::limit::UPLOAD_ROUTE;
use crate::app::versions::RenderedVersion;
use crate::exam::{Mode, VersionContent, Visibility};
use crate::store::attempts::Item;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/instructor", get(exams::list_exams))
        .route("/instructor/exams/new", get(blueprints::new_exam).post(blueprints::create_exam))
        .route("/instructor/exams/{slug}", get(exams::show_exam))
        .route("/instructor/exams/{slug}/edit", get(blueprints::edit_exam).post(blueprints::update_exam))
        .route("/instructor/exams/{slug}/publish", post(blueprints::publish_exam))
        .route("/instructor/exams/{slug}/unpublish", post(blueprints::unpublish_exam))
        .route("/instructor/exams/{slug}/export", get(exams::export_questions))
        .route("/instructor/exams/{slug}/items", get(items::show_items))
        .route("/instructor/exams/{slug}/items.csv", get(items::download_items))
        .route("/instructor/exams/{slug}/uploads/new", get(uploads::new_upload))
        // The multipart extractor would hold this body to the general
        // limit; `limit::bound` already holds it to the import limit.
        .route(UPLOAD_ROUTE, post(uploads::hold_upload).layer(DefaultBodyLimit::disable()))
        .route("/instructor/uploads/{id}", get(uploads::show_preview))
        .route("/instructor/uploads/{id}/import", post(uploads::import_upload))
        // An exam's questions: the list, one question, retire and restore,
        // and editing with its preview.
        .route("/instructor/exams/{slug}/questions", get(questions::list_questions))
        .route("/instructor/exams/{slug}/questions/{key}", get(questions::show_question))
        .route("/instructor/exams/{slug}/questions/{key}/retire", post(questions::retire_question))
        .route("/instructor/exams/{slug}/questions/{key}/restore", post(questions::restore_question))
        .route(
            "/instructor/exams/{slug}/questions/{key}/edit",
            get(question_edit::edit_question).post(question_edit::save_question),
        )
        .route("/instructor/exams/{slug}/questions/{key}/preview", post(question_edit::preview_question))
        // The problem-report inbox: the list, and one report with its answer.
        .route("/instructor/exams/{slug}/reports", get(reports::list_reports))
        .route("/instructor/exams/{slug}/reports/{id}", get(reports::show_report).post(reports::answer_report))
        // Groups: the list and a new one, a group's page, a new join code,
        // and a member removed.
        .route("/instructor/groups", get(groups::list_groups).post(groups::create_group))
        .route("/instructor/groups/{id}", get(groups::show_group))
        .route("/instructor/groups/{id}/code", post(groups::regenerate_code))
        .route("/instructor/groups/{id}/dashboard", get(dashboard::show_dashboard))
        .route("/instructor/groups/{id}/dashboard.csv", get(dashboard::dashboard_csv))
        .route("/instructor/groups/{id}/members/{user}/remove", post(groups::remove_member))
        // A group's assignments: the assign form, one with its members'
        // statuses, and deleting one after a confirm page.
        .route(
            "/instructor/groups/{id}/assignments/new",
            get(assignments::new_assignment).post(assignments::create_assignment),
        )
        .route("/instructor/groups/{id}/assignments/{assignment}", get(assignments::show_assignment))
        .route(
            "/instructor/groups/{id}/assignments/{assignment}/delete",
            get(assignments::confirm_delete).post(assignments::delete_assignment),
        )
        .route_layer(middleware::from_fn(require_instructor))
}

/// A version as a learner sees it in the exam once it is final: the
/// options in file order, the key, rationales and explanation shown.
pub(super) fn learner_view(content: VersionContent, position: i32) -> ItemView {
    let domain = content.question.domain.clone();
    let rendered = RenderedVersion::new(content);
    let item = Item {
        position,
        version_id: Uuid::nil(),
        domain,
        scored: true,
        option_order: (0..rendered.choices.len() as i32).collect(),
        response: None,
        answered: false,
        flagged: false,
        struck: Vec::new(),
        seq: 0,
        checked: true,
        correct: None,
        confidence: None,
    };
    ItemView::new(&item, &rendered, Visibility::of(Mode::Exam, true, true), false)
}
