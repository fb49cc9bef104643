//! The class dashboard in Chromium: an instructor opens it from their
//! group's page, with two learners' mocks in it, sorted, in every layout
//! (375 and 1280 px, light and dark) through the accessibility and
//! keyboard checks.

use super::learner::register_as;
use super::web::Web;
use crate::dashboard::{learner, mock};
use crate::helpers::TestApp;

#[tokio::test]
async fn an_instructor_reads_the_class_dashboard_in_every_layout() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register_as(&web, "Ines Instructor", "ines@example.org").await;
    app.set_role("ines@example.org", "instructor").await;

    web.goto("/instructor/groups").await;
    web.fill("#name", "Tuesday evening class").await;
    web.click(".new-group-form button[type=submit]").await;
    web.wait_for_element(".join-code").await;
    let group = web.path().await.split('?').next().expect("a path").to_string();
    let code = web.text(".join-code").await;

    // The empty state first: no one has joined.
    let dashboard = format!("{group}/dashboard");
    web.visit_in_every_layout(&dashboard).await;

    for (email, name, right) in [("ada@example.org", "Ada Lovelace", 45), ("bob@example.org", "Bob Babbage", 10)] {
        let who = learner(&app, email, name).await;
        assert_eq!(who.post_form("/groups/join", &[("code", code.as_str())]).await.status(), reqwest::StatusCode::OK);
        mock(&app, &who, right).await;
    }

    web.goto(&group).await;
    web.click(&format!("a[href='{dashboard}']")).await;
    web.wait_for_path(&dashboard).await;
    assert_eq!(web.count("table.dashboard tbody tr").await, 2);
    web.visit_in_every_layout(&dashboard).await;

    // Sorting by the latest score, highest first, by its header's link.
    web.goto(&dashboard).await;
    web.click("th a[href*='sort=latest']").await;
    web.wait_for_element("th[aria-sort='descending']").await;
    assert_eq!(web.text("table.dashboard tbody tr:first-child .member-name").await, "Ada Lovelace");
    let sorted = web.path().await;
    web.visit_in_every_layout(&sorted).await;
}
