//! What the database benchmarks share: a generated busy server (learners,
//! finished attempts and their item responses, written with a few
//! set-based INSERTs), accounts to log in with, and page timing over HTTP.
//! Included by each benchmark with `#[path = "data.rs"] mod data;`.

#![allow(dead_code)] // each benchmark uses a part

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mockexam::account::{DisplayName, Email, Password};
use mockexam::app::App;
use mockexam::app::accounts::{self, RegisterOutcome};
use mockexam::clock::Clock;
use mockexam::config::Config;
use mockexam::db::{self, Cluster};
use mockexam::exam::Blueprint;
use mockexam::exam::scoring;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use sqlx::PgPool;
use sqlx::types::Json;
use uuid::Uuid;

/// Items per generated attempt: 50,000 attempts × 60 = 3 million.
pub const ITEMS: i32 = 60;

/// Runs `bench` against a fresh embedded PostgreSQL in the target folder's
/// `name`, removed afterwards.
pub async fn with_cluster<F>(name: &str, bench: impl FnOnce(Cluster) -> F) -> anyhow::Result<()>
where
    F: Future<Output = (Cluster, anyhow::Result<()>)>,
{
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let (mut cluster, result) = bench(Cluster::start(&dir)?).await;
    cluster.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A migrated database with the bundled exams loaded, and the app on it.
pub async fn server(cluster: &Cluster) -> anyhow::Result<(PgPool, App)> {
    let options = cluster.connect_options("bench");
    db::create_database_if_missing(&options).await?;
    let pool = db::pool(options, 8).await?;
    db::MIGRATOR.run(&pool).await?;
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    mockexam::load_content(&pool, &content, time::OffsetDateTime::now_utc()).await?;
    let app = App::new(pool.clone(), std::sync::Arc::new(Config::default()), Clock::default());
    Ok((pool, app))
}

/// A whole-number setting from the environment, or its default.
pub fn setting(name: &str, default: i64) -> i64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Times each page `requests` times, after 3 rounds to warm up, taking the
/// pages in turn within each round so that a noisy moment on this shared
/// machine falls on all of them alike. Prints a table; returns the medians
/// in ms, in the order given.
pub async fn time_pages(
    client: &reqwest::Client,
    pages: &[(&str, &str, &str)],
    requests: i64,
) -> anyhow::Result<Vec<f64>> {
    let mut times = vec![Vec::new(); pages.len()];
    let mut bytes = vec![0; pages.len()];
    for round in 0..requests + 3 {
        for (i, (name, url, cookie)) in pages.iter().enumerate() {
            let start = Instant::now();
            let page = client.get(*url).header("cookie", *cookie).send().await?;
            anyhow::ensure!(page.status().is_success(), "{name}: {}", page.status());
            bytes[i] = page.bytes().await?.len();
            if round >= 3 {
                times[i].push(start.elapsed());
            }
        }
    }
    println!("\n{requests} requests each, pages taken in turn, after 3 rounds to warm up; times in ms\n");
    println!("| page | median | p95 | max | bytes |");
    println!("|---|---:|---:|---:|---:|");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut medians = Vec::new();
    for (i, (name, _, _)) in pages.iter().enumerate() {
        let t = &mut times[i];
        t.sort();
        let at = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
        println!("| {name} | {:.1} | {:.1} | {:.1} | {} |", ms(at(0.5)), ms(at(0.95)), ms(at(1.0)), bytes[i]);
        medians.push(ms(at(0.5)));
    }
    Ok(medians)
}

pub async fn register(app: &App, email: &str) -> anyhow::Result<(Uuid, String)> {
    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
    let name = DisplayName::parse("Bench").map_err(anyhow::Error::msg)?;
    let password = Password::parse("a long bench password").map_err(anyhow::Error::msg)?;
    match accounts::register(app, &email, &name, password, None).await? {
        RegisterOutcome::Registered { user, token } => {
            Ok((user.id.0, format!("{}={token}", mockexam::web::cookies::SESSION)))
        }
        RegisterOutcome::EmailTaken => anyhow::bail!("taken"),
    }
}

/// Writes the learners, their finished attempts and their items. Modes
/// cycle mock, practice, drill, review; scores come from a few score
/// shapes made by the real scoring; about 70% of answers are right (credit
/// 1 or 0) and a third each are marked sure, not sure, or not at all. The
/// chosen option is random and does not agree with the credit: the numbers
/// are load, not statistics.
pub async fn generate(
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
                            checked_at, correct, confidence, credit, response, seconds)
         SELECT a.id, p, ($1::uuid[])[k], ($2::text[])[k], true, '{0,1,2,3}', true, 1, a.started_at,
                CASE WHEN a.mode <> 'exam' THEN a.started_at + p * interval '1 minute' END,
                ok, (ARRAY['sure', 'unsure', NULL])[1 + floor(random() * 3)::int],
                CASE WHEN ok THEN 27720 ELSE 0 END,
                jsonb_build_object('kind', 'single', 'value', floor(random() * 4)::int), 20 + floor(random() * 100)::int
         FROM attempts a, generate_series(1, $3) p,
              LATERAL (SELECT 1 + abs(hashtext(a.id::text)::bigint + p * 7919) % cardinality($1::uuid[]) AS k) pick,
              LATERAL (SELECT random() < 0.7 + 0 * p AS ok) answer",
    )
    .bind(&versions)
    .bind(&domains)
    .bind(ITEMS)
    .execute(&mut *db)
    .await?;
    sqlx::query("ANALYZE").execute(&mut *db).await?;
    Ok(())
}

