//! A result under partial credit, from a practice that keeps explanations
//! out, in every layout: the rule in its facts, a partly credited item's
//! credit, and the key without rationales.

use mockexam::exam::{Body, Response};
use serde_json::json;

use super::learner::{attempt_id, register};
use super::web::Web;
use crate::credit::set_blueprint;
use crate::helpers::{TestApp, item_body};

#[tokio::test]
async fn a_partly_credited_result_without_explanations_reads_well_in_every_layout() {
    let app = TestApp::spawn().await;
    set_blueprint(&app, "credit", json!("partial")).await;
    set_blueprint(&app, "explanations_in_practice", json!(false)).await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    web.goto("/exams/mla-c01").await;
    web.fill("#practice-count", "20").await;
    web.click("section[aria-labelledby='practice-h'] button[type=submit]").await;
    web.wait_for_item(1, 20).await;
    let id = attempt_id(&web).await;

    // Every key but one of the first multiple-response item, written as a
    // save would store it: what the page answers is not under test here.
    let mut multiple = None;
    for n in 1..=20 {
        if let (_, Body::Multiple { key, .. }) = item_body(&app.db, id, n).await {
            multiple = Some((n, key));
            break;
        }
    }
    let (n, mut key) = multiple.expect("twenty questions hold a multiple-response one");
    key.sort_unstable();
    key.pop();
    sqlx::query("UPDATE items SET response = $3, answered = true WHERE attempt_id = $1 AND position = $2")
        .bind(id)
        .bind(n)
        .bind(sqlx::types::Json(Response::Multiple(key)))
        .execute(&app.db)
        .await
        .expect("the answer is stored");

    web.goto(&format!("/attempts/{id}/review")).await;
    web.click(".submit-form button[type=submit]").await;
    web.accept_confirm().await;
    web.wait_for_path("/result").await;
    let result_path = format!("/attempts/{id}/result?item={n}");
    web.goto(&result_path).await;
    assert!(web.text(".facts").await.contains("Partial credit:"), "the facts name the rule");
    let note = web.text(&format!("#item-{n} .credit-note")).await;
    assert!(note.starts_with("Partly credited: ") && note.contains(" keys, 0 wrong: "), "{note}");
    assert!(web.try_find(".explanation").await.is_none(), "no explanation in this practice's result");
    web.visit_in_every_layout(&result_path).await;
}
