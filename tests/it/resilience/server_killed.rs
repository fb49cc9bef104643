//! The server killed with SIGKILL mid-exam and started again on the same
//! data folder: the real binary with its embedded PostgreSQL, which
//! outlives the kill. The learner resumes with every acknowledged answer
//! and an unchanged deadline, and the next SIGTERM stops the cluster the
//! new server adopted.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::process::{Child, Command};

use super::{TempDir, WAIT, eventually, shown_response};
use crate::helpers::{Browser, json_of, location};

const EMAIL: &str = "kim@example.org";
const PASSWORD: &str = "correct horse battery";

/// The server binary on `addr` with its embedded cluster in `data`; killed
/// (SIGKILL) if dropped while running.
struct Server {
    child: Child,
    log: PathBuf,
}

impl Server {
    /// Starts it and waits until it is ready.
    async fn start(data: &Path, addr: SocketAddr, log: &Path) -> Server {
        let output = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("a log file");
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let child = Command::new(env!("CARGO_BIN_EXE_mockexam"))
            .env_remove("DATABASE_URL")
            .env("MOCKEXAM_DATA_DIR", data)
            .env("MOCKEXAM_ADDR", addr.to_string())
            .env("MOCKEXAM_CONTENT_DIR", content)
            .env("RUST_LOG", "mockexam=info")
            .stdin(Stdio::null())
            .stdout(output.try_clone().expect("a log file"))
            .stderr(output)
            .kill_on_drop(true)
            .spawn()
            .expect("the server starts");
        let mut server = Server { child, log: log.to_path_buf() };
        let client = reqwest::Client::new();
        let ready = format!("http://{addr}/readyz");
        eventually("the server to be ready", async || {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited ({status}):\n{}", server.log());
            }
            let response = client.get(&ready).send().await.ok()?;
            (response.status() == StatusCode::OK).then_some(())
        })
        .await;
        server
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn signal(&self, signal: i32) {
        let pid = self.child.id().expect("running") as i32;
        // SAFETY: sends a signal to our own child.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "signal {signal} sent");
    }

    /// Waits for it to exit; fails after [`WAIT`].
    async fn exit(mut self) -> std::process::ExitStatus {
        match tokio::time::timeout(WAIT, self.child.wait()).await {
            Ok(status) => status.expect("an exit status"),
            Err(_) => panic!("the server did not exit within {WAIT:?}:\n{}", self.log()),
        }
    }
}

/// The PostgreSQL of a data folder, stopped at once (SIGQUIT to the
/// postmaster) if still running when dropped: a failed test leaves no
/// cluster behind.
struct ClusterOf(PathBuf);

impl ClusterOf {
    fn postmaster(&self) -> Option<i32> {
        let pid = std::fs::read_to_string(self.0.join("postmaster.pid")).ok()?;
        pid.lines().next()?.trim().parse().ok()
    }
}

impl Drop for ClusterOf {
    fn drop(&mut self) {
        if let Some(pid) = self.postmaster().filter(|&pid| alive(pid)) {
            // SAFETY: signals the postmaster this test's server started.
            unsafe { libc::kill(pid, libc::SIGQUIT) };
            let deadline = std::time::Instant::now() + WAIT;
            while alive(pid) && std::time::Instant::now() < deadline {
                std::thread::yield_now();
            }
        }
    }
}

/// Whether a process runs (an exited one nobody reaped does not).
fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit_once(") ").map(|(_, rest)| !rest.starts_with('Z')))
        .unwrap_or(false)
}

fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address")
}

/// An answer that fits item `item` (the API's JSON), different per item.
fn answer_for(n: i32, item: &Value) -> Value {
    let choices = item["choices"].as_array().map_or(0, Vec::len);
    let prompts = item["prompts"].as_array().map_or(0, Vec::len);
    match item["kind"].as_str() {
        Some("single") => json!({ "choice": [n as usize % choices] }),
        Some("multiple") => {
            let count = item["select_count"].as_u64().expect("a select count") as usize;
            json!({ "choice": (0..count).collect::<Vec<_>>() })
        }
        Some("ordering") => json!({ "ranks": (0..choices).rev().collect::<Vec<_>>() }),
        Some("matching") => json!({ "matches": (0..prompts).map(|p| (p + n as usize) % choices).collect::<Vec<_>>() }),
        _ => panic!("an item of a known kind: {item}"),
    }
}