/// One learner signed up over HTTP as a browser does, with a 65-item mock
/// exam started: the cookies (session and CSRF) and the token the pages
/// carry.
pub struct Learner {
    pub client: reqwest::Client,
    pub cookie: String,
    pub csrf: String,
    pub attempt: Uuid,
}

impl Learner {
    /// Registers learner `n` (its own address) and starts a full mock.
    pub async fn sign_up(server: SocketAddr, n: usize) -> anyhow::Result<Learner> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        let base = format!("http://{server}");
        let page = client.get(format!("{base}/register")).send().await?;
        let mut cookies = cookie_pairs(page.headers());
        let csrf = csrf_field(&page.text().await?);
        let email = format!("bench{n}@example.org");
        let form = [
            ("csrf_token", csrf.as_str()),
            ("display_name", "Bench"),
            ("email", email.as_str()),
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
        Ok(Learner { client, cookie, csrf, attempt })
    }

    /// Positions of the mock's single-answer items: what the saves answer.
    pub async fn single_answer_positions(&self, pool: &PgPool) -> anyhow::Result<Vec<i32>> {
        Ok(sqlx::query_scalar(
            "SELECT i.position FROM items i JOIN questions q ON q.current_version = i.version_id
             WHERE i.attempt_id = $1 AND q.kind = 'single' ORDER BY i.position",
        )
        .bind(self.attempt)
        .fetch_all(pool)
        .await?)
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

/// The page the baseline and floor servers render for an item: the
/// question's stem and options in a form, without layout, session or
/// palette.
#[derive(askama::Template)]
#[template(
    ext = "html",
    source = "<!doctype html><html lang=en><title>Item {{ position }}</title><main><h1>Question {{ position }}</h1>\
              <div>{{ stem }}</div><form method=post><ul>{% for o in options %}<li><label><input type=radio name=choice \
              value=\"{{ loop.index0 }}\"> {{ o }}</label></li>{% endfor %}</ul><button>Next</button></form></main></html>"
)]
struct BarePage {
    position: i32,
    stem: String,
    options: Vec<String>,
}

/// The bare page of item `position` showing a question version's content.
pub fn bare_page(position: i32, content: &serde_json::Value) -> Result<String, askama::Error> {
    use askama::Template;
    let (stem, options) = stem_and_options(content);
    BarePage { position, stem, options }.render()
}

/// What a bare page shows of a question version's content: its stem and
/// the texts of its options (or steps, or answers).
pub fn stem_and_options(content: &serde_json::Value) -> (String, Vec<String>) {
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
    (question["stem"].as_str().unwrap_or_default().to_string(), options)
}

/// A full mock in exam mode, as a learner starts one from the exam's page.
pub fn full_mock() -> mockexam::app::attempts::StartRequest {
    mockexam::app::attempts::StartRequest {
        mode: mockexam::exam::Mode::Exam,
        count: None,
        domains: vec![],
        tag: None,
        timed: true,
        real_conditions: false,
        confidence: false,
        extra_time: mockexam::exam::ExtraTime::None,
    }
}
