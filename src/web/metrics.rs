//! `/metrics` for Prometheus, on an address of its own
//! (`MOCKEXAM_METRICS_ADDR`, off by default), never on the public router:
//! it tells anyone who reads it how busy the server is. And the layer that
//! counts every request the public router answers.

use std::net::SocketAddr;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::error::PoolTimedOut;
use super::{AppError, AppState};
use crate::app::metrics;

/// The label of requests no route matched (a 404, say): one label for
/// them all, so a scan of made-up paths cannot add series without bound.
const UNMATCHED: &str = "unmatched";

/// Counts and times each request by its route's template. Wraps every other
/// layer, so it sees the status the client got, the timeout's 503 and a
/// panic's 500 included; the time is until the response's headers.
pub async fn record(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req.extensions().get::<MatchedPath>().map_or(UNMATCHED, MatchedPath::as_str).to_owned();
    let method = method_label(req.method());
    let response = next.run(req).await;
    if response.extensions().get::<PoolTimedOut>().is_some() {
        app.metrics.pool_timed_out();
    }
    app.metrics.http_request(&route, method, response.status().as_u16(), started.elapsed());
    response
}

/// HTTP's own methods, by name.
const METHODS: [(Method, &str); 9] = [
    (Method::GET, "GET"),
    (Method::HEAD, "HEAD"),
    (Method::POST, "POST"),
    (Method::PUT, "PUT"),
    (Method::DELETE, "DELETE"),
    (Method::PATCH, "PATCH"),
    (Method::OPTIONS, "OPTIONS"),
    (Method::CONNECT, "CONNECT"),
    (Method::TRACE, "TRACE"),
];

/// The method as a label: HTTP's own by name, any token a client makes
/// up as `other`, so made-up methods cannot add series without bound.
fn method_label(method: &Method) -> &'static str {
    METHODS.iter().find(|(m, _)| m == method).map_or("other", |(_, name)| name)
}

/// The metrics address's whole router: `GET /metrics`, nothing else.
pub fn router(state: AppState) -> Router {
    Router::new().route("/metrics", get(show_metrics)).with_state(state)
}

async fn show_metrics(State(app): State<AppState>) -> Result<Response, AppError> {
    let text = metrics::scrape(&app).await?;
    Ok(([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], text).into_response())
}

/// Listens on the metrics address when one is set, serving until
/// `shutdown`; answers the address it listens on (port 0 is chosen by the
/// system), or None when metrics are off.
pub async fn listen(
    state: &AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<Option<SocketAddr>> {
    let Some(addr) = state.config.metrics_addr else { return Ok(None) };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = router(state.clone());
    // A scrape is short: at shutdown it gets the header timeout to finish.
    let timeout = state.config.header_timeout;
    tokio::spawn(super::serve::accept(listener, app, timeout, timeout, shutdown));
    Ok(Some(bound))
}
