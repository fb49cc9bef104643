//! The item page and the save under wrk, beside the floor of their stack
//! (issue 17): a bare axum + sqlx + askama server doing one indexed query
//! and one render per page ("fortunes" shape), and one single-row upsert
//! per save. Then the server time of grading whole 65-item mocks.
//!
//! One embedded PostgreSQL with the bundled bank; 64 learners (`LEARNERS`),
//! each with a 65-item mock exam started over HTTP, so that concurrent
//! requests are different examinees' as on exam day (one learner would put
//! every save on one attempt's row). mockexam runs as production does
//! (settings and log filter from the environment, its pool size,
//! `web::serve`; the log goes to target/tmp/floor-server.log); each
//! server has its own runtime and thread. wrk (a separate process) loads
//! them in rounds that alternate between the servers, so that noise on this
//! shared machine hits all alike; the table shows medians of the rounds and
//! the ratios mockexam ÷ floor.
//!
//!     cargo bench --bench floor                     # 3 rounds of 10 s, 64 and 256 connections
//!     ROUNDS=5 SECONDS=5 CONNECTIONS=64 MOCKS=60 LEARNERS=1 cargo bench --bench floor
//!     MOCKEXAM_DB_POOL_SIZE=4 cargo bench --bench floor   # both servers' pools

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use mockexam::app::App;
use mockexam::clock::Clock;
use mockexam::config::{Config, Logging};
use mockexam::db::{self, Cluster};
use sqlx::PgPool;
use uuid::Uuid;
use wrk::{Caller, Measured, Target};

#[path = "data.rs"]
mod data;
#[path = "floor/grading.rs"]
mod grading;
#[path = "floor/servers.rs"]
mod servers;
#[path = "floor/wrk.rs"]
mod wrk;

/// The targets of issue 17, against the floor at this many connections.
const TARGET_CONNECTIONS: u32 = 64;
const TARGET_RATE: f64 = 0.8;
const TARGET_P99: f64 = 2.0;
const TARGET_GRADING_MS: f64 = 10.0;

struct Settings {
    rounds: usize,
    seconds: u64,
    connections: Vec<u32>,
    /// Mocks graded in the grading part.
    mocks: usize,
    /// Learners whose items the loads walk, one after another.
    learners: usize,
}

fn main() -> anyhow::Result<()> {
    // As the server's own main does: the allocator's settings are part of
    // what the item page costs.
    mockexam::tune_allocator();
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(sitting())
}

async fn sitting() -> anyhow::Result<()> {
    let connections = std::env::var("CONNECTIONS").unwrap_or_else(|_| "64,256".into());
    let settings = Settings {
        rounds: data::setting("ROUNDS", 3).max(1) as usize,
        seconds: data::setting("SECONDS", 10).max(1) as u64,
        connections: connections.split(',').map(|c| c.trim().parse()).collect::<Result<_, _>>()?,
        mocks: data::setting("MOCKS", 40).max(2) as usize,
        learners: data::setting("LEARNERS", 64).max(1) as usize,
    };
    data::with_cluster("floor-pg", |cluster| async move {
        let result = run(&cluster, &settings).await;
        (cluster, result)
    })
    .await
}

async fn run(cluster: &Cluster, settings: &Settings) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let log = log_as_production()?;
    let options = cluster.connect_options("bench");
    db::create_database_if_missing(&options).await?;
    let pool = db::pool(options.clone(), config.db_pool_size).await?;
    db::MIGRATOR.run(&pool).await?;
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    mockexam::load_content(&pool, &content, time::OffsetDateTime::now_utc()).await?;
    sqlx::query(servers::FLOOR_TABLE).execute(&pool).await?;

    let mockexam = servers::mockexam(options.clone(), config.clone())?;
    let mut learners = Vec::new();
    for n in 0..settings.learners {
        let learner = data::Learner::sign_up(mockexam.addr, n).await?;
        let singles = learner.single_answer_positions(&pool).await?;
        learners.push((learner, singles));
    }
    let floor = servers::floor(options, config.db_pool_size, item_versions(&pool, learners[0].0.attempt).await?)?;

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("floor-wrk");
    std::fs::create_dir_all(&dir)?;
    let scripts = Scripts::write(&dir, &learners, &floor.url(), &mockexam.url())?;
    check_pages(&learners[0].0, &floor.url(), &mockexam.url()).await?;

    println!(
        "\nwrk -t2 --latency, {} rounds of {} s per server and path, alternating; {} learners; pools of {} \
         connections; load average {}\n",
        settings.rounds,
        settings.seconds,
        settings.learners,
        config.db_pool_size,
        load_average()
    );
    let rows = measure(&scripts, &floor.url(), &mockexam.url(), settings).await?;
    check_pages(&learners[0].0, &floor.url(), &mockexam.url()).await?;
    mockexam.stop()?;
    floor.stop()?;
    print_table(&rows, settings);

    let app = App::new(pool.clone(), Arc::new(config), Clock::default());
    print_grading(grading::time_grading(&app, settings.mocks).await?);
    println!("load average at the end {}; the servers' log: {}", load_average(), log.display());
    pool.close().await;
    Ok(())
}

