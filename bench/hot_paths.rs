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

use askama::Template;
use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use mockexam::app::App;
use mockexam::clock::Clock;
use mockexam::config::Config;
use mockexam::db::{self, Cluster};
use mockexam::web;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

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
    let mut learner = Learner::sign_up(ours).await?;
    learner.singles = sqlx::query_scalar(
        "SELECT i.position FROM items i JOIN questions q ON q.current_version = i.version_id
         WHERE i.attempt_id = $1 AND q.kind = 'single' ORDER BY i.position",
    )
    .bind(learner.attempt)
    .fetch_all(&pool)
    .await?;

    println!("{clients} clients, {rounds} rounds of {seconds} s per server and path\n");
    println!("| path | mockexam req/s | baseline req/s | ratio |");
    println!("|---|---:|---:|---:|");
    for path in [HotPath::ItemPage, HotPath::Save] {
        let (mut ours_total, mut bare_total) = (0.0, 0.0);
        for _ in 0..rounds {
            ours_total += load(&learner, ours, path, clients, seconds).await?;
            bare_total += load(&learner, bare, path, clients, seconds).await?;
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

/// One learner with a session and a running 65-item mock, as a browser
/// would hold them: the cookies and the CSRF token.
struct Learner {
    client: reqwest::Client,
    cookie: String,
    csrf: String,
    attempt: Uuid,
    /// Positions of single-answer items: what the saves answer.
    singles: Vec<i32>,
    seq: Arc<AtomicI64>,
}

impl Learner {
    async fn sign_up(server: SocketAddr) -> anyhow::Result<Learner> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        let base = format!("http://{server}");
        let page = client.get(format!("{base}/register")).send().await?;
        let mut cookies = cookie_pairs(page.headers());
        let csrf = csrf_field(&page.text().await?);
        let form = [
            ("csrf_token", csrf.as_str()),
            ("display_name", "Bench"),
            ("email", "bench@example.org"),
            ("password", "a long bench password"),
            ("password_confirm", "a long bench password"),
        ];
        let registered = client
            .post(format!("{base}/register"))
            .header("cookie", cookies.join("; "))
            .header("origin", &base)
            .form(&form)
            .send()
            .await?;
        anyhow::ensure!(registered.status() == StatusCode::SEE_OTHER, "register: {}", registered.status());
        cookies.extend(cookie_pairs(registered.headers()));
        let cookie = cookies.join("; ");
        let started = client
            .post(format!("{base}/exams/mla-c01/attempts"))
            .header("cookie", &cookie)
            .header("origin", &base)
            .form(&[("csrf_token", csrf.as_str()), ("mode", "exam")])
            .send()
            .await?;
        let to = started.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default();
        let attempt = to.split('/').nth(2).and_then(|id| id.parse().ok());
        let attempt = attempt.ok_or_else(|| anyhow::anyhow!("start: {} {to}", started.status()))?;
        Ok(Learner { client, cookie, csrf, attempt, singles: Vec::new(), seq: Arc::new(AtomicI64::new(1)) })
    }
}

/// `name=value` of every Set-Cookie, later ones winning in the jar order.
fn cookie_pairs(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(String::from)
        .collect()
}

fn csrf_field(page: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let from = page.find(marker).expect("a CSRF field") + marker.len();
    page[from..].split('"').next().unwrap_or_default().to_string()
}

/// Requests per second that `clients` concurrent clients get from `server`
/// on `path` for `seconds`. Every request must succeed (a save may be
/// refused as stale by a newer one: that is the same work, and counted).
async fn load(
    learner: &Learner,
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
        let seq = learner.seq.clone();
        let singles = learner.singles.clone();
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

    #[derive(Template)]
    #[template(
        ext = "html",
        source = "<!doctype html><html lang=en><title>Item {{ position }}</title><main><h1>Question {{ position }}</h1>\
                  <div>{{ stem }}</div><form method=post><ul>{% for o in options %}<li><label><input type=radio name=choice \
                  value=\"{{ loop.index0 }}\"> {{ o }}</label></li>{% endfor %}</ul><button>Next</button></form></main></html>"
    )]
    struct ItemPage {
        position: i32,
        stem: String,
        options: Vec<String>,
    }

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
        let question = &content["question"];
        let texts = |list: &serde_json::Value, field: &str| -> Vec<String> {
            list.as_array()
                .map(|l| l.iter().filter_map(|o| o[field].as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        let body = &question["body"];
        let options = [texts(&body["options"], "text"), texts(&body["steps"], "text"), texts(&body["pairs"], "answer")]
            .into_iter()
            .find(|o| !o.is_empty())
            .unwrap_or_default();
        let page = ItemPage { position: n, stem: question["stem"].as_str().unwrap_or_default().to_string(), options };
        Ok(Html(page.render().map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?).into_response())
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
