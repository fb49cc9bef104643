//! Assignments in Chromium: an instructor assigns a drill from the group's
//! page, a member finds it on /me and starts it with one click; the assign
//! form, an assignment's page, its delete confirmation and /me's section
//! through the accessibility, phone-width and keyboard checks, light and
//! dark.

use super::learner::register_as;
use super::web::Web;
use crate::helpers::TestApp;

#[tokio::test]
async fn an_instructor_assigns_a_drill_and_a_member_starts_it_from_me() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register_as(&web, "Ines Instructor", "ines@example.org").await;
    app.set_role("ines@example.org", "instructor").await;

    web.goto("/instructor/groups").await;
    web.fill("#name", "Tuesday evening class").await;
    web.click(".new-group-form button[type=submit]").await;
    web.wait_for_element(".alert.success").await;
    let group = web.path().await.split('?').next().expect("a path").to_string();
    let code = web.text(".join-code").await;

    web.click(&format!("a[href='{group}/assignments/new']")).await;
    web.wait_for_element(".assign-form").await;
    web.visit_in_every_layout(&format!("{group}/assignments/new")).await;
    web.click("input[name=mode][value=drill]").await;
    web.click("input[name=domains][value=D3]").await;
    web.fill("#count", "5").await;
    web.fill("#note", "before Friday's class").await;
    web.click(".assign-form button[type=submit]").await;
    web.wait_for_text(".alert.success", "Assigned. Your learners see it on their page.").await;
    assert!(web.text("#assignments").await.contains("Drill of D3, 5 questions"));
    web.visit_in_every_layout(&group).await;
    web.goto(&group).await;
    web.click("#assignments li a").await;
    web.wait_for_element("dd.tally").await;
    let page = web.path().await;
    web.visit_in_every_layout(&page).await;
    web.visit_in_every_layout(&format!("{page}/delete")).await;

    // Lena joins and starts the drill from /me.
    web.click("form[action='/logout'] button[type=submit]").await;
    web.wait_for_element("a[href='/login']").await;
    register_as(&web, "Lena Learner", "lena@example.org").await;
    web.goto(&format!("/groups/join?code={code}")).await;
    web.click(".join-form button[type=submit]").await;
    web.wait_for_element(".alert.success").await;
    web.visit_in_every_layout("/me").await;
    web.goto("/me").await;
    let section = web.text("#assignments").await;
    assert!(section.contains("Drill of D3, 5 questions") && section.contains("Not started"), "{section}");
    web.click("#assignments .start-assignment button[type=submit]").await;
    web.wait_for_item(1, 5).await;
    let settings: serde_json::Value =
        sqlx::query_scalar("SELECT settings FROM attempts").fetch_one(&app.db).await.unwrap();
    assert_eq!(settings["domains"], serde_json::json!(["D3"]));
    web.goto("/me").await;
    assert!(web.text("#assignments").await.contains("In progress"));
}
