//! Exam day under pressure: races between saves and grading, floods,
//! slow clients, and the smaller findings of probing the server as a
//! hostile client would.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::helpers::{TestApp, key_of};

/// Saves racing a submit: each save acknowledged as saved must be in the
/// grade, and each one the grade missed must have been refused. The submit
/// goes out as soon as a few saves are acknowledged, while the rest are in
/// flight; which saves win differs from trial to trial.
#[tokio::test]
async fn every_save_acknowledged_before_a_racing_submit_is_in_the_grade() {
    const ITEMS: i32 = 40;
    const TRIALS: usize = 15;
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let api = Arc::new(app.api_client(&app.create_api_token("race").await));
    for trial in 0..TRIALS {
        let (status, started) =
            api.post("/api/v1/exams/mla-c01/attempts", json!({ "mode": "practice", "count": ITEMS })).await;
        assert_eq!(status, StatusCode::CREATED, "{started}");
        let id: uuid::Uuid = started["id"].as_str().and_then(|s| s.parse().ok()).expect("an attempt id");
        let mut keys = Vec::new();
        for n in 1..=ITEMS {
            keys.push(serde_json::to_value(key_of(&app.db, id, n).await).expect("a key as JSON"));
        }

        let (acked_tx, mut acked_rx) = mpsc::unbounded_channel::<(i32, StatusCode, Value)>();
        for (n, key) in (1..=ITEMS).zip(keys) {
            let (api, acked) = (api.clone(), acked_tx.clone());
            tokio::spawn(async move {
                let path = format!("/api/v1/attempts/{id}/items/{n}");
                let (status, reply) = api.put(&path, json!({ "seq": 1, "response": key })).await;
                let _ = acked.send((n, status, reply));
            });
        }
        drop(acked_tx);
        // Submit once a few saves are in, a different number each trial.
        let submit_after = 1 + trial % 8;
        let mut replies = Vec::new();
        while replies.len() < submit_after {
            replies.push(acked_rx.recv().await.expect("a save reply"));
        }
        let submit = {
            let api = api.clone();
            tokio::spawn(async move { api.post(&format!("/api/v1/attempts/{id}/submit"), json!({})).await })
        };
        while let Some(reply) = acked_rx.recv().await {
            replies.push(reply);
        }
        let (status, result) = submit.await.expect("the submit ran");
        assert_eq!(status, StatusCode::OK, "{result}");

        let mut saved = Vec::new();
        for (n, status, reply) in &replies {
            match status.as_u16() {
                200 => {
                    assert_eq!(reply["status"], "saved", "{reply}");
                    saved.push(*n);
                }
                409 => assert_eq!(reply["status"], "finished", "item {n}: {reply}"),
                other => panic!("item {n}: unexpected {other}: {reply}"),
            }
        }
        saved.sort_unstable();
        // Every answer sent was the key: the grade must count exactly the
        // acknowledged ones, and the review show exactly those as answered.
        let (_, result) = api.get(&format!("/api/v1/attempts/{id}/result")).await;
        let answered: Vec<i32> = result["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["answered"] == true)
            .map(|i| i["position"].as_i64().expect("a position") as i32)
            .collect();
        assert_eq!(answered, saved, "trial {trial}: the answers stored are the ones acknowledged");
        assert_eq!(
            result["correct"].as_u64(),
            Some(saved.len() as u64),
            "trial {trial}: the grade counts every acknowledged save and nothing else"
        );
    }
}

/// A hundred wrong passwords for one account at once: no more are checked
/// than the limit allows, and the right password then waits like the rest.
#[tokio::test]
async fn parallel_wrong_passwords_check_no_more_than_the_limit() {
    const PASSWORD: &str = "correct horse battery";
    let app = TestApp::spawn().await;
    app.register("ann@example.org", "Ann", PASSWORD).await;
    app.log_out().await;
    let browser = Arc::new(app.new_browser());
    browser.csrf().await;

    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let browser = browser.clone();
        tries.spawn(async move { browser.log_in("ann@example.org", "guess").await.status() });
    }
    let mut checked = 0;
    while let Some(status) = tries.join_next().await {
        match status.expect("the try ran") {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {}
            other => panic!("a login answered {other}"),
        }
    }
    assert_eq!(checked, 5, "the account limit is 5 checked passwords per window");
    assert_eq!(browser.log_in("ann@example.org", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// A socket that sends half a request and stops: it is cut off after the
/// header timeout, and it cannot hold up a shutdown.
#[tokio::test]
async fn a_half_sent_request_is_cut_off_and_does_not_hold_up_shutdown() {
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = TestApp::spawn().await;
    let config = mockexam::config::Config { header_timeout: Duration::from_secs(1), ..Default::default() };
    let state = mockexam::app::App::new(app.db.clone(), Arc::new(config), app.clock.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("its address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(mockexam::web::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let half_request = |mut socket: tokio::net::TcpStream| async move {
        socket.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.expect("half a request is sent");
        socket
    };

    let mut slow = half_request(tokio::net::TcpStream::connect(addr).await.expect("connect")).await;
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(20), slow.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the server still holds a half-sent request open after 20 s");

    let _held = half_request(tokio::net::TcpStream::connect(addr).await.expect("connect")).await;
    stop.send(()).expect("the server listens for shutdown");
    let shut_down = tokio::time::timeout(Duration::from_secs(20), server).await;
    assert!(shut_down.is_ok(), "shutdown still waits on a half-sent request after 20 s");
}
