//! Extra time over HTTP: the deadline it sets, in the form and the API, and
//! that only a mock takes it.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::TestApp;

async fn minutes_allowed(app: &TestApp, id: Uuid) -> i64 {
    sqlx::query_scalar("SELECT (EXTRACT(EPOCH FROM deadline - started_at) / 60)::bigint FROM attempts WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn extra_time_lengthens_a_mock_and_the_page_counts_down_from_it() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let plain = app.start(&[("mode", "exam")]).await;
    assert_eq!(minutes_allowed(&app, plain).await, 130);
    let thirty = app.start(&[("mode", "exam"), ("extra_time", "thirty_minutes")]).await;
    assert_eq!(minutes_allowed(&app, thirty).await, 160);
    let page = app.get_text(&format!("/attempts/{thirty}/items/1")).await;
    assert!(page.contains(">160:00<"), "the page is served with the whole time left");
    let half = app.start(&[("mode", "exam"), ("extra_time", "half_again")]).await;
    assert_eq!(minutes_allowed(&app, half).await, 195);
    // A timed practice keeps the exam's pace: extra time is for mocks.
    let practice =
        app.start(&[("mode", "practice"), ("count", "13"), ("timed", "1"), ("extra_time", "half_again")]).await;
    assert_eq!(minutes_allowed(&app, practice).await, 26);

    let refused = app.post_form("/exams/mla-c01/attempts", &[("mode", "exam"), ("extra_time", "all_day")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("“all_day” is not a choice of extra time."));
}

#[tokio::test]
async fn the_api_takes_extra_time_and_refuses_what_it_does_not_know() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let api = app.api_client(&app.create_api_token("script").await);
    let (status, body) =
        api.post("/api/v1/exams/mla-c01/attempts", json!({ "mode": "exam", "extra_time": "thirty_minutes" })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id: Uuid = body["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(minutes_allowed(&app, id).await, 160);
    let (status, _) = api.post("/api/v1/exams/mla-c01/attempts", json!({ "mode": "exam", "extra_time": "lots" })).await;
    assert!(status.is_client_error(), "{status}");
}
