//! Exam day as a load test of whole examinees (issue 17). The real server
//! runs as its own process on an embedded PostgreSQL; thousands of virtual
//! examinees, each with a browser of their own, log in over a ramp, wait
//! for the proctor's "you may begin", press Start within a window, read and
//! answer all 65 items with think time (saving as the page's script does),
//! flag a few, review, submit and read the result. Then the database is
//! checked: every acknowledged save is stored, every attempt graded.
//!
//!     cargo bench --bench scenario                            # 10,000 examinees, think 2–10 s
//!     EXAMINEES=200 THINK_MIN=0.2 THINK_MAX=1 cargo bench --bench scenario
//!
//! Settings: EXAMINEES (10000), LOGIN_SECONDS (from one measured hash),
//! START_WINDOW (10 s), THINK_MIN and THINK_MAX (2 and 10 s), LOGINS
//! (`http`; `sessions` makes the sessions in the database instead, when the
//! hashing could not log everyone in within the time at hand: the login
//! ramp is then 30 s of examinees opening the exam's page).
//! Exits non-zero if a target is missed: any error, any lost or ungraded
//! answer, a request type's p99 at 100 ms or more, server RSS at 150 MB or more.

#[path = "scenario/check.rs"]
mod check;
#[path = "scenario/examinee.rs"]
mod examinee;
#[path = "scenario/report.rs"]
mod report;
#[path = "scenario/server.rs"]
mod server;
#[path = "scenario/watch.rs"]
mod watch;

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mockexam::account;
use mockexam::db;
use report::{Request, Timings};
use server::Server;

pub const EXAM: &str = "mla-c01";
pub const PASSWORD: &str = "a long scenario password";
const P99_LIMIT_MS: f64 = 100.0;
const RSS_LIMIT_MB: f64 = 150.0;

pub fn email(number: usize) -> String {
    format!("examinee{number}@example.org")
}

pub struct Sitting {
    pub examinees: usize,
    pub login_seconds: f64,
    pub start_window: Duration,
    pub think_min: f64,
    pub think_max: f64,
}

/// The generator's own counts, live, to set beside the server's metrics.
#[derive(Default)]
pub struct Counts {
    pub started: AtomicU64,
    pub submitted: AtomicU64,
    pub saves: AtomicU64,
    /// Examinees done, whether they finished or gave up after errors.
    pub done: AtomicU64,
}

/// What every examinee shares.
pub struct Run {
    pub base: String,
    /// With LOGINS=sessions, each examinee's session token, made in the
    /// database; empty when examinees log in over HTTP.
    pub sessions: Vec<String>,
    pub sitting: Sitting,
    pub counts: Counts,
    errors: Mutex<Vec<String>>,
}

impl Run {
    /// Keeps the first few errors to print; the counts are per examinee.
    pub fn note_error(&self, kind: Request, message: String) {
        let mut errors = self.errors.lock().expect("no examinee panics holding it");
        if errors.len() < 20 {
            errors.push(format!("{}: {message}", kind.name()));
        }
    }
}

