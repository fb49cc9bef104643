//! Who is asking: the session, looked up at most once per request, and
//! the extractors that read it.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::OnceCell;

use super::cookies::{self, CookieConfig};
use super::csrf::CsrfToken;
use super::{AppError, AppState};
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

/// The session cookie of a request and, once an extractor asked, who it
/// belongs to. Looked up on first use, not for every request: the item page
/// and the save check the session in the same statement that reads or
/// writes the item, and a static file needs no session at all.
#[derive(Clone)]
struct Pending(Arc<PendingSession>);

struct PendingSession {
    app: AppState,
    token: Option<String>,
    resolved: OnceCell<Option<Session>>,
}

/// Puts the session cookie where the extractors below find it.
pub async fn defer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let cookie_config = CookieConfig { secure: state.config.secure_cookies };
    let token = cookies::get(req.headers(), cookie_config, cookies::SESSION);
    req.extensions_mut().insert(Pending(Arc::new(PendingSession { app: state, token, resolved: OnceCell::new() })));
    next.run(req).await
}

/// Who is logged in, if anyone.
async fn resolved(parts: &Parts) -> Result<Option<Session>, AppError> {
    match parts.extensions.get::<Pending>() {
        Some(Pending(pending)) => pending.resolve().await,
        None => Ok(None),
    }
}

impl PendingSession {
    /// One query the first time a request asks, remembered for the rest of it.
    async fn resolve(&self) -> Result<Option<Session>, AppError> {
        let Some(token) = &self.token else { return Ok(None) };
        let session = self
            .resolved
            .get_or_try_init(|| async {
                let user = accounts::session_user(&self.app, token).await?;
                Ok::<_, AppError>(user.map(|(user, display)| Session { user, token: token.clone(), display }))
            })
            .await?;
        Ok(session.clone())
    }
}

/// The session cookie, not yet looked up: for the handlers that check it
/// in their own statement (see [`defer`]), or only on some paths.
pub struct SessionCookie {
    pending: Option<Arc<PendingSession>>,
    /// Where to come back to after logging in.
    next: String,
}

impl SessionCookie {
    pub fn token(&self) -> Option<&str> {
        self.pending.as_ref().and_then(|p| p.token.as_deref())
    }

    /// Sends the browser to log in and come back here.
    pub fn log_in_first(&self) -> AppError {
        AppError::Unauthorized { next: self.next.clone() }
    }

    /// The logged-in user, looked up now (once per request).
    pub async fn user(&self) -> Result<Session, AppError> {
        let session = match &self.pending {
            Some(pending) => pending.resolve().await?,
            None => None,
        };
        session.ok_or_else(|| self.log_in_first())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SessionCookie {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(SessionCookie { pending: parts.extensions.get::<Pending>().map(|p| p.0.clone()), next: next_of(parts) })
    }
}

fn next_of(parts: &Parts) -> String {
    parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string()
}

/// A logged-in user; anyone else is sent to the login page.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        resolved(parts).await?.map(CurrentUser).ok_or_else(|| AppError::Unauthorized { next: next_of(parts) })
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
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(resolved(parts).await?))
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
        let session = resolved(parts).await?;
        let display = session.as_ref().map(|s| s.display).unwrap_or_default();
        Ok(Chrome { user: session.map(|s| s.user), display, csrf, assets: super::assets::version() })
    }
}
