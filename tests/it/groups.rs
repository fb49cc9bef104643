//! Groups over HTTP (issue 15, "Groups and assignments"): an instructor
//! makes a group, learners join with its code once, wrong and expired
//! codes say so, a new code retires the old one, leaving and removing,
//! whose groups are whose, and the throttle on guessing codes.

use reqwest::StatusCode;
use time::Duration;

use crate::helpers::{Browser, TestApp, location};

/// Makes a group as `instructor`; returns its page's path and its code as
/// the page shows it.
async fn make_group(instructor: &Browser, name: &str) -> (String, String) {
    let made = instructor.post_form("/instructor/groups", &[("name", name)]).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let to = location(&made).to_string();
    let page = instructor.get_text(&to).await;
    assert!(page.contains("The group is made."), "{page}");
    let path = to.split('?').next().expect("a path").to_string();
    (path, code_on(&page))
}

fn code_on(page: &str) -> String {
    let start = page.find("class=\"join-code\">").expect("the code is shown") + "class=\"join-code\">".len();
    page[start..start + 9].to_string()
}

async fn learner(app: &TestApp, email: &str, name: &str) -> Browser {
    let browser = app.new_browser();
    let response = browser.register(email, name, "correct horse battery").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "registered");
    browser
}

async fn join(browser: &Browser, code: &str) -> (StatusCode, String) {
    let response = browser.post_form("/groups/join", &[("code", code)]).await;
    (response.status(), response.text().await.expect("a body"))
}

fn group_id(path: &str) -> &str {
    path.rsplit('/').next().expect("an id")
}

#[tokio::test]
async fn two_learners_join_by_code_and_are_listed_on_the_group_page() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    assert!(ines.get_text("/instructor").await.contains("href=\"/instructor/groups\""), "linked from the area");
    let (path, code) = make_group(&ines, "Spring cohort").await;
    let page = ines.get_text(&path).await;
    assert!(page.contains(&format!("/groups/join?code={code}")), "the join link: {page}");
    assert!(page.contains("Works until"), "the expiry: {page}");

    let ada = learner(&app, "ada@example.org", "Ada Lovelace").await;
    let (status, body) = join(&ada, &code).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("You joined Spring cohort."), "{body}");
    // Typed in lower case with a space instead of the dash, as people do.
    let bob = learner(&app, "bob@example.org", "Bob Babbage").await;
    let typed = code.to_lowercase().replace('-', " ");
    let (status, body) = join(&bob, &typed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("You joined Spring cohort."), "{body}");

    let page = ines.get_text(&path).await;
    for who in ["Ada Lovelace", "ada@example.org", "Bob Babbage", "bob@example.org"] {
        assert!(page.contains(who), "{who} listed: {page}");
    }
    assert!(page.contains("Members (2)"), "{page}");
    let list = ines.get_text("/instructor/groups").await;
    assert!(list.contains("Spring cohort") && list.contains("<td>2</td>"), "the count: {list}");
    // And each learner sees the group on /me.
    let me = ada.get_text("/me").await;
    assert!(me.contains("Your groups") && me.contains("Spring cohort"), "{me}");
}

#[tokio::test]
async fn joining_twice_says_so_and_adds_no_second_membership() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (_, code) = make_group(&ines, "Spring cohort").await;
    let ada = learner(&app, "ada@example.org", "Ada Lovelace").await;
    assert_eq!(join(&ada, &code).await.0, StatusCode::OK);
    let (status, body) = join(&ada, &code).await;
    assert_eq!(status, StatusCode::OK, "not an error page");
    assert!(body.contains("You are already in Spring cohort."), "{body}");
    let members: i64 = sqlx::query_scalar("SELECT count(*) FROM group_members").fetch_one(&app.db).await.unwrap();
    assert_eq!(members, 1);
}

