//! Register, log in, log out, change password, throttling, the CLI.

use reqwest::StatusCode;
use time::Duration;

use crate::helpers::{TestApp, location};

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn register_log_in_see_my_name_log_out_and_the_old_cookie_no_longer_works() {
    let app = TestApp::spawn().await;

    let registered = app.register("ann@example.org", "Ann Example", PASSWORD).await;
    assert_eq!(registered.status(), StatusCode::SEE_OTHER);
    assert!(app.get_text("/").await.contains("Welcome, Ann Example"));

    app.log_out().await;
    let logged_in = app.log_in("ANN@example.org", PASSWORD).await;
    assert_eq!(logged_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&logged_in), "/");
    let home = app.get_text("/").await;
    assert!(home.contains("Ann Example") && home.contains("learner"), "{home}");
    let stolen = app.cookie("mockexam_session").expect("a session cookie");

    let logged_out = app.log_out().await;
    assert_eq!(location(&logged_out), "/login");
    assert!(app.cookie("mockexam_session").is_none_or(|c| c.is_empty()), "logout clears the cookie");

    // Another browser replays the cookie from before the logout.
    let thief = app.new_browser();
    let replay = thief
        .client
        .get(app.url("/account"))
        .header("cookie", format!("mockexam_session={stolen}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&replay), "/login?next=/account");
}

#[tokio::test]
async fn a_login_gets_a_new_session_token_each_time() {
    let app = TestApp::spawn().await;
    app.register("ann@example.org", "Ann", PASSWORD).await;
    let first = app.cookie("mockexam_session").unwrap();
    app.log_in("ann@example.org", PASSWORD).await;
    let second = app.cookie("mockexam_session").unwrap();
    assert_ne!(first, second);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored, 1, "logging in again ends the session it replaces");
    let raw: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_one(&app.db).await.unwrap();
    assert_ne!(raw, second.as_bytes(), "only a hash of the token is stored");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.register("ann@example.org", "Ann", PASSWORD).await;
    app.log_out().await;

    let wrong = app.log_in("ann@example.org", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong = wrong.text().await.unwrap();
    let unknown = app.log_in("nobody@example.org", "not the password").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown = unknown.text().await.unwrap();
    assert!(wrong.contains("Email or password is incorrect."));
    assert_eq!(
        wrong.replace("ann@example.org", "EMAIL"),
        unknown.replace("nobody@example.org", "EMAIL"),
        "the pages differ only by the email typed"
    );
    assert!(app.cookie("mockexam_session").is_none_or(|c| c.is_empty()));
}

#[tokio::test]
async fn a_duplicate_email_cannot_register_whatever_its_case() {
    let app = TestApp::spawn().await;
    app.register("ann@example.org", "Ann", PASSWORD).await;
    let other = app.new_browser();
    let again = other.register("Ann@Example.org", "Another Ann", PASSWORD).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = again.text().await.unwrap();
    assert!(page.contains("An account with this email already exists"), "{page}");
    assert!(page.contains("value=\"Another Ann\""), "what was typed is kept");
}

#[tokio::test]
async fn bad_registration_input_is_named_field_by_field() {
    let app = TestApp::spawn().await;
    let response = app
        .post_form(
            "/register",
            &[("email", "not-an-email"), ("display_name", ""), ("password", "short"), ("password_confirm", "other")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    for message in ["Enter an email address", "Enter your name.", "at least 10 characters", "The two passwords differ."]
    {
        assert!(page.contains(message), "missing {message:?}");
    }
    assert!(page.contains("value=\"not-an-email\""));
}

#[tokio::test]
async fn failed_logins_lock_the_account_for_a_while_but_not_the_classroom() {
    let app = TestApp::spawn().await;
    app.register("ann@example.org", "Ann", PASSWORD).await;
    app.register("bob@example.org", "Bob", PASSWORD).await;
    app.log_out().await;

    for _ in 0..5 {
        assert_eq!(app.log_in("ann@example.org", "guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = app.log_in("ann@example.org", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(locked.text().await.unwrap().contains("Too many failed logins for this account"));

    // Unknown emails lock the same way, so a lock reveals nothing.
    for _ in 0..5 {
        app.log_in("ghost@example.org", "guess").await;
    }
    assert_eq!(app.log_in("ghost@example.org", "guess").await.status(), StatusCode::TOO_MANY_REQUESTS);

    // A classmate on the same address is not affected.
    assert_eq!(app.log_in("bob@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);

    app.clock.advance(Duration::minutes(16));
    app.log_out().await;
    assert_eq!(app.log_in("ann@example.org", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn many_failures_from_one_address_are_throttled_more_loosely() {
    let app = TestApp::spawn_with(|c| c.login_address_limit = 8).await;
    for i in 0..8 {
        app.log_in(&format!("user{i}@example.org"), "guess").await;
    }
    let response = app.log_in("fresh@example.org", "guess").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.text().await.unwrap().contains("your network address"));
}

#[tokio::test]
async fn changing_the_password_logs_out_other_devices() {
    let app = TestApp::spawn().await;
    app.register("ann@example.org", "Ann", PASSWORD).await;
    let phone = app.new_browser();
    phone.log_in("ann@example.org", PASSWORD).await;

    let changed = app
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new secret"),
                ("new_password_confirm", "a brand new secret"),
            ],
        )
        .await;
    assert_eq!(location(&changed), "/account?changed=tokens-kept", "the box left unticked");
    assert!(app.get_text("/account").await.contains("ann@example.org"), "this browser stays in");
    assert_eq!(phone.get("/account").await.status(), StatusCode::SEE_OTHER, "the other device is out");

    app.log_out().await;
    assert_eq!(app.log_in("ann@example.org", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.log_in("ann@example.org", "a brand new secret").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_session_ends_after_the_idle_limit() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    assert_eq!(app.get("/account").await.status(), StatusCode::OK);
    app.clock.advance(Duration::days(4));
    assert_eq!(app.get("/account").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn registration_can_be_switched_off() {
    let app = TestApp::spawn_with(|c| c.registration_open = false).await;
    assert_eq!(app.get("/register").await.status(), StatusCode::FORBIDDEN);
    let response = app.register("ann@example.org", "Ann", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Registration is closed"));
}

#[tokio::test]
async fn the_cli_creates_an_instructor_who_can_log_in() {
    let app = TestApp::spawn().await;
    let url = app.database_url();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mockexam"))
        .args(["user", "create", "--email", "ines@example.org", "--role", "instructor", "--name", "Ines"])
        .env("DATABASE_URL", &url)
        .env("MOCKEXAM_CONTENT_DIR", "/nonexistent")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"instructor password\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created ines@example.org (Ines) as instructor"));

    assert_eq!(app.log_in("ines@example.org", "instructor password").await.status(), StatusCode::SEE_OTHER);
    assert!(app.get_text("/").await.contains("instructor"));
}
