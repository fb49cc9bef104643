//! The account page: how pages are shown, API tokens and the password change.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::{redirect_with_session, render};
use crate::account::{self, Display, Password, TextSize};
use crate::app::accounts;
use crate::store::tokens::TokenName;
use crate::store::users::User;
use crate::web::form::{AppForm, FieldErrors};
use crate::web::format::utc_minute;
use crate::web::session::{Chrome, CurrentUser};
use crate::web::{AppError, AppState, Result};

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    chrome: Chrome,
    user: User,
    notice: Option<&'static str>,
    tokens: Vec<TokenRow>,
    /// A token just made: on this one page, and never shown again.
    new_token: Option<NewToken>,
    /// The name field as typed, kept when it is refused.
    token_name: String,
    errors: FieldErrors,
    token_name_max: usize,
    text_sizes: [TextSize; 3],
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

#[derive(Deserialize)]
pub(super) struct AccountQuery {
    changed: Option<String>,
    revoked: Option<String>,
    display: Option<String>,
}

pub(super) async fn show_account(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Query(q): Query<AccountQuery>,
) -> Result<Response> {
    let notice = if let Some(changed) = q.changed.as_deref() {
        Some(match changed {
            CHANGED_TOKENS_REVOKED => {
                "Your password was changed. Other devices have been logged out, and your API tokens were revoked: \
                 anything still using one is refused from now on."
            }
            CHANGED_TOKENS_KEPT => {
                "Your password was changed. Other devices have been logged out; your API tokens still work \
                 (revoke any below that someone else may know)."
            }
            _ => "Your password was changed. Other devices have been logged out.",
        })
    } else if q.display.is_some() {
        Some("Saved: every page now shows with your text size and contrast, on every device you log in on.")
    } else if q.revoked.is_some() {
        Some("The token was revoked. Anything still using it is refused from now on.")
    } else {
        None
    };
    render_account(&state, session.user, chrome, AccountExtras { notice, ..Default::default() }, StatusCode::OK).await
}

async fn render_account(
    state: &AppState,
    user: User,
    chrome: Chrome,
    extras: AccountExtras,
    status: StatusCode,
) -> Result<Response> {
    let tokens = accounts::tokens(state, user.id)
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
    let page = AccountPage {
        chrome,
        user,
        notice,
        tokens,
        new_token,
        token_name,
        errors,
        token_name_max: TokenName::MAX,
        text_sizes: TextSize::ALL,
    };
    // The page may hold a new token's secret: no cache may keep it.
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
pub(super) struct DisplayForm {
    #[serde(default)]
    text_size: String,
    high_contrast: Option<String>,
}

pub(super) async fn set_display(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    AppForm(form): AppForm<DisplayForm>,
) -> Result<Response> {
    let text_size = TextSize::parse(&form.text_size).ok_or_else(|| {
        AppError::Invalid(format!("“{}” is not a text size: choose normal, large or larger.", form.text_size))
    })?;
    let display = Display { text_size, high_contrast: form.high_contrast.is_some() };
    accounts::set_display(&state, session.user.id, display).await?;
    Ok(Redirect::to("/account?display=saved").into_response())
}

#[derive(Deserialize)]
pub(super) struct TokenForm {
    #[serde(default)]
    name: String,
}

/// Makes a token and shows it on the page this post returns, not after a
/// redirect: the secret is never put in a URL and is shown exactly once.
pub(super) async fn create_token(
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
    let secret = accounts::create_token(&state, session.user.id, &name).await?;
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

pub(super) async fn revoke_token(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    // Someone else's token (or one already gone) is simply not found.
    accounts::revoke_token(&state, session.user.id, id).await?;
    Ok(Redirect::to("/account?revoked=1").into_response())
}

/// What `/account?changed=…` says after a password change.
const CHANGED_TOKENS_REVOKED: &str = "tokens-revoked";
const CHANGED_TOKENS_KEPT: &str = "tokens-kept";

#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    chrome: Chrome,
    errors: FieldErrors,
    min_password: usize,
    /// Whether the box to revoke the API tokens too is ticked: by default
    /// it is, as the safe choice after a password that may have leaked.
    revoke_tokens: bool,
}

pub(super) async fn show_password(CurrentUser(_): CurrentUser, chrome: Chrome) -> Result<Response> {
    let page = PasswordPage {
        chrome,
        errors: FieldErrors::default(),
        min_password: account::PASSWORD_MIN,
        revoke_tokens: true,
    };
    render(StatusCode::OK, page)
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    revoke_tokens: Option<String>,
}

pub(super) async fn change_password(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    AppForm(form): AppForm<PasswordForm>,
) -> Result<Response> {
    let mut errors = FieldErrors::default();
    if !accounts::is_current_password(&state, session.user.id, &form.current_password).await? {
        errors.add("current_password", "Your current password is not right.");
    }
    let password = Password::parse(&form.new_password).map_err(|e| errors.add("new_password", e)).ok();
    if form.new_password != form.new_password_confirm {
        errors.add("new_password_confirm", "The two new passwords differ.");
    }
    let revoke_tokens = form.revoke_tokens.is_some();
    let (Some(password), true) = (password, errors.is_empty()) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage { chrome, errors, min_password: account::PASSWORD_MIN, revoke_tokens },
        );
    };
    // A changed password ends every session, this one included; a fresh
    // one keeps this browser logged in.
    let changed = accounts::change_password(&state, session.user.id, password, revoke_tokens).await?;
    let tokens = if changed.tokens_revoked { CHANGED_TOKENS_REVOKED } else { CHANGED_TOKENS_KEPT };
    redirect_with_session(&state, changed.session, &format!("/account?changed={tokens}"))
}
