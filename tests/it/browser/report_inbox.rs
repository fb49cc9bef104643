//! The problem-report inbox in Chromium: the inbox, one question's
//! reports and a report's page through the accessibility, phone-width and
//! keyboard checks, light and dark; and a report resolved without
//! JavaScript, refused first for want of a reply, then read by its learner.

use uuid::Uuid;

use super::learner::register_as;
use super::web::Web;
use crate::helpers::TestApp;

/// Registers in the browser as an instructor who owns the bundled exam.
async fn log_in_as_owner(app: &TestApp, web: &Web) {
    register_as(web, "Ines Instructor", "ines@example.org").await;
    app.set_role("ines@example.org", "instructor").await;
    app.give_exam("mla-c01", "ines@example.org").await;
}

/// The learner (the app's own browser, over HTTP) reports item 1 of a
/// finished practice; the report's id and its question's id.
async fn a_report(app: &TestApp) -> (Uuid, Uuid) {
    app.log_in_as_learner().await;
    let attempt = app.start(&[("mode", "practice"), ("count", "1")]).await;
    app.submit(attempt).await;
    let fields = [("reason", "wrong-key"), ("comment", "I think B is right too."), ("from", "result")];
    let sent = app.post_form(&format!("/attempts/{attempt}/items/1/report"), &fields).await;
    assert_eq!(sent.status(), reqwest::StatusCode::SEE_OTHER);
    sqlx::query_as("SELECT id, question_id FROM problem_reports").fetch_one(&app.db).await.expect("the report")
}

#[tokio::test]
async fn the_inbox_and_a_report_page_pass_every_layout() {
    let app = TestApp::spawn().await;
    let (report, question) = a_report(&app).await;
    let web = Web::launch(&app, true).await;
    log_in_as_owner(&app, &web).await;

    web.goto("/instructor/exams/mla-c01").await;
    web.click("a[href='/instructor/exams/mla-c01/reports']").await;
    web.wait_for_element(&format!("a[href='/instructor/exams/mla-c01/reports/{report}']")).await;
    web.visit_in_every_layout("/instructor/exams/mla-c01/reports").await;
    web.visit_in_every_layout(&format!("/instructor/exams/mla-c01/reports?question={question}")).await;
    web.visit_in_every_layout(&format!("/instructor/exams/mla-c01/reports/{report}")).await;
    // For a person to look at, on a phone.
    web.goto("/instructor/exams/mla-c01/reports").await;
    web.screenshot("report-inbox-375", 375, 800).await;
    web.goto(&format!("/instructor/exams/mla-c01/reports/{report}")).await;
    web.screenshot("report-page-375", 375, 800).await;

    // Resolved, then the learner's pages with the reply.
    web.goto(&format!("/instructor/exams/mla-c01/reports/{report}")).await;
    web.click("input[name=status][value=fixed]").await;
    web.fill("#reply", "Thank you: the key now says B.").await;
    web.click(".resolve-form button[type=submit]").await;
    web.wait_for_element(".alert.success").await;
    web.visit_in_every_layout(&format!("/instructor/exams/mla-c01/reports/{report}")).await;
    log_in_as_learner(&web).await;
    web.visit_in_every_layout("/me/reports").await;
    web.visit_in_every_layout(&format!("/me/reports/{report}")).await;
}

/// Logs the browser out and in again as the learner `a_report` made.
async fn log_in_as_learner(web: &Web) {
    web.click("form[action='/logout'] button[type=submit]").await;
    web.wait_for_element("a[href='/login']").await;
    web.goto("/login").await;
    web.fill("#email", "learner@example.org").await;
    web.fill("#password", "correct horse battery").await;
    web.click("form[action='/login'] button[type=submit]").await;
    web.wait_for_element("form[action='/logout']").await;
}

#[tokio::test]
async fn without_javascript_a_report_is_resolved_and_its_learner_reads_the_reply() {
    let app = TestApp::spawn().await;
    let (report, _) = a_report(&app).await;
    let web = Web::launch(&app, false).await;
    log_in_as_owner(&app, &web).await;
    let page = format!("/instructor/exams/mla-c01/reports/{report}");

    // Duplicate without a reply: refused at the reply, the choice kept.
    web.goto(&page).await;
    web.click("input[name=status][value=duplicate]").await;
    web.fill("#duplicate_of", "report of last week").await;
    web.click(".resolve-form button[type=submit]").await;
    web.wait_for_text("#reply-error", "Write a reply: tell the learner where this problem is already followed.").await;
    assert!(web.is_selected(&web.find("input[name=status][value=duplicate]").await).await, "the choice kept");
    assert_eq!(web.prop_of(&web.find("#duplicate_of").await, "value").await.as_deref(), Some("report of last week"));

    // Not a problem, with a reply.
    web.click("input[name=status][value=rejected]").await;
    web.fill("#reply", "The key is right: B misses the encryption step.").await;
    web.click(".resolve-form button[type=submit]").await;
    web.wait_for_text(".alert.success", "Resolved: the learner sees the status and your reply on their reports.").await;
    let status: String =
        sqlx::query_scalar("SELECT status FROM problem_reports").fetch_one(&app.db).await.expect("the report");
    assert_eq!(status, "rejected");

    // The learner reads it on their list.
    log_in_as_learner(&web).await;
    web.goto("/me/reports").await;
    let reply = web.text(".report-reply").await;
    assert!(reply.starts_with("Not a problem on "), "{reply}");
    assert!(reply.ends_with("The key is right: B misses the encryption step."), "{reply}");
}
