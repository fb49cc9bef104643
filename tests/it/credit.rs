//! The blueprint's credit rule and its explanations-in-practice switch,
//! over HTTP: an attempt is scored and shown by the blueprint it started
//! with.

use mockexam::content::markdown::render;
use mockexam::exam::credit::Credit;
use mockexam::exam::{Body, VersionContent};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{TestApp, item_body, key_of, secrets_of};

/// Changes one field of the bundled exam's blueprint, as the blueprint
/// form will.
pub(crate) async fn set_blueprint(app: &TestApp, field: &str, value: serde_json::Value) {
    sqlx::query("UPDATE exams SET blueprint = jsonb_set(blueprint, $1, $2) WHERE slug = 'mla-c01'")
        .bind(vec![field.to_string()])
        .bind(value)
        .execute(&app.db)
        .await
        .expect("the blueprint changes");
}

/// The first multiple-response item of the attempt: its position and how
/// many keys it has.
async fn first_multiple(app: &TestApp, attempt: Uuid, count: i32) -> (i32, usize) {
    for n in 1..=count {
        if let (_, Body::Multiple { key, .. }) = item_body(&app.db, attempt, n).await {
            return (n, key.len());
        }
    }
    panic!("no multiple-response item among {count}");
}

/// Answers item `n` with every key but one and no wrong option: worth
/// (keys − 1) ÷ keys of a point under partial credit, nothing otherwise.
async fn answer_all_keys_but_one(app: &TestApp, attempt: Uuid, n: i32) {
    let mut key = key_of(&app.db, attempt, n).await;
    key.choice.as_mut().expect("a multiple key is a choice").pop();
    let saved = app.save_json(attempt, n, json!({ "seq": 1, "response": key })).await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
}

/// The stored score's credit over every domain, in parts of a point, and
/// its count of fully right items.
async fn stored_credit(app: &TestApp, attempt: Uuid) -> (u64, u64) {
    let score: serde_json::Value =
        sqlx::query_scalar("SELECT score FROM attempts WHERE id = $1").bind(attempt).fetch_one(&app.db).await.unwrap();
    let credit = score["domains"].as_array().unwrap().iter().map(|d| d["credit"].as_u64().expect("credit kept")).sum();
    (credit, score["correct"].as_u64().unwrap())
}

#[tokio::test]
async fn partial_credit_scores_a_partly_right_answer_and_an_attempt_started_before_stays_all_or_nothing() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let count = 40;
    let before = app.start(&[("mode", "practice"), ("count", "40")]).await;
    set_blueprint(&app, "credit", json!("partial")).await;
    let after = app.start(&[("mode", "practice"), ("count", "40")]).await;

    let (n_before, _) = first_multiple(&app, before, count).await;
    let (n, keys) = first_multiple(&app, after, count).await;
    answer_all_keys_but_one(&app, before, n_before).await;
    answer_all_keys_but_one(&app, after, n).await;
    app.submit(before).await;
    app.submit(after).await;

    // (keys − 1 chosen − 0 wrong) ÷ keys of a point, exactly.
    let expected = Credit::PARTS * (keys as u64 - 1) / keys as u64;
    assert_eq!(stored_credit(&app, after).await, (expected, 0), "partly credited, not correct");
    assert_eq!(stored_credit(&app, before).await, (0, 0), "the earlier attempt kept all-or-nothing");
    let correct: bool = sqlx::query_scalar("SELECT correct FROM items WHERE attempt_id = $1 AND position = $2")
        .bind(after)
        .bind(n)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!correct, "an item is correct only when fully right");

    let page = app.get_text(&format!("/attempts/{after}/result?item={n}")).await;
    let points = Credit::from_parts(expected).to_points_text();
    let note = format!("Partly credited: {} of {keys} keys, 0 wrong: {points} of a point.", keys - 1);
    assert!(page.contains(&note), "the item shows its credit: {note}");
    assert!(page.contains("<dt>Credit rule</dt><dd>Partial credit:"), "the facts name the rule");
    assert!(page.contains(&format!("<dt>Credit</dt><dd>{points} of {count} points</dd>")));

    let earlier = app.get_text(&format!("/attempts/{before}/result?item={n_before}")).await;
    assert!(earlier.contains("<dt>Credit rule</dt><dd>All or nothing:"));
    assert!(!earlier.contains("Partly credited"));
}

/// The first item's explanation, as written and as rendered.
async fn explanation_of_first_item(app: &TestApp, attempt: Uuid) -> [String; 2] {
    let content: sqlx::types::Json<VersionContent> = sqlx::query_scalar(
        "SELECT v.content FROM items i JOIN question_versions v ON v.id = i.version_id
         WHERE i.attempt_id = $1 AND i.position = 1",
    )
    .bind(attempt)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let explanation = &content.0.question.explanation;
    [render(explanation), explanation.clone()]
}

/// Checks item 1 with its key, as the practice page's Check button does;
/// returns the feedback page.
async fn check_first_item(app: &TestApp, attempt: Uuid) -> String {
    let key = key_of(&app.db, attempt, 1).await;
    let checked = app.save_json(attempt, 1, json!({ "seq": 1, "response": key, "check": true })).await;
    assert_eq!(checked.status(), StatusCode::OK, "{:?}", checked.text().await);
    app.get_text(&format!("/attempts/{attempt}/items/1")).await
}

#[tokio::test]
async fn practice_without_explanations_shows_the_verdict_and_key_but_no_explanation_or_rationale() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let explained = app.start(&[("mode", "practice"), ("count", "3")]).await;
    set_blueprint(&app, "explanations_in_practice", json!(false)).await;
    let bare = app.start(&[("mode", "practice"), ("count", "3")]).await;
    let mock = app.start(&[("mode", "exam")]).await;

    // Started before the switch: explained as ever (so the check below can fail).
    let page = check_first_item(&app, explained).await;
    let [rendered, _] = explanation_of_first_item(&app, explained).await;
    assert!(page.contains(&rendered), "an attempt started before the switch keeps its explanations");

    let page = check_first_item(&app, bare).await;
    assert!(page.contains("<p class=\"verdict\">Correct</p>"), "the verdict is shown");
    // The key as each kind shows it: the keyed options, the order, or
    // each pair marked (the draw decides which kind comes first).
    let key_shown = page.contains("<strong class=\"ok\">Correct answer.</strong>")
        || page.contains("The right order:")
        || page.contains("<strong class=\"ok\">Correct.</strong>");
    assert!(key_shown, "the key is shown");
    assert!(page.contains("class=\"feedback right\""));
    for secret in explanation_of_first_item(&app, bare).await.iter().chain(&secrets_of(&app.db, bare).await) {
        assert!(!page.contains(secret.as_str()), "the feedback page holds no explanation or rationale: {secret}");
    }
    app.submit(bare).await;
    let result = app.get_text(&format!("/attempts/{bare}/result")).await;
    assert!(result.contains("result-item right"), "the result keeps the verdict");
    for secret in secrets_of(&app.db, bare).await {
        assert!(!result.contains(&secret), "nor does its result: {secret}");
    }

    // A mock exam's result explains as before.
    app.submit(mock).await;
    let result = app.get_text(&format!("/attempts/{mock}/result")).await;
    let [rendered, _] = explanation_of_first_item(&app, mock).await;
    assert!(result.contains(&rendered), "a mock's result shows the explanation");
}
