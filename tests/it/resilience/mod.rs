//! Exam day, safe (issue 10): what a learner keeps when PostgreSQL stops
//! and comes back, when the server is killed and started again, when two
//! servers share one database, and when the pool runs dry.
//!
//! Every wait here polls a condition and fails after [`WAIT`]; nothing
//! sleeps to let something happen. Whatever a test starts (a cluster, a
//! server process) is stopped when it is dropped, also when the test fails.

mod database_restart;
mod pool_exhausted;
mod server_killed;
mod two_servers;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mockexam::db::Cluster;
use reqwest::{Response, StatusCode};
use sqlx::postgres::PgConnectOptions;

/// The longest any one wait polls before the test fails.
pub const WAIT: Duration = Duration::from_secs(30);

/// Polls `check` every 50 ms until it gives a value; fails after [`WAIT`].
pub async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    let mut every = tokio::time::interval(Duration::from_millis(50));
    loop {
        every.tick().await;
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "gave up after {WAIT:?} waiting for {what}");
    }
}

/// A folder of its own under the target's temporary folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An embedded cluster of the test's own, so stopping it harms no other
/// test; stopped and removed on drop.
pub struct OwnCluster {
    cluster: Option<Cluster>,
    dir: TempDir,
}

impl OwnCluster {
    pub async fn start() -> OwnCluster {
        let dir = TempDir::new("pg-own");
        let d = dir.0.join("pg");
        let cluster = tokio::task::spawn_blocking(move || Cluster::start(&d)).await.unwrap().expect("a cluster");
        OwnCluster { cluster: Some(cluster), dir }
    }

    /// Over its Unix socket, as the embedded cluster is reached.
    pub fn options(&self) -> PgConnectOptions {
        self.cluster.as_ref().expect("running").connect_options("postgres")
    }

    /// Over TCP, as a server named by `DATABASE_URL` usually is: through a
    /// proxy from a local port to the socket (the cluster listens on no
    /// port). A connection the server cuts then ends as it does over TCP:
    /// the next statement reads PostgreSQL's goodbye (SQLSTATE 57P01) instead
    /// of a broken pipe. The proxy lives as long as the test's runtime.
    pub async fn options_over_tcp(&self) -> PgConnectOptions {
        let socket = self.dir.0.join("pg").join(".s.PGSQL.5432");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("an address").port();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let socket = socket.clone();
                tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::UnixStream::connect(&socket).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        let options = self.options();
        PgConnectOptions::new().host("127.0.0.1").port(port).username(options.get_username()).database("postgres")
    }

    /// Stops PostgreSQL (fast shutdown: connections are cut).
    pub async fn stop(&mut self) {
        self.blocking(|c| c.stop_now()).await;
    }

    pub async fn start_again(&mut self) {
        self.blocking(|c| c.restart()).await;
    }

    async fn blocking(&mut self, f: impl FnOnce(&mut Cluster) -> anyhow::Result<()> + Send + 'static) {
        let mut cluster = self.cluster.take().expect("a cluster");
        let cluster = tokio::task::spawn_blocking(move || {
            f(&mut cluster).expect("pg_ctl");
            cluster
        })
        .await
        .unwrap();
        self.cluster = Some(cluster);
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        if let Some(mut cluster) = self.cluster.take() {
            // Blocks for pg_ctl; on a thread of its own, not the runtime's.
            let _ = std::thread::spawn(move || cluster.stop_now()).join();
        }
    }
}

/// A status and a body, read at once.
pub async fn read(response: Response) -> (StatusCode, String, String) {
    let status = response.status();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, content_type, response.text().await.expect("a body"))
}

/// The response a learner sees on an item, read off the API's item JSON in
/// the shape saves send it: what came back after a stop is compared with
/// what was acknowledged before it.
pub fn shown_response(item: &serde_json::Value) -> serde_json::Value {
    let list = |key: &str| item[key].as_array().cloned().unwrap_or_default();
    match item["kind"].as_str() {
        Some("single" | "multiple") => serde_json::json!({
            "choice": list("choices").iter().filter(|c| c["selected"] == true).map(|c| c["position"].clone()).collect::<Vec<_>>()
        }),
        Some("ordering") => {
            serde_json::json!({ "ranks": list("choices").iter().map(|c| c["rank"].clone()).collect::<Vec<_>>() })
        }
        Some("matching") => {
            serde_json::json!({ "matches": list("prompts").iter().map(|p| p["chosen"].clone()).collect::<Vec<_>>() })
        }
        _ => panic!("an item of a known kind: {item}"),
    }
}

/// A response as the item form sends it without JavaScript.
pub fn form_fields(response: &mockexam::exam::display::DisplayResponse) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for p in response.choice.iter().flatten() {
        fields.push(("choice".to_string(), p.to_string()));
    }
    for (p, rank) in response.ranks.iter().flatten().enumerate() {
        fields.push((format!("rank-{p}"), rank.map_or(String::new(), |r| (r + 1).to_string())));
    }
    for (p, answer) in response.matches.iter().flatten().enumerate() {
        fields.push((format!("match-{p}"), answer.map_or(String::new(), |a| a.to_string())));
    }
    fields
}

/// The hidden fields of a page's forms, in order, as a browser would post
/// them (values are plain: digits, words and hex tokens).
pub fn hidden_fields(page: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| {
        let marker = format!(" {name}=\"");
        let from = tag.find(&marker)? + marker.len();
        Some(tag[from..from + tag[from..].find('"')?].to_string())
    };
    page.split("<input")
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .filter(|tag| attr(tag, "type").as_deref() == Some("hidden"))
        .filter_map(|tag| Some((attr(tag, "name")?, attr(tag, "value").unwrap_or_default())))
        .collect()
}

/// A save sent as the page's script sends it, running on its own: for
/// saves that must be in flight together.
pub async fn spawn_save(
    browser: &crate::helpers::Browser,
    attempt: uuid::Uuid,
    n: i32,
    body: serde_json::Value,
) -> tokio::task::JoinHandle<(StatusCode, serde_json::Value)> {
    let request = browser
        .client
        .post(browser.url(&format!("/attempts/{attempt}/items/{n}")))
        .header("x-csrf-token", browser.csrf().await)
        .header("origin", format!("http://{}", browser.addr))
        .json(&body);
    tokio::spawn(async move { crate::helpers::json_of(request.send().await.expect("a reply")).await })
}

/// Waits until `count` statements of the database wait on a lock.
pub async fn until_waiting_on_locks(watcher: &mut sqlx::PgConnection, count: i64) {
    eventually(&format!("{count} statements to wait on a lock"), async || {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&mut *watcher)
        .await
        .expect("pg_stat_activity");
        (waiting == count).then_some(())
    })
    .await;
}
