//! Who is asking: the session resolved once per request, and the
//! extractors that read it.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::cookies::{self, CookieConfig};
use super::csrf::CsrfToken;
use super::{ApiError, AppError, AppState};
use crate::account::{Display, Role};
use crate::app::accounts;
use crate::app::exams::Actor;
use crate::store::users::User;

#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub token: String,
    pub display: Display,
}

#[derive(Debug, Clone)]
struct Resolved(Option<Session>);

/// Looks the session cookie up (one query) and remembers the answer for
/// the extractors below.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let cookie_config = CookieConfig { secure: state.config.secure_cookies };
    let token = cookies::get(req.headers(), cookie_config, cookies::SESSION);
    let mut session = None;
    if let Some(token) = token {
        match accounts::session_user(&state, &token).await {
            Ok(user) => session = user.map(|(user, display)| Session { user, token, display }),
            // The API answers every error as a problem document, this one too.
            Err(e) if req.uri().path().starts_with("/api/") => return ApiError::from(e).into_response(),
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    req.extensions_mut().insert(Resolved(session));
    next.run(req).await
}

fn resolved(parts: &Parts) -> Option<Session> {
    parts.extensions.get::<Resolved>().and_then(|r| r.0.clone())
}

/// A logged-in user; anyone else is sent to the login page.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let next = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
        resolved(parts).map(CurrentUser).ok_or(AppError::Unauthorized { next })
    }
}

/// A logged-in user as the use cases that change exams know them (the role
/// guard of the instructor area has already let only instructors and
/// admins through).
#[derive(Debug, Clone)]
pub struct Editor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Editor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let CurrentUser(session) = CurrentUser::from_request_parts(parts, state).await?;
        Ok(Editor(Actor::account(&session.user)))
    }
}

#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<Session>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(resolved(parts)))
    }
}

/// What the base layout needs on every page: who is logged in, the CSRF
/// token for its forms, and the version of the static assets.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub user: Option<User>,
    /// How the account wants pages shown; the default when logged out.
    pub display: Display,
    pub csrf: String,
    pub assets: &'static str,
}

impl Chrome {
    pub fn is_instructor(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role >= Role::Instructor)
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let CsrfToken(csrf) = CsrfToken::from_request_parts(parts, state).await?;
        let session = resolved(parts);
        let display = session.as_ref().map(|s| s.display).unwrap_or_default();
        Ok(Chrome { user: session.map(|s| s.user), display, csrf, assets: super::assets::version() })
    }
}
