//! `/admin/users` over HTTP (issue 14): an admin finds an account and
//! makes it an instructor; disabling ends the account's sessions and API
//! tokens and refuses its logins until it is enabled; an admin cannot lock
//! themselves out.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Browser, TestApp, location};

const PASSWORD: &str = "correct horse battery";

async fn id_of(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.db).await.expect(email)
}

async fn count(app: &TestApp, sql: &str, id: Uuid) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(&app.db).await.expect(sql)
}

/// A learner's browser, registered and logged in.
async fn learner(app: &TestApp, email: &str, name: &str) -> Browser {
    let browser = app.new_browser();
    assert_eq!(browser.register(email, name, PASSWORD).await.status(), StatusCode::SEE_OTHER);
    browser
}

#[tokio::test]
async fn an_admin_finds_a_learner_and_makes_them_an_instructor_who_may_then_open_the_instructor_area() {
    let app = TestApp::spawn().await;
    let ada = app.new_browser_as("admin", "ada@example.org").await;
    let ines = learner(&app, "ines@example.org", "Ines Instructor").await;
    learner(&app, "otto@example.org", "Otto Other").await;
    assert_eq!(ines.get("/instructor").await.status(), StatusCode::FORBIDDEN);
    assert!(ada.get_text("/").await.contains("href=\"/admin/users\""), "the header links the area");

    let all = ada.get_text("/admin/users").await;
    assert!(all.contains("ines@example.org") && all.contains("otto@example.org"), "{all}");
    let found = ada.get_text("/admin/users?q=INES").await;
    assert!(found.contains("ines@example.org") && !found.contains("otto@example.org"), "by email: {found}");
    assert!(ada.get_text("/admin/users?q=Otto%20O").await.contains("otto@example.org"), "by name");
    assert!(!ada.get_text("/admin/users?q=%25").await.contains("ines@example.org"), "% is a character");

    let id = id_of(&app, "ines@example.org").await;
    let response = ada
        .post_form(&format!("/admin/users/{id}/role"), &[("role", "instructor"), ("q", "ines"), ("page", "1")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response).to_string();
    assert!(to.starts_with("/admin/users?q=ines&"), "the search is kept: {to}");
    let list = ada.get_text(&to).await;
    assert!(list.contains("Ines Instructor is now an instructor."), "{list}");
    assert!(list.contains("value=\"ines\""), "the search box keeps the search");
    assert!(!list.contains("otto@example.org"), "and the list its filter");

    assert_eq!(ines.get("/instructor").await.status(), StatusCode::OK, "her open session has the new role");
    let unknown = ada.post_form(&format!("/admin/users/{}/role", Uuid::new_v4()), &[("role", "admin")]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let bad = ada.post_form(&format!("/admin/users/{id}/role"), &[("role", "owner")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn disabling_ends_the_sessions_and_tokens_and_refuses_logins_until_enabled() {
    let app = TestApp::spawn().await;
    let ada = app.new_browser_as("admin", "ada@example.org").await;
    let lena = learner(&app, "lena@example.org", "Lena Learner").await;
    let api = lena.api_client(&lena.create_api_token("script").await);
    assert_eq!(api.get("/api/v1/me/attempts").await.0, StatusCode::OK);
    let id = id_of(&app, "lena@example.org").await;

    let response = ada.post_form(&format!("/admin/users/{id}/disable"), &[("q", ""), ("page", "1")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let list = ada.get_text(location(&response)).await;
    assert!(list.contains("Lena Learner’s account is disabled"), "{list}");
    assert!(list.contains(&format!("action=\"/admin/users/{id}/enable\"")), "offered to enable: {list}");
    assert_eq!(count(&app, "SELECT count(*) FROM sessions WHERE user_id = $1", id).await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM api_tokens WHERE user_id = $1", id).await, 0);

    let next = lena.get("/me").await;
    assert_eq!(next.status(), StatusCode::SEE_OTHER);
    assert!(location(&next).starts_with("/login"), "her next request goes to log in");
    assert_eq!(api.get("/api/v1/me/attempts").await.0, StatusCode::UNAUTHORIZED);

    let wrong = lena.log_in("lena@example.org", "not her password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong = wrong.text().await.unwrap();
    assert!(wrong.contains("Email or password is incorrect.") && !wrong.contains("disabled"), "nothing leaks");
    let right = lena.log_in("lena@example.org", PASSWORD).await;
    assert_eq!(right.status(), StatusCode::FORBIDDEN);
    assert!(right.text().await.unwrap().contains("This account is disabled. Ask an administrator."));
    assert_eq!(count(&app, "SELECT count(*) FROM sessions WHERE user_id = $1", id).await, 0, "no session made");

    let response = ada.post_form(&format!("/admin/users/{id}/enable"), &[("q", "lena"), ("page", "1")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(ada.get_text(location(&response)).await.contains("Lena Learner’s account is enabled"));
    assert_eq!(lena.log_in("lena@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(lena.get("/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_disabled_accounts_session_or_token_that_slipped_by_is_refused_all_the_same() {
    let app = TestApp::spawn().await;
    let lena = learner(&app, "lena@example.org", "Lena Learner").await;
    let api = lena.api_client(&lena.create_api_token("script").await);
    // Disabled behind the app's back: the session and token rows remain.
    sqlx::query("UPDATE users SET disabled_at = now() WHERE email = 'lena@example.org'")
        .execute(&app.db)
        .await
        .unwrap();
    assert!(location(&lena.get("/me").await).starts_with("/login"));
    assert_eq!(api.get("/api/v1/me/attempts").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_cannot_demote_or_disable_themselves_but_may_another_admin() {
    let app = TestApp::spawn().await;
    let ada = app.new_browser_as("admin", "ada@example.org").await;
    app.new_browser_as("admin", "bob@example.org").await;
    let me = id_of(&app, "ada@example.org").await;
    let page = ada.get_text("/admin/users").await;
    assert!(!page.contains(&format!("action=\"/admin/users/{me}/")), "no controls on her own row: {page}");

    for (path, fields) in [("role", &[("role", "learner")][..]), ("role", &[("role", "instructor")]), ("disable", &[])]
    {
        let response = ada.post_form(&format!("/admin/users/{me}/{path}"), fields).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{path} {fields:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains("so no admin is lost by accident"), "{page}");
    }
    let role: String =
        sqlx::query_scalar("SELECT role FROM users WHERE id = $1").bind(me).fetch_one(&app.db).await.unwrap();
    assert_eq!(role, "admin");
    assert_eq!(ada.get("/admin/users").await.status(), StatusCode::OK, "still logged in, still an admin");

    let bob = id_of(&app, "bob@example.org").await;
    let response = ada.post_form(&format!("/admin/users/{bob}/role"), &[("role", "learner")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(ada.get_text(location(&response)).await.contains("Ines Instructor is now a learner."));
}

#[tokio::test]
async fn a_long_list_comes_a_page_at_a_time_and_a_change_keeps_the_search_and_page() {
    let app = TestApp::spawn().await;
    let ada = app.new_browser_as("admin", "ada@example.org").await;
    // Thirty learners straight into the table: hashing thirty passwords
    // would only slow the test.
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, created_at)
         SELECT gen_random_uuid(), format('pupil%s@example.org', lpad(n::text, 2, '0')), format('Pupil %s', n),
                'x', 'learner', now()
         FROM generate_series(1, 30) AS n",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let first = ada.get_text("/admin/users?q=pupil").await;
    assert!(first.contains("pupil01@example.org") && !first.contains("pupil26@example.org"), "{first}");
    assert!(first.contains("href=\"?q=pupil&#38;page=2\""), "the pager keeps the search: {first}");
    let second = ada.get_text("/admin/users?q=pupil&page=2").await;
    assert!(second.contains("pupil26@example.org") && !second.contains("pupil01@example.org"), "{second}");
    assert!(second.contains("name=\"page\" value=\"2\""), "its forms carry the page");

    let id = id_of(&app, "pupil27@example.org").await;
    let response = ada.post_form(&format!("/admin/users/{id}/disable"), &[("q", "pupil"), ("page", "2")]).await;
    assert_eq!(location(&response), format!("/admin/users?q=pupil&page=2&done=disabled&user={id}"));
}
