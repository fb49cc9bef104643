//! The admins' accounts page in Chromium: found through the header, every
//! layout checked (accessibility, phone width, keyboard focus, light and
//! dark), an account searched for and its role changed by keyboard alone.

use super::learner::register_as;
use super::web::Web;
use crate::helpers::TestApp;

#[tokio::test]
async fn an_admin_searches_and_makes_a_learner_an_instructor_by_keyboard() {
    let app = TestApp::spawn().await;
    let lena = app.new_browser();
    lena.register("lena@example.org", "Lena Learner", "correct horse battery").await;
    let web = Web::launch(&app, true).await;
    register_as(&web, "Ada Admin", "ada@example.org").await;
    app.set_role("ada@example.org", "admin").await;

    web.goto("/").await;
    web.click("a[href='/admin/users']").await;
    web.wait_for_path("/admin/users").await;
    web.visit_in_every_layout("/admin/users").await;

    web.goto("/admin/users").await;
    web.fill("#q", "lena").await;
    web.press("\u{E007}").await; // Enter in the search box
    web.wait_for_path("/admin/users?q=lena").await;
    web.visit_in_every_layout("/admin/users?q=lena").await;

    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'lena@example.org'")
        .fetch_one(&app.db)
        .await
        .expect("her id");
    // The role's select takes the keys, and Tab leads to its Save button.
    web.js(&format!("document.getElementById('role-{id}').focus()")).await;
    web.press("\u{E015}").await; // ArrowDown: learner → instructor
    web.press("\u{E004}").await; // Tab
    let focused = web.js("return document.activeElement.textContent").await;
    assert!(focused.as_str().unwrap_or_default().starts_with("Save"), "{focused:?}");
    web.press("\u{E007}").await; // Enter
    web.wait_for_text(".alert.success", "Lena Learner is now an instructor.").await;
    assert_eq!(web.path().await, format!("/admin/users?q=lena&done=role&user={id}"));
    let role: String =
        sqlx::query_scalar("SELECT role FROM users WHERE id = $1").bind(id).fetch_one(&app.db).await.expect("her role");
    assert_eq!(role, "instructor");
    // The page with its notice, in every layout too.
    web.visit_in_every_layout(&web.path().await).await;
}
