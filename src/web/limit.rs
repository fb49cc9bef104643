//! The bound on request bodies, and what happens to a body nobody read.
//! Every route takes `MOCKEXAM_BODY_LIMIT_KB`, but the uploads of question
//! files ([`IMPORT_ROUTE`], [`UPLOAD_ROUTE`]), which take
//! `MOCKEXAM_IMPORT_LIMIT_KB`.
//!
//! A body whose declared length is over the limit is refused before any of
//! it is read; any other (a chunked one has no declared length) is read
//! through a counter that fails past the limit. Wherever that failure
//! surfaces (the CSRF layer reading a form, the form, JSON and bytes
//! extractors) it is a 413, never a 422: the request was not malformed,
//! only too large.
//!
//! A request answered without reading its body (refused by the CSRF check
//! or the API's authentication, or with no route) used to end its
//! connection: hyper keeps a connection for the next request only once the
//! body is read to its end, and by itself reads only what has already
//! arrived. So a body left unfinished comes back here when the handler
//! drops it, and is read and dropped after the answer has gone, within the
//! limit and the request timeout; past either, the connection closes.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_LENGTH, EXPECT};
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tokio::sync::oneshot;

use super::{AppError, AppState};

/// The limit in force, in bytes, for the messages that name it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// The route that takes a question file (`web::api::imports`): a bank is
/// larger than any form or answer, so it has a limit of its own.
pub const IMPORT_ROUTE: &str = "/api/v1/exams/{slug}/imports";

/// The instructor's upload form (`web::instructor::uploads`), which takes
/// the same files.
pub const UPLOAD_ROUTE: &str = "/instructor/exams/{slug}/uploads";

pub async fn bound(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // This layer runs after routing, so the route is known.
    let route = req.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
    let limit = if route == Some(IMPORT_ROUTE) || route == Some(UPLOAD_ROUTE) {
        state.config.import_limit_bytes
    } else {
        state.config.body_limit_bytes
    };
    let declared = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return AppError::TooLarge(Some(BodyLimit(limit))).for_path(req.uri().path());
    }
    req.extensions_mut().insert(BodyLimit(limit));
    // A client waiting for "100 Continue" before it sends the body has not
    // been asked for it once it is answered: that connection closes.
    let expects_continue = req.headers().contains_key(EXPECT);
    if http_body::Body::is_end_stream(req.body()) || expects_continue {
        return next.run(req.map(|body| Body::new(Limited::new(body, limit)))).await;
    }
    let (sender, mut unread) = oneshot::channel();
    let req =
        req.map(|body| Body::new(Limited::new(Returning { inner: Some(body), read: 0, back: Some(sender) }, limit)));
    let response = next.run(req).await;
    // Every handler and layer has dropped the request by now; a body left
    // unfinished is here.
    if let Ok(Unread { body, read }) = unread.try_recv() {
        tokio::spawn(tokio::time::timeout(state.config.request_timeout, drain(body, limit.saturating_sub(read))));
    }
    response
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

/// What is left of a body its handler dropped unfinished.
struct Unread {
    body: Body,
    /// How much of it was read before.
    read: usize,
}

/// A request body that, dropped before its end, sends itself back to
/// [`bound`] to be drained.
struct Returning {
    /// None once ended (or sent back).
    inner: Option<Body>,
    read: usize,
    back: Option<oneshot::Sender<Unread>>,
}

impl http_body::Body for Returning {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else { return Poll::Ready(None) };
        let frame = ready!(Pin::new(inner).poll_frame(cx));
        match &frame {
            Some(Ok(frame)) => this.read += frame.data_ref().map_or(0, Bytes::len),
            // Ended, or broken off: nothing is left to drain.
            None | Some(Err(_)) => this.inner = None,
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(http_body::Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.as_ref().map_or_else(|| SizeHint::with_exact(0), http_body::Body::size_hint)
    }
}

impl Drop for Returning {
    fn drop(&mut self) {
        if let (Some(body), Some(back)) = (self.inner.take(), self.back.take())
            && !http_body::Body::is_end_stream(&body)
        {
            let _ = back.send(Unread { body, read: self.read });
        }
    }
}

/// Reads and drops the rest of a body, at most `allowance` bytes of it;
/// over that, gives up (and the connection closes).
async fn drain(mut body: Body, mut allowance: usize) {
    while let Some(Ok(frame)) = body.frame().await {
        let Some(left) = allowance.checked_sub(frame.data_ref().map_or(0, Bytes::len)) else { return };
        allowance = left;
    }
}
