//! The one bound on request bodies. A body whose declared length is over
//! the limit is refused before any of it is read; any other (a chunked one
//! has no declared length) is read through a counter that fails past the
//! limit. Wherever that failure surfaces (the CSRF layer reading a form,
//! the form, JSON and bytes extractors) it is a 413, never a 422: the
//! request was not malformed, only too large.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::{LengthLimitError, Limited};

use super::{AppError, AppState};

/// The limit in force, in bytes, for the messages that name it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

pub async fn bound(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let limit = state.config.body_limit_bytes;
    let declared = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return AppError::TooLarge(Some(BodyLimit(limit))).for_path(req.uri().path());
    }
    req.extensions_mut().insert(BodyLimit(limit));
    next.run(req.map(|body| Body::new(Limited::new(body, limit)))).await
}

/// Whether reading a body failed because it went over the limit.
pub fn is_over_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<LengthLimitError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// The error for an extractor's rejection of a body: a 413 when the body
/// was over the limit (axum says so with that status), else `otherwise`.
pub fn refused(status: StatusCode, limit: Option<BodyLimit>, otherwise: impl FnOnce() -> AppError) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE { AppError::TooLarge(limit) } else { otherwise() }
}
