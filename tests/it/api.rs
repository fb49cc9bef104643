//! The JSON API: tokens made on the account page, a whole mock taken with
//! nothing but a token, and who may see what. The OpenAPI document is
//! checked against real answers in `openapi.rs`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ApiClient, TestApp, first_item_touched, json_of, key_of, location, secrets_of};

/// Every string in a JSON document, keys included, joined: what a client
/// could read, whatever the escaping of the raw text.
fn readable(value: &Value) -> String {
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            Value::Object(o) => {
                for (k, v) in o {
                    out.push_str(&format!("\"{k}\"\n"));
                    walk(v, out);
                }
            }
            _ => {}
        }
    }
    let mut out = String::new();
    walk(value, &mut out);
    out
}

/// Whether a result item names its key: keyed options (single, multiple),
/// the right answer per prompt (matching) or the right order (ordering).
fn shows_its_key(item: &Value) -> bool {
    let keyed = item["choices"].as_array().is_some_and(|c| c.iter().any(|c| c["keyed"] == true));
    let matched =
        item["prompts"].as_array().is_some_and(|p| !p.is_empty() && p.iter().all(|p| p["answer_html"].is_string()));
    keyed || matched || item["key_order_html"].is_array()
}

fn assert_problem(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["status"], expected.as_u16(), "a problem document: {body}");
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "that says what went wrong: {body}");
}

#[tokio::test]
async fn a_script_with_only_a_token_takes_a_mock_from_start_to_result() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let api = app.api_client(&app.create_api_token("grading script").await);

    let (status, exams) = api.get("/api/v1/exams").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(exams["exams"][0]["slug"], "mla-c01");
    assert_eq!(exams["exams"][0]["domains"].as_array().map(Vec::len), Some(4), "with its blueprint");

    let (status, started) = api.post("/api/v1/exams/mla-c01/attempts", json!({ "mode": "exam" })).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!((started["mode"].as_str(), started["items"].as_u64()), (Some("exam"), Some(65)));
    let deadline = started["deadline"].as_str().expect("a mock has a deadline");
    time::OffsetDateTime::parse(deadline, &time::format_description::well_known::Rfc3339).expect("RFC 3339");
    let id: uuid::Uuid = started["id"].as_str().and_then(|s| s.parse().ok()).expect("an id");

    let first_item_url = started["first_item_url"].as_str().expect("the first item's url");
    let (status, item) = api.get(first_item_url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((item["position"].as_i64(), item["answered"].as_bool()), (Some(1), Some(false)));
    assert!(!item["choices"].as_array().expect("choices").is_empty());
    assert!(item.get("domain").is_none(), "a running mock hides the domain");

    let key = key_of(&app.db, id, 1).await;
    let (status, saved) =
        api.put(first_item_url, json!({ "seq": item["seq"], "response": key, "flagged": true })).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!((saved["status"].as_str(), saved["seq"].as_i64()), (Some("saved"), item["seq"].as_i64()));

    let (_, attempt) = api.get(&format!("/api/v1/attempts/{id}")).await;
    assert_eq!(attempt["time_left_seconds"], 130 * 60, "the server's clock has not moved");
    assert_eq!(attempt["finished"], false);
    assert_eq!(
        (attempt["items"][0]["answered"].as_bool(), attempt["items"][0]["flagged"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(attempt["items"][1]["answered"], false);
    let (status, _) = api.get(&format!("/api/v1/attempts/{id}/result")).await;
    assert_eq!(status, StatusCode::CONFLICT, "no result while it runs");

    let submit = format!("/api/v1/attempts/{id}/submit");
    let (status, result) = api.post(&submit, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    app.clock.advance(time::Duration::minutes(5));
    let (again_status, again) = api.post(&submit, json!({})).await;
    assert_eq!((again_status, &again), (StatusCode::OK, &result), "submitting again changes nothing");
    let (_, read) = api.get(&format!("/api/v1/attempts/{id}/result")).await;
    assert_eq!(read, result);

    assert_eq!(result["correct"], 1);
    assert_eq!(result["passed"], false);
    assert_eq!(result["finished_reason"], "submitted");
    assert_eq!(result["domains"].as_array().map(Vec::len), Some(4));
    let items = result["items"].as_array().expect("items");
    assert_eq!(items.len(), 65);
    assert_eq!(items[0]["correct"], true);
    assert!(items.iter().all(|i| i["explanation_html"].as_str().is_some_and(|e| !e.is_empty())), "with explanations");
    assert!(items.iter().all(shows_its_key), "and the key");

    let (_, list) = api.get("/api/v1/attempts").await;
    let mine = &list["attempts"][0];
    assert_eq!(mine["id"], id.to_string());
    assert_eq!((mine["finished"].as_bool(), mine["scaled"].as_u64()), (Some(true), result["scaled"].as_u64()));
    assert_eq!((mine["answered"].as_i64(), mine["items"].as_i64()), (Some(1), Some(65)));

    let page = app.get_text("/account").await;
    assert!(page.contains("grading script") && !page.contains("never"), "the account page shows when it was last used");
}

#[tokio::test]
async fn another_learners_token_cannot_read_save_into_or_submit_my_attempt() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "3")]).await;

    let intruder = app.new_browser();
    intruder.register("mallory@example.org", "Mallory", "correct horse battery").await;
    let api = intruder.api_client(&intruder.create_api_token("mine").await);
    for path in [
        format!("/api/v1/attempts/{id}"),
        format!("/api/v1/attempts/{id}/items/1"),
        format!("/api/v1/attempts/{id}/result"),
    ] {
        let (status, body) = api.get(&path).await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
    }
    let (status, body) = api
        .put(&format!("/api/v1/attempts/{id}/items/1"), json!({ "seq": 9, "response": key_of(&app.db, id, 1).await }))
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = api.post(&format!("/api/v1/attempts/{id}/submit"), json!({})).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (_, list) = api.get("/api/v1/attempts").await;
    assert_eq!(list["attempts"], json!([]), "my attempts are not in their list");

    assert!(!first_item_touched(&app.db, id).await, "nothing of the attempt changed");
}

