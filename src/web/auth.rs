//! Accounts on the web: register, log in, log out, change password.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Router, middleware};
use serde::Deserialize;
use time::OffsetDateTime;
use time::macros::format_description;
use uuid::Uuid;

use super::cookies::{self, CookieConfig};
use super::error::safe_next;
use super::form::{AppForm, FieldErrors};
use super::session::{Chrome, CurrentUser, MaybeUser, Session};
use super::{AppError, AppState, Result};
use crate::account::{self, DisplayName, Email, Password, Role};
use crate::store::tokens::{self, TokenName};
use crate::store::{sessions, throttle, users};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(show_login).post(log_in))
        .route("/register", get(show_register).post(register))
        .route("/logout", post(log_out))
        .route("/account", get(show_account))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/account/password", get(show_password).post(change_password))
}

/// Routes behind this layer are for instructors and admins only.
pub async fn require_instructor(
    CurrentUser(session): CurrentUser,
    req: axum::extract::Request,
    next: middleware::Next,
) -> Result<Response> {
    if session.user.role < Role::Instructor {
        return Err(AppError::Forbidden("This page is for instructors.".into()));
    }
    Ok(next.run(req).await)
}

fn render(status: StatusCode, page: impl Template) -> Result<Response> {
    Ok((status, Html(page.render()?)).into_response())
}

// ----- log in -----

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    next: String,
    error: Option<String>,
    registration_open: bool,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn show_login(State(state): State<AppState>, chrome: Chrome, Query(q): Query<NextQuery>) -> Result<Response> {
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
struct LoginForm {
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

fn minutes_until(until: time::OffsetDateTime, now: time::OffsetDateTime) -> i64 {
    ((until - now).whole_seconds() + 59).max(60) / 60
}

async fn log_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    MaybeUser(old): MaybeUser,
    chrome: Chrome,
    AppForm(form): AppForm<LoginForm>,
) -> Result<Response> {
    let now = state.clock.now();
    let window = time::Duration::seconds(state.config.login_window.as_secs() as i64);
    let account_key = format!("account:{}", form.email.trim().to_lowercase());
    let address_key = format!("address:{}", client_address(&state, peer, &headers));
    let next = safe_next(&form.next).to_string();
    let page = |error: String| LoginPage {
        chrome: chrome.clone(),
        email: form.email.trim().to_string(),
        next: next.clone(),
        error: Some(error),
        registration_open: state.config.registration_open,
    };

    // Locks are checked before the password, and count unknown emails too:
    // a lock says nothing about whether an account exists.
    for (key, limit, whose) in [
        (&account_key, state.config.login_account_limit, "this account"),
        (&address_key, state.config.login_address_limit, "your network address"),
    ] {
        if let Some((failures, until)) = throttle::failures(&state.db, key, now, window).await?
            && failures >= limit as i32
        {
            let m = minutes_until(until, now);
            let message = format!(
                "Too many failed logins for {whose}. Wait {m} minute{} and try again; nothing else is affected.",
                if m == 1 { "" } else { "s" }
            );
            return render(StatusCode::TOO_MANY_REQUESTS, page(message));
        }
    }

    let credentials = users::credentials(&state.db, &form.email).await?;
    // Unknown emails are checked against a dummy hash, so both failures take
    // the same time.
    let hash = credentials.as_ref().map_or_else(|| account::dummy_hash().to_string(), |c| c.password_hash.clone());
    let password = form.password.clone();
    let verified = tokio::task::spawn_blocking(move || account::verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let Some(credentials) = credentials.filter(|_| verified) else {
        throttle::record_failure(&state.db, &account_key, now, window).await?;
        throttle::record_failure(&state.db, &address_key, now, window).await?;
        return render(StatusCode::UNAUTHORIZED, page("Email or password is incorrect.".into()));
    };
    throttle::clear(&state.db, &account_key).await?;
    start_session(&state, old, credentials.user.id, &next).await
}

/// Logs `user` in with a new token (any old session of this browser is
/// ended first, so a planted token never becomes a logged-in one).
async fn start_session(
    state: &AppState,
    old: Option<Session>,
    user: crate::account::UserId,
    next: &str,
) -> Result<Response> {
    if let Some(old) = old {
        sessions::delete(&state.db, &old.token).await?;
    }
    let token = sessions::create(&state.db, user, state.clock.now()).await?;
    let cookie_config = CookieConfig { secure: state.config.secure_cookies };
    let cookie =
        cookie_config.set(cookies::SESSION, &token, "Lax", Some(state.config.session_absolute.as_secs() as i64));
    let mut response = Redirect::to(next).into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.into()))?);
    Ok(response)
}

