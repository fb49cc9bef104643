//! CSRF protection for every state-changing request, in two layers:
//! the browser's own word on where a request came from (`Sec-Fetch-Site`,
//! else `Origin` against `Host`), and a double-submit token: a random value
//! in a SameSite cookie that each form (field `csrf_token`, multipart
//! forms too) or script (header `X-CSRF-Token`) must echo. API requests
//! with a bearer token carry no ambient credentials, so they need only the first check; their
//! cookies are dropped here, so nothing behind this layer can use them.
//! Any other `Authorization` header (another scheme, or on a page, where
//! the session cookie decides) changes nothing.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, HOST, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use super::AppError;
use super::cookies::{self, CookieConfig};
use super::limit::{self, BodyLimit};

pub const FORM_FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

/// The token the current page must put in its forms.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("csrf layer missing")))
    }
}

fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether the browser says this request comes from our own pages.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true, // not a browser (or a very old one): the token decides
        Some(origin) => {
            let host = headers.get(HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
            origin.split_once("://").is_some_and(|(_, rest)| rest == host)
        }
    }
}

/// Whether a bearer token, not a cookie, is what authenticates this
/// request: an API route sent with `Authorization: Bearer <token>`. Pages
/// go by the session cookie whatever that header says.
fn bearer_api_request(req: &Request) -> bool {
    req.uri().path().starts_with("/api/") && req.headers().get(AUTHORIZATION).and_then(super::api::bearer).is_some()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refuse(path: &str) -> Response {
    let message =
        "This form came from another site or has expired. Go back, reload the page and try again; nothing was changed.";
    AppError::Forbidden(message.into()).for_path(path)
}

pub async fn protect(State(cookie_config): State<CookieConfig>, req: Request, next: Next) -> Response {
    let cookie = cookies::get(req.headers(), cookie_config, cookies::CSRF).filter(|t| is_token(t));
    let path = req.uri().path().to_string();
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);

    let mut req = req;
    let by_bearer = bearer_api_request(&req);
    if by_bearer {
        // Only its token counts: the session cookie never rides along.
        req.headers_mut().remove(COOKIE);
    }
    if changes_state {
        if !same_origin(req.headers()) {
            return refuse(&path);
        }
        if !by_bearer {
            let (sent, rebuilt) = match sent_token(req).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            req = rebuilt;
            let matches = match (&cookie, &sent) {
                (Some(c), Some(s)) => constant_time_eq(c.as_bytes(), s.as_bytes()),
                _ => false,
            };
            if !matches {
                return refuse(&path);
            }
        }
    }

    let (token, fresh) = match cookie {
        Some(t) => (t, false),
        None => (crate::account::new_token(), true),
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(req).await;
    if fresh && let Ok(value) = HeaderValue::from_str(&cookie_config.set(cookies::CSRF, token, None).to_string()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// The token a request sends: its header, or the form field (which means
/// reading the body, then handing it on unchanged).
async fn sent_token(req: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(h) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        let token = h.to_string();
        return Ok((Some(token), req));
    }
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_multipart = content_type.starts_with("multipart/form-data");
    if !is_form && !is_multipart {
        return Ok((None, req));
    }
    let (parts, body) = req.into_parts();
    // The body limit layer has already bounded this body: past the limit,
    // reading it fails with the limit's own error.
    let bytes = to_bytes(body, usize::MAX).await.map_err(|e| {
        let error = if limit::is_over_limit(&e) {
            AppError::TooLarge(parts.extensions.get::<BodyLimit>().copied())
        } else {
            AppError::Invalid("The form arrived incomplete; nothing was saved.".into())
        };
        error.for_path(parts.uri.path())
    })?;
    let token = if is_multipart {
        multipart_token(&content_type, bytes.clone()).await
    } else {
        form_urlencoded::parse(&bytes).find(|(k, _)| k == FORM_FIELD).map(|(_, v)| v.into_owned())
    };
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

/// The token field of a multipart form (the upload of question files,
/// which a browser without script can send only as a form).
async fn multipart_token(content_type: &str, bytes: axum::body::Bytes) -> Option<String> {
    let req = Request::builder().header(CONTENT_TYPE, content_type).body(Body::from(bytes)).ok()?;
    let mut form = Multipart::from_request(req, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(FORM_FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn foreign_origins_are_refused_and_our_own_accepted() {
        assert!(same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "https://evil.example")])));
        assert!(!same_origin(&headers(&[("host", "a"), ("origin", "null")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site"), ("origin", "http://a"), ("host", "a")])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_origin(&headers(&[])));
    }
}