#[tokio::test]
async fn a_wrong_or_expired_code_says_so_with_422_and_keeps_the_form() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (_, code) = make_group(&ines, "Spring cohort").await;
    let wrong = if code == "ABCD-EFGH" { "ABCD-EFGJ" } else { "ABCD-EFGH" };
    let ada = learner(&app, "ada@example.org", "Ada Lovelace").await;

    let (status, body) = join(&ada, wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(&format!("No group has the code “{wrong}”")), "{body}");
    assert!(body.contains(&format!("value=\"{wrong}\"")), "the code is kept: {body}");
    let (status, body) = join(&ada, "not a code").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("No group has the code “not a code”"), "{body}");

    // Sessions end sooner than codes do: Ada logs in again.
    app.clock.advance(Duration::days(14) + Duration::minutes(1));
    ada.log_in("ada@example.org", "correct horse battery").await;
    let (status, body) = join(&ada, &code).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("This code expired on ") && body.contains("; ask your instructor for a new one."), "{body}");
    assert!(body.contains(&format!("value=\"{code}\"")), "the code is kept: {body}");
    let members: i64 = sqlx::query_scalar("SELECT count(*) FROM group_members").fetch_one(&app.db).await.unwrap();
    assert_eq!(members, 0, "no one joined");
}

#[tokio::test]
async fn a_new_code_retires_the_old_one_and_works_for_fourteen_days_more() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (path, old) = make_group(&ines, "Spring cohort").await;
    app.clock.advance(Duration::days(20));
    ines.log_in("ines@example.org", "correct horse battery").await;
    let made = ines.post_form(&format!("{path}/code"), &[]).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let page = ines.get_text(location(&made)).await;
    assert!(page.contains("the old one no longer works"), "{page}");
    let new = code_on(&page);
    assert_ne!(new, old);

    let ada = learner(&app, "ada@example.org", "Ada Lovelace").await;
    let (status, body) = join(&ada, &old).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("No group has the code"), "{body}");
    let (status, body) = join(&ada, &new).await;
    assert_eq!(status, StatusCode::OK, "works though the group is 20 days old");
    assert!(body.contains("You joined Spring cohort."), "{body}");
}

