//! Two servers on one database, as behind a load balancer: sessions,
//! attempts and saves live in PostgreSQL, so a learner may move between
//! them at every request and each answer still counts once.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

use super::{spawn_save, until_waiting_on_locks};
use crate::helpers::{TestApp, json_of, key_of, location, wrong_answer_of};

#[tokio::test]
async fn a_learner_moving_between_two_servers_has_every_answer_counted_once() {
    let one = TestApp::spawn().await;
    let two = one.another_instance().await;
    let on_one = &one.browser;
    on_one.log_in_as_learner().await;
    // The same browser (its cookies) on the other server's port.
    let on_two = on_one.at(two.addr);
    assert!(on_two.get_text("/").await.contains("Lena Learner"), "the session from one is known to two");
    let id = on_one.start(&[("mode", "exam")]).await;

    // Twenty items answered alternately on one and two, every third wrong.
    let answer = async |n: i32, right: bool| {
        let response = if right { key_of(&one.db, id, n).await } else { wrong_answer_of(&one.db, id, n).await };
        serde_json::to_value(response).unwrap()
    };
    let mut right = BTreeMap::new();
    for n in 1..=20 {
        let server = if n % 2 == 1 { on_one } else { &on_two };
        let is_right = n % 3 != 0;
        let (status, reply) =
            json_of(server.save_json(id, n, json!({ "seq": 1, "response": answer(n, is_right).await })).await).await;
        assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "item {n}: {reply}");
        right.insert(n, is_right);
    }

    // Item 1 changed on two (seq 2, now wrong); the old answer sent again
    // on one, as a retry would (seq 1), is refused as stale.
    let (status, reply) =
        json_of(on_two.save_json(id, 1, json!({ "seq": 2, "response": answer(1, false).await })).await).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "{reply}");
    let (status, reply) =
        json_of(on_one.save_json(id, 1, json!({ "seq": 1, "response": answer(1, true).await })).await).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::CONFLICT, Some("stale")), "{reply}");
    right.insert(1, false);

    // Item 3 saved on both servers at once while its row is busy (the test
    // holds it): the newer save (seq 3, right) on one, then the older
    // (seq 2, wrong) on two. The newer must win and the older be refused.
    let mut holder = one.connect().await;
    let mut watcher = one.connect().await;
    let hold = {
        let mut hold = holder.begin().await.expect("a transaction");
        sqlx::query("SELECT 1 FROM items WHERE attempt_id = $1 AND position = 3 FOR UPDATE")
            .bind(id)
            .execute(&mut *hold)
            .await
            .unwrap();
        hold
    };
    let newer = spawn_save(on_one, id, 3, json!({ "seq": 3, "response": answer(3, true).await })).await;
    until_waiting_on_locks(&mut watcher, 1).await;
    let older = spawn_save(&on_two, id, 3, json!({ "seq": 2, "response": answer(3, false).await })).await;
    until_waiting_on_locks(&mut watcher, 2).await;
    hold.commit().await.unwrap();
    let (status, reply) = newer.await.unwrap();
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "the newer: {reply}");
    let (status, reply) = older.await.unwrap();
    assert_eq!((status, reply["status"].as_str()), (StatusCode::CONFLICT, Some("stale")), "the older: {reply}");
    assert_eq!(reply["seq"], 3, "it names the stored seq: {reply}");
    right.insert(3, true);

    // Submitted on two; a late save on one changes nothing.
    let submitted = on_two.submit(id).await;
    assert_eq!(location(&submitted), format!("/attempts/{id}/result"));
    let (status, reply) =
        json_of(on_one.save_json(id, 21, json!({ "seq": 1, "response": answer(21, true).await })).await).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::CONFLICT, Some("finished")), "{reply}");

    // The result, read on one, counts each final answer once.
    let (status, result) = json_of(on_one.get(&format!("/api/v1/attempts/{id}/result")).await).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    let items = result["items"].as_array().expect("the result's items");
    let correct: Vec<i32> = (1..=items.len() as i32).filter(|&n| items[n as usize - 1]["correct"] == true).collect();
    let expected: Vec<i32> = right.iter().filter(|(_, r)| **r).map(|(n, _)| *n).collect();
    assert_eq!(correct, expected, "exactly the items last answered right are correct");
    assert_eq!(result["correct"], json!(expected.len()), "the score counts each once: {}", result["correct"]);
    let (_, on_two_result) = json_of(on_two.get(&format!("/api/v1/attempts/{id}/result")).await).await;
    assert_eq!(on_two_result["scaled"], result["scaled"], "both servers show the same score");
}
