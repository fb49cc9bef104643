//! A ChromeDriver process of the test's own: started on a free port with a
//! folder for its log and the browser profile, killed when dropped. This is
//! process management, not WebDriver: the client is fantoccini (see `web`).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use super::web::POLL;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A ChromeDriver process of this test's own, killed when dropped.
pub(super) struct ChromeDriver {
    child: Child,
    /// `http://127.0.0.1:<port>`
    pub(super) url: String,
    /// Holds the log and the profile; removed when dropped.
    pub(super) dir: PathBuf,
}

impl ChromeDriver {
    pub(super) async fn start() -> ChromeDriver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port for ChromeDriver")
            .port();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("chrome-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a folder for the browser profile");
        let log = std::fs::File::create(dir.join("chromedriver.log")).expect("a log file");
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {CHROMEDRIVER}: {e}. The browser tests need Chromium and ChromeDriver (Debian: apt install chromium chromium-driver).")
            });
        let mut driver = ChromeDriver { child, url: format!("http://127.0.0.1:{port}"), dir };
        // Readiness is asked of /status directly: a fantoccini client only
        // exists with a session, and the session needs a ready driver.
        let http = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("{CHROMEDRIVER} exited at start ({status}):\n{}", driver.log());
            }
            if let Ok(response) = http.get(format!("{}/status", driver.url)).send().await
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return driver;
            }
            tokio::time::sleep(POLL).await;
        }
        panic!("{CHROMEDRIVER} did not answer on {}/status within 10 s:\n{}", driver.url, driver.log());
    }

    pub(super) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("chromedriver.log")).unwrap_or_default()
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
