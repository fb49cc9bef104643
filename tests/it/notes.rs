//! Notes on misses, the learner's error tags, and problem reports: over
//! HTTP, as a learner's browser posts the forms.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Browser, TestApp, key_of, location, wrong_answer_of};

/// A finished practice of `answers.len()` items: `Some(true)` answered
/// right, `Some(false)` wrong, `None` left unanswered (graded wrong).
async fn finished_practice(app: &TestApp, browser: &Browser, answers: &[Option<bool>]) -> Uuid {
    let count = answers.len().to_string();
    let id = browser.start(&[("mode", "practice"), ("count", &count)]).await;
    for (i, answer) in answers.iter().enumerate() {
        let n = i as i32 + 1;
        let response = match answer {
            Some(true) => key_of(&app.db, id, n).await,
            Some(false) => wrong_answer_of(&app.db, id, n).await,
            None => continue,
        };
        let saved = browser.save_json(id, n, json!({ "seq": 1, "response": response })).await;
        assert_eq!(saved.status(), StatusCode::OK, "item {n} saved");
    }
    assert_eq!(location(&browser.submit(id).await), format!("/attempts/{id}/result"));
    id
}

async fn post_note(browser: &Browser, attempt: Uuid, n: i32, tag: &str, note: &str) -> reqwest::Response {
    browser.post_form(&format!("/attempts/{attempt}/items/{n}/note"), &[("error_tag", tag), ("note", note)]).await
}

async fn post_report(browser: &Browser, attempt: Uuid, n: i32, fields: &[(&str, &str)]) -> reqwest::Response {
    browser.post_form(&format!("/attempts/{attempt}/items/{n}/report"), fields).await
}

/// The page a redirect goes to (its fragment is the browser's business).
async fn follow(browser: &Browser, response: &reqwest::Response) -> String {
    let to = location(response);
    browser.get_text(to.split('#').next().unwrap_or(to)).await
}

async fn domain_and_tags(app: &TestApp, attempt: Uuid, n: i32) -> (String, Vec<String>) {
    let (domain, tags): (String, Vec<String>) = sqlx::query_as(
        "SELECT i.domain, ARRAY(SELECT jsonb_array_elements_text(v.content->'question'->'tags'))
         FROM items i JOIN question_versions v ON v.id = i.version_id WHERE i.attempt_id = $1 AND i.position = $2",
    )
    .bind(attempt)
    .bind(n)
    .fetch_one(&app.db)
    .await
    .expect("the item");
    (domain, tags)
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&app.db).await.expect("a count")
}

/// How many misses a `/me/misses` page lists.
fn listed(page: &str) -> usize {
    page.matches("<li class=\"card miss\">").count()
}