fn number(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    match runtime.block_on(scenario()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            println!("\nA target was missed (above).");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn scenario() -> anyhow::Result<bool> {
    let open_files = server::raise_open_files();
    let ports = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let examinees = number("EXAMINEES", 10_000.0) as usize;

    // One hash, as the server checks a password at login.
    let begun = Instant::now();
    let hash = account::hash_password(PASSWORD);
    let hash_seconds = begun.elapsed().as_secs_f64();
    // The server hashes one login per core: the ramp asks for half of that,
    // as the server also serves the pages around each login.
    let hashing_rate = cores as f64 / hash_seconds;
    // With sessions made beforehand, the examinees only open the exam's
    // page over the "login" ramp.
    let by_sessions = std::env::var("LOGINS").is_ok_and(|v| v == "sessions");
    let ramp = if by_sessions { 30.0 } else { (examinees as f64 / (hashing_rate * 0.5)).ceil() };
    let login_seconds = number("LOGIN_SECONDS", ramp);
    let sitting = Sitting {
        examinees,
        login_seconds,
        start_window: Duration::from_secs_f64(number("START_WINDOW", 10.0)),
        think_min: number("THINK_MIN", 2.0),
        think_max: number("THINK_MAX", 10.0),
    };
    println!("# Exam day: {examinees} examinees, a {} s start window", sitting.start_window.as_secs_f64());
    println!(
        "- {cores} cores; open files per process {open_files} (each process holds a socket per examinee); \
         local ports {} ({})",
        ports.trim().replace('\t', "–"),
        if local_ports(&ports) > examinees + 1000 { "enough" } else { "may limit: fewer ports than examinees" }
    );
    println!(
        "- one password hash {:.0} ms: the server can check {hashing_rate:.1} logins/s; logins spread over {login_seconds} s \
         ({:.1}/s)",
        hash_seconds * 1000.0,
        examinees as f64 / login_seconds
    );
    println!("- think {}–{} s per item", sitting.think_min, sitting.think_max);

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scenario-pg");
    let _ = std::fs::remove_dir_all(&dir);
    let mut cluster = db::Cluster::start(&dir)?;
    let result = sit_the_exam(&cluster, sitting, &hash).await;
    cluster.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn sit_the_exam(cluster: &db::Cluster, sitting: Sitting, hash: &str) -> anyhow::Result<bool> {
    let options = cluster.connect_options(db::EMBEDDED_DATABASE);
    db::create_database_if_missing(&options).await?;
    let pool = db::pool(options, 4).await?;
    db::MIGRATOR.run(&pool).await?;
    let begun = Instant::now();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, created_at)
         SELECT gen_random_uuid(), 'examinee' || n || '@example.org', 'Examinee ' || n, $1, now()
         FROM generate_series(0, $2 - 1) n",
    )
    .bind(hash)
    .bind(sitting.examinees as i64)
    .execute(&pool)
    .await?;
    println!("- {} accounts made in {:.1} s", sitting.examinees, begun.elapsed().as_secs_f64());

    let sessions = if std::env::var("LOGINS").is_ok_and(|v| v == "sessions") {
        made_sessions(&pool, sitting.examinees).await?
    } else {
        Vec::new()
    };

    let log = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scenario-server.log");
    let mut server = Server::start(&cluster.url(db::EMBEDDED_DATABASE), &log)?;
    server.ready().await?;
    println!("- server pid {}, log in {}", server.pid(), log.display());
    let outcome = load(&server, &pool, sitting, sessions, cluster.data_dir()).await;
    server.stop()?;
    outcome
}

/// A session per examinee, made in the database as a login would make it
/// (only the token's SHA-256 is stored): for sittings larger than the
/// password hashing can log in within the time at hand.
async fn made_sessions(pool: &sqlx::PgPool, examinees: usize) -> anyhow::Result<Vec<String>> {
    let tokens: Vec<String> = (0..examinees).map(|_| account::new_token()).collect();
    let emails: Vec<String> = (0..examinees).map(email).collect();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
         SELECT sha256(convert_to(token, 'UTF8')), u.id, now(), now()
         FROM UNNEST($1::text[], $2::text[]) AS made (email, token) JOIN users u ON u.email = made.email",
    )
    .bind(&emails)
    .bind(&tokens)
    .execute(pool)
    .await?;
    println!("- {examinees} sessions made in the database (LOGINS=sessions): no login over HTTP");
    Ok(tokens)
}

/// Where the server's memory stood: sampled each second.
#[derive(Default, Clone, Copy)]
struct Memory {
    peak_rss: f64,
    final_rss: f64,
    hwm: f64,
}

