//! The HTTP face: one module per area, each with its `router()`, merged
//! here with the layers every request passes through.

mod admin;
pub mod api;
pub mod assets;
pub mod attempts;
pub mod auth;
pub mod charts;
pub mod compress;
pub mod cookies;
pub mod csrf;
pub mod error;
pub mod exams;
pub mod form;
pub mod format;
pub mod formats;
mod groups;
pub mod health;
pub mod home;
mod instructor;
pub mod limit;
pub mod metrics;
mod misses;
mod outcomes;
pub mod paging;
pub mod progress;
mod reports;
pub mod results;
mod serve;
pub mod session;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef, MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware;
use sqlx::PgPool;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use cookies::CookieConfig;
pub use error::{ApiError, AppError, Result};
pub use serve::serve;

/// The router's state is the application itself: handlers hand it to the
/// use cases.
pub type AppState = crate::app::App;

impl FromRef<AppState> for PgPool {
    fn from_ref(s: &AppState) -> PgPool {
        s.db.clone()
    }
}

impl FromRef<AppState> for CookieConfig {
    fn from_ref(s: &AppState) -> CookieConfig {
        CookieConfig { secure: s.config.secure_cookies }
    }
}

/// A CSP with no inline script or style: everything comes from our origin.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .merge(home::router())
        .merge(auth::router())
        .merge(exams::router())
        .merge(attempts::router())
        .merge(results::router())
        .merge(misses::router())
        .merge(reports::router())
        .merge(progress::router())
        .merge(groups::router())
        .merge(instructor::router())
        .merge(admin::router())
        .merge(api::router())
        .layer(middleware::from_fn_with_state(state.clone(), session::defer))
        .layer(middleware::from_fn(attempts::retry::keep_unsaved_answers));

    let x_request_id = HeaderName::from_static("x-request-id");
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let hsts = state
        .config
        .secure_cookies
        .then(|| header(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"));

    Router::new()
        .merge(pages)
        .merge(health::router())
        .merge(formats::router())
        .merge(assets::router())
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        // The extractors' own limit (2 MB by default) is ours.
        .layer(DefaultBodyLimit::max(state.config.body_limit_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), limit::bound))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(x_request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let path = req.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
                    let id = req.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok());
                    tracing::info_span!("request", method = %req.method(), path = path.unwrap_or(req.uri().path()), request_id = id.unwrap_or(""))
                }))
                .layer(PropagateRequestIdLayer::new(x_request_id))
                // The security headers wrap every layer that can answer on
                // its own (a panic's 500, the body limit's 413, the
                // timeout's 503), so no response goes out without them.
                .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
                .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .layer(header(header::X_FRAME_OPTIONS, "DENY"))
                .layer(header(header::REFERRER_POLICY, "same-origin"))
                .layer(header(
                    HeaderName::from_static("permissions-policy"),
                    "camera=(), microphone=(), geolocation=(), payment=()",
                ))
                .layer(header(HeaderName::from_static("cross-origin-opener-policy"), "same-origin"))
                .option_layer(hsts)
                .layer(CatchPanicLayer::new())
                .layer(middleware::from_fn(compress::layer))
                .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, state.config.request_timeout)),
        )
        // Outside every layer that can answer on its own, so each request
        // is counted with the status its client got.
        .layer(middleware::from_fn_with_state(state.clone(), metrics::record))
        .with_state(state)
}
