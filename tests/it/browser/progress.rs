//! `/me` in Chromium, after three mocks and two practices: it shows the
//! history, the charts, a readiness statement, a weak spot whose drill
//! starts, and a review that brings back the misconception first.

use serde_json::json;

use super::learner::{answer_by_keyboard, read_item, register};
use super::web::Web;
use crate::helpers::{TestApp, key_of};
use crate::progress::{check, question_keys};

#[tokio::test]
async fn after_three_mocks_and_two_practices_me_says_what_to_do_next() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    // The same learner over HTTP for the long part: three whole mocks, a
    // third, a quarter and a fifth of them right, the rest unanswered.
    app.log_in("lena@example.org", "correct horse battery staple").await;
    for every in [3, 4, 5] {
        let mock = app.start(&[("mode", "exam")]).await;
        for n in (1..=65).filter(|n| n % every == 0) {
            let answer = key_of(&app.db, mock, n).await;
            app.save_json(mock, n, json!({ "seq": 1, "response": answer })).await;
        }
        app.submit(mock).await;
    }
    // A practice with a misconception: wrong, and marked sure.
    let practice = app.start(&[("mode", "practice"), ("count", "3")]).await;
    check(&app, &app, practice, 1, false, json!({ "confidence": "sure" })).await;
    check(&app, &app, practice, 2, true, json!({ "confidence": "unsure" })).await;
    check(&app, &app, practice, 3, false, json!({ "confidence": "unsure" })).await;
    app.submit(practice).await;
    let misconception = question_keys(&app, practice).await.remove(0);

    // A second practice in the browser: a mark by keyboard on the first
    // item, the second left unanswered and tagged on the result.
    web.goto("/exams/mla-c01").await;
    web.fill("#practice-count", "2").await;
    web.click("section[aria-labelledby='practice-h'] button[type=submit]").await;
    web.wait_for_item(1, 2).await;
    let item = read_item(&web).await;
    answer_by_keyboard(&web, &item, 1).await;
    let seq = web.seq().await;
    web.find("#confidence-sure").await.send_keys(" ").await.expect("keys to the radio");
    web.wait_saved(seq).await;
    web.click("button[value=check]").await;
    web.wait_for_element(".feedback .confidence-note").await;
    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    web.click(".submit-form button[type=submit]").await;
    web.accept_confirm().await;
    web.wait_for_path("/result").await;
    web.click("#note-2 summary").await;
    web.click("#note-tag-2 option[value='Knowledge gap']").await;
    web.click("#note-2 button[type=submit]").await;
    web.wait_for_path("/result?notice=note-saved&item=2").await;

    web.click("a[href='/me']").await;
    web.wait_for_path("/me").await;
    assert_eq!(web.count("table.history tbody tr").await, 5, "three mocks and two practices");
    assert_eq!(web.count("svg.chart").await, 3, "three charts");
    let score_rows = web.count("#score-chart-h ~ figure table tbody tr").await;
    assert_eq!(score_rows, 3, "the score chart's table holds the three mocks");
    let statement = web.text(".readiness .statement").await;
    assert!(statement.starts_with("Not yet"), "three weak mocks are not ready: {statement}");
    assert!(web.text(".readiness").await.contains("Based on"), "it says what it rests on");
    assert!(web.text("#why-missed").await.contains("Knowledge gap"), "the tagged miss is counted");

    // The weakest spot's drill starts at once, on that spot.
    let label = web.text(".weak-spots li .weak-label").await;
    web.click(".weak-spots li button[type=submit]").await;
    web.wait_for_path("/items/1").await;
    let (mode, settings): (String, serde_json::Value) =
        sqlx::query_as("SELECT mode, settings FROM attempts ORDER BY started_at DESC LIMIT 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(mode, "drill");
    let focus = settings["tag"].as_str().map(String::from).unwrap_or_else(|| settings["domains"][0].to_string());
    assert!(label.contains(focus.trim_matches('"')), "the drill is on {label}: {settings}");

    // "Review due" starts a review with the misconception first.
    web.goto("/me").await;
    let due = web.text("#review-due").await;
    assert!(due.starts_with("Review due ("), "{due}");
    web.click("#review-due").await;
    web.wait_for_path("/items/1").await;
    let review: uuid::Uuid = sqlx::query_scalar("SELECT id FROM attempts WHERE mode = 'review'")
        .fetch_one(&app.db)
        .await
        .expect("a review attempt");
    assert_eq!(question_keys(&app, review).await[0], misconception, "wrong but sure comes back first");

    web.visit_in_every_layout("/me").await;
    web.visit_in_every_layout("/me?sort=score&dir=asc&mode=exam").await;
}
