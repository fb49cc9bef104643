//! Registering as a learner.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{redirect_with_session, render};
use crate::account::{self, DisplayName, Email, Password};
use crate::app::accounts::{self, RegisterOutcome};
use crate::web::form::{AppForm, FieldErrors};
use crate::web::session::{Chrome, MaybeUser};
use crate::web::{AppError, AppState, Result};

#[derive(askama::Template)]
#[template(path = "auth/register.html")]
struct RegisterPage {
    chrome: Chrome,
    email: String,
    display_name: String,
    errors: FieldErrors,
    min_password: usize,
}

pub(super) async fn show_register(State(state): State<AppState>, chrome: Chrome) -> Result<Response> {
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
pub(super) struct RegisterForm {
    email: String,
    display_name: String,
    password: String,
    password_confirm: String,
}

pub(super) async fn register(
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
    let replacing = old.as_ref().map(|s| s.token.as_str());
    match accounts::register(&state, &email, &name, password, replacing).await? {
        RegisterOutcome::Registered { token, .. } => redirect_with_session(&state, token, "/"),
        RegisterOutcome::EmailTaken => {
            let mut errors = FieldErrors::default();
            errors.add("email", "An account with this email already exists. Log in instead, or use another email.");
            render(StatusCode::UNPROCESSABLE_ENTITY, page(errors))
        }
    }
}