#[tokio::test]
async fn no_credentials_a_wrong_token_or_a_revoked_one_get_a_json_401() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;

    let anonymous = reqwest::Client::new().get(app.url("/api/v1/attempts")).send().await.unwrap();
    assert_eq!(anonymous.headers()["content-type"], "application/problem+json");
    assert!(anonymous.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    let (status, body) = json_of(anonymous).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);

    let (status, body) = ApiClient::new(app.addr, &"0".repeat(64)).get("/api/v1/attempts").await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);

    let token = app.create_api_token("old laptop").await;
    let api = app.api_client(&token);
    assert_eq!(api.get("/api/v1/attempts").await.0, StatusCode::OK);
    let token_id = app.api_token_id("old laptop").await;
    let revoked = app.post_form(&format!("/account/tokens/{token_id}/revoke"), &[]).await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let page = app.get_text(location(&revoked)).await;
    assert!(page.contains("The token was revoked") && !page.contains("old laptop"));
    let (status, body) = api.get("/api/v1/attempts").await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);

    // A token only authenticates its own requests: with a bad one, the
    // session cookie beside it does not count.
    let mixed = app.client.get(app.url("/api/v1/attempts")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(mixed.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_can_only_be_revoked_by_its_owner() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let token = app.create_api_token("ci").await;
    let token_id = app.api_token_id("ci").await;

    let other = app.new_browser();
    other.register("mallory@example.org", "Mallory", "correct horse battery").await;
    let attempt = other.post_form(&format!("/account/tokens/{token_id}/revoke"), &[]).await;
    assert_eq!(attempt.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.api_client(&token).get("/api/v1/attempts").await.0, StatusCode::OK, "the token still works");
}

#[tokio::test]
async fn a_token_needs_a_name_of_one_to_sixty_characters() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    for name in ["", "   ", &"x".repeat(61)] {
        let response = app.post_form("/account/tokens", &[("name", name)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("id=\"token_name-error\""), "the field says what is wrong");
        assert!(!page.contains("id=\"new-token\""), "and no token is made");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM api_tokens").fetch_one(&app.db).await.unwrap();
    assert_eq!(count, 0);
    let stored: Vec<u8> = {
        app.create_api_token(&"é".repeat(60)).await;
        sqlx::query_scalar("SELECT token_hash FROM api_tokens").fetch_one(&app.db).await.unwrap()
    };
    assert_eq!(stored.len(), 32, "only the SHA-256 is stored");
}

#[tokio::test]
async fn a_cookie_session_may_use_the_api_but_must_echo_the_csrf_token_to_change_anything() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "3")]).await;
    let item = format!("/api/v1/attempts/{id}/items/1");

    let (status, read) = json_of(app.get(&item).await).await;
    assert_eq!(status, StatusCode::OK, "reading needs only the session");
    let body = json!({ "seq": read["seq"], "response": key_of(&app.db, id, 1).await });
    let origin = format!("http://{}", app.addr);

    let forged = app.client.put(app.url(&item)).header("origin", &origin).json(&body).send().await.unwrap();
    assert_eq!(forged.headers()["content-type"], "application/problem+json");
    let (status, problem) = json_of(forged).await;
    assert_problem(status, &problem, StatusCode::FORBIDDEN);

    let token = app.csrf().await;
    let send = |body: String| {
        app.client
            .put(app.url(&item))
            .header("origin", &origin)
            .header("x-csrf-token", &token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let (status, bad) = json_of(send("{\"seq\": ".into()).await.unwrap()).await;
    assert_problem(status, &bad, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, saved) = json_of(send(body.to_string()).await.unwrap()).await;
    assert_eq!((status, saved["status"].as_str()), (StatusCode::OK, Some("saved")));
}

#[tokio::test]
async fn bad_input_gets_a_422_problem() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let api = app.api_client(&app.create_api_token("t").await);
    for body in [json!({ "mode": "cram" }), json!({ "mode": "practice", "count": 0 }), json!({ "mode": "drill" })] {
        let (status, problem) = api.post("/api/v1/exams/mla-c01/attempts", body).await;
        assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, problem) = api.post("/api/v1/exams/no-such-exam/attempts", json!({ "mode": "practice" })).await;
    assert_problem(status, &problem, StatusCode::NOT_FOUND);
    let no_body = api.send(Method::POST, "/api/v1/exams/mla-c01/attempts", None).await;
    let (status, problem) = json_of(no_body).await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, problem) = api.get("/api/v1/attempts?limit=0").await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, problem) = api.get("/api/v1/attempts/not-a-uuid").await;
    assert_problem(status, &problem, StatusCode::NOT_FOUND);

    let (_, started) = api.post("/api/v1/exams/mla-c01/attempts", json!({ "mode": "practice", "count": 2 })).await;
    let item = format!("{}/items/1", started["url"].as_str().unwrap());
    let (status, reply) = api.put(&item, json!({ "seq": 1, "response": { "choice": [0, 1, 2, 3, 4, 5, 6] } })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
}

