//! The exam with JavaScript switched off: every control is a form post.

use super::learner::{answer_by_clicking, check_result, is_mock_clock, read_item, register, shown_answer, start_mock};
use super::web::Web;
use crate::helpers::TestApp;

#[tokio::test]
async fn the_exam_works_with_javascript_disabled() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, false).await;
    register(&web).await;

    start_mock(&web).await;

    // Item 1: answer with the mouse; "Next" posts the form, which saves.
    let item = read_item(&web).await;
    let answer = answer_by_clicking(&web, &item, 1, false).await;
    assert_eq!(web.text("#save-status").await, "", "no script saves: JavaScript is off");
    web.click("button[value=next]").await;
    web.wait_for_item(2, 65).await;
    let first = web.attr(".palette button[value='goto-1']", "class").await.unwrap_or_default();
    assert!(first.contains("answered"), "item 1 was saved by the form post: {first}");
    let timer = web.text("#timer").await;
    assert!(is_mock_clock(&timer), "the server renders the time left: {timer:?}");

    // Item 2: the Flag button posts and comes back flagged.
    assert_eq!(web.text("button[value=flag]").await, "Flag for review");
    web.click("button[value=flag]").await;
    web.wait_for_text("button[value=flag]", "Flagged ⚑").await;
    web.wait_for_item(2, 65).await;
    let second = web.attr(".palette button[value='goto-2']", "class").await.unwrap_or_default();
    assert!(second.contains("flagged"), "{second}");

    // The first item with options from 3 on: rule one out.
    let mut n = 2;
    loop {
        web.click("button[value=next]").await;
        n += 1;
        web.wait_for_item(n, 65).await;
        if web.try_find("fieldset.options").await.is_some() {
            break;
        }
        assert!(n < 65, "a mock has items with options");
    }
    web.click("button[value='strike-0']").await;
    web.wait_for("the struck option after the reload", async || {
        let pressed = web.try_find("button[value='strike-0'][aria-pressed=true]").await;
        pressed.and(web.try_find(".option.struck[data-pos='0']").await)
    })
    .await;
    assert_eq!(web.count(".option.struck").await, 1, "only that option is struck");
    assert_eq!(web.attr("#item-form input[name=struck]", "value").await.as_deref(), Some("0"));

    // Back to item 1 through the palette: the answer is there.
    web.click(".palette button[value='goto-1']").await;
    web.wait_for_item(1, 65).await;
    assert_eq!(shown_answer(&web, &item).await, answer, "item 1 kept its answer");

    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    let counts = web.text(".counts").await;
    assert!(
        counts.contains("1 answered") && counts.contains("64 unanswered") && counts.contains("1 flagged"),
        "{counts}"
    );
    // No confirmation without the script: the form simply posts.
    web.click(".submit-form button[type=submit]").await;
    web.wait_for_path("/result").await;
    check_result(&web, 65).await;
    let facts = web.text(".score-card .facts").await;
    assert!(facts.contains("of 65 scored items"), "{facts}");
    web.assert_fits_a_phone("the result page without JavaScript").await;
}
