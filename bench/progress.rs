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

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mockexam::account::{DisplayName, Email, Password};
use mockexam::app::App;
use mockexam::app::accounts::{self, RegisterOutcome};
use mockexam::clock::Clock;
use mockexam::config::Config;
use mockexam::db::{self, Cluster};
use mockexam::exam::Blueprint;
use mockexam::exam::scoring;
use mockexam::web;
use sqlx::PgPool;
use sqlx::types::Json;
use uuid::Uuid;

/// Items per generated attempt: 50,000 attempts × 60 = 3 million.
const ITEMS: i32 = 60;

fn setting(name: &str, default: i64) -> i64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-progress-pg");
    let _ = std::fs::remove_dir_all(&dir);
    let mut cluster = Cluster::start(&dir)?;
    let result = run(&cluster).await;
    cluster.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(cluster: &Cluster) -> anyhow::Result<()> {
    let (learners, attempts, mine, requests) =
        (setting("LEARNERS", 1000), setting("ATTEMPTS", 50_000), setting("MINE", 500), setting("REQUESTS", 30));
    let options = cluster.connect_options("bench");
    db::create_database_if_missing(&options).await?;
    let pool = db::pool(options, 8).await?;
    db::MIGRATOR.run(&pool).await?;
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    mockexam::load_content(&pool, &content, time::OffsetDateTime::now_utc()).await?;
    let app = App::new(pool.clone(), Arc::new(Config::default()), Clock::default());

    let (heavy, heavy_cookie) = register(&app, "heavy@example.org").await?;
    let (light, light_cookie) = register(&app, "light@example.org").await?;
    let started = Instant::now();
    generate(&pool, heavy, light, learners, attempts, mine).await?;
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

    println!("\n{requests} sequential requests each, after 3 to warm up; times in ms\n");
    println!("| page | median | p95 | max | bytes |");
    println!("|---|---:|---:|---:|---:|");
    let mut medians = Vec::new();
    for (name, cookie) in [("`/me`, 1 attempt (baseline)", &light_cookie), ("`/me`, 500 attempts", &heavy_cookie)] {
        let (mut times, mut bytes) = (Vec::new(), 0);
        for i in 0..requests + 3 {
            let start = Instant::now();
            let page = client.get(&url).header("cookie", cookie).send().await?;
            anyhow::ensure!(page.status().is_success(), "{name}: {}", page.status());
            bytes = page.bytes().await?.len();
            if i >= 3 {
                times.push(start.elapsed());
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!("| {name} | {:.1} | {:.1} | {:.1} | {bytes} |", ms(at(0.5)), ms(at(0.95)), ms(at(1.0)));
        medians.push(ms(at(0.5)));
    }
    println!("\nratio of medians, 500 attempts ÷ 1 attempt: {:.2}", medians[1] / medians[0]);
    Ok(())
}

async fn register(app: &App, email: &str) -> anyhow::Result<(Uuid, String)> {
    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
    let name = DisplayName::parse("Bench").map_err(anyhow::Error::msg)?;
    let password = Password::parse("a long bench password").map_err(anyhow::Error::msg)?;
    match accounts::register(app, &email, &name, password, None).await? {
        RegisterOutcome::Registered { user, token } => Ok((user.id.0, format!("mockexam_session={token}"))),
        RegisterOutcome::EmailTaken => anyhow::bail!("taken"),
    }
}

/// Writes the learners, their finished attempts and their items. Modes
/// cycle mock, practice, drill, review; scores come from a few score
/// shapes made by the real scoring; about 70% of answers are right and a
/// third each are marked sure, not sure, or not at all.
async fn generate(
    pool: &PgPool,
    heavy: Uuid,
    light: Uuid,
    learners: i64,
    attempts: i64,
    mine: i64,
) -> anyhow::Result<()> {
    // Millions of rows take longer than the server's statement timeout.
    let mut db = pool.acquire().await?;
    sqlx::query("SET statement_timeout = 0").execute(&mut *db).await?;
    let db = &mut *db;
    let (exam, blueprint): (Uuid, Json<Blueprint>) =
        sqlx::query_as("SELECT id, blueprint FROM exams WHERE slug = 'mla-c01'").fetch_one(&mut *db).await?;
    let b = blueprint.0;
    let scores: Vec<Json<scoring::Score>> = (0..10u32)
        .map(|k| {
            let items = b.domains.iter().flat_map(|d| (0..15u32).map(move |i| (d.code.as_str(), (i + k) % 10 < 7)));
            Json(scoring::score(&b, items))
        })
        .collect();
    let (versions, domains): (Vec<Uuid>, Vec<String>) = sqlx::query_as::<_, (Uuid, String)>(
        "SELECT current_version, domain FROM questions WHERE NOT retired ORDER BY key",
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .unzip();

    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, created_at)
         SELECT gen_random_uuid(), 'learner' || n || '@example.org', 'Learner ' || n, 'x', now()
         FROM generate_series(1, $1) n",
    )
    .bind(learners - 2)
    .execute(&mut *db)
    .await?;
    let others = (attempts - mine - 1).max(0);
    // The heavy learner's attempts, one for the light one, and the rest
    // spread over the others.
    sqlx::query(
        "INSERT INTO attempts (id, user_id, exam_id, mode, blueprint, settings, seed, item_count, started_at,
                               finished_at, finished_reason, score)
         SELECT gen_random_uuid(), owner, $1, (ARRAY['exam','practice','drill','review'])[1 + n % 4], $2,
                '{\"count\": 60, \"domains\": [], \"tag\": null, \"timed\": false, \"real_conditions\": false}',
                n, $3, now() - n * interval '3 hours', now() - n * interval '3 hours' + interval '1 hour',
                'submitted', ($4::jsonb[])[1 + n % 10]
         FROM (SELECT $5::uuid AS owner, n FROM generate_series(1, $6) n
               UNION ALL SELECT $7::uuid, 1
               UNION ALL SELECT others[1 + n % cardinality(others)], n FROM generate_series(1, $8) n,
                 (SELECT array_agg(id) AS others FROM users WHERE email LIKE 'learner%') o) t",
    )
    .bind(exam)
    .bind(Json(&b))
    .bind(ITEMS)
    .bind(&scores)
    .bind(heavy)
    .bind(mine)
    .bind(light)
    .bind(others)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "INSERT INTO items (attempt_id, position, version_id, domain, scored, option_order, answered, seq, saved_at,
                            checked_at, correct, confidence)
         SELECT a.id, p, ($1::uuid[])[k], ($2::text[])[k], true, '{0,1,2,3}', true, 1, a.started_at,
                CASE WHEN a.mode <> 'exam' THEN a.started_at + p * interval '1 minute' END,
                random() < 0.7, (ARRAY['sure', 'unsure', NULL])[1 + floor(random() * 3)::int]
         FROM attempts a, generate_series(1, $3) p,
              LATERAL (SELECT 1 + abs(hashtext(a.id::text)::bigint + p * 7919) % cardinality($1::uuid[]) AS k) pick",
    )
    .bind(&versions)
    .bind(&domains)
    .bind(ITEMS)
    .execute(&mut *db)
    .await?;
    sqlx::query("ANALYZE").execute(&mut *db).await?;
    Ok(())
}