#[tokio::test]
async fn after_a_kill_9_the_learner_resumes_with_every_answer_and_the_adopted_database_stops_at_sigterm() {
    let tmp = TempDir::new("killed");
    let data = tmp.0.join("pg");
    let log = tmp.0.join("server.log");
    let cluster = ClusterOf(data.clone());
    let addr = free_port();

    let server = Server::start(&data, addr, &log).await;
    let learner = Browser::new(addr);
    let registered = learner.register(EMAIL, "Kim", PASSWORD).await;
    assert_eq!(registered.status(), StatusCode::SEE_OTHER);
    let id = learner.start(&[("mode", "exam")]).await;
    let (_, before) = json_of(learner.get(&format!("/api/v1/attempts/{id}")).await).await;
    assert!(before["deadline"].is_string(), "a mock has a deadline: {before}");

    // Six answers, the second also flagged, each acknowledged as saved.
    let mut acknowledged = Vec::new();
    for n in 1..=6 {
        let (_, item) = json_of(learner.get(&format!("/api/v1/attempts/{id}/items/{n}")).await).await;
        let answer = answer_for(n, &item);
        let save = json!({ "seq": 1, "response": answer, "flagged": n == 2 });
        let (status, reply) = json_of(learner.save_json(id, n, save).await).await;
        assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "item {n}: {reply}");
        acknowledged.push((n, answer));
    }

    server.signal(libc::SIGKILL);
    let killed = server.exit().await;
    assert!(!killed.success(), "killed: {killed}");

    let server = Server::start(&data, addr, &log).await;
    let postmaster = cluster.postmaster().expect("the cluster runs");
    let learner = Browser::new(addr);
    let logged_in = learner.log_in(EMAIL, PASSWORD).await;
    assert_eq!(logged_in.status(), StatusCode::SEE_OTHER, "the account survived");
    let resume = learner.get(&format!("/attempts/{id}")).await;
    assert_eq!(location(&resume), format!("/attempts/{id}/items/7"), "resumes at the first unanswered item");
    let (_, after) = json_of(learner.get(&format!("/api/v1/attempts/{id}")).await).await;
    assert_eq!(after["deadline"], before["deadline"], "the deadline is unchanged");
    assert_eq!(after["finished"], false, "{after}");
    assert_eq!(after["answered"], 6, "{after}");
    for (n, answer) in &acknowledged {
        let (_, item) = json_of(learner.get(&format!("/api/v1/attempts/{id}/items/{n}")).await).await;
        assert_eq!(&shown_response(&item), answer, "item {n} as acknowledged");
        assert_eq!(item["flagged"], *n == 2, "item {n}'s flag");
    }

    // A second process on the same folder, the CLI beside the running
    // server, reuses the cluster and leaves it to the server.
    let mut cli = Command::new(env!("CARGO_BIN_EXE_mockexam"))
        .args(["user", "create", "--email", "ines@example.org", "--role", "instructor"])
        .env_remove("DATABASE_URL")
        .env("MOCKEXAM_DATA_DIR", &data)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the CLI starts");
    let mut stdin = cli.stdin.take().expect("its stdin");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, format!("{PASSWORD}\n").as_bytes()).await.expect("a password");
    drop(stdin);
    let created = tokio::time::timeout(WAIT, cli.wait_with_output()).await.expect("the CLI ends").expect("its output");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert_eq!(learner.get("/readyz").await.status(), StatusCode::OK, "the server's database still runs");
    let instructor = Browser::new(addr);
    assert_eq!(instructor.log_in("ines@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);

    server.signal(libc::SIGTERM);
    let log_text = server.log();
    let stopped = server.exit().await;
    assert!(stopped.success(), "a clean exit on SIGTERM: {stopped}\n{log_text}");
    eventually("the adopted PostgreSQL to stop", async || {
        (!data.join("postmaster.pid").exists() && !alive(postmaster)).then_some(())
    })
    .await;
}
