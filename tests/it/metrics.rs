//! `/metrics` on its own address: what an operator sees of exam day, as
//! counted by the server that served it.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::{TestApp, key_of, location};

const SAVE: &str = r#"route="/attempts/{id}/items/{n}",method="POST""#;

/// The value of one series (its name and labels, as the scrape writes
/// them); fails naming the series if the scrape lacks it.
fn value(scrape: &str, series: &str) -> f64 {
    scrape
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no series {series} in the scrape:\n{scrape}"))
}

async fn scrape(app: &TestApp) -> String {
    let addr = app.metrics_addr.expect("the app serves metrics");
    let response = reqwest::get(format!("http://{addr}/metrics")).await.expect("a scrape");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().expect("ascii").to_owned();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "Prometheus's text format: {content_type}");
    response.text().await.expect("a body")
}

async fn save(app: &TestApp, id: uuid::Uuid, n: i32, seq: i64) -> (StatusCode, Value) {
    let response = app.save_json(id, n, json!({ "seq": seq, "response": key_of(&app.db, id, n).await })).await;
    (response.status(), response.json().await.expect("a JSON reply"))
}

#[tokio::test]
async fn metrics_count_each_save_by_outcome_each_grading_by_reason_and_each_request_by_route() {
    let app = TestApp::spawn_with_metrics().await;
    app.log_in_as_learner().await;
    app.log_out().await;
    assert_eq!(app.log_in("learner@example.org", "correct horse battery").await.status(), StatusCode::SEE_OTHER);
    let before = scrape(&app).await;
    assert_eq!(value(&before, "mockexam_attempts_in_progress"), 0.0);
    assert_eq!(value(&before, r#"mockexam_saves_total{outcome="saved"}"#), 0.0, "each outcome is there from the start");

    // One mock submitted: a save, the same save again (stale), a double submit.
    let id = app.start(&[("mode", "exam")]).await;
    assert_eq!(value(&scrape(&app).await, "mockexam_attempts_in_progress"), 1.0);
    assert_eq!(save(&app, id, 1, 1).await.0, StatusCode::OK);
    let (status, stale) = save(&app, id, 1, 1).await;
    assert_eq!((status, stale["status"].as_str()), (StatusCode::CONFLICT, Some("stale")));
    for _ in 0..2 {
        assert_eq!(location(&app.submit(id).await), format!("/attempts/{id}/result"));
    }
    let submitted = scrape(&app).await;
    assert_eq!(value(&submitted, "mockexam_attempts_in_progress"), 0.0);
    assert_eq!(value(&submitted, r#"mockexam_attempts_submitted_total{reason="submitted"}"#), 1.0, "graded once");

    // Another left to run out: a save after the deadline grades it.
    let late = app.start(&[("mode", "exam")]).await;
    assert_eq!(value(&scrape(&app).await, "mockexam_attempts_in_progress"), 1.0);
    app.clock.advance(Duration::minutes(131));
    let (status, time_up) = save(&app, late, 1, 1).await;
    assert_eq!((status, time_up["status"].as_str()), (StatusCode::CONFLICT, Some("time_up")));

    let after = scrape(&app).await;
    assert_eq!(value(&after, "mockexam_attempts_in_progress"), 0.0);
    assert_eq!(value(&after, r#"mockexam_attempts_submitted_total{reason="submitted"}"#), 1.0);
    assert_eq!(value(&after, r#"mockexam_attempts_submitted_total{reason="expired"}"#), 1.0);
    for (outcome, count) in
        [("saved", 1.0), ("stale", 1.0), ("time_up", 1.0), ("invalid", 0.0), ("finished", 0.0), ("locked", 0.0)]
    {
        assert_eq!(value(&after, &format!(r#"mockexam_saves_total{{outcome="{outcome}"}}"#)), count, "{outcome}");
    }
    // Requests by the route's template, not by attempt.
    assert_eq!(value(&after, &format!(r#"mockexam_http_requests_total{{{SAVE},status="200"}}"#)), 1.0);
    assert_eq!(value(&after, &format!(r#"mockexam_http_requests_total{{{SAVE},status="409"}}"#)), 2.0);
    assert_eq!(value(&after, &format!(r#"mockexam_http_request_duration_seconds_count{{{SAVE}}}"#)), 3.0);
    assert_eq!(value(&after, r#"mockexam_http_requests_total{route="/login",method="POST",status="303"}"#), 1.0);
    // The logins' password checks are done, and none was refused.
    assert_eq!(value(&after, "mockexam_login_hashing_waiting"), 0.0);
    assert_eq!(value(&after, "mockexam_login_hashing_running"), 0.0);
    assert_eq!(value(&after, "mockexam_login_hashing_busy_total"), 0.0);
    // The pool as the tests size it.
    assert_eq!(value(&after, "mockexam_db_pool_max"), 8.0);
    let open = value(&after, r#"mockexam_db_pool_connections{state="in_use"}"#)
        + value(&after, r#"mockexam_db_pool_connections{state="idle"}"#);
    assert!((1.0..=8.0).contains(&open), "{open} connections open");
    assert_eq!(value(&after, "mockexam_db_pool_timeouts_total"), 0.0);
}

#[tokio::test]
async fn paths_no_route_matches_and_made_up_methods_are_counted_under_one_label_each() {
    let app = TestApp::spawn_with_metrics().await;
    for path in ["/no/such/page", "/another-made-up-one"] {
        assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND);
    }
    let made_up = reqwest::Method::from_bytes(b"MADE-UP-VERB").expect("a method token");
    let odd = app.client.request(made_up, app.url("/login")).send().await.expect("an answer");
    let scrape = scrape(&app).await;
    assert_eq!(value(&scrape, r#"mockexam_http_requests_total{route="unmatched",method="GET",status="404"}"#), 2.0);
    let odd_series =
        format!(r#"mockexam_http_requests_total{{route="/login",method="other",status="{}"}}"#, odd.status().as_u16());
    assert_eq!(value(&scrape, &odd_series), 1.0, "a made-up method is counted as `other`");
    assert!(!scrape.to_lowercase().contains("made-up"), "no series is named after a path or a made-up method");
}

#[tokio::test]
async fn the_public_address_never_serves_metrics() {
    let app = TestApp::spawn_with_metrics().await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
    assert!(scrape(&app).await.contains("mockexam_http_requests_total"));
    // And the metrics address serves nothing but /metrics.
    let addr = app.metrics_addr.expect("metrics served");
    let login = reqwest::get(format!("http://{addr}/login")).await.expect("an answer");
    assert_eq!(login.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_a_metrics_address_nothing_serves_metrics() {
    let app = TestApp::spawn().await;
    assert_eq!(app.metrics_addr, None, "no listener is started");
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
}

/// sqlx does not say how many requests wait for a connection; what can be
/// counted is those that waited the whole acquire timeout (3 s) in vain.
#[tokio::test]
async fn requests_that_find_no_free_connection_are_counted_as_pool_timeouts() {
    let app = TestApp::spawn_with(|c| {
        c.db_pool_size = 1;
        c.metrics_addr = Some("127.0.0.1:0".parse().expect("an address"));
    })
    .await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "2")]).await;
    let key = key_of(&app.db, id, 1).await;

    // The test holds the pool's only connection: a page and a save (whose
    // answer the save layer rewrites as JSON) wait, then get a 503.
    let held = app.db.acquire().await.expect("the one connection");
    let page = app.get(&format!("/attempts/{id}/items/1")).await;
    let save = app.save_json(id, 1, json!({ "seq": 1, "response": key })).await;
    assert_eq!((page.status(), save.status()), (StatusCode::SERVICE_UNAVAILABLE, StatusCode::SERVICE_UNAVAILABLE));
    drop(held);

    let scrape = scrape(&app).await;
    assert_eq!(value(&scrape, "mockexam_db_pool_timeouts_total"), 2.0);
    assert_eq!(value(&scrape, &format!(r#"mockexam_http_requests_total{{{SAVE},status="503"}}"#)), 1.0);
    assert_eq!(value(&scrape, r#"mockexam_saves_total{outcome="saved"}"#), 0.0, "nothing was saved");
    assert_eq!(value(&scrape, "mockexam_db_pool_max"), 1.0);
}
