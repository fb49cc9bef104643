//! Confidence marks: "sure" or "not sure" given with an answer (certainty-
//! based practice), saved by the form, the script and the API, final once a
//! practice answer is checked, taken by a mock only when it was started
//! with them, and counted in four groups on the result.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, key_of, location, wrong_answer_of};

/// The stored mark of item `n`.
async fn mark_of(app: &TestApp, attempt: uuid::Uuid, n: i32) -> Option<String> {
    sqlx::query_scalar("SELECT confidence FROM items WHERE attempt_id = $1 AND position = $2")
        .bind(attempt)
        .bind(n)
        .fetch_one(&app.db)
        .await
        .expect("the item exists")
}

async fn answered(app: &TestApp, attempt: uuid::Uuid, n: i32) -> bool {
    sqlx::query_scalar("SELECT answered FROM items WHERE attempt_id = $1 AND position = $2")
        .bind(attempt)
        .bind(n)
        .fetch_one(&app.db)
        .await
        .expect("the item exists")
}

/// A form field of item `n`'s answer, as a browser without JavaScript
/// posts it (single and multiple items; None for the other kinds).
async fn choice_field(app: &TestApp, attempt: uuid::Uuid, n: i32) -> Option<String> {
    key_of(&app.db, attempt, n).await.choice.map(|c| c[0].to_string())
}

async fn status_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.expect("a JSON reply"))
}

#[tokio::test]
async fn a_practice_item_takes_a_mark_from_the_form_and_the_script_and_shows_it_again() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "3")]).await;
    let page = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(page.contains("<legend>How sure are you?</legend>"), "practice always offers the mark");
    assert!(!page.contains("id=\"confidence-sure\" checked") && !page.contains("id=\"confidence-unsure\" checked"));

    // Without JavaScript: the mark travels with the form, navigation saves it.
    let mut fields = vec![("seq", "1".to_string()), ("confidence", "unsure".into()), ("action", "next".into())];
    if let Some(choice) = choice_field(&app, id, 1).await {
        fields.push(("choice", choice));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let posted = app.post_form(&format!("/attempts/{id}/items/1"), &fields).await;
    assert_eq!(location(&posted), format!("/attempts/{id}/items/2"), "{}", posted.status());
    assert_eq!(mark_of(&app, id, 1).await.as_deref(), Some("unsure"));
    let page = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(page.contains("id=\"confidence-unsure\" checked"), "the page shows the mark again");

    // The script's JSON save; a later save without a mark keeps it.
    let answer = key_of(&app.db, id, 2).await;
    let saved = app.save_json(id, 2, json!({ "seq": 1, "response": answer, "confidence": "sure" })).await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(mark_of(&app, id, 2).await.as_deref(), Some("sure"));
    let flagged = app.save_json(id, 2, json!({ "seq": 2, "response": answer, "flagged": true })).await;
    assert_eq!(flagged.status(), StatusCode::OK);
    assert_eq!(mark_of(&app, id, 2).await.as_deref(), Some("sure"), "no mark sent: the stored one stays");
    let changed = app.save_json(id, 2, json!({ "seq": 3, "response": answer, "confidence": "unsure" })).await;
    assert_eq!(changed.status(), StatusCode::OK, "before the check the mark may change");
    assert_eq!(mark_of(&app, id, 2).await.as_deref(), Some("unsure"));
    let page = app.get_text(&format!("/attempts/{id}/items/2")).await;
    assert!(page.contains("id=\"confidence-unsure\" checked") && !page.contains("id=\"confidence-sure\" checked"));
}

#[tokio::test]
async fn a_checked_answers_mark_is_final_like_the_answer() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "2")]).await;
    let wrong = wrong_answer_of(&app.db, id, 1).await;
    let checked =
        app.save_json(id, 1, json!({ "seq": 1, "response": wrong, "confidence": "sure", "check": true })).await;
    assert_eq!(checked.status(), StatusCode::OK);

    let page = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(page.contains("You were sure — and wrong: a misconception to review."), "beside the verdict");
    assert!(!page.contains("name=\"confidence\""), "no longer a choice: the mark is shown read-only");

    let (status, reply) =
        status_of(app.save_json(id, 1, json!({ "seq": 2, "response": wrong, "confidence": "unsure" })).await).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::CONFLICT, Some("locked")), "{reply}");
    let (status, reply) = status_of(app.save_json(id, 1, json!({ "seq": 3, "confidence": "unsure" })).await).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::CONFLICT, Some("locked")), "without an answer too");
    assert_eq!(mark_of(&app, id, 1).await.as_deref(), Some("sure"), "the mark given with the answer stands");

    // Keeping it, or sending none (the page after the check), is no change.
    let same = app.save_json(id, 1, json!({ "seq": 4, "confidence": "sure", "flagged": true })).await;
    assert_eq!(same.status(), StatusCode::OK);
    let next = app
        .post_form(&format!("/attempts/{id}/items/1"), &[("seq", "5"), ("flagged", "true"), ("action", "next")])
        .await;
    assert_eq!(location(&next), format!("/attempts/{id}/items/2"));
    assert_eq!(mark_of(&app, id, 1).await.as_deref(), Some("sure"));

    // Checked without a mark: one cannot be added after seeing the feedback.
    let right = key_of(&app.db, id, 2).await;
    assert_eq!(
        app.save_json(id, 2, json!({ "seq": 1, "response": right, "check": true })).await.status(),
        StatusCode::OK
    );
    let (status, reply) = status_of(app.save_json(id, 2, json!({ "seq": 2, "confidence": "sure" })).await).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::CONFLICT, Some("locked")));
    assert_eq!(mark_of(&app, id, 2).await, None);
}

