//! Groups in Chromium: an instructor makes a group and a learner joins it
//! by the shared link, logging in on the way; every groups page through
//! the accessibility, phone-width and keyboard checks, light and dark.

use super::web::Web;
use crate::helpers::TestApp;

#[tokio::test]
async fn an_instructor_makes_a_group_and_a_learner_joins_by_its_link() {
    let app = TestApp::spawn().await;
    // Lena has an account already; she will log in on the way to joining.
    let lena = app.new_browser();
    lena.register("lena@example.org", "Lena Learner", "correct horse battery").await;

    let web = Web::launch(&app, true).await;
    web.goto("/register").await;
    web.fill("#display_name", "Ines Instructor").await;
    web.fill("#email", "ines@example.org").await;
    web.fill("#password", "correct horse battery staple").await;
    web.fill("#password_confirm", "correct horse battery staple").await;
    web.click("form[action='/register'] button[type=submit]").await;
    web.wait_for_element("form[action='/logout']").await;
    sqlx::query("UPDATE users SET role = 'instructor' WHERE email = 'ines@example.org'")
        .execute(&app.db)
        .await
        .expect("the role is set");

    web.goto("/instructor").await;
    web.click("a[href='/instructor/groups']").await;
    web.wait_for_path("/instructor/groups").await;
    web.visit_in_every_layout("/instructor/groups").await;
    web.fill("#name", "Tuesday evening class").await;
    web.click(".new-group-form button[type=submit]").await;
    web.wait_for_text(".alert.success", "The group is made. Share its code or link with your learners.").await;
    let group_page = web.path().await.split('?').next().expect("a path").to_string();
    let link = web.attr("a.join-link", "href").await.expect("the join link");
    let code = web.text(".join-code").await;
    assert!(link.ends_with(&format!("/groups/join?code={code}")), "{link}");
    web.visit_in_every_layout("/instructor/groups").await;
    web.visit_in_every_layout(&group_page).await;

    // Lena opens the link logged out: she logs in and lands on the form,
    // filled in.
    web.click("form[action='/logout'] button[type=submit]").await;
    web.wait_for_element("a[href='/login']").await;
    web.goto_url(&link).await;
    web.wait_for_element("form[action='/login']").await;
    web.fill("#email", "lena@example.org").await;
    web.fill("#password", "correct horse battery").await;
    web.click("form[action='/login'] button[type=submit]").await;
    web.wait_for_element(".join-form").await;
    assert_eq!(web.prop_of(&web.find("#code").await, "value").await.as_deref(), Some(code.as_str()));
    web.visit_in_every_layout(&format!("/groups/join?code={code}")).await;
    web.click(".join-form button[type=submit]").await;
    web.wait_for_element(".alert.success").await;
    assert!(web.text(".alert.success").await.starts_with("You joined Tuesday evening class."));

    web.visit_in_every_layout("/me").await;
    web.goto("/me").await;
    assert!(web.text("#groups").await.contains("Tuesday evening class"));
    web.click("#groups a.button").await;
    web.wait_for_element("form[action$='/leave']").await;
    let leave = web.path().await;
    web.visit_in_every_layout(&leave).await;

    // Asking to leave changed nothing: she is still in.
    let members: i64 = sqlx::query_scalar("SELECT count(*) FROM group_members").fetch_one(&app.db).await.unwrap();
    assert_eq!(members, 1);
}
