//! The spaced review of misses over HTTP: misses come due at once, a
//! review draws exactly them, and two right answers later they leave.

use reqwest::StatusCode;
use serde_json::json;
use time::Duration;

use super::{check, question_keys};
use crate::helpers::{TestApp, location};

#[tokio::test]
async fn misses_come_due_at_once_and_leave_after_two_right_answers() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let review_form = [("mode", "review"), ("count", "10")];

    let refused = app.post_form("/exams/mla-c01/attempts", &review_form).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "nothing to review yet");
    assert!(refused.text().await.unwrap().contains("no missed questions"));

    let practice = app.start(&[("mode", "practice"), ("count", "3")]).await;
    check(&app, &app, practice, 1, false, json!({})).await;
    check(&app, &app, practice, 2, true, json!({})).await;
    check(&app, &app, practice, 3, false, json!({})).await;
    let keys = question_keys(&app, practice).await;
    let missed = vec![keys[0].clone(), keys[2].clone()];

    let page = app.get_text("/me").await;
    assert!(page.contains("Review due (2)"), "both misses are due at once");

    // The review holds exactly the missed questions; answered right, they
    // move to the next box and are not due for three days.
    let review = app.start(&review_form).await;
    let mut drawn = question_keys(&app, review).await;
    drawn.sort();
    let mut expected = missed.clone();
    expected.sort();
    assert_eq!(drawn, expected, "the review draws the misses, and only them");
    check(&app, &app, review, 1, true, json!({})).await;
    check(&app, &app, review, 2, true, json!({})).await;
    let page = app.get_text("/me").await;
    assert!(page.contains("Nothing is due for review now."), "a right answer moves a miss out to a longer interval");
    assert!(page.contains("2 questions in your review queue."));
    let refused = app.post_form("/exams/mla-c01/attempts", &review_form).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("next question comes due"), "says when");

    app.clock.advance(Duration::days(3) + Duration::minutes(1));
    // Three idle days end the session: the learner comes back and logs in.
    app.log_in("learner@example.org", "correct horse battery").await;
    let page = app.get_text("/me").await;
    assert!(
        page.contains("Review due (2)"),
        "due again after three days: {}",
        page.split("review-h").nth(1).unwrap_or_default().split("</section>").next().unwrap_or_default()
    );
    let second = app.start(&review_form).await;
    check(&app, &app, second, 1, true, json!({})).await;
    check(&app, &app, second, 2, false, json!({})).await;
    let page = app.get_text("/me").await;
    assert!(page.contains("1 questions in your review queue."), "right twice: it left; wrong again: it stays");
    assert!(page.contains("Review due (1)"), "the new miss is due at once");

    // The start page's review starts the same queue.
    let started = app.post_form("/exams/mla-c01/attempts", &review_form).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    assert!(location(&started).starts_with("/attempts/"));
}
