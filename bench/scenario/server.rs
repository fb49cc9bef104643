//! The server as its own process, so that its memory and CPU are its own:
//! started, watched through /proc, read through its /metrics, stopped.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Raises the open-file limit to the hard limit, for this process and the
/// server it starts: each holds a socket per examinee. Returns the limit.
pub fn raise_open_files() -> u64 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
    }
    limit.rlim_cur
}

/// A port nobody listens on now.
pub fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

pub struct Server {
    child: Child,
    pub base: String,
    pub metrics: String,
}

impl Server {
    /// Starts the real binary on `database_url`; it loads the bundled
    /// exams itself, as in production. Its log goes to `log`.
    pub fn start(database_url: &str, log: &Path) -> anyhow::Result<Server> {
        let (port, metrics_port) = (free_port()?, free_port()?);
        let log = std::fs::File::create(log)?;
        let child = Command::new(env!("CARGO_BIN_EXE_mockexam"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("MOCKEXAM_ADDR", format!("127.0.0.1:{port}"))
            .env("MOCKEXAM_METRICS_ADDR", format!("127.0.0.1:{metrics_port}"))
            .env("MOCKEXAM_CONTENT_DIR", Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
            .stdout(Stdio::from(log.try_clone()?))
            .stderr(Stdio::from(log))
            .spawn()?;
        Ok(Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            metrics: format!("http://127.0.0.1:{metrics_port}/metrics"),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (up to two minutes) for /readyz to answer 200.
    pub async fn ready(&mut self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let begun = Instant::now();
        while begun.elapsed() < Duration::from_secs(120) {
            if let Some(status) = self.child.try_wait()? {
                anyhow::bail!("the server exited at start ({status}); see its log");
            }
            if client.get(format!("{}/readyz", self.base)).send().await.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("the server was not ready after two minutes")
    }

    /// SIGTERM, as an operator's service manager stops it; then waits.
    pub fn stop(mut self) -> anyhow::Result<()> {
        // SAFETY: kill sends a signal to the child we started.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        self.child.wait()?;
        Ok(())
    }
}

/// Resident memory now and at its peak (VmRSS, VmHWM), in MB.
pub fn memory(pid: u32) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse::<f64>().ok()
    };
    Some((kb("VmRSS:")? / 1024.0, kb("VmHWM:")? / 1024.0))
}

/// CPU seconds used so far (user + system) by a process ("self" for this one).
pub fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return 0.0 };
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')').map_or(0, |i| i + 2)..].split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // SAFETY: sysconf only reads a constant.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks(11) + ticks(12)) / per_second
}

/// CPU seconds used so far by the PostgreSQL whose data is in `data_dir`:
/// its postmaster and every process it started (a backend per pooled
/// connection, which lives as long as the pool keeps it).
pub fn cluster_cpu_seconds(data_dir: &Path) -> f64 {
    let Some(postmaster) =
        std::fs::read_to_string(data_dir.join("postmaster.pid")).ok().and_then(|t| t.lines().next().map(str::to_owned))
    else {
        return 0.0;
    };
    let children = std::fs::read_dir("/proc").into_iter().flatten().flatten().filter_map(|entry| {
        let pid = entry.file_name().into_string().ok()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let parent = status.lines().find(|l| l.starts_with("PPid:"))?.split_whitespace().nth(1)?.to_owned();
        (parent == postmaster).then_some(pid)
    });
    cpu_seconds(&postmaster) + children.map(|pid| cpu_seconds(&pid)).sum::<f64>()
}

/// The figures the bench compares, from one scrape of /metrics.
#[derive(Debug, Default, Clone)]
pub struct Figures {
    pub in_progress: Option<f64>,
    pub saves_saved: Option<f64>,
    pub requests: Option<f64>,
    pub pool: Vec<(String, f64)>,
    pub hashing_waiting: Option<f64>,
}

impl Figures {
    pub fn show(&self) -> String {
        let n = |v: Option<f64>| v.map_or("?".to_string(), |v| format!("{v}"));
        let pool: Vec<String> = self.pool.iter().map(|(s, v)| format!("{s} {v}")).collect();
        format!(
            "in progress {}, saves saved {}, requests {}, pool [{}], hashing waiting {}",
            n(self.in_progress),
            n(self.saves_saved),
            n(self.requests),
            pool.join(", "),
            n(self.hashing_waiting)
        )
    }
}

/// One scrape; `None` when there is no metrics endpoint (yet).
pub async fn scrape(client: &reqwest::Client, url: &str) -> Option<Figures> {
    let r = client.get(url).timeout(Duration::from_secs(5)).send().await.ok()?;
    if !r.status().is_success() {
        return None;
    }
    let text = r.text().await.ok()?;
    let mut pool = Vec::new();
    for (name, labels, value) in samples(&text) {
        if name == "mockexam_db_pool_connections" {
            pool.push((labels.to_string(), value));
        }
    }
    Some(Figures {
        in_progress: sum(&text, "mockexam_attempts_in_progress", ""),
        saves_saved: sum(&text, "mockexam_saves_total", r#"outcome="saved""#),
        requests: sum(&text, "mockexam_http_request_duration_seconds_count", ""),
        pool,
        hashing_waiting: sum(&text, "mockexam_login_hashing_waiting", ""),
    })
}

/// Prometheus text format: `name{labels} value`, comments skipped.
fn samples(text: &str) -> impl Iterator<Item = (&str, &str, f64)> {
    text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let value = value.parse().ok()?;
        let (name, labels) = match series.split_once('{') {
            Some((name, labels)) => (name, labels.trim_end_matches('}')),
            None => (series, ""),
        };
        Some((name, labels, value))
    })
}

/// The sum of a metric's series whose labels hold `label`; `None` if absent.
fn sum(text: &str, metric: &str, label: &str) -> Option<f64> {
    let values: Vec<f64> = samples(text)
        .filter(|(name, labels, _)| *name == metric && labels.contains(label))
        .map(|(_, _, v)| v)
        .collect();
    (!values.is_empty()).then(|| values.iter().sum())
}
