//! One error type per face: [`AppError`] renders a friendly HTML page,
//! [`ApiError`] a JSON problem document. Database and internal errors are
//! logged with their whole cause chain and shown only as a generic message.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Not logged in: the browser goes to the login page and comes back.
    #[error("login required")]
    Unauthorized { next: String },
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests: {0}")]
    TooManyRequests(String),
    /// A request body over the limit (named when known).
    #[error("request body too large")]
    TooLarge(Option<super::limit::BodyLimit>),
    #[error("service unavailable")]
    Unavailable,
    /// Unavailable because every database connection stayed in use for
    /// the pool's acquire timeout: answered as [`AppError::Unavailable`],
    /// and counted apart (`/metrics`), as the one sign of requests waiting
    /// on the pool that the pool itself does not give.
    #[error("service unavailable: no database connection came free")]
    PoolTimedOut,
    /// Too many password checks at once; try again shortly.
    #[error("busy")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if is_unavailable(&e) {
            tracing::error!(error = %e, "database unavailable");
            return if matches!(e, sqlx::Error::PoolTimedOut) { AppError::PoolTimedOut } else { AppError::Unavailable };
        }
        AppError::Internal(e.into())
    }
}

/// Whether the database could not be reached or dropped the connection:
/// no free connection in time, a broken socket, or PostgreSQL shutting
/// down, restarting or cutting the connection (SQLSTATE class 08, and
/// 57P01–57P03). A connection cut by a restart fails its next statement
/// once, so these are worth trying again; anything else is our bug.
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            db.code().is_some_and(|code| code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03"))
        }
        _ => false,
    }
}

/// Marks a response that says the database is unavailable, for layers
/// that answer it in the client's own terms (see `attempts::retry`).
#[derive(Debug, Clone, Copy)]
pub struct DatabaseUnavailable;

/// Marks a response to a request that found no free database connection
/// in time, for the metrics layer to count.
#[derive(Debug, Clone, Copy)]
pub struct PoolTimedOut;

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable | AppError::PoolTimedOut | AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the user may read: never the internal cause.
    fn public_message(&self) -> String {
        match self {
            AppError::NotFound => "There is nothing at this address, or it is not yours to see.".into(),
            AppError::Forbidden(m) | AppError::Invalid(m) | AppError::Conflict(m) | AppError::TooManyRequests(m) => {
                m.clone()
            }
            AppError::Unauthorized { .. } => "Please log in.".into(),
            AppError::TooLarge(limit) => match limit {
                Some(super::limit::BodyLimit(bytes)) => format!(
                    "The request is too large: this server takes at most {}. Nothing was saved.",
                    if bytes % 1024 == 0 { format!("{} KiB", bytes / 1024) } else { format!("{bytes} bytes") }
                ),
                None => "The request is too large for this server. Nothing was saved.".into(),
            },
            AppError::Unavailable | AppError::PoolTimedOut => {
                "The database is not answering right now. Your saved answers are safe; try again in a moment.".into()
            }
            AppError::Busy => {
                "Many logins are being checked right now, so yours was not. Nothing was changed; try again in a few seconds."
                    .into()
            }
            AppError::Internal(_) => "Something went wrong on our side. It has been logged; please try again.".into(),
        }
    }

    fn log(&self) {
        if let AppError::Internal(e) = self {
            tracing::error!(error = ?e, "internal error");
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: &'static str,
    message: String,
    /// Static files are cached for a year, so every page names their version.
    assets: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        if let AppError::Unauthorized { next } = &self {
            return Redirect::to(&format!("/login?next={}", encode_next(next))).into_response();
        }
        let status = self.status();
        let page = ErrorPage {
            title: status.canonical_reason().unwrap_or("Error"),
            message: self.public_message(),
            assets: super::assets::version(),
        };
        let mut response = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, self.public_message()).into_response(),
        };
        self.mark(&mut response);
        response
    }
}

impl AppError {
    /// Marks an unavailable database on the response, whichever face
    /// answered.
    fn mark(&self, response: &mut Response) {
        if matches!(self, AppError::Unavailable | AppError::PoolTimedOut) {
            response.extensions_mut().insert(DatabaseUnavailable);
        }
        if matches!(self, AppError::PoolTimedOut) {
            response.extensions_mut().insert(PoolTimedOut);
        }
    }
}

impl AppError {
    /// This error as the face of `path` shows it: a problem document under
    /// `/api/`, the HTML page anywhere else. For layers that answer before
    /// any handler (and so before either face is chosen).
    pub fn for_path(self, path: &str) -> Response {
        if path.starts_with("/api/") { ApiError(self).into_response() } else { self.into_response() }
    }
}

/// Keeps a return path local and fit for a `Location` header: anything
/// that is not a plain path (another site, a backslash, a control character
/// such as a line break, which no header may hold) becomes `/`.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local && !next.chars().any(char::is_control) { next } else { "/" }
}

fn encode_next(next: &str) -> String {
    safe_next(next)
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The JSON face: RFC 9457 problem details.
#[derive(Debug)]
pub struct ApiError(pub AppError);

#[derive(Serialize, utoipa::ToSchema)]
#[schema(description = "RFC 9457 problem details.")]
pub(super) struct Problem {
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    status: u16,
    detail: String,
}

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let detail = match &self.0 {
            AppError::Unauthorized { .. } => "Log in or send an API token as `Authorization: Bearer <token>`.".into(),
            e => e.public_message(),
        };
        let problem = Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail,
        };
        let mut response = (status, Json(problem)).into_response();
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/problem+json"));
        self.0.mark(&mut response);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_stay_on_this_site() {
        assert_eq!(safe_next("/attempts/1"), "/attempts/1");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(encode_next("/a?b=c"), "/a%3Fb%3Dc");
    }

    #[test]
    fn return_paths_with_control_characters_go_home() {
        for next in ["/\n", "/a\r\nSet-Cookie: x=1", "/a\tb", "/\u{7f}", "/\u{85}", "/\0"] {
            assert_eq!(safe_next(next), "/", "{next:?}");
        }
        assert_eq!(safe_next("/exams/café?x=1 2"), "/exams/café?x=1 2", "other characters stay");
    }
}