#[tokio::test]
async fn another_instructor_gets_404_on_the_group_and_its_posts_and_an_admin_sees_it() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (path, code) = make_group(&ines, "Spring cohort").await;
    let ada = learner(&app, "ada@example.org", "Ada Lovelace").await;
    join(&ada, &code).await;
    let ada_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'ada@example.org'").fetch_one(&app.db).await.unwrap();

    let otto = app.new_browser_as("instructor", "otto@example.org").await;
    assert_eq!(otto.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(otto.post_form(&format!("{path}/code"), &[]).await.status(), StatusCode::NOT_FOUND);
    let remove = format!("{path}/members/{ada_id}/remove");
    assert_eq!(otto.post_form(&remove, &[]).await.status(), StatusCode::NOT_FOUND);
    let list = otto.get_text("/instructor/groups").await;
    assert!(!list.contains("Spring cohort") && list.contains("No groups yet."), "{list}");
    assert_eq!(code_on(&ines.get_text(&path).await), code, "the code stayed as it was");
    assert!(ines.get_text(&path).await.contains("Ada Lovelace"), "Ada stayed in");

    let admin = app.new_browser_as("admin", "root@example.org").await;
    assert_eq!(admin.get(&path).await.status(), StatusCode::OK);
    assert!(admin.get_text("/instructor/groups").await.contains("Spring cohort"));

    let learner_page = ada.get(&format!("/instructor/groups/{}", group_id(&path))).await;
    assert_eq!(learner_page.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn learners_get_403_on_the_instructor_groups_and_visitors_log_in_and_come_back_to_join() {
    let app = TestApp::spawn().await;
    let ada = learner(&app, "ada@example.org", "Ada Lovelace").await;
    assert_eq!(ada.get("/instructor/groups").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(ada.post_form("/instructor/groups", &[("name", "Mine")]).await.status(), StatusCode::FORBIDDEN);

    let visitor = app.new_browser();
    let response = visitor.get("/groups/join?code=ABCD-EFGH").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=/groups/join%3Fcode%3DABCD-EFGH");
    let form = ada.get_text("/groups/join?code=ABCD-EFGH").await;
    assert!(form.contains("value=\"ABCD-EFGH\""), "filled in from the link: {form}");
}

#[tokio::test]
async fn a_learner_leaves_after_confirming_and_an_instructor_removes_a_member() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (path, code) = make_group(&ines, "Spring cohort").await;
    let id = group_id(&path);
    let ada = learner(&app, "ada@example.org", "Ada Lovelace").await;
    let bob = learner(&app, "bob@example.org", "Bob Babbage").await;
    join(&ada, &code).await;
    join(&bob, &code).await;

    let me = ada.get_text("/me").await;
    assert!(me.contains(&format!("href=\"/groups/{id}/leave\"")), "{me}");
    let confirm = ada.get_text(&format!("/groups/{id}/leave")).await;
    assert!(confirm.contains("Leave Spring cohort?"), "{confirm}");
    assert_eq!(app.count_members().await, 2, "asking changes nothing");
    let left = ada.post_form(&format!("/groups/{id}/leave"), &[]).await;
    assert_eq!(left.status(), StatusCode::SEE_OTHER);
    let me = ada.get_text(location(&left)).await;
    assert!(me.contains("You left the group.") && me.contains("You are in no group."), "{me}");
    assert_eq!(ada.get(&format!("/groups/{id}/leave")).await.status(), StatusCode::NOT_FOUND, "no longer hers");
    assert!(!ines.get_text(&path).await.contains("Ada Lovelace"));

    let bob_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'bob@example.org'").fetch_one(&app.db).await.unwrap();
    let removed = ines.post_form(&format!("{path}/members/{bob_id}/remove"), &[]).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let page = ines.get_text(location(&removed)).await;
    assert!(page.contains("The learner is removed") && page.contains("No one has joined yet."), "{page}");
    assert!(!bob.get_text("/me").await.contains("Spring cohort"), "gone from Bob's /me");
    assert_eq!(app.count_members().await, 0);
    // Bob may join again with the code.
    assert!(join(&bob, &code).await.1.contains("You joined Spring cohort."));
}

#[tokio::test]
async fn a_group_needs_a_name_and_the_form_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let refused = ines.post_form("/instructor/groups", &[("name", "   ")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("Give the group a name"));
    let long = "x".repeat(101);
    let refused = ines.post_form("/instructor/groups", &[("name", &long)]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("at most 100 characters") && body.contains(&format!("value=\"{long}\"")), "{body}");
}

#[tokio::test]
async fn wrong_codes_are_throttled_per_account_and_right_ones_do_not_count() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (_, code) = make_group(&ines, "Spring cohort").await;
    let (_, other) = make_group(&ines, "Autumn cohort").await;
    let ada = learner(&app, "ada@example.org", "Ada Lovelace").await;
    let wrong = if code == "ABCD-EFGH" || other == "ABCD-EFGH" { "WXYZ-WXYZ" } else { "ABCD-EFGH" };

    // A right code gives its slot back, so joining never uses up the tries.
    assert_eq!(join(&ada, &other).await.0, StatusCode::OK);
    for n in 1..=10 {
        assert_eq!(join(&ada, wrong).await.0, StatusCode::UNPROCESSABLE_ENTITY, "wrong code {n}");
    }
    let (status, body) = join(&ada, &code).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "even the right code waits");
    assert!(body.contains("Too many wrong codes") && body.contains("try again in "), "{body}");
    assert!(body.contains(&format!("value=\"{code}\"")), "the code is kept");

    // Another account is not held back by Ada's guesses.
    let bob = learner(&app, "bob@example.org", "Bob Babbage").await;
    assert_eq!(join(&bob, &code).await.0, StatusCode::OK);

    app.clock.advance(Duration::hours(1));
    ada.log_in("ada@example.org", "correct horse battery").await;
    let (status, body) = join(&ada, &code).await;
    assert_eq!(status, StatusCode::OK, "the window closed");
    assert!(body.contains("You joined Spring cohort."), "{body}");
}

impl TestApp {
    async fn count_members(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM group_members").fetch_one(&self.db).await.unwrap()
    }
}