#[tokio::test]
async fn a_note_on_a_miss_shows_on_its_result_and_in_my_misses_with_its_filters() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = finished_practice(&app, &app, &[Some(false), Some(true), None]).await;

    let result = app.get_text(&format!("/attempts/{id}/result")).await;
    assert!(result.contains(&format!("action=\"/attempts/{id}/items/1/note\"")), "item 1 has a note form");
    assert!(result.contains("<label for=\"note-tag-1\">Why you missed it</label>"), "its controls are labelled");
    assert!(result.contains("<option value=\"Misread the constraint\">"), "the default tags are offered");

    let saved = post_note(&app, id, 1, "Knowledge gap", "Async inference needs an <b>SNS</b> topic").await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), format!("/attempts/{id}/result?notice=note-saved&item=1#item-1"));
    let result = follow(&app, &saved).await;
    assert!(result.contains("Your note was saved."), "the notice is shown");
    assert!(result.contains("Async inference needs an &#60;b&#62;SNS&#60;/b&#62; topic"), "the note, escaped");
    assert!(!result.contains("<b>SNS</b>"), "never as markup");
    assert!(result.contains("<option value=\"Knowledge gap\" selected>"), "the tag is chosen in the form");

    let (domain, tags) = domain_and_tags(&app, id, 1).await;
    let misses = app.get_text("/me/misses").await;
    assert_eq!(listed(&misses), 2, "items 1 and 3 were missed; item 2 was right");
    assert!(misses.contains(&format!("href=\"/attempts/{id}/result?item=1#item-1\"")), "each miss links to its item");
    assert!(misses.contains(&format!("href=\"/attempts/{id}/result?item=3#item-3\"")));
    assert!(!misses.contains("#item-2\""), "a right answer is no miss");
    assert!(misses.contains("Async inference needs an &#60;b&#62;SNS"), "with the note");
    assert!(misses.contains("<span class=\"error-tag\">Knowledge gap</span>"), "and its tag");
    assert!(misses.contains(&format!("<li class=\"badge\">{}</li>", tags[0])), "and the question's tags");

    let by_tag = app.get_text("/me/misses?error_tag=tag%3AKnowledge+gap").await;
    assert_eq!(listed(&by_tag), 1);
    assert!(by_tag.contains("#item-1\"") && by_tag.contains("<option value=\"tag:Knowledge gap\" selected>"));
    let untagged = app.get_text("/me/misses?error_tag=untagged").await;
    assert_eq!(listed(&untagged), 1);
    assert!(untagged.contains("#item-3\""), "only the miss with no tag");
    let by_domain = app.get_text(&format!("/me/misses?domain={domain}")).await;
    assert!(by_domain.contains("#item-1\"") && by_domain.contains(&format!("<option value=\"{domain}\" selected>")));
    assert_eq!(listed(&app.get_text("/me/misses?domain=D9").await), 0);
    let by_service = app.get_text(&format!("/me/misses?tag={}", tags[0])).await;
    assert!(by_service.contains("#item-1\""), "filtered by one of the question's tags");
    let nothing = app.get_text("/me/misses?tag=no-such-service").await;
    assert!(nothing.contains("No misses match these filters."), "{nothing}");

    // No tag and no text: the note is gone.
    let cleared = post_note(&app, id, 1, "", "  ").await;
    assert_eq!(location(&cleared), format!("/attempts/{id}/result?notice=note-cleared&item=1#item-1"));
    assert!(follow(&app, &cleared).await.contains("Your note was removed."));
    assert_eq!(count(&app, "miss_notes").await, 0);
    assert_eq!(listed(&app.get_text("/me/misses?error_tag=untagged").await), 2);
}

#[tokio::test]
async fn an_unknown_tag_a_note_too_long_and_a_running_attempt_are_refused_clearly() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = finished_practice(&app, &app, &[Some(false)]).await;

    let unknown = post_note(&app, id, 1, "Blame the exam", "x").await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text().await.unwrap().contains("“Blame the exam” is not one of your error tags"));

    let too_long = post_note(&app, id, 1, "Other", &"n".repeat(2001)).await;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = too_long.text().await.unwrap();
    assert!(page.contains("Your note on question 1 is 2001 characters long; at most 2000 are kept"), "{page}");
    assert_eq!(count(&app, "miss_notes").await, 0, "nothing was saved");

    let longest = post_note(&app, id, 1, "Other", &"n".repeat(2000)).await;
    assert_eq!(longest.status(), StatusCode::SEE_OTHER, "2000 characters are kept");

    let running = app.start(&[("mode", "practice"), ("count", "1")]).await;
    let early = post_note(&app, running, 1, "Other", "too soon").await;
    assert_eq!(early.status(), StatusCode::CONFLICT);
    assert!(early.text().await.unwrap().contains("This attempt is still running"));

    let no_such_item = post_note(&app, id, 99, "Other", "x").await;
    assert_eq!(no_such_item.status(), StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "miss_notes").await, 1);
}

