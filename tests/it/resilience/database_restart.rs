//! PostgreSQL stopped mid-exam, then started again: pages and saves say
//! so at once (503), nothing acknowledged is lost, and a form post that the
//! restart cuts off can be sent again without losing the learner's choice.
//! (The page's script retrying its autosave is tested in the browser:
//! `browser::autosave`.)

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::postgres::PgConnectOptions;

use super::{OwnCluster, eventually, form_fields, hidden_fields, read, shown_response};
use crate::helpers::{TestApp, json_of, key_of};

/// Longer than the pool's acquire timeout (3 s), with room for a slow machine.
const PROMPT: Duration = Duration::from_secs(10);

/// The app on `options` with its pool of `pool_size`, and the bundled exam.
async fn app_on(options: PgConnectOptions, pool_size: u32) -> TestApp {
    let app = TestApp::spawn_on_with(options, |c| c.db_pool_size = pool_size).await;
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    mockexam::load_content(&app.db, &content, app.clock.now()).await.expect("content loads");
    app
}

#[tokio::test]
async fn with_the_database_down_pages_and_saves_get_a_prompt_503_and_acknowledged_answers_survive() {
    let mut pg = OwnCluster::start().await;
    let app = app_on(pg.options(), 8).await;
    app.log_in_as_learner().await;
    let api = app.api_client(&app.create_api_token("exam day").await);
    let csrf = app.csrf().await;
    let id = app.start(&[("mode", "exam")]).await;
    let mut keys = vec![Value::Null];
    for n in 1..=8 {
        keys.push(serde_json::to_value(key_of(&app.db, id, n).await).unwrap());
    }
    let item = |n: i32| format!("/attempts/{id}/items/{n}");
    let api_item = |n: i32| format!("/api/v1/attempts/{id}/items/{n}");
    let save = |n: usize| json!({ "seq": 1, "response": keys[n] });

    // Acknowledged before the stop: three by the page's autosave, two by the API.
    for n in 1..=5 {
        let response = if n <= 3 {
            app.save_json(id, n as i32, save(n)).await
        } else {
            api.send(Method::PUT, &api_item(n as i32), Some(save(n))).await
        };
        let (status, reply) = json_of(response).await;
        assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "item {n}: {reply}");
    }

    pg.stop().await;

    let started = Instant::now();
    let (status, _, page) = read(app.get(&item(6)).await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{page}");
    assert!(page.contains("The database is not answering"), "a clear page: {page}");
    assert!(started.elapsed() < PROMPT, "the page took {:?}", started.elapsed());

    // Each way of saving says "not saved", never 200, and promptly.
    let attempts: [(&str, reqwest::RequestBuilder); 3] = [
        (
            "the page's autosave",
            app.client
                .post(app.url(&item(6)))
                .header("x-csrf-token", &csrf)
                .header("origin", format!("http://{}", app.addr))
                .json(&save(6)),
        ),
        ("the API with a token", api.client.put(api.url(&api_item(7))).bearer_auth(&api.token).json(&save(7))),
        (
            "the API in a browser session",
            app.client
                .put(app.url(&api_item(8)))
                .header("x-csrf-token", &csrf)
                .header("origin", format!("http://{}", app.addr))
                .json(&save(8)),
        ),
    ];
    for (how, request) in attempts {
        let started = Instant::now();
        let (status, content_type, body) = read(request.send().await.expect("a reply")).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{how}: {body}");
        assert_eq!(content_type, "application/problem+json", "{how} gets a problem document: {body}");
        let problem: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(problem["status"], 503, "{how}: {problem}");
        assert!(started.elapsed() < PROMPT, "{how} took {:?}", started.elapsed());
    }

    pg.start_again().await;

    // The learner carries on: the page is back once the connections the
    // stop cut have each failed once...
    eventually("the item page to load again", async || {
        (app.get(&item(6)).await.status() == StatusCode::OK).then_some(())
    })
    .await;
    // ... with every acknowledged answer, and nothing that was refused.
    for (n, key) in keys.iter().enumerate().skip(1) {
        let (status, shown) = api.get(&api_item(n as i32)).await;
        assert_eq!(status, StatusCode::OK, "{shown}");
        if n <= 5 {
            assert_eq!(&shown_response(&shown), key, "item {n}, acknowledged, is as it was saved");
        } else {
            assert_eq!(shown["answered"], false, "item {n} was refused and is not stored: {shown}");
        }
    }
    // The refused saves land when sent again.
    let (status, reply) = json_of(app.save_json(id, 6, save(6)).await).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "{reply}");
    let (status, reply) = api.put(&api_item(7), save(7)).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "{reply}");
}

/// Without JavaScript, a form post that fails because PostgreSQL was just
/// restarted (the pool's connection was cut and fails its next statement
/// once) gets a page that keeps the learner's choice and sends it again.
#[tokio::test]
async fn a_form_post_cut_off_by_a_database_restart_gets_a_page_that_keeps_the_choice_and_tries_again() {
    let pg = OwnCluster::start().await;
    let options = pg.options();
    form_post_across_a_restart(pg, options).await;
}

/// The same over TCP, where the cut connection fails with PostgreSQL's
/// "terminating connection" error rather than a broken pipe.
#[tokio::test]
async fn over_tcp_a_form_post_cut_off_by_a_database_restart_also_gets_a_page_to_try_again() {
    let pg = OwnCluster::start().await;
    let options = pg.options_over_tcp().await;
    form_post_across_a_restart(pg, options).await;
}

async fn form_post_across_a_restart(mut pg: OwnCluster, options: PgConnectOptions) {
    // One connection, so the restart cuts exactly the one the post takes.
    let app = app_on(options, 1).await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;
    let key = key_of(&app.db, id, 1).await;
    let mut fields = vec![("seq".to_string(), "1".to_string()), ("flagged".into(), "false".into())];
    fields.push(("struck".into(), String::new()));
    fields.extend(form_fields(&key));
    fields.push(("action".into(), "next".into()));
    let posted: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

    pg.stop().await;
    pg.start_again().await;

    let path = format!("/attempts/{id}/items/1");
    let (status, content_type, page) = read(app.post_form(&path, &posted).await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{page}");
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(page.contains("not saved yet"), "the page says the answer is not saved: {page}");
    assert!(page.contains(&format!("action=\"{path}\"")), "it posts to the same item: {page}");
    assert!(page.contains(">Try again</button>"), "it offers to try again: {page}");
    let hidden = hidden_fields(&page);
    for field in &fields {
        assert!(hidden.contains(field), "the page keeps {field:?}: {hidden:?}");
    }
    let token = app.csrf().await;
    assert!(hidden.contains(&("csrf_token".to_string(), token)), "with the CSRF token: {hidden:?}");

    // Trying again, as the browser posts that page's form.
    let again: Vec<(&str, &str)> = hidden.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = app
        .client
        .post(app.url(&path))
        .header("origin", format!("http://{}", app.addr))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(crate::helpers::encode(&again))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "saved this time: {:?}", response.text().await);
    assert_eq!(crate::helpers::location(&response), format!("/attempts/{id}/items/2"), "and on to the next item");
    let (_, shown) = crate::helpers::json_of(app.get(&format!("/api/v1/attempts/{id}/items/1")).await).await;
    assert_eq!(shown_response(&shown), serde_json::to_value(&key).unwrap(), "the choice was saved");
}