#[tokio::test]
async fn no_key_explanation_or_rationale_reaches_an_api_client_before_submit() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let api = app.api_client(&app.create_api_token("t").await);
    let (status, started) =
        api.post("/api/v1/exams/mla-c01/attempts", json!({ "mode": "exam", "real_conditions": true })).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let id: uuid::Uuid = started["id"].as_str().and_then(|s| s.parse().ok()).expect("an id");
    let secrets = secrets_of(&app.db, id).await;

    let mut replies = vec![api.get(&format!("/api/v1/attempts/{id}")).await.1];
    for n in 1..=65 {
        let path = format!("/api/v1/attempts/{id}/items/{n}");
        let (_, item) = api.get(&path).await;
        let seq = item["seq"].clone();
        replies.push(item);
        replies.push(api.put(&path, json!({ "seq": seq, "response": key_of(&app.db, id, n).await })).await.1);
        // Even an item that was answered and asked to be checked stays
        // closed in a mock.
        replies.push(
            api.put(&path, json!({ "seq": 100, "response": key_of(&app.db, id, n).await, "check": true })).await.1,
        );
        replies.push(api.get(&path).await.1);
    }
    for (i, reply) in replies.iter().enumerate() {
        let text = readable(reply);
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "reply {i} leaks {secret:?}");
        }
        for key in [
            "\"explanation_html\"",
            "\"rationale_html\"",
            "\"keyed\"",
            "\"correct\"",
            "\"answer_html\"",
            "\"right\"",
            "\"key_order_html\"",
            "\"scored\"",
            "\"domain\"",
        ] {
            assert!(!text.contains(key), "reply {i} has {key}: {reply}");
        }
    }

    // The same check finds them once the attempt is over.
    let (_, result) = api.post(&format!("/api/v1/attempts/{id}/submit"), json!({})).await;
    let text = readable(&result);
    assert!(secrets.iter().any(|s| text.contains(s.as_str())), "the result shows the explanations");
}

#[tokio::test]
async fn an_unknown_api_address_gets_a_json_404() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    for path in ["/api/v1/nope", "/api", "/api/v2/exams"] {
        let response = app.get(path).await;
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{path}");
        let (status, body) = json_of(response).await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
    }
    let page = app.get("/nope").await;
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "pages keep the HTML 404");
}
