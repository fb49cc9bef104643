//! The history on `/me`, its filters and sorting, the CSV and JSON exports,
//! and that nobody sees another learner's.

use reqwest::StatusCode;
use serde_json::json;

use super::{check, empty_mock};
use crate::helpers::{TestApp, location};

fn data_rows(csv: &str) -> Vec<&str> {
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
    csv.trim_start_matches('\u{feff}').lines().skip(1).collect()
}

#[tokio::test]
async fn a_new_learner_is_told_plainly_that_there_is_nothing_yet() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let home = app.get_text("/").await;
    assert!(home.contains("href=\"/me\""), "the header links to /me");
    let page = app.get_text("/me").await;
    assert!(page.contains("Too early to tell"), "no verdict without data");
    assert!(page.contains("No attempts yet"));
    assert!(page.contains("Nothing is due for review now."));
    assert!(page.contains("0 of 398"), "coverage counts the whole bank");
}

#[tokio::test]
async fn the_history_lists_filters_sorts_and_exports_every_attempt() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let mock_1 = empty_mock(&app).await;
    let mock_2 = empty_mock(&app).await;
    let practice = app.start(&[("mode", "practice"), ("count", "4")]).await;
    check(&app, &app, practice, 1, true, json!({})).await;
    check(&app, &app, practice, 2, false, json!({})).await;
    assert_eq!(app.submit(practice).await.status(), StatusCode::SEE_OTHER);
    let running = app.start(&[("mode", "practice"), ("count", "3")]).await;

    let page = app.get_text("/me").await;
    for id in [mock_1, mock_2, practice] {
        assert!(page.contains(&format!("/attempts/{id}/result")), "{id} links to its result");
    }
    assert!(page.contains(&format!("href=\"/attempts/{running}\"")), "the running one can be resumed");
    assert!(page.contains(">4 attempts<"), "all four counted");
    // An empty mock is a fail; a 4-item practice gets no verdict at all.
    assert_eq!(page.matches("class=\"badge bad\">Fail<").count(), 2, "two mocks failed");
    assert!(!page.contains("class=\"badge ok\">Pass<"));

    let mocks = app.get_text("/me?mode=exam").await;
    assert!(mocks.contains("2 of 4 attempts"));
    assert!(!mocks.contains(&format!("/attempts/{practice}/result")), "the filter leaves practice out");

    // Sorted by score, highest first: the practice (one right) before the
    // empty mocks (0%).
    let by_score = app.get_text("/me?sort=score&dir=desc").await;
    let at = |id: uuid::Uuid| by_score.find(&format!("/attempts/{id}/result")).expect("listed");
    assert!(at(practice) < at(mock_1) && at(practice) < at(mock_2), "highest score first");
    assert!(by_score.contains("aria-sort=\"descending\""));
    let ascending = app.get_text("/me?sort=score&dir=asc").await;
    let at = |id: uuid::Uuid| ascending.find(&format!("/attempts/{id}/result")).expect("listed");
    assert!(at(practice) > at(mock_1), "lowest first");

    let attempts = app.get("/me/attempts.csv").await;
    assert_eq!(attempts.status(), StatusCode::OK);
    assert_eq!(attempts.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(attempts.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let attempts = attempts.text().await.unwrap();
    let rows = data_rows(&attempts);
    assert_eq!(rows.len(), 4, "one row per attempt:\n{attempts}");
    assert!(rows[0].starts_with(&mock_1.to_string()), "oldest first");
    assert!(rows[2].contains(",practice,") && rows[2].ends_with(",,"), "no scaled estimate for 4 items: {}", rows[2]);

    let responses = app.get_text("/me/responses.csv").await;
    assert_eq!(data_rows(&responses).len(), 65 + 65 + 4 + 3, "one row per item response");

    // The same through the API.
    let token = app.create_api_token("export").await;
    let api = app.api_client(&token);
    let (status, body) = api.get("/api/v1/me/attempts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["attempts"].as_array().unwrap().len(), 4);
    assert_eq!(body["attempts"][0]["scaled_score"], json!(100), "an empty mock scores the scale's floor");
    assert_eq!(body["attempts"][2]["scaled_score"], json!(null));
    let (_, body) = api.get("/api/v1/me/responses").await;
    assert_eq!(body["responses"].as_array().unwrap().len(), 137);
    let (status, body) = api.get("/api/v1/me/progress?exam=mla-c01").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["coverage"]["bank"], json!(398));
    assert_eq!(body["review"]["due"].as_u64().unwrap() as usize, body["review"]["queue"].as_array().unwrap().len());
    let (status, _) = api.get("/api/v1/me/progress?exam=nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_learner_sees_only_their_own_progress() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let mine = empty_mock(&app).await;

    let other = app.new_browser();
    other.register("other@example.org", "Other", "correct horse battery staple").await;
    let page = other.get_text("/me").await;
    assert!(page.contains("No attempts yet"), "another learner's attempts are not listed");
    assert!(!page.contains(&mine.to_string()));
    assert_eq!(other.get(&format!("/attempts/{mine}/result")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(data_rows(&other.get_text("/me/attempts.csv").await).len(), 0);
    assert_eq!(data_rows(&other.get_text("/me/responses.csv").await).len(), 0);

    let anonymous = app.new_browser();
    let response = anonymous.get("/me").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "a visitor is sent to log in");
    assert!(location(&response).starts_with("/login"));
}

#[tokio::test]
async fn a_short_practice_shows_accuracy_and_no_verdict() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let practice = app.start(&[("mode", "practice"), ("count", "5")]).await;
    check(&app, &app, practice, 1, true, json!({})).await;
    app.submit(practice).await;
    let result = app.get_text(&format!("/attempts/{practice}/result")).await;
    assert!(result.contains("No scaled score"), "5 items cannot judge a whole exam");
    assert!(!result.contains("pass mark"), "and give no pass or fail");
    assert!(result.contains("at least 5 scored questions in every domain"), "the rule is stated");

    let mock = empty_mock(&app).await;
    let result = app.get_text(&format!("/attempts/{mock}/result")).await;
    assert!(result.contains("estimated scaled score") && result.contains("pass mark 720"));
}
