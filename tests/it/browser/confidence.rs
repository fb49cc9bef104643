//! The confidence mark in Chromium: given by keyboard, saved by the
//! autosave, shown again after a reload, then beside the verdict and on the
//! result, in every layout.

use super::learner::{answer_by_keyboard, read_item, register};
use super::web::Web;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_not_sure_mark_given_by_keyboard_is_autosaved_and_shown_with_the_verdict() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    web.goto("/exams/mla-c01").await;
    web.fill("#practice-count", "2").await;
    web.click("section[aria-labelledby='practice-h'] button[type=submit]").await;
    web.wait_for_item(1, 2).await;
    let item_path = web.path().await;

    let item = read_item(&web).await;
    answer_by_keyboard(&web, &item, 1).await;
    assert_eq!(web.text("fieldset.confidence legend").await, "How sure are you?");
    // Space on the focused radio, as a learner tabbing to it would press.
    let seq = web.seq().await;
    let not_sure = web.find("#confidence-unsure").await;
    not_sure.send_keys(" ").await.expect("keys to the radio");
    web.wait_saved(seq).await;
    let stored: Option<String> =
        sqlx::query_scalar("SELECT confidence FROM items WHERE position = 1").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored.as_deref(), Some("unsure"), "the autosave sent the mark");

    web.refresh().await;
    web.wait_for_item(1, 2).await;
    let not_sure = web.find("#confidence-unsure").await;
    assert!(web.is_selected(&not_sure).await, "the mark is shown again after a reload");
    assert!(!web.is_selected(&web.find("#confidence-sure").await).await);

    web.click("button[value=check]").await;
    let note =
        web.wait_for("the mark beside the verdict", async || web.try_text(".feedback .confidence-note").await).await;
    assert!(note.starts_with("You were not sure"), "{note}");
    assert!(web.try_find("input[name=confidence]").await.is_none(), "read-only once checked");
    web.visit_in_every_layout(&item_path).await;

    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    web.click(".submit-form button[type=submit]").await;
    web.accept_confirm().await;
    web.wait_for_path("/result").await;
    let groups = web.text(".confidence-groups").await;
    assert!(groups.contains("Right but unsure") && groups.contains("Wrong but sure"), "{groups}");
    let result_path = web.path().await;
    web.visit_in_every_layout(&result_path).await;
    web.visit_in_every_layout(&format!("{result_path}?show=misconceptions")).await;
}