/// The question version of each of the mock's items, in position order:
/// what the floor's pages show.
async fn item_versions(pool: &PgPool, attempt: Uuid) -> anyhow::Result<Vec<Uuid>> {
    Ok(sqlx::query_scalar("SELECT version_id FROM items WHERE attempt_id = $1 ORDER BY position")
        .bind(attempt)
        .fetch_all(pool)
        .await?)
}

/// The scripts of the five loads: the pages are fixed; the saves' scripts
/// are written again before each run, with a `seq` above every earlier one.
struct Scripts {
    dir: std::path::PathBuf,
    floor_page: Target,
    item_page: Target,
    item_page_br: Target,
    /// Each learner's single-answer items, as mockexam's save takes them
    /// and as the floor's upsert does (its rows keyed by learner too).
    saves: Vec<(Caller, Vec<i32>)>,
    floor_saves: Vec<(Caller, Vec<i32>)>,
}

impl Scripts {
    fn write(
        dir: &Path,
        learners: &[(data::Learner, Vec<i32>)],
        floor: &str,
        mockexam: &str,
    ) -> anyhow::Result<Scripts> {
        let items = |learner: &data::Learner| format!("/attempts/{}/items/", learner.attempt);
        let pages = |encoding: Option<&'static str>| -> Vec<Caller> {
            learners
                .iter()
                .map(|(learner, _)| Caller {
                    prefix: items(learner),
                    headers: std::iter::once(("Cookie", learner.cookie.clone()))
                        .chain(encoding.map(|e| ("Accept-Encoding", e.to_string())))
                        .collect(),
                })
                .collect()
        };
        let floor_caller = Caller { prefix: "/items/".into(), headers: vec![] };
        Ok(Scripts {
            dir: dir.to_path_buf(),
            floor_page: Target {
                name: "floor page",
                url: floor.to_string(),
                script: wrk::pages(dir, "floor-page.lua", &[floor_caller], 65)?,
            },
            item_page: Target {
                name: "mockexam item page",
                url: mockexam.to_string(),
                script: wrk::pages(dir, "item-page.lua", &pages(None), 65)?,
            },
            item_page_br: Target {
                name: "mockexam item page, br",
                url: mockexam.to_string(),
                script: wrk::pages(dir, "item-page-br.lua", &pages(Some("br")), 65)?,
            },
            saves: learners
                .iter()
                .map(|(learner, singles)| {
                    // The headers the page's script sends with a save.
                    let headers = vec![
                        ("Cookie", learner.cookie.clone()),
                        ("Origin", mockexam.to_string()),
                        ("Content-Type", "application/json".into()),
                        ("X-CSRF-Token", learner.csrf.clone()),
                    ];
                    (Caller { prefix: items(learner), headers }, singles.clone())
                })
                .collect(),
            floor_saves: learners
                .iter()
                .enumerate()
                .map(|(n, (_, singles))| {
                    let headers = vec![("Content-Type", "application/json".into())];
                    (Caller { prefix: format!("/save/{n}/"), headers }, singles.clone())
                })
                .collect(),
        })
    }
}

