//! The two hot paths of exam day, the item page and the save, measured
//! against a bare axum + sqlx + askama server doing the least the same
//! request can do: find the session, read (or write) the item, render.
//!
//! Both servers run in this process on one embedded PostgreSQL, with the
//! bundled bank loaded and one learner in a 65-item mock. Rounds alternate
//! between the two so that a noisy neighbour hurts both alike; the result
//! is the ratio of throughputs, mockexam ÷ baseline, per path.
//!
//!     cargo bench --bench hot_paths                # 5 rounds of 3 s each
//!     ROUNDS=9 SECONDS=5 CLIENTS=16 cargo bench --bench hot_paths

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use data::Learner;
use mockexam::app::App;
use mockexam::clock::Clock;
use mockexam::config::Config;
use mockexam::db::{self, Cluster};
use mockexam::web;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

#[path = "data.rs"]
mod data;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rounds = setting("ROUNDS", 5);
    let seconds = setting("SECONDS", 3);
    let clients = setting("CLIENTS", 8) as usize;

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-pg");
    let _ = std::fs::remove_dir_all(&dir);
    let mut cluster = Cluster::start(&dir)?;
    let result = run(&cluster, rounds, seconds, clients).await;
    cluster.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(cluster: &Cluster, rounds: u64, seconds: u64, clients: usize) -> anyhow::Result<()> {
    let options = cluster.connect_options("bench");
    db::create_database_if_missing(&options).await?;
    let pool = db::pool(options, 16).await?;
    db::MIGRATOR.run(&pool).await?;
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    mockexam::load_content(&pool, &content, time::OffsetDateTime::now_utc()).await?;

    let ours = spawn(web::router(App::new(pool.clone(), Arc::new(Config::default()), Clock::default()))).await;
    let bare = spawn(baseline::router(pool.clone())).await;
    let learner = Learner::sign_up(ours, 0).await?;
    let singles = learner.single_answer_positions(&pool).await?;
    let seq = Arc::new(AtomicI64::new(1));

    println!("{clients} clients, {rounds} rounds of {seconds} s per server and path\n");
    println!("| path | mockexam req/s | baseline req/s | ratio |");
    println!("|---|---:|---:|---:|");
    for path in [HotPath::ItemPage, HotPath::Save] {
        let (mut ours_total, mut bare_total) = (0.0, 0.0);
        for _ in 0..rounds {
            ours_total += load(&learner, &singles, &seq, ours, path, clients, seconds).await?;
            bare_total += load(&learner, &singles, &seq, bare, path, clients, seconds).await?;
        }
        let (o, b) = (ours_total / rounds as f64, bare_total / rounds as f64);
        println!("| {} | {o:.0} | {b:.0} | {:.2} |", path.name(), o / b);
    }
    Ok(())
}

async fn spawn(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("its address");
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

#[derive(Clone, Copy)]
enum HotPath {
    ItemPage,
    Save,
}

impl HotPath {
    fn name(self) -> &'static str {
        match self {
            HotPath::ItemPage => "item page (GET)",
            HotPath::Save => "save (JSON POST)",
        }
    }
}

