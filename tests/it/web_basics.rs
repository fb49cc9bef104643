//! CSRF, cookies, headers, errors, health.

use reqwest::StatusCode;

use crate::helpers::{TestApp, encode};

#[tokio::test]
async fn a_cross_site_post_is_refused() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;

    // A foreign page posting with the victim's cookies, without the token.
    let forged = app
        .client
        .post(app.url("/logout"))
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.unwrap().contains("came from another site"));

    // Even with the token, a browser that says cross-site is refused.
    let token = app.csrf().await;
    let cross = app
        .client
        .post(app.url("/logout"))
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&[("csrf_token", &token)]))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);

    // Same origin but no token (or a wrong one): refused too.
    for body in [String::new(), encode(&[("csrf_token", &"0".repeat(64))])] {
        let response = app
            .client
            .post(app.url("/logout"))
            .header("origin", app.url(""))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    // JSON with the header token is accepted; the session is still alive.
    assert!(app.get_text("/").await.contains("Lena Learner"), "no forged request logged us out");
}

#[tokio::test]
async fn cookies_are_http_only_same_site_and_secure_when_configured() {
    let app = TestApp::spawn().await;
    let response = app.register("ann@example.org", "Ann", "correct horse battery").await;
    let cookies: Vec<&str> = response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    let session = cookies.iter().find(|c| c.starts_with("mockexam_session=")).expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "plain http by default: {session}");

    let secure = TestApp::spawn_with(|c| c.secure_cookies = true).await;
    let response = secure.get("/login").await;
    let csrf = response.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(csrf.starts_with("__Host-mockexam_csrf=") && csrf.contains("; Secure"), "{csrf}");
    assert!(response.headers().get("strict-transport-security").is_some());
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_request_id() {
    let app = TestApp::spawn().await;
    let response = app.get("/login").await;
    let h = response.headers();
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
    assert!(h.get("x-request-id").is_some());
}

#[tokio::test]
async fn static_files_are_cached_and_compressed() {
    let app = TestApp::spawn().await;
    let page = app.get_text("/login").await;
    let start = page.find("/static/app.css?v=").expect("versioned stylesheet link");
    let href = &page[start..page[start..].find('"').unwrap() + start];
    let response = app.client.get(app.url(href)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("cache-control").unwrap(), "public, max-age=31536000, immutable");
    assert_eq!(response.headers().get("content-encoding").unwrap(), "gzip");
}

#[tokio::test]
async fn unknown_pages_get_a_friendly_404() {
    let app = TestApp::spawn().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    assert!(body.contains("<h1>Not Found</h1>") && body.contains("home page"), "{body}");
    // Static files are cached for a year: the error page names their version like every page.
    let home = app.get_text("/").await;
    let css = |page: &str| {
        page.split("href=\"")
            .find(|h| h.starts_with("/static/app.css"))
            .map(|h| h.split('"').next().unwrap_or_default().to_string())
    };
    assert_eq!(css(&body), css(&home));
    assert!(css(&body).is_some_and(|href| href.contains("?v=")), "{body}");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = TestApp::spawn_with(|c| c.body_limit_bytes = 1024).await;
    let token = app.csrf().await;
    let big = "x".repeat(4096);
    let response = app
        .client
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&[("csrf_token", &token), ("email", &big), ("password", "p")]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn healthz_answers_and_readyz_reports_a_stopped_database() {
    // A cluster of this test's own, so stopping it harms no other test.
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pg-ready-{}", uuid::Uuid::new_v4().simple()));
    let d = dir.clone();
    let mut cluster = tokio::task::spawn_blocking(move || mockexam::db::Cluster::start(&d)).await.unwrap().unwrap();
    let app = TestApp::spawn_on(cluster.connect_options("postgres")).await;

    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
    let mut cluster = tokio::task::spawn_blocking(move || {
        cluster.stop_now().unwrap();
        cluster
    })
    .await
    .unwrap();
    let down = app.get("/readyz").await;
    assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(down.text().await.unwrap().contains("unreachable"));
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK, "the process itself is fine");

    let cluster = tokio::task::spawn_blocking(move || {
        cluster.restart().unwrap();
        cluster
    })
    .await
    .unwrap();
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK, "ready again once the database is back");
    drop(app);
    tokio::task::spawn_blocking(move || drop(cluster)).await.unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