/// Fails unless every page answers 200 with a page: a redirect to the login
/// (an ended session) would look to wrk like a fast success.
async fn check_pages(learner: &data::Learner, floor: &str, mockexam: &str) -> anyhow::Result<()> {
    let pages = [
        (format!("{floor}/items/1"), None),
        (format!("{mockexam}/attempts/{}/items/1", learner.attempt), Some(learner.cookie.as_str())),
    ];
    for (url, cookie) in pages {
        let mut request = learner.client.get(&url);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let page = request.send().await?;
        let status = page.status();
        let body = page.text().await?;
        anyhow::ensure!(status.is_success() && body.contains("<html"), "{url}: {status}");
    }
    Ok(())
}

/// One row of the table: a path at a number of connections, every round.
struct Row {
    path: &'static str,
    connections: u32,
    floor: Vec<Measured>,
    mockexam: Vec<Measured>,
}

/// The wrk rounds. Within each round every load runs once, in turn.
async fn measure(scripts: &Scripts, floor: &str, mockexam: &str, settings: &Settings) -> anyhow::Result<Vec<Row>> {
    let mut next_seq = 1_000_000_000_i64;
    let mut save_script = |name: &'static str, url: &str, items: &[(Caller, Vec<i32>)]| -> anyhow::Result<Target> {
        let file = format!("{}.lua", name.replace([' ', ','], "-"));
        let script = wrk::saves(&scripts.dir, &file, items, next_seq)?;
        // More than one run can send.
        next_seq += 1_000_000_000;
        Ok(Target { name, url: url.to_string(), script })
    };
    // A short run of each first: pools filled, caches warm.
    let warm = data::setting("WARMUP", 2).max(1) as u64;
    let first = settings.connections[0];
    for target in [&scripts.floor_page, &scripts.item_page, &scripts.item_page_br] {
        wrk::run(target, first, warm).await?;
    }
    wrk::run(&save_script("upsert floor", floor, &scripts.floor_saves)?, first, warm).await?;
    wrk::run(&save_script("mockexam save", mockexam, &scripts.saves)?, first, warm).await?;

    let mut rows = Vec::new();
    for &connections in &settings.connections {
        let mut runs: [Vec<Measured>; 5] = Default::default();
        for round in 1..=settings.rounds {
            let upsert = save_script("upsert floor", floor, &scripts.floor_saves)?;
            let save = save_script("mockexam save", mockexam, &scripts.saves)?;
            let targets = [&scripts.floor_page, &scripts.item_page, &scripts.item_page_br, &upsert, &save];
            for (i, target) in targets.into_iter().enumerate() {
                let m = wrk::run(target, connections, settings.seconds).await?;
                println!(
                    "round {round}/{} · {connections} connections · {}: {:.0} req/s, p99 {:.1} ms, non-2xx {}, errors {}{}",
                    settings.rounds,
                    target.name,
                    m.requests_per_second,
                    m.p99_ms,
                    m.non_2xx,
                    m.errors,
                    m.statuses.as_ref().map(|s| format!(", statuses {s}")).unwrap_or_default()
                );
                runs[i].push(m);
            }
        }
        let [floor_page, item, item_br, upsert, save] = runs;
        rows.push(Row { path: "item page", connections, floor: floor_page.clone(), mockexam: item });
        rows.push(Row { path: "item page, `Accept-Encoding: br`", connections, floor: floor_page, mockexam: item_br });
        rows.push(Row { path: "save (JSON POST)", connections, floor: upsert, mockexam: save });
    }
    Ok(rows)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Medians of the rounds: requests per second and p99 in ms.
fn medians(runs: &[Measured]) -> (f64, f64) {
    (median(runs.iter().map(|m| m.requests_per_second).collect()), median(runs.iter().map(|m| m.p99_ms).collect()))
}

fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn print_table(rows: &[Row], settings: &Settings) {
    println!(
        "\nMedians of {} rounds of {} s; no compression unless the row says so.\n",
        settings.rounds, settings.seconds
    );
    println!(
        "| path | connections | floor req/s (p99) | mockexam req/s (p99) | ratio req/s | ratio p99 | non-2xx floor / mockexam | errors floor / mockexam |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let (floor_rate, floor_p99) = medians(&row.floor);
        let (rate, p99) = medians(&row.mockexam);
        let sum = |runs: &[Measured], f: fn(&Measured) -> u64| runs.iter().map(f).sum::<u64>();
        println!(
            "| {} | {} | {} ({floor_p99:.1} ms) | {} ({p99:.1} ms) | {:.2} | {:.2} | {} / {} | {} / {} |",
            row.path,
            row.connections,
            thousands(floor_rate),
            thousands(rate),
            rate / floor_rate,
            p99 / floor_p99,
            sum(&row.floor, |m| m.non_2xx),
            sum(&row.mockexam, |m| m.non_2xx),
            sum(&row.floor, |m| m.errors),
            sum(&row.mockexam, |m| m.errors),
        );
    }
    println!("\nA save refused as stale (409: two saves of one item crossed) did the same work and counts as served;");
    println!("the status counts are in the round lines above. Errors: connect, read, write errors and timeouts (2 s).");

    let at = settings.connections.iter().copied().find(|&c| c == TARGET_CONNECTIONS).unwrap_or(settings.connections[0]);
    println!("\nTargets (issue 17), at {at} connections:");
    for (path, what) in [("item page, `Accept-Encoding: br`", "item page with br"), ("save (JSON POST)", "save")] {
        let Some(row) = rows.iter().find(|r| r.path == path && r.connections == at) else { continue };
        let (floor_rate, floor_p99) = medians(&row.floor);
        let (rate, p99) = medians(&row.mockexam);
        let ratio = rate / floor_rate;
        println!(
            "- {what} ≥ {TARGET_RATE} × the floor's req/s: {}",
            if ratio >= TARGET_RATE {
                format!("met ({ratio:.2})")
            } else {
                format!(
                    "missed by {:.2} ({ratio:.2}; {} req/s short)",
                    TARGET_RATE - ratio,
                    thousands(TARGET_RATE * floor_rate - rate)
                )
            }
        );
        let p99_ratio = p99 / floor_p99;
        println!(
            "- {what} p99 ≤ {TARGET_P99} × the floor's p99: {}",
            if p99_ratio <= TARGET_P99 {
                format!("met ({p99_ratio:.2}×: {p99:.1} ms against {floor_p99:.1} ms)")
            } else {
                format!(
                    "missed by {:.1} ms ({p99_ratio:.2}×: {p99:.1} ms against {floor_p99:.1} ms)",
                    p99 - TARGET_P99 * floor_p99
                )
            }
        );
    }
}

fn print_grading(timings: grading::Timings) {
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    let median_max = |times: &[Duration]| {
        let mut t: Vec<f64> = times.iter().map(ms).collect();
        t.sort_by(f64::total_cmp);
        (t[t.len() / 2], t[t.len() - 1])
    };
    let (median, max) = median_max(&timings.grade);
    println!(
        "\nGrading a 65-item mock, every item answered (`attempts::grade`, {} mocks of one learner whose history \
         grows to {} mocks): median {median:.1} ms, max {max:.1} ms; target < {TARGET_GRADING_MS} ms: {}",
        timings.grade.len(),
        timings.grade.len() + timings.scoring.len(),
        if median < TARGET_GRADING_MS {
            format!("met by the median{}", if max < TARGET_GRADING_MS { " and the max" } else { "" })
        } else {
            format!("missed by {:.1} ms (median)", median - TARGET_GRADING_MS)
        }
    );
    let (scoring, scoring_max) = median_max(&timings.scoring);
    let (standing, standing_max) = median_max(&timings.standing);
    println!(
        "  its parts, on {} other mocks: scoring and writing the credit (`store::attempts::finish`) median \
         {scoring:.1} ms (max {scoring_max:.1}); the learner's standing refreshed median {standing:.1} ms (max {standing_max:.1})",
        timings.scoring.len()
    );
}

/// Logs as src/main.rs does (`RUST_LOG`, by default mockexam=info and
/// tower_http=info, so every request opens its span), into a file rather
/// than between the bench's lines. Returns the file's path.
fn log_as_production() -> anyhow::Result<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("floor-server.log");
    let file = std::fs::File::create(&path)?;
    let filter = tracing_subscriber::EnvFilter::try_new(&Logging::from_env()?.filter)?;
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(std::sync::Mutex::new(file)).init();
    Ok(path)
}

/// The machine's load average, to show how busy it was (it is shared).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
