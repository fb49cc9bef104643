//! The servers wrk loads, each on its own tokio runtime and thread so that
//! its work is not mixed with the bench's own or with the other's: mockexam
//! as production runs it, and the floor of its stack.

use std::future::Future;
use std::sync::Arc;
use std::thread::JoinHandle;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use mockexam::app::{self, App};
use mockexam::clock::Clock;
use mockexam::config::Config;
use mockexam::{db, web};
use serde::Deserialize;
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use uuid::Uuid;

/// A server running on its own thread until stopped.
pub struct Server {
    pub addr: std::net::SocketAddr,
    stop: oneshot::Sender<()>,
    thread: JoinHandle<anyhow::Result<()>>,
}

impl Server {
    /// Binds a port here, so that the address is known and connections
    /// wait in the backlog until `serve` accepts them, then runs `serve` on
    /// a runtime of its own (as many workers as cores, as production has).
    fn start<F, Fut>(name: &str, serve: F) -> anyhow::Result<Server>
    where
        F: FnOnce(TcpListener, oneshot::Receiver<()>) -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<()>>,
    {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().thread_name(name).build()?;
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || runtime.block_on(async move { serve(TcpListener::from_std(listener)?, stopped).await }))?;
        Ok(Server { addr, stop, thread })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and reports how
    /// the server ended.
    pub fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.thread.join().map_err(|_| anyhow::anyhow!("a server thread panicked"))?
    }
}

/// mockexam as src/main.rs runs it: the settings from the environment
/// (`MOCKEXAM_DB_POOL_SIZE` and the rest), a pool of the size they give,
/// the periodic sweep, the real router and the real accept loop.
pub fn mockexam(options: PgConnectOptions, config: Config) -> anyhow::Result<Server> {
    Server::start("mockexam", move |listener, stopped| async move {
        let pool = db::pool(options, config.db_pool_size).await?;
        let app = App::new(pool.clone(), Arc::new(config), Clock::default());
        let sweeping = app.clone();
        let sweep = tokio::spawn(async move {
            let mut every = tokio::time::interval(app::SWEEP_EVERY);
            loop {
                every.tick().await;
                app::sweep(&sweeping).await;
            }
        });
        web::serve(listener, app, async move {
            let _ = stopped.await;
        })
        .await?;
        sweep.abort();
        pool.close().await;
        Ok(())
    })
}

/// The floor: the least the same stack (axum, sqlx, askama, with the pool
/// mockexam uses, of the same size) can do for each request, in
/// TechEmpower's "fortunes" shape. No session, no CSRF, no compression.
///
/// - `GET /items/{n}`: the question version of the learner's item `n`, read
///   by primary key, its stem and options rendered into a small page.
/// - `POST /save/{learner}/{n}`: one single-row upsert of the JSON answer
///   into `floor_saves`, committed synchronously (PostgreSQL's default).
pub fn floor(options: PgConnectOptions, pool_size: u32, versions: Vec<Uuid>) -> anyhow::Result<Server> {
    Server::start("floor", move |listener, stopped| async move {
        let pool = db::pool(options, pool_size).await?;
        let router = Router::new()
            .route("/items/{n}", get(item))
            .route("/save/{learner}/{n}", post(save))
            .with_state(Floor { pool: pool.clone(), versions: versions.into() });
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await?;
        pool.close().await;
        Ok(())
    })
}

/// The floor's own table for the upsert.
pub const FLOOR_TABLE: &str = "CREATE TABLE floor_saves (
    learner  integer NOT NULL,
    position integer NOT NULL,
    seq      bigint NOT NULL,
    response jsonb NOT NULL,
    flagged  boolean NOT NULL,
    saved_at timestamptz NOT NULL,
    PRIMARY KEY (learner, position)
)";

#[derive(Clone)]
struct Floor {
    pool: PgPool,
    /// The question version of each item of the learner's mock, by
    /// position - 1: the pages show the same questions as mockexam's.
    versions: Arc<[Uuid]>,
}

async fn item(State(floor): State<Floor>, Path(n): Path<usize>) -> Result<Response, StatusCode> {
    let version = *n.checked_sub(1).and_then(|i| floor.versions.get(i)).ok_or(StatusCode::NOT_FOUND)?;
    let content: serde_json::Value = sqlx::query_scalar("SELECT content FROM question_versions WHERE id = $1")
        .bind(version)
        .fetch_one(&floor.pool)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let page = crate::data::bare_page(n as i32, &content).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Html(page).into_response())
}

/// What the page's script sends; the rest of its fields are ignored.
#[derive(Deserialize)]
struct SaveBody {
    seq: i64,
    response: serde_json::Value,
    #[serde(default)]
    flagged: bool,
}

async fn save(
    State(floor): State<Floor>,
    Path((learner, n)): Path<(i32, i32)>,
    axum::Json(body): axum::Json<SaveBody>,
) -> Result<Response, StatusCode> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO floor_saves (learner, position, seq, response, flagged, saved_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (learner, position) DO UPDATE
         SET seq = EXCLUDED.seq, response = EXCLUDED.response, flagged = EXCLUDED.flagged, saved_at = EXCLUDED.saved_at
         RETURNING seq",
    )
    .bind(learner)
    .bind(n)
    .bind(body.seq)
    .bind(body.response)
    .bind(body.flagged)
    .fetch_one(&floor.pool)
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(axum::Json(serde_json::json!({ "status": "saved", "seq": seq })).into_response())
}
