//! Accommodations in Chromium: extra time chosen on the start form runs
//! the countdown from 160:00 and is named on the result; a larger text size
//! and high contrast, set on the account page, follow the account to a new
//! device and pass the accessibility check in every layout.

use super::learner::register;
use super::web::Web;
use crate::helpers::TestApp;

#[tokio::test]
async fn extra_time_starts_the_countdown_at_160_minutes_and_the_result_says_so() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    web.goto("/exams/mla-c01").await;
    let label = web.text("label:has(input[name=extra_time][value=thirty_minutes])").await;
    assert_eq!(label.split_whitespace().collect::<Vec<_>>().join(" "), "+30 minutes (160 minutes in all)");
    web.click("input[name=extra_time][value=thirty_minutes]").await;
    web.click("section[aria-labelledby='mock-h'] button[type=submit]").await;
    web.wait_for_item(1, 65).await;
    // The page comes with 160:00; the script may have ticked once since.
    let left = web.text("#timer").await;
    assert!(["160:00", "159:59", "159:58"].contains(&left.as_str()), "the countdown shows {left}");

    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    web.click(".submit-form button[type=submit]").await;
    web.accept_confirm().await;
    web.wait_for_path("/result").await;
    let facts = web.text(".score-card .facts").await.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(facts.contains("Extra time +30 minutes (160 minutes in all)"), "{facts}");
}

#[tokio::test]
async fn text_size_and_high_contrast_follow_the_account_and_pass_the_checks() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    let html_attr = async |name: &str| web.attr("html", name).await;
    assert_eq!(html_attr("data-text-size").await.as_deref(), Some("normal"));
    assert_eq!(html_attr("data-contrast").await, None);

    web.goto("/account").await;
    web.click("input[name=text_size][value=larger]").await;
    web.click("input[name=high_contrast]").await;
    web.click("form[action='/account/display'] button[type=submit]").await;
    web.wait_for_element(".alert.success").await;
    assert_eq!(html_attr("data-text-size").await.as_deref(), Some("larger"));
    assert_eq!(html_attr("data-contrast").await.as_deref(), Some("high"));
    let root_px = web.js("return getComputedStyle(document.documentElement).fontSize").await;
    assert_eq!(root_px.as_str(), Some("24px"), "150% of 16 px");
    assert!(web.is_selected(&web.find("input[name=text_size][value=larger]").await).await, "the form shows the choice");

    // Another device: a new browser, logged in afresh.
    let other = Web::launch(&app, true).await;
    other.goto("/login").await;
    other.fill("#email", "lena@example.org").await;
    other.fill("#password", "correct horse battery staple").await;
    other.click("form[action='/login'] button[type=submit]").await;
    other.wait_for_element("form[action='/logout']").await;
    assert_eq!(other.attr("html", "data-contrast").await.as_deref(), Some("high"));
    assert_eq!(other.attr("html", "data-text-size").await.as_deref(), Some("larger"));

    other.visit_in_every_layout("/account").await;
    other.visit_in_every_layout("/exams/mla-c01").await;
    other.click("input[name=extra_time][value=half_again]").await;
    other.click("section[aria-labelledby='mock-h'] button[type=submit]").await;
    other.wait_for_item(1, 65).await;
    let item = other.path().await;
    other.visit_in_every_layout(&item).await;
}
