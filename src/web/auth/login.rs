//! Logging in and out.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{redirect_with_session, render, with_cookie};
use crate::app::accounts::{self, Login, LoginOutcome};
use crate::web::cookies::{self, CookieConfig};
use crate::web::error::safe_next;
use crate::web::form::AppForm;
use crate::web::outcomes::login_locked;
use crate::web::session::{Chrome, MaybeUser};
use crate::web::{AppState, Result};

#[derive(askama::Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    next: String,
    error: Option<String>,
    registration_open: bool,
}

#[derive(Deserialize)]
pub(super) struct NextQuery {
    next: Option<String>,
}

pub(super) async fn show_login(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<NextQuery>,
) -> Result<Response> {
    let next = safe_next(q.next.as_deref().unwrap_or("/")).to_string();
    if chrome.user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let page = LoginPage {
        chrome,
        email: String::new(),
        next,
        error: None,
        registration_open: state.config.registration_open,
    };
    render(StatusCode::OK, page)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// The client's address, for the per-address login limit.
fn client_address(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    if state.config.trust_forwarded_for
        && let Some(last) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    {
        return last.to_string();
    }
    peer.ip().to_string()
}

pub(super) async fn log_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    MaybeUser(old): MaybeUser,
    chrome: Chrome,
    AppForm(form): AppForm<LoginForm>,
) -> Result<Response> {
    let next = safe_next(&form.next).to_string();
    let address = client_address(&state, peer, &headers);
    let login = Login {
        email: &form.email,
        password: &form.password,
        address: &address,
        replacing: old.as_ref().map(|s| s.token.as_str()),
    };
    let (status, error) = match accounts::log_in(&state, login).await? {
        LoginOutcome::LoggedIn { token, .. } => return redirect_with_session(&state, token, &next),
        LoginOutcome::Refused => (StatusCode::UNAUTHORIZED, "Email or password is incorrect.".to_string()),
        LoginOutcome::Disabled => {
            (StatusCode::FORBIDDEN, "This account is disabled. Ask an administrator.".to_string())
        }
        LoginOutcome::Locked { who, minutes } => (StatusCode::TOO_MANY_REQUESTS, login_locked(who, minutes)),
    };
    let page = LoginPage {
        chrome,
        email: form.email.trim().to_string(),
        next,
        error: Some(error),
        registration_open: state.config.registration_open,
    };
    render(status, page)
}

pub(super) async fn log_out(State(state): State<AppState>, MaybeUser(session): MaybeUser) -> Result<Response> {
    if let Some(session) = session {
        accounts::log_out(&state, &session.token).await?;
    }
    let config = CookieConfig { secure: state.config.secure_cookies };
    with_cookie(Redirect::to("/login").into_response(), config.clear(cookies::SESSION))
}