/// Requests per second that `clients` concurrent clients get from `server`
/// on `path` for `seconds`. Every request must succeed (a save may be
/// refused as stale by a newer one: that is the same work, and counted).
async fn load(
    learner: &Learner,
    singles: &[i32],
    seq: &Arc<AtomicI64>,
    server: SocketAddr,
    path: HotPath,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<f64> {
    let done = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for c in 0..clients {
        let client = learner.client.clone();
        let cookie = learner.cookie.clone();
        let csrf = learner.csrf.clone();
        let base = format!("http://{server}/attempts/{}/items", learner.attempt);
        let origin = format!("http://{server}");
        let seq = seq.clone();
        let singles = singles.to_vec();
        let done = done.clone();
        workers.push(tokio::spawn(async move {
            let mut n = c;
            while Instant::now() < until {
                let position = match path {
                    HotPath::ItemPage => n % 65 + 1,
                    HotPath::Save => singles[n % singles.len()] as usize,
                };
                n += 1;
                let response = match path {
                    HotPath::ItemPage => {
                        client.get(format!("{base}/{position}")).header("cookie", &cookie).send().await?
                    }
                    HotPath::Save => {
                        let body = serde_json::json!({
                            "seq": seq.fetch_add(1, Ordering::Relaxed),
                            "response": { "choice": [n % 4] },
                            "flagged": n % 7 == 0,
                        });
                        client
                            .post(format!("{base}/{position}"))
                            .header("cookie", &cookie)
                            .header("origin", &origin)
                            .header("x-csrf-token", &csrf)
                            .json(&body)
                            .send()
                            .await?
                    }
                };
                let status = response.status();
                let _ = response.bytes().await?;
                anyhow::ensure!(status.is_success() || status == StatusCode::CONFLICT, "{} got {status}", path.name());
                done.fetch_add(1, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }));
    }
    for w in workers {
        w.await??;
    }
    Ok(done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

/// The least a server can do for the same two requests with the same
/// stack: one query for the session, one to read or write the item, and an
/// askama page with the stem and the options. No cache, no CSRF, no
/// visibility rules, no shuffling, no time checks.
mod baseline {
    use super::*;

    pub fn router(pool: PgPool) -> Router {
        Router::new().route("/attempts/{id}/items/{n}", get(item).post(save)).with_state(pool)
    }

    async fn user(pool: &PgPool, headers: &HeaderMap) -> Result<Uuid, StatusCode> {
        let token = headers
            .get("cookie")
            .and_then(|c| c.to_str().ok())
            .and_then(|c| c.split("; ").find_map(|p| p.strip_prefix("mockexam_session=")))
            .ok_or(StatusCode::UNAUTHORIZED)?;
        let hash = Sha256::digest(token.as_bytes()).to_vec();
        sqlx::query_scalar::<_, Uuid>("SELECT user_id FROM sessions WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(pool)
            .await
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
            .ok_or(StatusCode::UNAUTHORIZED)
    }

    async fn item(
        State(pool): State<PgPool>,
        UrlPath((id, n)): UrlPath<(Uuid, i32)>,
        headers: HeaderMap,
    ) -> Result<Response, StatusCode> {
        let user = user(&pool, &headers).await?;
        let content: serde_json::Value = sqlx::query_scalar(
            "SELECT v.content FROM items i JOIN attempts a ON a.id = i.attempt_id
             JOIN question_versions v ON v.id = i.version_id
             WHERE i.attempt_id = $1 AND i.position = $2 AND a.user_id = $3",
        )
        .bind(id)
        .bind(n)
        .bind(user)
        .fetch_optional(&pool)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .ok_or(StatusCode::NOT_FOUND)?;
        Ok(Html(crate::data::bare_page(n, &content).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?).into_response())
    }

    async fn save(
        State(pool): State<PgPool>,
        UrlPath((id, n)): UrlPath<(Uuid, i32)>,
        headers: HeaderMap,
        axum::Json(body): axum::Json<serde_json::Value>,
    ) -> Result<Response, StatusCode> {
        let user = user(&pool, &headers).await?;
        let seq = body["seq"].as_i64().ok_or(StatusCode::UNPROCESSABLE_ENTITY)?;
        let saved = sqlx::query_scalar::<_, i64>(
            "UPDATE items i SET response = $4, flagged = $5, seq = $6 FROM attempts a
             WHERE a.id = i.attempt_id AND i.attempt_id = $1 AND i.position = $2 AND a.user_id = $3 AND i.seq < $6
             RETURNING i.seq",
        )
        .bind(id)
        .bind(n)
        .bind(user)
        .bind(&body["response"])
        .bind(body["flagged"].as_bool().unwrap_or(false))
        .bind(seq)
        .fetch_optional(&pool)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        Ok(match saved {
            Some(seq) => axum::Json(serde_json::json!({ "status": "saved", "seq": seq })).into_response(),
            None => (StatusCode::CONFLICT, axum::Json(serde_json::json!({ "status": "stale" }))).into_response(),
        })
    }
}
