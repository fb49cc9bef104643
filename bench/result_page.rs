//! The result page of a whole mock on a slow phone connection: Chromium's
//! "Slow 4G" network emulation (DevTools' preset: 562.5 ms round trip,
//! 1.44 Mbit/s down, 675 kbit/s up), over ChromeDriver's DevTools bridge.
//!
//! "Score shown" is the first contentful paint: the score card is the first
//! thing in the page's main, so the first paint of content is the score.
//! Measured twice: with the stylesheet and script already cached (the
//! learner arrives from the review screen of the same app), and with an
//! empty cache. The baseline in the same run is the exam's start page, whose fixed
//! cost is the emulated round trips themselves.
//!
//!     cargo bench --bench result_page
//!     LOADS=9 cargo bench --bench result_page

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use mockexam::app::attempts::{self, StartOutcome};
use mockexam::app::{App, exams};
use mockexam::clock::Clock;
use mockexam::config::Config;
use mockexam::db::{self, Cluster};
use mockexam::web;
use serde_json::{Value, json};

#[path = "data.rs"]
mod data;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-result-pg");
    let _ = std::fs::remove_dir_all(&dir);
    let mut cluster = Cluster::start(&dir)?;
    let result = run(&cluster, &dir).await;
    cluster.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(cluster: &Cluster, dir: &Path) -> anyhow::Result<()> {
    let loads: usize = std::env::var("LOADS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let options = cluster.connect_options("bench");
    db::create_database_if_missing(&options).await?;
    let pool = db::pool(options, 8).await?;
    db::MIGRATOR.run(&pool).await?;
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    mockexam::load_content(&pool, &content, time::OffsetDateTime::now_utc()).await?;
    let app = App::new(pool.clone(), Arc::new(Config::default()), Clock::default());

    let (user, cookie) = data::register(&app, "slow@example.org").await?;
    let exam = exams::by_slug(&app, "mla-c01").await?;
    let request = data::full_mock();
    let StartOutcome::Started(attempt) = attempts::start(&app, user, &exam, &request).await? else {
        anyhow::bail!("the mock did not start");
    };
    attempts::submit(&app, user, attempt).await?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, web::router(app)).await });
    let base = format!("http://{addr}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut driver =
        Command::new(CHROMEDRIVER).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    let measured = measure(port, dir, &base, &cookie, attempt, loads).await;
    let _ = driver.kill();
    let _ = driver.wait();
    measured
}

async fn measure(
    port: u16,
    dir: &Path,
    base: &str,
    cookie: &str,
    attempt: uuid::Uuid,
    loads: usize,
) -> anyhow::Result<()> {
    let driver = format!("http://127.0.0.1:{port}");
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=375,812", format!("--user-data-dir={}", dir.with_extension("chrome").display())],
        },
    });
    let Value::Object(capabilities) = capabilities else { unreachable!() };
    // ChromeDriver takes a moment to listen: try for up to 10 s.
    let mut client = None;
    for _ in 0..100 {
        match ClientBuilder::new(HttpConnector::new()).capabilities(capabilities.clone()).connect(&driver).await {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    let client = client.ok_or_else(|| anyhow::anyhow!("ChromeDriver did not start"))?;
    let session = format!("{driver}/session/{}", client.session_id().await?.unwrap_or_default());

    client.goto(&format!("{base}/login")).await?;
    // The session cookie of the learner registered above (WebDriver's own
    // cookie command refuses a host that is an IP address).
    let set_cookie = format!("document.cookie = '{cookie}; path=/'");
    client.execute(&set_cookie, vec![]).await?;
    cdp(&session, "Network.enable", json!({})).await?;
    cdp(
        &session,
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375 }),
    )
    .await?;

    println!("Slow 4G, {loads} loads each, median; times in ms from navigation start\n");
    println!("| page | cache | response end | score shown (FCP) | HTML bytes (gzip on the wire) |");
    println!("|---|---|---:|---:|---:|");
    let result = format!("{base}/attempts/{attempt}/result");
    let mut shown = Vec::new();
    for (name, url) in [("exam start page (baseline)", format!("{base}/exams/mla-c01")), ("result, mock of 65", result)]
    {
        for cold in [false, true] {
            let mut samples = Vec::new();
            for _ in 0..loads {
                if cold {
                    cdp(&session, "Network.clearBrowserCache", json!({})).await?;
                } else {
                    client.goto(&url).await?; // fills the cache
                }
                client.goto(&url).await?;
                let timing = client
                    .execute(
                        "const n = performance.getEntriesByType('navigation')[0];
                         const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                         return [n.responseEnd, fcp ? fcp.startTime : -1, n.decodedBodySize, n.encodedBodySize];",
                        vec![],
                    )
                    .await?;
                let at = |i: usize| timing[i].as_f64().unwrap_or(-1.0);
                samples.push((at(0), at(1), at(2), at(3)));
            }
            samples.sort_by(|a, b| a.1.total_cmp(&b.1));
            let (response, fcp, bytes, wire) = samples[samples.len() / 2];
            let cache = if cold { "empty" } else { "warm" };
            println!("| {name} | {cache} | {response:.0} | {fcp:.0} | {bytes:.0} ({wire:.0}) |");
            shown.push(fcp);
        }
    }
    println!(
        "\nscore shown, result ÷ start page: warm {:.2}, empty cache {:.2}",
        shown[2] / shown[0],
        shown[3] / shown[1]
    );
    client.close().await?;
    Ok(())
}

async fn cdp(session: &str, cmd: &str, params: Value) -> anyhow::Result<Value> {
    let reply = reqwest::Client::new()
        .post(format!("{session}/goog/cdp/execute"))
        .json(&json!({ "cmd": cmd, "params": params }))
        .send()
        .await?;
    anyhow::ensure!(reply.status().is_success(), "{cmd}: {}", reply.text().await?);
    Ok(reply.json::<Value>().await?["value"].clone())
}
