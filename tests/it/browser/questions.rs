//! An exam's questions in Chromium: the list, a question's page and its
//! edit page through the accessibility, phone-width and keyboard checks,
//! light and dark; and the live preview following what is typed.

use super::learner::register_as;
use super::web::Web;
use crate::helpers::TestApp;

/// Registers in the browser as an instructor who owns the bundled exam.
async fn log_in_as_owner(app: &TestApp, web: &Web) {
    register_as(web, "Ines Instructor", "ines@example.org").await;
    app.set_role("ines@example.org", "instructor").await;
    app.give_exam("mla-c01", "ines@example.org").await;
}

#[tokio::test]
async fn the_question_pages_pass_every_layout_and_the_preview_follows_the_typing() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    log_in_as_owner(&app, &web).await;
    let key: String = sqlx::query_scalar("SELECT key FROM questions WHERE case_key IS NULL ORDER BY key LIMIT 1")
        .fetch_one(&app.db)
        .await
        .expect("a question");
    let page = format!("/instructor/exams/mla-c01/questions/{key}");

    web.goto("/instructor/exams/mla-c01").await;
    web.click("a[href='/instructor/exams/mla-c01/questions']").await;
    web.wait_for_element(&format!("a[href='{page}']")).await;
    web.visit_in_every_layout("/instructor/exams/mla-c01/questions").await;
    web.visit_in_every_layout("/instructor/exams/mla-c01/questions?state=all&page=2").await;
    web.visit_in_every_layout(&page).await;
    web.visit_in_every_layout(&format!("{page}/edit")).await;

    web.goto(&format!("{page}/edit")).await;
    let before = web.text("#question-preview").await;
    assert!(!before.contains("LIVE-MARKER"), "{before}");
    // Typed at the end of the text: the explanation, shown in the preview.
    let text = web.find("#text").await;
    text.send_keys(" LIVE-MARKER").await.expect("typing");
    web.wait_for("the preview to show the typed words", async || {
        web.try_text("#question-preview").await.filter(|t| t.contains("LIVE-MARKER")).map(|_| ())
    })
    .await;
    text.send_keys(" AND-MORE").await.expect("typing");
    web.wait_for("the preview to follow", async || {
        web.try_text("#question-preview").await.filter(|t| t.contains("LIVE-MARKER AND-MORE")).map(|_| ())
    })
    .await;
    // Text that breaks a rule: the preview says what and where.
    web.fill("#text", "## Question something-else").await;
    web.wait_for("the problems to show", async || {
        web.try_text("#question-preview").await.filter(|t| t.contains("line ")).map(|_| ())
    })
    .await;
}

#[tokio::test]
async fn without_javascript_the_preview_button_renders_the_text_and_keeps_it() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, false).await;
    log_in_as_owner(&app, &web).await;
    let key: String = sqlx::query_scalar("SELECT key FROM questions WHERE case_key IS NULL ORDER BY key LIMIT 1")
        .fetch_one(&app.db)
        .await
        .expect("a question");
    web.goto(&format!("/instructor/exams/mla-c01/questions/{key}/edit")).await;
    web.find("#text").await.send_keys(" NOJS-MARKER").await.expect("typing");
    web.click("button[name=action][value=preview]").await;
    web.wait_for("the rendered preview", async || {
        web.try_text("#question-preview").await.filter(|t| t.contains("NOJS-MARKER")).map(|_| ())
    })
    .await;
    let kept = web.prop_of(&web.find("#text").await, "value").await.unwrap_or_default();
    assert!(kept.trim_end().ends_with("NOJS-MARKER"), "the typed text is kept");
}