#[tokio::test]
async fn an_unknown_mark_gets_a_422_naming_the_field_and_saves_nothing() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "2")]).await;
    let answer = key_of(&app.db, id, 1).await;

    let mut fields = vec![("seq", "1".to_string()), ("confidence", "maybe".into()), ("action", "next".into())];
    if let Some(choice) = choice_field(&app, id, 1).await {
        fields.push(("choice", choice));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let posted = app.post_form(&format!("/attempts/{id}/items/1"), &fields).await;
    assert_eq!(posted.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = posted.text().await.unwrap();
    assert!(page.contains("`confidence` must be “sure” or “unsure”"), "the item page says which field: {page}");

    let script = app.save_json(id, 1, json!({ "seq": 2, "response": answer, "confidence": "maybe" })).await;
    assert_eq!(script.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(script.text().await.unwrap().contains("`confidence` must be"), "the script's save too");

    let api = app.api_client(&app.create_api_token("t").await);
    let item = format!("/api/v1/attempts/{id}/items/1");
    let (status, problem) = api.put(&item, json!({ "seq": 3, "response": answer, "confidence": "Sure" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("`confidence`")), "a problem naming it: {problem}");
    let (status, _) = api.put(&item, json!({ "seq": 4, "response": answer, "confidence": 1 })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not a string");

    assert!(!answered(&app, id, 1).await, "none of them saved the answer");
    assert_eq!(mark_of(&app, id, 1).await, None);
}

#[tokio::test]
async fn a_mock_takes_marks_only_when_started_with_them() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let start_page = app.get_text("/exams/mla-c01").await;
    assert!(start_page.contains("name=\"confidence\"") && start_page.contains("Mark how sure I am on each question"));

    // Without the option: nothing offered, and a mark is refused whole
    // rather than dropped, so "saved" never hides a lost mark.
    let plain = app.start(&[("mode", "exam")]).await;
    let page = app.get_text(&format!("/attempts/{plain}/items/1")).await;
    assert!(!page.contains("How sure are you?") && !page.contains("name=\"confidence\""));
    let answer = key_of(&app.db, plain, 1).await;
    let (status, reply) =
        status_of(app.save_json(plain, 1, json!({ "seq": 1, "response": answer, "confidence": "sure" })).await).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid")), "{reply}");
    assert!(reply["message"].as_str().unwrap().contains("`confidence`"), "{reply}");
    assert!(!answered(&app, plain, 1).await && mark_of(&app, plain, 1).await.is_none(), "nothing saved");
    assert_eq!(app.save_json(plain, 1, json!({ "seq": 2, "response": answer })).await.status(), StatusCode::OK);
    app.submit(plain).await;
    let result = app.get_text(&format!("/attempts/{plain}/result")).await;
    assert!(!result.contains("id=\"confidence-heading\"") && !result.contains("class=\"confidence-note\""));

    // With it: offered while it runs, kept, and shown after submit.
    let marked = app.start(&[("mode", "exam"), ("confidence", "1")]).await;
    let page = app.get_text(&format!("/attempts/{marked}/items/1")).await;
    assert!(page.contains("<legend>How sure are you?</legend>"));
    let answer = key_of(&app.db, marked, 1).await;
    let saved = app.save_json(marked, 1, json!({ "seq": 1, "response": answer, "confidence": "unsure" })).await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(mark_of(&app, marked, 1).await.as_deref(), Some("unsure"));
    let page = app.get_text(&format!("/attempts/{marked}/items/1")).await;
    assert!(page.contains("id=\"confidence-unsure\" checked"));
    assert!(!page.contains("class=\"confidence-note\""), "no verdict in a running mock, so no note either");
    app.submit(marked).await;
    let result = app.get_text(&format!("/attempts/{marked}/result")).await;
    assert!(result.contains("You were not sure — but right"), "the result shows the mark with its verdict");
}

#[tokio::test]
async fn an_api_client_starts_a_mock_with_marks_saves_one_and_reads_it_back() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let api = app.api_client(&app.create_api_token("t").await);
    let (status, started) = api.post("/api/v1/exams/mla-c01/attempts", json!({ "mode": "exam" })).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, item) = api.get(started["first_item_url"].as_str().unwrap()).await;
    assert_eq!((item["confidence_offered"].as_bool(), &item["confidence"]), (Some(false), &Value::Null));

    let (status, started) =
        api.post("/api/v1/exams/mla-c01/attempts", json!({ "mode": "exam", "confidence": true })).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let id: uuid::Uuid = started["id"].as_str().unwrap().parse().unwrap();
    let url = started["first_item_url"].as_str().unwrap();
    let (_, item) = api.get(url).await;
    assert_eq!((item["confidence_offered"].as_bool(), &item["confidence"]), (Some(true), &Value::Null));
    let wrong = wrong_answer_of(&app.db, id, 1).await;
    let (status, saved) = api.put(url, json!({ "seq": item["seq"], "response": wrong, "confidence": "sure" })).await;
    assert_eq!((status, saved["status"].as_str()), (StatusCode::OK, Some("saved")), "{saved}");
    let (_, item) = api.get(url).await;
    assert_eq!(item["confidence"], "sure");
    let (status, result) = api.post(&format!("/api/v1/attempts/{id}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result["items"][0]["confidence"], "sure");
    assert_eq!(
        result["confidence_groups"],
        json!({ "right_sure": 0, "right_unsure": 0, "wrong_sure": 1, "wrong_unsure": 0, "unmarked": 64 })
    );
}

/// The count shown for a group on the result page.
fn group_count(page: &str, slug: &str) -> u32 {
    let marker = format!("<li class=\"group-{slug}\">");
    let from = page.find(&marker).unwrap_or_else(|| panic!("the page lists {slug}")) + marker.len();
    let count = "<strong class=\"count\">";
    let at = page[from..].find(count).expect("a count") + from + count.len();
    page[at..].split('<').next().unwrap().parse().expect("a number")
}

#[tokio::test]
async fn the_result_counts_the_four_groups_and_lists_each() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "8")]).await;
    // (right, mark) for items 1–7; item 8 and any case-study mates unmarked.
    let plan = [
        (true, "sure"),
        (true, "sure"),
        (true, "unsure"),
        (false, "sure"),
        (false, "sure"),
        (false, "sure"),
        (false, "unsure"),
    ];
    for (i, (right, mark)) in plan.iter().enumerate() {
        let n = i as i32 + 1;
        let answer = if *right { key_of(&app.db, id, n).await } else { wrong_answer_of(&app.db, id, n).await };
        let saved = app.save_json(id, n, json!({ "seq": 1, "response": answer, "confidence": mark })).await;
        assert_eq!(saved.status(), StatusCode::OK, "item {n}");
    }
    app.submit(id).await;

    let page = app.get_text(&format!("/attempts/{id}/result")).await;
    assert!(page.contains("<h2 id=\"confidence-heading\">Confidence</h2>"));
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM items WHERE attempt_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(page.contains(&format!("7 of {total} answers marked")), "how many were marked");
    let expected = [("right-sure", 2), ("lucky-guesses", 1), ("misconceptions", 3), ("wrong-unsure", 1)];
    for (slug, count) in expected {
        assert_eq!(group_count(&page, slug), count, "{slug}");
        let link = format!("href=\"/attempts/{id}/result?show={slug}#items-heading\"");
        assert!(page.contains(&link), "{slug} links to its list");
        let listed = app.get_text(&format!("/attempts/{id}/result?show={slug}")).await;
        assert_eq!(listed.matches("class=\"card result-item").count(), count as usize, "{slug} lists its items");
        assert_eq!(listed.matches("class=\"confidence-note\"").count(), count as usize, "each with its mark");
        assert!(listed.contains(&format!("<option value=\"{slug}\" selected>")), "the filter shows the choice");
    }
    let misconceptions = app.get_text(&format!("/attempts/{id}/result?show=misconceptions")).await;
    assert_eq!(misconceptions.matches("You were sure — and wrong: a misconception to review.").count(), 3);
    let lucky = app.get_text(&format!("/attempts/{id}/result?show=lucky-guesses")).await;
    assert!(lucky.contains("You were not sure — but right"));

    // A result with no mark at all has no such section.
    let unmarked = app.start(&[("mode", "practice"), ("count", "2")]).await;
    app.save_json(unmarked, 1, json!({ "seq": 1, "response": key_of(&app.db, unmarked, 1).await })).await;
    app.submit(unmarked).await;
    let page = app.get_text(&format!("/attempts/{unmarked}/result")).await;
    assert!(!page.contains("id=\"confidence-heading\"") && !page.contains("misconceptions"));
}
