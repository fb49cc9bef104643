//! What an operator watches on exam day, in Prometheus's text format:
//! requests by route, saves by outcome, attempts in progress and graded,
//! the database pool and the login hashing queue.
//!
//! One registry per [`App`], not a process-wide recorder: the integration
//! tests run many servers in one process, and each must count its own.
//! Counters are counted where things happen (the middleware in
//! `web::metrics`, [`super::attempts::save`], [`super::attempts::grade`]);
//! the rest is read when scraped, so it is the truth of that moment, and
//! attempts in progress are the database's truth, whichever instance
//! started them.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::attempts::SaveStatus;
use super::{App, Result};
use crate::exam::FinishReason;

/// The media type of Prometheus's text format, version 0.0.4.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Request durations in seconds: a fast server answers in a millisecond or
/// two, so the buckets are fine at the bottom, and reach the 5 s beyond
/// which a learner has given up (slower ones are in `+Inf`).
const DURATION_BUCKETS: [f64; 13] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SaveLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

/// The login hashing queue's gauges and counter, shared with
/// [`super::hashing::Hashing`], which moves them.
#[derive(Default, Clone)]
pub struct HashingLoad {
    pub waiting: Gauge,
    pub running: Gauge,
    pub busy: Counter,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
    saves: Family<SaveLabels, Counter>,
    submitted: Family<ReasonLabels, Counter>,
    in_progress: Gauge,
    pool_connections: Family<PoolLabels, Gauge>,
    pool_max: Gauge,
    pool_timeouts: Counter,
}

fn duration_histogram() -> Histogram {
    Histogram::new(DURATION_BUCKETS)
}

impl Metrics {
    pub fn new(hashing: &HashingLoad) -> Self {
        let m = Metrics {
            registry: Registry::default(),
            requests: Family::default(),
            durations: Family::new_with_constructor(duration_histogram as fn() -> Histogram),
            saves: Family::default(),
            submitted: Family::default(),
            in_progress: Gauge::default(),
            pool_connections: Family::default(),
            pool_max: Gauge::default(),
            pool_timeouts: Counter::default(),
        };
        let mut registry = Registry::with_prefix("mockexam");
        // Counters are registered without `_total`: the encoder adds it.
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status",
            m.requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (until its headers), by route template and method",
            m.durations.clone(),
        );
        registry.register("saves", "Saves of an answer, by outcome: saved, or why it was refused", m.saves.clone());
        registry.register(
            "attempts_submitted",
            "Attempts graded, by reason: submitted or expired",
            m.submitted.clone(),
        );
        registry.register(
            "attempts_in_progress",
            "Timed attempts not yet graded whose deadline has not passed, on every instance",
            m.in_progress.clone(),
        );
        registry.register(
            "db_pool_connections",
            "This instance's open database connections, in use or idle",
            m.pool_connections.clone(),
        );
        registry.register("db_pool_max", "The most database connections this instance opens", m.pool_max.clone());
        registry.register(
            "db_pool_timeouts",
            "Requests answered 503 because no database connection came free in time",
            m.pool_timeouts.clone(),
        );
        registry.register(
            "login_hashing_waiting",
            "Password checks and hashes (logins, registrations, password changes) waiting for a core",
            hashing.waiting.clone(),
        );
        registry.register("login_hashing_running", "Password checks and hashes running now", hashing.running.clone());
        registry.register(
            "login_hashing_busy",
            "Logins (and registrations, password changes) told the server is busy: no core came free in time",
            hashing.busy.clone(),
        );
        // Every outcome and reason is there from the start, at 0, so a rate
        // over one that has not happened yet is 0, not missing.
        for status in SaveStatus::ALL {
            drop(m.saves.get_or_create(&SaveLabels { outcome: status.as_str() }));
        }
        for reason in [FinishReason::Submitted, FinishReason::Expired] {
            drop(m.submitted.get_or_create(&ReasonLabels { reason: reason.as_str() }));
        }
        Metrics { registry, ..m }
    }

    /// One answered HTTP request. `route` is the route's template, so the
    /// number of series stays bounded.
    pub fn http_request(&self, route: &str, method: &str, status: u16, took: Duration) {
        let (route, method) = (route.to_owned(), method.to_owned());
        self.durations
            .get_or_create(&RouteLabels { route: route.clone(), method: method.clone() })
            .observe(took.as_secs_f64());
        self.requests.get_or_create(&RequestLabels { route, method, status }).inc();
    }

    pub fn pool_timed_out(&self) {
        self.pool_timeouts.inc();
    }

    pub(super) fn saved(&self, status: SaveStatus) {
        self.saves.get_or_create(&SaveLabels { outcome: status.as_str() }).inc();
    }

    pub(super) fn graded(&self, reason: FinishReason) {
        self.submitted.get_or_create(&ReasonLabels { reason: reason.as_str() }).inc();
    }

    /// The registry in the text format, with the gauges read at this moment.
    fn render(&self, now: &Reading) -> String {
        self.in_progress.set(now.in_progress);
        self.pool_connections.get_or_create(&PoolLabels { state: "in_use" }).set(now.pool_in_use);
        self.pool_connections.get_or_create(&PoolLabels { state: "idle" }).set(now.pool_idle);
        self.pool_max.set(now.pool_max);
        let mut text = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry)
            .expect("writing to a String cannot fail");
        text
    }
}