// ----- log out -----

async fn log_out(State(state): State<AppState>, MaybeUser(session): MaybeUser) -> Result<Response> {
    if let Some(session) = session {
        sessions::delete(&state.db, &session.token).await?;
    }
    let cookie_config = CookieConfig { secure: state.config.secure_cookies };
    let mut response = Redirect::to("/login").into_response();
    let clear =
        HeaderValue::from_str(&cookie_config.clear(cookies::SESSION)).map_err(|e| AppError::Internal(e.into()))?;
    response.headers_mut().append(SET_COOKIE, clear);
    Ok(response)
}

// ----- register -----

#[derive(Template)]
#[template(path = "auth/register.html")]
struct RegisterPage {
    chrome: Chrome,
    email: String,
    display_name: String,
    errors: FieldErrors,
    min_password: usize,
}

async fn show_register(State(state): State<AppState>, chrome: Chrome) -> Result<Response> {
    if !state.config.registration_open {
        return Err(registration_closed());
    }
    let page = RegisterPage {
        chrome,
        email: String::new(),
        display_name: String::new(),
        errors: FieldErrors::default(),
        min_password: account::PASSWORD_MIN,
    };
    render(StatusCode::OK, page)
}

fn registration_closed() -> AppError {
    AppError::Forbidden(
        "Registration is closed on this server. Ask your instructor or administrator for an account.".into(),
    )
}

#[derive(Deserialize)]
struct RegisterForm {
    email: String,
    display_name: String,
    password: String,
    password_confirm: String,
}

async fn register(
    State(state): State<AppState>,
    MaybeUser(old): MaybeUser,
    chrome: Chrome,
    AppForm(form): AppForm<RegisterForm>,
) -> Result<Response> {
    if !state.config.registration_open {
        return Err(registration_closed());
    }
    let mut errors = FieldErrors::default();
    let email = Email::parse(&form.email).map_err(|e| errors.add("email", e)).ok();
    let name = DisplayName::parse(&form.display_name).map_err(|e| errors.add("display_name", e)).ok();
    let password = Password::parse(&form.password).map_err(|e| errors.add("password", e)).ok();
    if form.password != form.password_confirm {
        errors.add("password_confirm", "The two passwords differ.");
    }
    let page = |errors: FieldErrors| RegisterPage {
        chrome: chrome.clone(),
        email: form.email.trim().to_string(),
        display_name: form.display_name.trim().to_string(),
        errors,
        min_password: account::PASSWORD_MIN,
    };
    let (Some(email), Some(name), Some(password), true) = (email, name, password, errors.is_empty()) else {
        return render(StatusCode::UNPROCESSABLE_ENTITY, page(errors));
    };
    let hash = hash_off_executor(password).await?;
    match users::create(&state.db, &email, &name, &hash, Role::Learner, state.clock.now()).await {
        Ok(user) => start_session(&state, old, user.id, "/").await,
        Err(users::CreateError::EmailTaken) => {
            let mut errors = FieldErrors::default();
            errors.add("email", "An account with this email already exists. Log in instead, or use another email.");
            render(StatusCode::UNPROCESSABLE_ENTITY, page(errors))
        }
        Err(users::CreateError::Db(e)) => Err(e.into()),
    }
}

async fn hash_off_executor(password: Password) -> Result<String> {
    tokio::task::spawn_blocking(move || account::hash_password(password.expose()))
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

// ----- account and password -----

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    chrome: Chrome,
    user: users::User,
    notice: Option<&'static str>,
    tokens: Vec<TokenRow>,
    /// A token just made: on this one page, and never shown again.
    new_token: Option<NewToken>,
    /// The name field as typed, kept when it is refused.
    token_name: String,
    errors: FieldErrors,
    token_name_max: usize,
}

/// A token as the list shows it.
struct TokenRow {
    id: Uuid,
    name: String,
    created: String,
    last_used: Option<String>,
}

