//! The item analysis page in Chromium, with mocks in it: through the
//! accessibility, phone-width, dark-scheme and keyboard checks, and its
//! filters used as a plain GET form.

use super::web::Web;
use crate::helpers::TestApp;
use crate::item_analysis::{INES, SLUG, exam_of_twenty, take_mock};

#[tokio::test]
async fn the_item_analysis_page_with_mocks_passes_every_layout() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", INES).await;
    exam_of_twenty(&app, &ines).await;
    for a in [2, 9, 16, 23, 29] {
        let learner = app.new_browser();
        learner.register(&format!("l{a}@example.org"), &format!("Learner {a}"), "correct horse battery").await;
        take_mock(&app, &learner, a).await;
    }

    let web = Web::launch(&app, true).await;
    web.goto("/login").await;
    web.fill("#email", INES).await;
    web.fill("#password", "correct horse battery").await;
    web.click("form[action='/login'] button[type=submit]").await;
    web.wait_for_element("form[action='/logout']").await;
    web.goto(&format!("/instructor/exams/{SLUG}")).await;
    web.click(&format!("a[href='/instructor/exams/{SLUG}/items']")).await;
    web.wait_for_path(&format!("/instructor/exams/{SLUG}/items")).await;
    assert!(web.text("#summary").await.starts_with("5 mocks counted"), "{}", web.text("#summary").await);
    assert_eq!(web.count("article.item-stats").await, 20);
    web.visit_in_every_layout(&format!("/instructor/exams/{SLUG}/items")).await;

    // The filters are a GET form: a date range keeps the same mocks.
    web.goto(&format!("/instructor/exams/{SLUG}/items")).await;
    let today = app.clock.now().date().to_string();
    web.js(&format!(
        "document.getElementById('f-from').value = '{today}'; document.getElementById('f-to').value = '{today}';"
    ))
    .await;
    web.click("form.filters button[type=submit]").await;
    web.wait_for_path(&format!("/instructor/exams/{SLUG}/items?group=&from={today}&to={today}")).await;
    assert!(web.text("#summary").await.starts_with("5 mocks counted"));
    web.visit_in_every_layout(&format!("/instructor/exams/{SLUG}/items?from={today}&to={today}")).await;
}
