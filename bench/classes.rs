//! An instructor's pages on a database the size of a busy server: 1,000
//! learners, 50,000 finished attempts and 3 million item responses (the
//! progress benchmark's generator, a quarter of the attempts full mocks):
//! the class dashboard of a 200-learner group, and the item analysis of the
//! whole 398-question bundled exam, for everyone and for that group.
//!
//! The attempts are written straight to the database, so what grading
//! keeps up to date is filled the way the sweep would and timed: the
//! learners' standings (`app::standings::refresh_stale`) and the item
//! tallies (`app::item_analysis::tally_pending`). Then the pages are
//! fetched over HTTP, in turn; the baseline in the same run is the group's
//! own page (a handful of rows), the fixed cost of an instructor's page on
//! this machine at this moment.
//!
//!     cargo bench --bench classes
//!     LEARNERS=300 ATTEMPTS=5000 GROUP=200 REQUESTS=20 cargo bench --bench classes

#[path = "data.rs"]
mod data;

use std::time::Instant;

use mockexam::db::Cluster;
use mockexam::web;
use uuid::Uuid;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    data::with_cluster("bench-classes-pg", |cluster| async move {
        let result = run(&cluster).await;
        (cluster, result)
    })
    .await
}

async fn run(cluster: &Cluster) -> anyhow::Result<()> {
    let (learners, attempts, group_size, requests) = (
        data::setting("LEARNERS", 1000),
        data::setting("ATTEMPTS", 50_000),
        data::setting("GROUP", 200),
        data::setting("REQUESTS", 30),
    );
    let (pool, app) = data::server(cluster).await?;
    let now = time::OffsetDateTime::now_utc();

    let (heavy, _) = data::register(&app, "heavy@example.org").await?;
    let (light, _) = data::register(&app, "light@example.org").await?;
    let (instructor, cookie) = data::register(&app, "ines@example.org").await?;
    // An admin, who may open the bundled exam's item analysis (an
    // instructor sees only their own exams) and any group.
    sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1").bind(instructor).execute(&pool).await?;
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

    // Grading records the groups a learner is in with each attempt.
    sqlx::query(
        "INSERT INTO attempt_cohorts (attempt_id, group_id)
         SELECT a.id, m.group_id FROM attempts a JOIN group_members m ON m.user_id = a.user_id",
    )
    .execute(&pool)
    .await?;
    let started = Instant::now();
    let mut tallied = 0;
    loop {
        let n = mockexam::app::item_analysis::tally_pending(&app, None, std::time::Duration::from_secs(60)).await?;
        tallied += n;
        if n == 0 {
            break;
        }
    }
    let took = started.elapsed().as_secs_f64();
    let responses: i64 = sqlx::query_scalar("SELECT coalesce(sum(responses), 0) FROM item_tallies WHERE cohort = $1")
        .bind(Uuid::nil())
        .fetch_one(&pool)
        .await?;
    println!(
        "tallied {tallied} mocks ({responses} responses) in {took:.1} s ({:.2} ms a mock)",
        1000.0 * took / tallied.max(1) as f64
    );
    sqlx::query("ANALYZE").execute(&pool).await?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, web::router(app)).await });
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let base = format!("http://{addr}/instructor/groups/{group}");
    let page = format!("{base}/dashboard");
    let sorted = format!("{page}?exam=mla-c01&sort=D3&dir=desc");
    let csv = format!("{base}/dashboard.csv?exam=mla-c01");
    let items = format!("http://{addr}/instructor/exams/mla-c01/items");
    let items_group = format!("{items}?group={group}");
    let items_csv = format!("http://{addr}/instructor/exams/mla-c01/items.csv");
    let label = format!("dashboard, {group_size} learners");
    let pages = [
        ("group page (baseline)", base.as_str(), cookie.as_str()),
        (label.as_str(), page.as_str(), cookie.as_str()),
        ("the same, sorted by D3", sorted.as_str(), cookie.as_str()),
        ("its CSV", csv.as_str(), cookie.as_str()),
        ("item analysis, 398 questions, everyone", items.as_str(), cookie.as_str()),
        ("item analysis, the group", items_group.as_str(), cookie.as_str()),
        ("item analysis CSV", items_csv.as_str(), cookie.as_str()),
    ];
    let medians = data::time_pages(&client, &pages, requests).await?;
    println!("\nratio of medians to the group page:");
    for ((name, _, _), median) in pages.iter().zip(&medians).skip(1) {
        println!("- {name}: {:.1}", median / medians[0]);
    }
    Ok(())
}
