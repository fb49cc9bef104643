//! The admins' area: the accounts, their roles, and disabling them. Every
//! route is for admins: an instructor or a learner gets 403, a visitor
//! the login page.

mod users;

use axum::routing::{get, post};
use axum::{Router, middleware};

use super::AppState;
use super::auth::require_admin;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users::list_users))
        .route("/admin/users/{id}/role", post(users::set_role))
        .route("/admin/users/{id}/disable", post(users::disable_user))
        .route("/admin/users/{id}/enable", post(users::enable_user))
        .route_layer(middleware::from_fn(require_admin))
}
