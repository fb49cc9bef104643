//! A pool with one connection, held: requests queue for it, then get a 503
//! once the pool's acquire timeout (3 s) passes, and everything goes on
//! when it is free again. No request needs two connections at once, so a
//! whole exam runs on one without deadlocking.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

use super::{read, spawn_save, until_waiting_on_locks};
use crate::helpers::{TestApp, json_of, key_of};

#[tokio::test]
async fn with_its_one_connection_held_requests_queue_then_get_a_503_and_all_recovers() {
    let app = TestApp::spawn_with(|c| c.db_pool_size = 1).await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "3")]).await;
    let mut keys = Vec::new();
    for n in 1..=3 {
        keys.push(serde_json::to_value(key_of(&app.db, id, n).await).unwrap());
    }
    let item = |n: i32| app.url(&format!("/attempts/{id}/items/{n}"));

    // More requests at once than connections: they queue and are all served.
    let burst: Vec<_> = (0..12).map(|i| tokio::spawn(app.client.get(item(1 + i % 3)).send())).collect();
    for request in burst {
        assert_eq!(request.await.unwrap().expect("a reply").status(), StatusCode::OK);
    }

    // The test holds the attempt's row, so a save (which shares it) waits
    // on the lock while holding the pool's only connection.
    let mut holder = app.connect().await;
    let mut hold = holder.begin().await.expect("a transaction");
    sqlx::query("SELECT 1 FROM attempts WHERE id = $1 FOR UPDATE").bind(id).execute(&mut *hold).await.unwrap();
    let waiting_save = spawn_save(&app, id, 1, json!({ "seq": 1, "response": keys[0] })).await;
    until_waiting_on_locks(&mut app.connect().await, 1).await;

    // Meanwhile a page and another save queue for the connection, then
    // are told the database is not answering: promptly, and never "saved".
    let started = Instant::now();
    let (page, save) = tokio::join!(async { read(app.get(&format!("/attempts/{id}/items/2")).await).await }, async {
        read(app.save_json(id, 2, json!({ "seq": 1, "response": keys[1] })).await).await
    },);
    let waited = started.elapsed();
    assert_eq!(page.0, StatusCode::SERVICE_UNAVAILABLE, "{}", page.2);
    assert!(page.2.contains("The database is not answering"), "{}", page.2);
    assert_eq!(save.0, StatusCode::SERVICE_UNAVAILABLE, "{}", save.2);
    assert_eq!(save.1, "application/problem+json", "{}", save.2);
    assert!(waited >= Duration::from_secs(2), "they queued before giving up ({waited:?})");
    assert!(waited < Duration::from_secs(10), "and gave up within the bound ({waited:?})");
    assert!(!waiting_save.is_finished(), "the held save still waits");

    // Released: the waiting save lands, and requests are served at once.
    hold.rollback().await.unwrap();
    let (status, reply) = waiting_save.await.unwrap();
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "{reply}");
    let steps = [
        app.get(&format!("/attempts/{id}/items/2")).await.status(),
        app.save_json(id, 2, json!({ "seq": 1, "response": keys[1] })).await.status(),
        app.save_json(id, 3, json!({ "seq": 1, "response": keys[2] })).await.status(),
        app.get(&format!("/attempts/{id}/review")).await.status(),
        app.submit(id).await.status(),
        app.get(&format!("/attempts/{id}/result")).await.status(),
    ];
    assert_eq!(
        steps,
        [StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::OK, StatusCode::SEE_OTHER, StatusCode::OK],
        "the rest of the exam on one connection: no step waits for a second one"
    );
    let (_, result) = json_of(app.get(&format!("/api/v1/attempts/{id}/result")).await).await;
    assert_eq!(result["correct"], 3, "every answer counted, the one that waited too: {result}");
}
