//! Static files, compiled into the binary so the server runs from any
//! folder and nothing comes from a CDN. URLs carry a content hash, so the
//! files can be cached for a year.

use std::sync::OnceLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use super::AppState;

const FILES: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../static/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../static/app.js")),
    ("question-edit.js", "text/javascript; charset=utf-8", include_bytes!("../../static/question-edit.js")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../../static/favicon.svg")),
];

/// A short hash of every static file, appended to asset URLs.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut hash = Sha256::new();
        for (_, _, bytes) in FILES {
            hash.update(bytes);
        }
        hex::encode(&hash.finalize()[..6])
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{file}", get(serve_file))
}

async fn serve_file(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