#[tokio::test]
async fn the_error_tags_can_be_edited_and_a_bad_list_comes_back_as_typed_with_its_errors() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = finished_practice(&app, &app, &[Some(false), None]).await;

    let page = app.get_text("/me/error-tags").await;
    assert!(page.contains("This is the default list."));
    assert!(page.contains("Misread the constraint\nKnowledge gap\nConfused two services\nWrong metric\n"));

    let saved = app.post_form("/me/error-tags", &[("tags", "Misread the constraint\r\n\r\n  Rushed \r\n")]).await;
    assert_eq!(location(&saved), "/me/error-tags?saved=list");
    let page = follow(&app, &saved).await;
    assert!(page.contains("Your error tags were saved."));
    assert!(page.contains("Misread the constraint\nRushed</textarea>"), "trimmed, without blank lines: {page}");

    let result = app.get_text(&format!("/attempts/{id}/result")).await;
    assert!(result.contains("<option value=\"Rushed\">") && !result.contains("<option value=\"Wrong metric\">"));
    assert_eq!(post_note(&app, id, 1, "Rushed", "").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post_note(&app, id, 2, "Wrong metric", "").await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Too many tags: refused, and every line typed comes back.
    let many: Vec<String> = (1..=21).map(|i| format!("Reason number {i}")).collect();
    let refused = app.post_form("/me/error-tags", &[("tags", &many.join("\n"))]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("There are 21 tags; keep the list to 20 or fewer."), "{page}");
    assert!(page.contains(&format!("{}</textarea>", many.join("\n"))), "the text as typed");
    assert!(page.contains("aria-invalid=\"true\""));

    // Too long, and where.
    let long = "L".repeat(61);
    let refused = app.post_form("/me/error-tags", &[("tags", &format!("Rushed\n{long}\nrushed"))]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Line 2 is 61 characters long; keep each tag to 60 or fewer."), "{page}");
    assert!(page.contains("Line 3 repeats the tag on line 1"), "{page}");
    assert!(page.contains(&format!("Rushed\n{long}\nrushed</textarea>")), "the text as typed");
    let empty = app.post_form("/me/error-tags", &[("tags", "\n \n")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().await.unwrap().contains("The list is empty"));
    assert!(app.get_text("/me/error-tags").await.contains("Misread the constraint\nRushed</textarea>"), "kept");

    // A tag taken off the list stays on the notes that carry it.
    app.post_form("/me/error-tags", &[("tags", "Knowledge gap")]).await;
    let result = app.get_text(&format!("/attempts/{id}/result")).await;
    assert!(result.contains("<option value=\"Rushed\" selected>"), "the note's own tag is still offered");
    assert_eq!(post_note(&app, id, 1, "Rushed", "still rushed").await.status(), StatusCode::SEE_OTHER);
    let misses = app.get_text("/me/misses").await;
    assert!(misses.contains("<option value=\"tag:Rushed\">"), "and can still be filtered by");

    let reset = app.post_form("/me/error-tags", &[("tags", "ignored"), ("action", "reset")]).await;
    assert_eq!(location(&reset), "/me/error-tags?saved=default");
    let page = follow(&app, &reset).await;
    assert!(page.contains("This is the default list.") && page.contains("Wrong metric"));
}

#[tokio::test]
async fn a_problem_is_reported_from_practice_feedback_and_from_a_result_and_listed_as_mine() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "2")]).await;
    let before = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(!before.contains("/items/1/report\""), "no report form before the feedback");
    let answer = key_of(&app.db, id, 1).await;
    let checked = app.save_json(id, 1, json!({ "seq": 1, "response": answer, "check": true })).await;
    assert_eq!(checked.status(), StatusCode::OK);
    let feedback = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(feedback.contains(&format!("action=\"/attempts/{id}/items/1/report\"")), "a report form with the feedback");
    assert!(feedback.contains("<label for=\"report-reason-1\">What is wrong?</label>"));

    // The question and version come from the item, whatever the form says.
    let fields = [
        ("reason", "wrong-key"),
        ("comment", "B is right too"),
        ("from", "item"),
        ("question_id", "00000000-0000-0000-0000-000000000000"),
        ("version_id", "00000000-0000-0000-0000-000000000000"),
    ];
    let sent = post_report(&app, id, 1, &fields).await;
    assert_eq!(location(&sent), format!("/attempts/{id}/items/1?notice=report-filed#report-1"));
    assert!(follow(&app, &sent).await.contains("Thank you: your report was sent."));
    let (question, version, reported_question, reported_version): (Uuid, Uuid, Uuid, Uuid) = sqlx::query_as(
        "SELECT v.question_id, i.version_id, r.question_id, r.version_id
         FROM problem_reports r JOIN items i ON i.attempt_id = r.attempt_id AND i.position = r.position
         JOIN question_versions v ON v.id = i.version_id",
    )
    .fetch_one(&app.db)
    .await
    .expect("one report");
    assert_eq!((reported_question, reported_version), (question, version), "the item's question and version");

    // The same reason again updates that report: no twin.
    let again = post_report(&app, id, 1, &[("reason", "wrong-key"), ("comment", "B and D"), ("from", "item")]).await;
    assert_eq!(location(&again), format!("/attempts/{id}/items/1?notice=report-updated#report-1"));
    assert_eq!(count(&app, "problem_reports").await, 1);
    let comment: String = sqlx::query_scalar("SELECT comment FROM problem_reports").fetch_one(&app.db).await.unwrap();
    assert_eq!(comment, "B and D");

    app.submit(id).await;
    let result = app.get_text(&format!("/attempts/{id}/result")).await;
    assert!(result.contains(&format!("action=\"/attempts/{id}/items/2/report\"")), "every result item has one");
    assert!(result.contains("name=\"from\" value=\"result\""));
    let sent = post_report(&app, id, 2, &[("reason", "typo"), ("comment", "“teh”"), ("from", "result")]).await;
    assert_eq!(location(&sent), format!("/attempts/{id}/result?notice=report-filed&item=2#item-2"));
    let result = follow(&app, &sent).await;
    assert!(result.contains("Thank you: your report was sent."));
    assert!(result.contains("A typo</a> <span class=\"status status-open\">Open</span>"), "listed on its item");

    let key: String = sqlx::query_scalar(
        "SELECT q.key FROM items i JOIN question_versions v ON v.id = i.version_id JOIN questions q ON q.id = v.question_id
         WHERE i.attempt_id = $1 AND i.position = 2",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let mine = app.get_text("/me/reports").await;
    assert_eq!(mine.matches("<li class=\"card report\">").count(), 2);
    assert!(mine.contains("The answer key is wrong") && mine.contains("A typo") && mine.contains("B and D"));
    assert!(mine.contains(&format!("<code>{key}</code>")), "with the question");
    assert!(mine.contains("<span class=\"status status-open\">Open</span>"), "and its status");

    sqlx::query("UPDATE problem_reports SET status = 'fixed' WHERE reason = 'typo'").execute(&app.db).await.unwrap();
    let id_of_typo: Uuid =
        sqlx::query_scalar("SELECT id FROM problem_reports WHERE reason = 'typo'").fetch_one(&app.db).await.unwrap();
    let one = app.get(&format!("/me/reports/{id_of_typo}")).await;
    assert_eq!(one.status(), StatusCode::OK);
    let one = one.text().await.unwrap();
    assert!(one.contains("Fixed") && one.contains("the question was corrected") && one.contains("“teh”"), "{one}");
}

