//! `/me` for a learner with a long history, on a database the size of a
//! busy server: 1,000 learners, 50,000 finished attempts and 3 million item
//! responses (60 items each), the measured learner holding 500 of the
//! attempts. Every figure on `/me` is computed from stored answers on each
//! request, so this is the page's worst case.
//!
//! The data is written with a few set-based INSERTs (a minute or two),
//! then `/me` is fetched over HTTP, one request at a time. The baseline in
//! the same run is `/me` for a learner with a single attempt: the page's
//! fixed cost on this machine at this moment.
//!
//!     cargo bench --bench progress
//!     LEARNERS=100 ATTEMPTS=5000 MINE=500 REQUESTS=50 cargo bench --bench progress

#[path = "data.rs"]
mod data;

use std::time::Instant;

use mockexam::db::Cluster;
use mockexam::web;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    data::with_cluster("bench-progress-pg", |cluster| async move {
        let result = run(&cluster).await;
        (cluster, result)
    })
    .await
}

async fn run(cluster: &Cluster) -> anyhow::Result<()> {
    let (learners, attempts, mine, requests) = (
        data::setting("LEARNERS", 1000),
        data::setting("ATTEMPTS", 50_000),
        data::setting("MINE", 500),
        data::setting("REQUESTS", 30),
    );
    let (pool, app) = data::server(cluster).await?;

    let (heavy, heavy_cookie) = data::register(&app, "heavy@example.org").await?;
    let (light, light_cookie) = data::register(&app, "light@example.org").await?;
    let started = Instant::now();
    data::generate(&pool, heavy, light, learners, attempts, mine).await?;
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM attempts), (SELECT count(*) FROM items)",
    )
    .fetch_one(&pool)
    .await?;
    println!(
        "generated {} learners, {} attempts, {} item responses in {:.0} s",
        counts.0,
        counts.1,
        counts.2,
        started.elapsed().as_secs_f64()
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, web::router(app)).await });
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let url = format!("http://{addr}/me");

    let pages = [
        ("`/me`, 1 attempt (baseline)", url.as_str(), light_cookie.as_str()),
        ("`/me`, 500 attempts", url.as_str(), heavy_cookie.as_str()),
    ];
    let medians = data::time_pages(&client, &pages, requests).await?;
    println!("\nratio of medians, 500 attempts ÷ 1 attempt: {:.2}", medians[1] / medians[0]);
    Ok(())
}