async fn load(
    server: &Server,
    pool: &sqlx::PgPool,
    sitting: Sitting,
    sessions: Vec<String>,
    data_dir: &std::path::Path,
) -> anyhow::Result<bool> {
    let examinees = sitting.examinees;
    let login_seconds = sitting.login_seconds;
    let run = Arc::new(Run {
        base: server.base.clone(),
        sessions,
        sitting,
        counts: Counts::default(),
        errors: Mutex::new(Vec::new()),
    });
    let pid = server.pid();
    let memory = Arc::new(Mutex::new(Memory::default()));
    let sampler = tokio::spawn({
        let memory = memory.clone();
        async move {
            let mut every = tokio::time::interval(Duration::from_secs(1));
            loop {
                every.tick().await;
                if let Some((rss, hwm)) = server::memory(pid) {
                    let mut m = memory.lock().expect("the sampler alone writes");
                    m.peak_rss = m.peak_rss.max(rss);
                    m.final_rss = rss;
                    m.hwm = hwm;
                }
            }
        }
    });

    let first_login = Instant::now() + Duration::from_secs(1);
    let start_at = first_login + Duration::from_secs_f64(login_seconds + 5.0);
    println!("\nLogging in for {login_seconds} s; Start pressed from {:.0} s on.\n", login_seconds + 6.0);
    let cpu_before = (server::cpu_seconds(&pid.to_string()), server::cpu_seconds("self"));
    let database_cpu_before = server::cluster_cpu_seconds(data_dir);
    let wall = Instant::now();
    let load_at_start = load_average();
    let mut sitters = Vec::with_capacity(examinees);
    for n in 0..examinees {
        let login_at = first_login + Duration::from_secs_f64(login_seconds * n as f64 / examinees as f64);
        sitters.push(tokio::spawn(examinee::sit(run.clone(), n, login_at, start_at)));
    }

    let metrics_client = reqwest::Client::new();
    let watcher = tokio::spawn(watch::watch(run.clone(), metrics_client.clone(), server.metrics.clone(), wall, pid));

    let mut records = Vec::with_capacity(examinees);
    for sitter in sitters {
        records.push(sitter.await?);
    }
    let took = wall.elapsed().as_secs_f64();
    let cpu_after = (server::cpu_seconds(&pid.to_string()), server::cpu_seconds("self"));
    let database_cores = (server::cluster_cpu_seconds(data_dir) - database_cpu_before) / took;
    let quiet = watcher.await?;
    sampler.abort();
    if let Some((rss, hwm)) = server::memory(pid) {
        let mut m = memory.lock().expect("the sampler has stopped");
        m.final_rss = rss;
        m.hwm = hwm;
        m.peak_rss = m.peak_rss.max(rss);
    }
    let memory = *memory.lock().expect("the sampler has stopped");
    let end = server::scrape(&metrics_client, &server.metrics).await;

    let mut timings = Timings::default();
    let finished = records.iter().filter(|r| r.finished).count();
    for record in &mut records {
        timings.merge(std::mem::take(&mut record.timings));
    }
    let found = check::check(pool, &records).await?;

    println!("\n## Exam day: {examinees} examinees\n");
    println!(
        "{finished} of {examinees} finished the whole sitting in {took:.0} s; {} requests ({:.0}/s over the run)\n",
        timings.requests(),
        timings.requests() as f64 / took
    );
    let slow = timings.print(P99_LIMIT_MS);
    let errors = run.errors.lock().expect("every examinee is done");
    if !errors.is_empty() {
        println!("\nFirst errors:");
        for e in errors.iter() {
            println!("- {e}");
        }
    }
    let cores_used = |i: usize| {
        let (before, after) = if i == 0 { (cpu_before.0, cpu_after.0) } else { (cpu_before.1, cpu_after.1) };
        (after - before) / took
    };
    println!(
        "\nCPU over the run (of 2 shared cores): server {:.2} cores, PostgreSQL {database_cores:.2}, load generator {:.2}; \
         machine load average at the end {} (1, 5, 15 min), at the start {load_at_start}",
        cores_used(0),
        cores_used(1),
        load_average()
    );
    println!(
        "Server RSS: peak {:.0} MB sampled each second (VmHWM {:.0} MB), final {:.0} MB",
        memory.peak_rss, memory.hwm, memory.final_rss
    );

    println!("\nMetrics against the generator's own counts:\n");
    let saves = run.counts.saves.load(Ordering::Relaxed) as f64;
    let agree_quiet = watch::report_quiet(&quiet);
    let agree_end = match &end {
        None => {
            println!("- at the end: no metrics");
            None
        }
        Some(f) => {
            let ok = f.in_progress == Some(0.0) && f.saves_saved == Some(saves);
            println!(
                "- at the end: in progress {} (generator 0), saves saved {} (generator {saves}): {}",
                f.in_progress.map_or("?".into(), |v| v.to_string()),
                f.saves_saved.map_or("?".into(), |v| v.to_string()),
                if ok { "agree" } else { "DISAGREE" }
            );
            Some(ok)
        }
    };

    println!("\nIn the database afterwards:\n");
    found.print();

    let rss = memory.hwm.max(memory.peak_rss);
    let targets = [
        ("0 errors", timings.errors() == 0 && finished == examinees),
        ("0 lost or ungraded answers", found.holds() && found.attempts as usize == examinees),
        ("p99 < 100 ms for every request type", slow.is_empty()),
        ("server RSS < 150 MB", rss < RSS_LIMIT_MB),
        ("metrics agree (where the endpoint exists)", agree_quiet.unwrap_or(true) && agree_end.unwrap_or(true)),
    ];
    println!("\n| target | met |\n|---|---|");
    for (target, met) in targets {
        let extra = match target {
            "0 errors" => format!(" ({} errors, {} of {examinees} finished)", timings.errors(), finished),
            "p99 < 100 ms for every request type" if !slow.is_empty() => format!(" (over: {})", slow.join(", ")),
            "server RSS < 150 MB" => format!(" ({rss:.0} MB)"),
            _ => String::new(),
        };
        println!("| {target} | {}{extra} |", if met { "yes" } else { "NO" });
    }
    Ok(targets.iter().all(|(_, met)| *met))
}

/// The machine's load average over 1, 5 and 15 minutes: this machine is
/// shared, and a load above its 2 cores slows every request measured.
pub fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

/// The number of local ports in `ip_local_port_range`.
fn local_ports(range: &str) -> usize {
    let bounds: Vec<usize> = range.split_whitespace().filter_map(|p| p.parse().ok()).collect();
    match bounds[..] {
        [low, high] if high >= low => high - low + 1,
        _ => usize::MAX,
    }
}