#[tokio::test]
async fn a_report_with_an_unknown_reason_or_a_comment_too_long_is_refused_clearly() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = finished_practice(&app, &app, &[Some(false)]).await;

    let unknown = post_report(&app, id, 1, &[("reason", "spam"), ("comment", "x")]).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unknown.text().await.unwrap();
    assert!(page.contains("“spam” is not a reason a report can give; choose one of wrong-key, unclear"), "{page}");

    let too_long = post_report(&app, id, 1, &[("reason", "unclear"), ("comment", &"c".repeat(2001))]).await;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.text().await.unwrap().contains("Your comment is 2001 characters long; at most 2000 are kept"));

    let bare_other = post_report(&app, id, 1, &[("reason", "other"), ("comment", " ")]).await;
    assert_eq!(bare_other.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare_other.text().await.unwrap().contains("“Something else” needs a comment"));
    assert_eq!(count(&app, "problem_reports").await, 0, "nothing was stored");

    let no_such_item = post_report(&app, id, 99, &[("reason", "typo")]).await;
    assert_eq!(no_such_item.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_learners_attempt_and_report_are_not_found() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let theirs = finished_practice(&app, &app, &[Some(false)]).await;
    post_note(&app, theirs, 1, "Knowledge gap", "mine").await;
    post_report(&app, theirs, 1, &[("reason", "typo"), ("comment", "mine")]).await;
    let report: Uuid = sqlx::query_scalar("SELECT id FROM problem_reports").fetch_one(&app.db).await.unwrap();

    let other = app.new_browser();
    assert_eq!(other.register("eve@example.org", "Eve", "correct horse battery").await.status(), StatusCode::SEE_OTHER);
    let missing = Uuid::new_v4();
    for attempt in [theirs, missing] {
        let note = post_note(&other, attempt, 1, "Other", "overwritten").await;
        assert_eq!(note.status(), StatusCode::NOT_FOUND, "a note on {attempt}");
        let sent = post_report(&other, attempt, 1, &[("reason", "typo"), ("comment", "planted")]).await;
        assert_eq!(sent.status(), StatusCode::NOT_FOUND, "a report on {attempt}");
    }
    for id in [report, missing] {
        assert_eq!(other.get(&format!("/me/reports/{id}")).await.status(), StatusCode::NOT_FOUND, "report {id}");
    }
    assert_eq!(app.get(&format!("/me/reports/{report}")).await.status(), StatusCode::OK, "its author sees it");

    let note: String = sqlx::query_scalar("SELECT note FROM miss_notes").fetch_one(&app.db).await.unwrap();
    assert_eq!(note, "mine", "the note is untouched");
    assert_eq!(count(&app, "problem_reports").await, 1, "nothing was planted");
    let misses = other.get_text("/me/misses").await;
    assert!(misses.contains("No misses yet.") && !misses.contains("mine"), "Eve sees none of Lena's misses");
    let reports = other.get_text("/me/reports").await;
    assert!(reports.contains("You have not reported a problem yet."), "nor her reports");
}