struct NewToken {
    name: String,
    secret: String,
}

/// What the account page shows besides the account and its tokens.
#[derive(Default)]
struct AccountExtras {
    notice: Option<&'static str>,
    new_token: Option<NewToken>,
    token_name: String,
    errors: FieldErrors,
}

/// `2026-03-01 14:05 UTC`: the server keeps UTC and does not know the
/// learner's zone.
fn utc_minute(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).unwrap_or_else(|_| utc.to_string())
}

#[derive(Deserialize)]
struct AccountQuery {
    changed: Option<String>,
    revoked: Option<String>,
}

async fn show_account(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Query(q): Query<AccountQuery>,
) -> Result<Response> {
    let notice = if q.changed.is_some() {
        Some("Your password was changed. Other devices have been logged out.")
    } else if q.revoked.is_some() {
        Some("The token was revoked. Anything still using it is refused from now on.")
    } else {
        None
    };
    render_account(&state, session.user, chrome, AccountExtras { notice, ..Default::default() }, StatusCode::OK).await
}

async fn render_account(
    state: &AppState,
    user: users::User,
    chrome: Chrome,
    extras: AccountExtras,
    status: StatusCode,
) -> Result<Response> {
    let tokens = tokens::list(&state.db, user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: utc_minute(t.created_at),
            last_used: t.last_used_at.map(utc_minute),
        })
        .collect();
    let AccountExtras { notice, new_token, token_name, errors } = extras;
    let page =
        AccountPage { chrome, user, notice, tokens, new_token, token_name, errors, token_name_max: TokenName::MAX };
    // The page may hold a new token's secret: no cache may keep it.
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

/// Makes a token and shows it on the page this post returns, not after a
/// redirect: the secret is never put in a URL and is shown exactly once.
async fn create_token(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    AppForm(form): AppForm<TokenForm>,
) -> Result<Response> {
    let name = match TokenName::parse(&form.name) {
        Ok(name) => name,
        Err(message) => {
            let mut errors = FieldErrors::default();
            errors.add("token_name", message);
            let extras = AccountExtras { token_name: form.name.trim().to_string(), errors, ..Default::default() };
            return render_account(&state, session.user, chrome, extras, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let (_, secret) = tokens::create(&state.db, session.user.id, &name, state.clock.now()).await?;
    let new_token = NewToken { name: name.as_str().to_string(), secret };
    render_account(
        &state,
        session.user,
        chrome,
        AccountExtras { new_token: Some(new_token), ..Default::default() },
        StatusCode::OK,
    )
    .await
}

async fn revoke_token(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    // Someone else's token (or one already gone) is simply not found.
    if !tokens::revoke(&state.db, session.user.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/account?revoked=1").into_response())
}

#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    chrome: Chrome,
    errors: FieldErrors,
    min_password: usize,
}

async fn show_password(CurrentUser(_): CurrentUser, chrome: Chrome) -> Result<Response> {
    render(StatusCode::OK, PasswordPage { chrome, errors: FieldErrors::default(), min_password: account::PASSWORD_MIN })
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    AppForm(form): AppForm<PasswordForm>,
) -> Result<Response> {
    let mut errors = FieldErrors::default();
    let stored = users::password_hash(&state.db, session.user.id).await?;
    let current = form.current_password.clone();
    let verified = tokio::task::spawn_blocking(move || account::verify_password(&current, &stored))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    if !verified {
        errors.add("current_password", "Your current password is not right.");
    }
    let password = Password::parse(&form.new_password).map_err(|e| errors.add("new_password", e)).ok();
    if form.new_password != form.new_password_confirm {
        errors.add("new_password_confirm", "The two new passwords differ.");
    }
    let (Some(password), true) = (password, errors.is_empty()) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage { chrome, errors, min_password: account::PASSWORD_MIN },
        );
    };
    let hash = hash_off_executor(password).await?;
    let mut tx = state.db.begin().await?;
    users::set_password(&mut *tx, session.user.id, &hash).await?;
    // A changed password ends every session, this one included; a fresh
    // one keeps this browser logged in.
    sessions::delete_all_for(&mut *tx, session.user.id).await?;
    tx.commit().await?;
    start_session(&state, None, session.user.id, "/account?changed=1").await
}
