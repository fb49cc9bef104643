//! Serving connections, with the bounds axum::serve does not set: a client
//! must send its request headers within the header timeout, and shutdown
//! waits for requests in flight only so long.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tower::ServiceExt;

use super::{AppState, router};

/// How long to wait before accepting again after the operating system
/// refused a connection (out of file descriptors, say).
const ACCEPT_RETRY: Duration = Duration::from_secs(1);

/// Serves until `shutdown` resolves, then stops accepting and lets the
/// requests in flight finish: for at most the request timeout plus the
/// header timeout, since no request may run longer than that anyway.
/// Idle kept-alive connections are closed at once.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let deadline = state.config.request_timeout + state.config.header_timeout;
    let header_timeout = state.config.header_timeout;
    accept(listener, router(state), header_timeout, deadline, shutdown).await
}

/// The accept loop: serves `app` on `listener` until `shutdown`, then lets
/// requests in flight finish for at most `deadline`.
pub(super) async fn accept(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    header_timeout: Duration,
    deadline: Duration,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        // What axum's `ConnectInfo` extractor reads: the client's address.
        let service = app.clone().map_request(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            req
        });
        let connection =
            builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection.into_owned());
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(deadline, graceful.shutdown()).await.is_err() {
        tracing::warn!(?deadline, "connections still open at the shutdown deadline are dropped");
    }
    Ok(())
}