#[tokio::test]
async fn the_breakdown_counts_misses_by_error_tag_with_the_untagged_apart() {
    use mockexam::app::misses::{Breakdown, breakdown};

    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let state = mockexam::app::App::new(app.db.clone(), Default::default(), app.clock.clone());
    let user: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'learner@example.org'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let exam: Uuid =
        sqlx::query_scalar("SELECT id FROM exams WHERE slug = 'mla-c01'").fetch_one(&app.db).await.unwrap();
    assert_eq!(breakdown(&state, user, exam).await.unwrap(), Breakdown::default(), "no misses yet");

    let id = finished_practice(&app, &app, &[Some(false), None, Some(false), Some(false), Some(true)]).await;
    for (n, tag) in [(1, "Knowledge gap"), (2, "Ran out of time"), (3, "Knowledge gap"), (5, "Wrong metric")] {
        assert_eq!(post_note(&app, id, n, tag, "").await.status(), StatusCode::SEE_OTHER);
    }
    // Another learner's misses are theirs alone.
    let other = app.new_browser();
    other.register("eve@example.org", "Eve", "correct horse battery").await;
    let theirs = finished_practice(&app, &other, &[None, None]).await;
    post_note(&other, theirs, 1, "Wrong metric", "").await;

    let found = breakdown(&state, user, exam).await.unwrap();
    assert_eq!(
        found,
        Breakdown { by_tag: vec![("Knowledge gap".into(), 2), ("Ran out of time".into(), 1)], untagged: 1 },
        "item 4 is untagged; item 5 was right, so its tag counts no miss"
    );
    assert_eq!(found.total(), 4);
}

#[tokio::test]
async fn my_misses_come_fifty_a_page_newest_first() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let older = finished_practice(&app, &app, &[None]).await;
    app.clock.advance(time::Duration::minutes(5));
    // A mock submitted blank: 65 misses, newer than the practice's one.
    let mock = app.start(&[("mode", "exam")]).await;
    app.submit(mock).await;

    let first = app.get_text("/me/misses").await;
    assert!(first.contains("66 misses · page 1 of 2"), "the count and the pages");
    assert_eq!(listed(&first), 50);
    assert!(first.contains(&format!("href=\"/attempts/{mock}/result?item=1#item-1\"")), "newest first");
    assert!(!first.contains(&older.to_string()), "the older miss is on the next page");
    assert!(first.contains("<a href=\"/me/misses?page=2\" rel=\"next\">Older misses</a>"), "{first}");

    let second = app.get_text("/me/misses?page=2").await;
    assert_eq!(listed(&second), 16);
    assert!(second.contains(&format!("href=\"/attempts/{older}/result?item=1#item-1\"")));
    assert!(second.contains("<a href=\"/me/misses\" rel=\"prev\">Newer misses</a>"));
    let past = app.get_text("/me/misses?page=9").await;
    assert!(past.contains("This page is past the end of the list."), "{past}");

    // Filters ride along from page to page.
    let filtered = app.get_text("/me/misses?error_tag=untagged").await;
    assert!(filtered.contains("href=\"/me/misses?error_tag=untagged&#38;page=2\""), "{filtered}");
}
