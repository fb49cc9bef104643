//! Accounts on the web: log in and out, register, the account page with
//! its password change and API tokens; and the role guards.

mod account;
mod login;
mod register;

use askama::Template;
use axum::extract::Request;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Router, middleware};

use super::cookies::{self, CookieConfig};
use super::session::CurrentUser;
use super::{AppError, AppState, Result};
use crate::account::Role;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::show_login).post(login::log_in))
        .route("/register", get(register::show_register).post(register::register))
        .route("/logout", post(login::log_out))
        .route("/account", get(account::show_account))
        .route("/account/display", post(account::set_display))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/account/password", get(account::show_password).post(account::change_password))
}

/// Routes behind this layer are for instructors and admins only.
pub async fn require_instructor(
    CurrentUser(session): CurrentUser,
    req: Request,
    next: middleware::Next,
) -> Result<Response> {
    if session.user.role < Role::Instructor {
        return Err(AppError::Forbidden("This page is for instructors.".into()));
    }
    Ok(next.run(req).await)
}

/// Routes behind this layer are for admins only.
pub async fn require_admin(
    CurrentUser(session): CurrentUser,
    req: Request,
    next: middleware::Next,
) -> Result<Response> {
    if session.user.role < Role::Admin {
        return Err(AppError::Forbidden("This page is for admins.".into()));
    }
    Ok(next.run(req).await)
}

fn render(status: StatusCode, page: impl Template) -> Result<Response> {
    Ok((status, Html(page.render()?)).into_response())
}

/// Goes to `next` with the session cookie of a session just made.
fn redirect_with_session(state: &AppState, token: String, next: &str) -> Result<Response> {
    let config = CookieConfig { secure: state.config.secure_cookies };
    let max_age = time::Duration::seconds(state.config.session_absolute.as_secs() as i64);
    let cookie = config.set(cookies::SESSION, token, Some(max_age));
    with_cookie(Redirect::to(next).into_response(), cookie)
}

fn with_cookie(mut response: Response, cookie: axum_extra::extract::cookie::Cookie<'static>) -> Result<Response> {
    let value = HeaderValue::from_str(&cookie.to_string()).map_err(|e| AppError::Internal(e.into()))?;
    response.headers_mut().append(SET_COOKIE, value);
    Ok(response)
}
