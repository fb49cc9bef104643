//! The access walk (issue 14, "Rules that hold"): every instructor and
//! admin route, pages and API, asked by a learner (403), a visitor (the
//! login page, or 401 from the API) and, for the admin routes, an
//! instructor (403). A new route is one line in a list below.

use reqwest::{Method, Response, StatusCode};

use crate::helpers::{Browser, TestApp, location};

/// Stands for any id in a path: the role check answers before anything
/// is looked up.
const ID: &str = "00000000-0000-4000-8000-000000000001";

/// Instructor pages, as (method, path); `{id}` is replaced by [`ID`].
const INSTRUCTOR_PAGES: &[(&str, &str)] = &[
    ("GET", "/instructor"),
    ("GET", "/instructor/exams/new"),
    ("POST", "/instructor/exams/new"),
    ("GET", "/instructor/exams/mla-c01"),
    ("GET", "/instructor/exams/mla-c01/edit"),
    ("POST", "/instructor/exams/mla-c01/edit"),
    ("POST", "/instructor/exams/mla-c01/publish"),
    ("POST", "/instructor/exams/mla-c01/unpublish"),
    ("GET", "/instructor/exams/mla-c01/export?format=gift"),
    ("GET", "/instructor/exams/mla-c01/items"),
    ("GET", "/instructor/exams/mla-c01/items.csv"),
    ("GET", "/instructor/exams/mla-c01/uploads/new"),
    ("POST", "/instructor/exams/mla-c01/uploads"),
    ("GET", "/instructor/uploads/{id}"),
    ("POST", "/instructor/uploads/{id}/import"),
    ("GET", "/instructor/exams/mla-c01/questions"),
    ("GET", "/instructor/exams/mla-c01/questions/q1"),
    ("POST", "/instructor/exams/mla-c01/questions/q1/retire"),
    ("POST", "/instructor/exams/mla-c01/questions/q1/restore"),
    ("GET", "/instructor/exams/mla-c01/questions/q1/edit"),
    ("POST", "/instructor/exams/mla-c01/questions/q1/edit"),
    ("POST", "/instructor/exams/mla-c01/questions/q1/preview"),
    ("GET", "/instructor/exams/mla-c01/reports"),
    ("GET", "/instructor/exams/mla-c01/reports/{id}"),
    ("POST", "/instructor/exams/mla-c01/reports/{id}"),
    ("GET", "/instructor/groups"),
    ("POST", "/instructor/groups"),
    ("GET", "/instructor/groups/{id}"),
    ("POST", "/instructor/groups/{id}/code"),
    ("POST", "/instructor/groups/{id}/members/{id}/remove"),
    ("GET", "/instructor/groups/{id}/dashboard"),
    ("GET", "/instructor/groups/{id}/dashboard.csv?exam=mla-c01"),
    ("GET", "/instructor/groups/{id}/assignments/new"),
    ("POST", "/instructor/groups/{id}/assignments/new"),
    ("GET", "/instructor/groups/{id}/assignments/{id}"),
    ("GET", "/instructor/groups/{id}/assignments/{id}/delete"),
    ("POST", "/instructor/groups/{id}/assignments/{id}/delete"),
];

/// The instructors' JSON API.
const INSTRUCTOR_API: &[(&str, &str)] = &[
    ("GET", "/api/v1/exams/mla-c01/imports"),
    ("POST", "/api/v1/exams/mla-c01/imports?file_name=bank.gift"),
    ("GET", "/api/v1/exams/mla-c01/export?format=gift"),
];

/// Admin pages.
const ADMIN_PAGES: &[(&str, &str)] = &[
    ("GET", "/admin/users"),
    ("POST", "/admin/users/{id}/role"),
    ("POST", "/admin/users/{id}/disable"),
    ("POST", "/admin/users/{id}/enable"),
];

/// A page request as our pages make it: a POST is a form with the CSRF
/// token, so only the role check can refuse it.
async fn page(browser: &Browser, method: &str, path: &str) -> Response {
    let path = path.replace("{id}", ID);
    match method {
        "GET" => browser.get(&path).await,
        "POST" => browser.post_form(&path, &[("role", "admin")]).await,
        other => panic!("no {other} in the walk"),
    }
}

/// An API request as a browser's script makes it: the session cookie, and
/// for a POST the CSRF header and our Origin.
async fn api(browser: &Browser, method: &str, path: &str) -> Response {
    let method: Method = method.parse().expect("a method");
    let token = browser.csrf().await;
    browser
        .client
        .request(method, browser.url(&path.replace("{id}", ID)))
        .header("x-csrf-token", token)
        .header("origin", format!("http://{}", browser.addr))
        .body("::Q1::A question? {=yes ~no}")
        .send()
        .await
        .expect("an API request")
}

#[tokio::test]
async fn learners_get_403_and_visitors_the_login_page_on_every_instructor_and_admin_route() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let visitor = app.new_browser();
    for (method, path) in INSTRUCTOR_PAGES.iter().chain(ADMIN_PAGES) {
        assert_eq!(page(&app, method, path).await.status(), StatusCode::FORBIDDEN, "learner: {method} {path}");
        let response = page(&visitor, method, path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "visitor: {method} {path}");
        assert!(location(&response).starts_with("/login?next=/"), "visitor: {method} {path}");
    }
    let learner_token = app.create_api_token("ci").await;
    let learner_api = app.api_client(&learner_token);
    for (method, path) in INSTRUCTOR_API {
        assert_eq!(api(&app, method, path).await.status(), StatusCode::FORBIDDEN, "learner: {method} {path}");
        let by_token = learner_api.send(method.parse().unwrap(), path, None).await;
        assert_eq!(by_token.status(), StatusCode::FORBIDDEN, "learner's token: {method} {path}");
        assert_eq!(api(&visitor, method, path).await.status(), StatusCode::UNAUTHORIZED, "visitor: {method} {path}");
    }
    let uploads: i64 = sqlx::query_scalar("SELECT count(*) FROM uploads").fetch_one(&app.db).await.unwrap();
    let imports: i64 = sqlx::query_scalar("SELECT count(*) FROM imports").fetch_one(&app.db).await.unwrap();
    assert_eq!((uploads, imports), (0, 0), "nothing was held or imported");
    // And the header shows each area only to those who may use it.
    let home = app.get_text("/").await;
    assert!(!home.contains("href=\"/instructor\"") && !home.contains("href=\"/admin/users\""), "{home}");
}

#[tokio::test]
async fn instructors_get_403_on_every_admin_route() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    for (method, path) in ADMIN_PAGES {
        let response = page(&ines, method, path).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
        assert!(response.text().await.unwrap().contains("This page is for admins."), "{method} {path}");
    }
    let role: String =
        sqlx::query_scalar("SELECT role FROM users WHERE email = 'ines@example.org'").fetch_one(&app.db).await.unwrap();
    assert_eq!(role, "instructor", "the role form did not make her an admin");
    let home = ines.get_text("/").await;
    assert!(home.contains("href=\"/instructor\"") && !home.contains("href=\"/admin/users\""), "{home}");
}
