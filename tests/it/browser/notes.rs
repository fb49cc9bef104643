//! Notes on misses and problem reports in the browser: tagging a miss on a
//! result through its form, and the learner's pages in every layout.

use super::learner::{answer_by_clicking, read_item, register};
use super::web::Web;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_miss_is_tagged_on_its_result_and_the_notes_pages_read_well_in_every_layout() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;

    // A one-question practice, submitted unanswered: a miss.
    web.goto("/exams/mla-c01").await;
    web.js("document.querySelector('#practice-count').value = '1';").await;
    web.click("section[aria-labelledby='practice-h'] button[type=submit]").await;
    web.wait_for_item(1, 1).await;
    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    web.click(".submit-form button[type=submit]").await;
    web.accept_confirm().await;
    web.wait_for_path("/result").await;

    // The note form waits, folded, under the item.
    assert_eq!(web.count("#note-1 details[open]").await, 0, "folded, so the page stays light");
    web.click("#note-1 summary").await;
    web.click("#note-tag-1 option[value='Confused two services']").await;
    web.fill("#note-text-1", "SQS is not SNS: one reader versus fan-out.").await;
    web.click("#note-1 button[type=submit]").await;
    web.wait_for_path("/result?notice=note-saved&item=1").await;
    assert_eq!(web.text("#note-1 [role=status]").await, "Your note was saved.");
    assert_eq!(web.text("#note-1 .error-tag").await, "Confused two services");
    assert_eq!(web.text("#note-1 .miss-note-text").await, "SQS is not SNS: one reader versus fan-out.");
    let url = web.url().await;
    assert!(url.ends_with("#item-1"), "back at the item: {url}");

    // And a problem report, through its form too.
    web.click("#report-1 summary").await;
    web.click("#report-reason-1 option[value=unclear]").await;
    web.fill("#report-comment-1", "Which region is meant?").await;
    web.click("#report-1 button[type=submit]").await;
    web.wait_for_path("/result?notice=report-filed&item=1").await;
    web.wait_for_element("#report-1 .status-open").await;
    let result = web.path().await;

    web.goto("/me/misses").await;
    assert_eq!(web.count("li.miss").await, 1);
    assert_eq!(web.text("li.miss .error-tag").await, "Confused two services");
    web.goto("/me/reports").await;
    assert_eq!(web.text("li.report .status").await, "Open");

    for path in ["/me/misses", "/me/reports", "/me/error-tags", result.as_str()] {
        web.visit_in_every_layout(path).await;
    }
}

#[tokio::test]
async fn a_problem_is_reported_from_practice_feedback_and_the_page_reads_well_in_every_layout() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;

    web.goto("/exams/mla-c01").await;
    web.js("document.querySelector('#practice-count').value = '1';").await;
    web.click("section[aria-labelledby='practice-h'] button[type=submit]").await;
    web.wait_for_item(1, 1).await;
    assert!(web.try_find("#report-1").await.is_none(), "no report form before the feedback");
    let item = read_item(&web).await;
    answer_by_clicking(&web, &item, 1, true).await;
    web.click("button[value=check]").await;
    web.wait_for_element(".feedback").await;

    web.click("#report-1 summary").await;
    web.click("#report-reason-1 option[value=typo]").await;
    web.fill("#report-comment-1", "“teh” in the second option").await;
    web.click("#report-1 button[type=submit]").await;
    web.wait_for_path("/items/1?notice=report-filed").await;
    let notice = web.text("#report-1 [role=status]").await;
    assert!(notice.starts_with("Thank you: your report was sent."), "{notice}");
    assert_eq!(web.text("#report-1 summary .badge").await, "reported", "the item says it was reported");

    let path = web.path().await;
    web.visit_in_every_layout(&path).await;
}