/// What is read at scrape time rather than counted.
struct Reading {
    in_progress: i64,
    pool_in_use: i64,
    pool_idle: i64,
    pool_max: i64,
}

/// The metrics as Prometheus scrapes them.
pub async fn scrape(app: &App) -> Result<String> {
    let in_progress = crate::store::attempts::in_progress(&app.db, app.clock.now()).await?;
    // Read after the query, which has given its connection back.
    let size = i64::from(app.db.size());
    let idle = i64::try_from(app.db.num_idle()).unwrap_or(i64::MAX);
    let reading = Reading {
        in_progress,
        pool_in_use: (size - idle).max(0),
        pool_idle: idle,
        pool_max: i64::from(app.db.options().get_max_connections()),
    };
    Ok(app.metrics.render(&reading))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names the load test and the README rely on, as scraped.
    #[test]
    fn every_agreed_series_is_rendered_with_its_type() {
        let load = HashingLoad::default();
        let metrics = Metrics::new(&load);
        metrics.http_request("/attempts/{id}/items/{n}", "POST", 200, Duration::from_micros(700));
        metrics.saved(SaveStatus::Stale);
        metrics.graded(FinishReason::Expired);
        load.busy.inc();
        let text = metrics.render(&Reading { in_progress: 7, pool_in_use: 3, pool_idle: 1, pool_max: 16 });
        for line in [
            "# TYPE mockexam_http_requests_total counter",
            r#"mockexam_http_requests_total{route="/attempts/{id}/items/{n}",method="POST",status="200"} 1"#,
            "# TYPE mockexam_http_request_duration_seconds histogram",
            r#"mockexam_http_request_duration_seconds_bucket{route="/attempts/{id}/items/{n}",method="POST",le="0.0005"} 0"#,
            r#"mockexam_http_request_duration_seconds_bucket{route="/attempts/{id}/items/{n}",method="POST",le="0.001"} 1"#,
            r#"mockexam_saves_total{outcome="stale"} 1"#,
            r#"mockexam_saves_total{outcome="saved"} 0"#,
            r#"mockexam_attempts_submitted_total{reason="expired"} 1"#,
            r#"mockexam_attempts_submitted_total{reason="submitted"} 0"#,
            "mockexam_attempts_in_progress 7",
            r#"mockexam_db_pool_connections{state="in_use"} 3"#,
            r#"mockexam_db_pool_connections{state="idle"} 1"#,
            "mockexam_db_pool_max 16",
            "mockexam_db_pool_timeouts_total 0",
            "mockexam_login_hashing_waiting 0",
            "mockexam_login_hashing_running 0",
            "mockexam_login_hashing_busy_total 1",
        ] {
            assert!(text.lines().any(|l| l == line), "no line {line} in\n{text}");
        }
    }
}
