//! The class dashboard of a 200-learner group on a database the size of a
//! busy server: 1,000 learners, 50,000 finished attempts and 3 million
//! item responses (the progress benchmark's generator). The attempts are
//! written straight to the database, so the standings are filled the way
//! the sweep would, by `app::standings::refresh_stale`, and timed; then the
//! dashboard and its CSV are fetched over HTTP, one request at a time.
//!
//!     cargo bench --bench dashboard
//!     LEARNERS=300 ATTEMPTS=5000 GROUP=200 REQUESTS=20 cargo bench --bench dashboard

#[path = "data.rs"]
mod data;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use mockexam::app::App;
use mockexam::clock::Clock;
use mockexam::config::Config;
use mockexam::db::{self, Cluster};
use mockexam::web;
use uuid::Uuid;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-dashboard-pg");
    let _ = std::fs::remove_dir_all(&dir);
    let mut cluster = Cluster::start(&dir)?;
    let result = run(&cluster).await;
    cluster.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(cluster: &Cluster) -> anyhow::Result<()> {
    let (learners, attempts, group_size, requests) = (
        data::setting("LEARNERS", 1000),
        data::setting("ATTEMPTS", 50_000),
        data::setting("GROUP", 200),
        data::setting("REQUESTS", 30),
    );
    let options = cluster.connect_options("bench");
    db::create_database_if_missing(&options).await?;
    let pool = db::pool(options, 8).await?;
    db::MIGRATOR.run(&pool).await?;
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let now = time::OffsetDateTime::now_utc();
    mockexam::load_content(&pool, &content, now).await?;
    let app = App::new(pool.clone(), Arc::new(Config::default()), Clock::default());

    let (heavy, _) = data::register(&app, "heavy@example.org").await?;
    let (light, _) = data::register(&app, "light@example.org").await?;
    let (instructor, cookie) = data::register(&app, "ines@example.org").await?;
    sqlx::query("UPDATE users SET role = 'instructor' WHERE id = $1").bind(instructor).execute(&pool).await?;
    let started = Instant::now();
    data::generate(&pool, heavy, light, learners, attempts, 500).await?;
    println!("generated {learners} learners and {attempts} attempts in {:.0} s", started.elapsed().as_secs_f64());

    // The group: the heavy learner (500 attempts) and the first others.
    let group = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO groups (id, owner_id, name, join_code, code_expires_at, created_at)
         VALUES ($1, $2, 'Bench class', 'ABCDEFGH', $3, $3)",
    )
    .bind(group)
    .bind(instructor)
    .bind(now)
    .execute(&pool)
    .await?;
    sqlx::query(
        "INSERT INTO group_members (group_id, user_id, joined_at)
         SELECT $1, id, $3 FROM users WHERE email LIKE 'learner%' OR id = $4 ORDER BY id = $4 DESC, email LIMIT $2",
    )
    .bind(group)
    .bind(group_size)
    .bind(now)
    .bind(heavy)
    .execute(&pool)
    .await?;

    let started = Instant::now();
    let mut filled = 0;
    loop {
        let n = mockexam::app::standings::refresh_stale(&app, 500).await?;
        filled += n;
        if n == 0 {
            break;
        }
    }
    let took = started.elapsed().as_secs_f64();
    println!("filled {filled} standings in {took:.1} s ({:.1} ms each)", 1000.0 * took / filled.max(1) as f64);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, web::router(app)).await });
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let page = format!("http://{addr}/instructor/groups/{group}/dashboard");
    let sorted = format!("{page}?exam=mla-c01&sort=D3&dir=desc");
    let csv = format!("http://{addr}/instructor/groups/{group}/dashboard.csv?exam=mla-c01");
    let label = format!("dashboard, {group_size} learners");
    let pages = [
        (label.as_str(), page.as_str(), cookie.as_str()),
        ("the same, sorted by D3", sorted.as_str(), cookie.as_str()),
        ("its CSV", csv.as_str(), cookie.as_str()),
    ];
    data::time_pages(&client, &pages, requests).await?;
    Ok(())
}
