//! `/me` over HTTP: the history and its exports, the review queue, the
//! plan, and that a learner sees only their own.

mod history;
mod plan;
mod review;

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Browser, TestApp, key_of, wrong_answer_of};

/// The question keys of an attempt's items, in order.
pub(crate) async fn question_keys(app: &TestApp, attempt: Uuid) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT q.key FROM items i JOIN question_versions v ON v.id = i.version_id
         JOIN questions q ON q.id = v.question_id WHERE i.attempt_id = $1 ORDER BY i.position",
    )
    .bind(attempt)
    .fetch_all(&app.db)
    .await
    .expect("the items")
}

/// Checks item `n` of a practice with the right or a wrong answer, and
/// `extra` fields (a confidence mark) sent along.
pub(crate) async fn check(app: &TestApp, who: &Browser, attempt: Uuid, n: i32, right: bool, extra: serde_json::Value) {
    let response = if right { key_of(&app.db, attempt, n).await } else { wrong_answer_of(&app.db, attempt, n).await };
    let mut body = json!({ "seq": 1, "response": response, "check": true });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let saved = who.save_json(attempt, n, body).await;
    assert_eq!(saved.status(), StatusCode::OK, "item {n}: {:?}", saved.text().await);
}

/// Starts a mock and submits it at once: every item unanswered, so wrong.
async fn empty_mock(who: &Browser) -> Uuid {
    let id = who.start(&[("mode", "exam")]).await;
    assert_eq!(who.submit(id).await.status(), StatusCode::SEE_OTHER);
    id
}
