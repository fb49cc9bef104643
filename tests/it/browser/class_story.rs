//! Issue 15's first acceptance story, in Chromium as a new user would try
//! it: an instructor makes a group and assigns the full mock; two learners
//! join with the code and start the mock from their page; once both have
//! submitted, the instructor sees both on the class dashboard with their
//! per-domain percents and readiness, and the group's averages.
//!
//! The 65 answers of each mock go over HTTP as the learner (the browser
//! tests of the exam screen answer items one by one already); joining,
//! starting and everything the instructor does happens in the browser.

use serde_json::json;

use super::learner::{PASSWORD, attempt_id, register_as};
use super::web::Web;
use crate::helpers::{TestApp, key_of};

async fn log_out(web: &Web) {
    web.click("form[action='/logout'] button[type=submit]").await;
    web.wait_for_element("a[href='/login']").await;
}

/// Registers a learner, joins the group by its link and starts the
/// assigned mock from /me; returns the attempt.
async fn join_and_start(web: &Web, name: &str, email: &str, code: &str) -> uuid::Uuid {
    register_as(web, name, email).await;
    web.goto(&format!("/groups/join?code={code}")).await;
    web.click(".join-form button[type=submit]").await;
    web.wait_for_text(".alert.success", "You joined Friday class. See your groups").await;
    web.goto("/me").await;
    let section = web.text("#assignments").await;
    assert!(section.contains("Full mock") && section.contains("Not started"), "{section}");
    web.click("#assignments .start-assignment button[type=submit]").await;
    web.wait_for_item(1, 65).await;
    attempt_id(web).await
}

/// Answers every `every`-th item of the mock with its key, as `email`,
/// and submits it.
async fn answer_and_submit(app: &TestApp, email: &str, attempt: uuid::Uuid, every: i32) {
    let learner = app.new_browser();
    learner.log_in(email, PASSWORD).await;
    for n in (1..=65).filter(|n| n % every == 0) {
        let answer = key_of(&app.db, attempt, n).await;
        learner.save_json(attempt, n, json!({ "seq": 1, "response": answer })).await;
    }
    assert_eq!(learner.submit(attempt).await.status(), reqwest::StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn two_learners_join_take_the_assigned_mock_and_the_instructor_sees_them_on_the_dashboard() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;

    // The instructor makes the group and assigns the full mock.
    register_as(&web, "Ines Instructor", "ines@example.org").await;
    app.set_role("ines@example.org", "instructor").await;
    web.goto("/instructor/groups").await;
    web.fill("#name", "Friday class").await;
    web.click(".new-group-form button[type=submit]").await;
    web.wait_for_element(".alert.success").await;
    let group = web.path().await.split('?').next().expect("a path").to_string();
    let code = web.text(".join-code").await;
    web.goto(&format!("{group}/assignments/new")).await;
    web.click("input[name=mode][value=exam]").await;
    web.fill("#note", "by Friday").await;
    web.click(".assign-form button[type=submit]").await;
    web.wait_for_text(".alert.success", "Assigned. Your learners see it on their page.").await;
    log_out(&web).await;

    // Two learners join with the code and start it from their page.
    let ada = join_and_start(&web, "Ada Lovelace", "ada@example.org", &code).await;
    log_out(&web).await;
    let bob = join_and_start(&web, "Bob Babbage", "bob@example.org", &code).await;
    log_out(&web).await;
    // Ada answers every item right, Bob every third.
    answer_and_submit(&app, "ada@example.org", ada, 1).await;
    answer_and_submit(&app, "bob@example.org", bob, 3).await;

    // The instructor sees both, done, on the assignment and the dashboard.
    web.goto("/login").await;
    web.fill("#email", "ines@example.org").await;
    web.fill("#password", PASSWORD).await;
    web.click("form[action='/login'] button[type=submit]").await;
    web.wait_for_element("form[action='/logout']").await;
    web.goto(&group).await;
    assert!(web.text("#assignments").await.contains("2 of 2 done"), "both did the assigned mock");
    web.click(&format!("a[href='{group}/dashboard']")).await;
    web.wait_for_element("table.dashboard").await;
    let rows = web.text("table.dashboard tbody").await;
    for name in ["Ada Lovelace", "Bob Babbage"] {
        assert!(rows.contains(name), "{name} is on the dashboard: {rows}");
    }
    assert!(web.text("#members-count").await.starts_with("2 (2 with finished attempts"));
    // Ada's D1 percent is whole; Bob's is about a third: both are shown
    // per domain, and the group's average lies between.
    let ada_d1 = web.text("table.dashboard tbody tr:first-child td[data-domain=D1]").await;
    assert!(ada_d1.trim().starts_with("100% of "), "Ada sorts first by name and got every D1 item right: {ada_d1}");
    let average = web.text(".group-averages li[data-domain=D1] .figure").await;
    let percent: u32 = average.trim().trim_end_matches('%').parse().expect("a percent");
    assert!((34..100).contains(&percent), "the group's D1 average sits between them: {average}");
    let readiness = web.text("table.dashboard tbody").await;
    assert!(readiness.contains("Too early to tell") || readiness.contains("Not yet"), "{readiness}");
    assert!(web.text("#count-too-early").await.trim() == "2", "one mock is too little to judge either");
    web.visit_in_every_layout(&format!("{group}/dashboard")).await;
}
