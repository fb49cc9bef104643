//! A save that could not reach the database, answered in the client's own
//! terms. The page's script gets a problem document (it keeps the change and
//! retries). A form posted without JavaScript gets a page holding the posted
//! fields, which sends them again: the learner's choice is not lost, even
//! when what failed was the session lookup before the handler ran (after a
//! PostgreSQL restart, each pooled connection fails its next statement once).
//! The page needs nothing from the database.

use askama::Template;
use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::web::csrf::{self, CsrfToken};
use crate::web::error::{DatabaseUnavailable, PoolTimedOut};
use crate::web::{ApiError, AppError};

/// The route whose posts are saves.
pub const SAVE_ROUTE: &str = "/attempts/{id}/items/{n}";

#[derive(Template)]
#[template(path = "attempts/retry.html")]
struct RetryPage {
    action: String,
    fields: Vec<(String, String)>,
    csrf: String,
    assets: &'static str,
}

/// Wraps the page routes (outside the session lookup); touches only posts
/// to [`SAVE_ROUTE`].
pub async fn keep_unsaved_answers(req: Request, next: Next) -> Response {
    let is_save =
        req.method() == Method::POST && req.extensions().get::<MatchedPath>().is_some_and(|p| p.as_str() == SAVE_ROUTE);
    if !is_save {
        return next.run(req).await;
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("application/json") {
        let response = next.run(req).await;
        if response.extensions().get::<PoolTimedOut>().is_some() {
            return ApiError(AppError::PoolTimedOut).into_response();
        }
        if response.extensions().get::<DatabaseUnavailable>().is_some() {
            return ApiError(AppError::Unavailable).into_response();
        }
        return response;
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return next.run(req).await;
    }

    let (parts, body) = req.into_parts();
    // The body limit layer has bounded it, and the CSRF layer read it already.
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return AppError::Invalid("The form was too large or arrived incomplete; nothing was saved.".into())
            .into_response();
    };
    let action = parts.uri.path().to_string();
    let csrf = parts.extensions.get::<CsrfToken>().map(|t| t.0.clone());
    let response = next.run(Request::from_parts(parts, Body::from(bytes.clone()))).await;
    let (true, Some(csrf)) = (response.extensions().get::<DatabaseUnavailable>().is_some(), csrf) else {
        return response;
    };
    let fields = form_urlencoded::parse(&bytes)
        .filter(|(k, _)| k != csrf::FORM_FIELD)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let page = RetryPage { action, fields, csrf, assets: crate::web::assets::version() };
    match page.render() {
        Ok(html) => {
            let mut page =
                (StatusCode::SERVICE_UNAVAILABLE, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response();
            // Still counted as a pool timeout if it was one.
            if let Some(mark) = response.extensions().get::<PoolTimedOut>() {
                page.extensions_mut().insert(*mark);
            }
            page
        }
        Err(_) => response,
    }
}
