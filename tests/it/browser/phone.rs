//! Pages on a phone's width: the widest item in the bank must not make the
//! page scroll sideways.

use super::learner::register;
use super::web::Web;
use crate::helpers::TestApp;

/// The widest content in the bank: a matching question whose answers are
/// long IAM condition keys. Its selects must not widen the page on a phone,
/// even after the page was laid out wide first (a mock draws it only
/// sometimes, so it is drilled here on purpose).
#[tokio::test]
async fn a_matching_item_with_long_answers_fits_a_phone() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;

    // Every curated topic holds several questions: the matching one gets a
    // tag of its own here, so a drill on it draws that question alone.
    sqlx::query("UPDATE questions SET tags = tags || '{phone-test}' WHERE key = 'd4-iam-condition-key-requirements'")
        .execute(&app.db)
        .await
        .unwrap();
    web.goto("/exams/mla-c01").await;
    web.js("document.querySelector('#drill-tag').value = 'phone-test';
            document.querySelector('#drill-count').value = '1';")
        .await;
    web.click("section[aria-labelledby='drill-h'] button[type=submit]").await;
    web.wait_for_item(1, 1).await;
    assert_eq!(web.count("#item-form .pair select").await, 5, "the matching question");
    web.assert_fits_a_phone("the matching item").await;

    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    web.click(".submit-form button[type=submit]").await;
    web.accept_confirm().await;
    web.wait_for_path("/result").await;
    web.assert_fits_a_phone("the matching item's result").await;
}

/// The pages a learner meets before an exam, at both widths and in both
/// schemes.
#[tokio::test]
async fn the_pages_before_an_exam_read_well_in_every_layout() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    for path in ["/", "/exams/mla-c01", "/account", "/account/password"] {
        web.visit_in_every_layout(path).await;
    }
}
