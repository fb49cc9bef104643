//! The exam editor in Chromium: an instructor makes an exam by filling the
//! form, is told of a mistake beside its field, fixes it and lands on the
//! new draft; each page through the phone-width, dark-scheme, axe-core and
//! keyboard checks.

use super::learner::register_as;
use super::web::Web;
use crate::helpers::TestApp;

/// The checks of `visit_in_every_layout`, on the page as it is: a page
/// that answers a POST cannot be fetched again by its address.
async fn check_in_every_layout(web: &Web, what: &str) {
    let mut backgrounds = Vec::new();
    for scheme in ["light", "dark"] {
        web.color_scheme(scheme).await;
        web.narrow().await;
        web.assert_accessible(&format!("{what} ({scheme}, 375 px)")).await;
        web.assert_fits_a_phone(&format!("{what} ({scheme})")).await;
        web.assert_accessible(&format!("{what} ({scheme}, 1280 px)")).await;
        if scheme == "light" {
            web.assert_keyboard_focus(&format!("{what} (light, 1280 px)")).await;
        }
        backgrounds.push(web.js("return getComputedStyle(document.body).backgroundColor").await);
    }
    assert_ne!(backgrounds[0], backgrounds[1], "{what}: the dark scheme changes the background");
    web.color_scheme("light").await;
}

#[tokio::test]
async fn an_instructor_creates_an_exam_by_filling_the_form() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register_as(&web, "Ines Instructor", "ines@example.org").await;
    app.set_role("ines@example.org", "instructor").await;

    web.goto("/instructor").await;
    web.click("a[href='/instructor/exams/new']").await;
    web.wait_for_path("/instructor/exams/new").await;
    web.visit_in_every_layout("/instructor/exams/new").await;

    web.goto("/instructor/exams/new").await;
    web.fill("#slug", "intro-net").await;
    web.fill("#title", "Intro to Networking").await;
    web.fill("#description", "Addresses, routes and ports.").await;
    for (row, (code, name, weight)) in
        [("N1", "Addressing", "50"), ("N2", "Routing", "30"), ("N3", "Transport", "20")].into_iter().enumerate()
    {
        web.fill(&format!("#code-{row}"), code).await;
        web.fill(&format!("#name-{row}"), name).await;
        web.fill(&format!("#weight-{row}"), weight).await;
    }
    web.fill("#question_count", "10").await;
    web.fill("#time_limit_minutes", "20").await;
    web.fill("#scale_min", "0").await;
    web.fill("#scale_max", "100").await;
    web.fill("#scale_pass", "170").await;
    web.click("input[name=credit][value=partial]").await;
    web.click(".blueprint-form button[type=submit]").await;

    web.wait_for_text("#scale_pass-error", "The pass mark 170 is outside the scale 0–100.").await;
    let title = web.find("#title").await;
    assert_eq!(web.prop_of(&title, "value").await.as_deref(), Some("Intro to Networking"), "what was typed is kept");
    let partial = web.find("input[name=credit][value=partial]").await;
    assert!(web.is_selected(&partial).await, "the credit rule chosen is kept");
    check_in_every_layout(&web, "the new-exam form with an error").await;

    web.fill("#scale_pass", "70").await;
    web.click(".blueprint-form button[type=submit]").await;
    web.wait_for_path("/instructor/exams/intro-net").await;
    web.wait_for_text("#state-h", "Draft").await;
    web.visit_in_every_layout("/instructor/exams/intro-net").await;

    // The edit page, with the draw preview warning of an empty bank.
    web.click("a[href='/instructor/exams/intro-net/edit']").await;
    web.wait_for_text(".alert.warn li:first-child", "N1 has 0 questions; a full mock draws 5.").await;
    web.visit_in_every_layout("/instructor/exams/intro-net/edit").await;
}
