//! The plan to exam day over HTTP: the exam date, today's work, and the
//! plan changing once the work is done.

use reqwest::StatusCode;

use super::empty_mock;
use crate::helpers::{TestApp, location};

#[tokio::test]
async fn an_exam_date_brings_a_plan_that_changes_when_the_work_is_done() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let in_ten_days = (app.clock.now() + time::Duration::days(10)).date().to_string();

    let bad = app.post_form("/me/exam-date", &[("exam", "mla-c01"), ("exam_date", "next friday")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("“next friday” is not a date"), "says what is wrong");

    let saved = app.post_form("/me/exam-date", &[("exam", "mla-c01"), ("exam_date", &in_ten_days)]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert!(location(&saved).starts_with("/me?exam=mla-c01&notice=date-set"));
    let page = app.get_text("/me").await;
    assert!(page.contains("10 days to your exam"), "days left");
    assert!(page.contains(&format!("value=\"{in_ten_days}\"")), "the date is shown back");
    assert!(page.contains("Take a full mock"), "a first mock is due");
    assert!(page.contains("Take 2 full mocks to see whether you are on track."));

    empty_mock(&app).await;
    let page = app.get_text("/me").await;
    let today = page.split("<h3>Today</h3>").nth(1).expect("today's plan");
    let mock_task = today.split("</li>").find(|t| t.contains("Take a full mock")).expect("the mock task");
    assert!(mock_task.contains("Done"), "the mock is done for today: {mock_task}");
    assert!(today.contains("Review the 65 questions due"), "its misses are due for review");

    let cleared = app.post_form("/me/exam-date", &[("exam", "mla-c01"), ("exam_date", ""), ("clear", "1")]).await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    assert!(!app.get_text("/me").await.contains("days to your exam"));
}
