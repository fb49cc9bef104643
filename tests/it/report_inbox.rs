//! The problem-report inbox over HTTP (issue 15): a learner's report
//! reaches its exam's inbox, is filtered, answered with a reply the
//! learner reads, acknowledged and reopened; a duplicate needs a reply;
//! other instructors, learners, and another exam's address get nothing.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{Browser, TestApp, location};

const INES: &str = "ines@example.org";
const INBOX: &str = "/instructor/exams/mla-c01/reports";

/// An instructor who owns the bundled exam.
async fn owner(app: &TestApp) -> Browser {
    let ines = app.new_browser_as("instructor", INES).await;
    app.give_exam("mla-c01", INES).await;
    ines
}

/// A learner (the app's own browser) finishes a practice of two questions
/// and reports both from the result: item 1 for its key, item 2 for a
/// typo. The two reports' ids and their questions' ids and keys.
async fn two_reports(app: &TestApp) -> [(Uuid, Uuid, String); 2] {
    app.log_in_as_learner().await;
    let attempt = app.start(&[("mode", "practice"), ("count", "2")]).await;
    assert_eq!(app.submit(attempt).await.status(), StatusCode::SEE_OTHER);
    let path = |n: i32| format!("/attempts/{attempt}/items/{n}/report");
    let fields = [("reason", "wrong-key"), ("comment", "B is right too <b>"), ("from", "result")];
    assert_eq!(app.post_form(&path(1), &fields).await.status(), StatusCode::SEE_OTHER);
    let fields = [("reason", "typo"), ("comment", "teh"), ("from", "result")];
    assert_eq!(app.post_form(&path(2), &fields).await.status(), StatusCode::SEE_OTHER);
    let rows: Vec<(Uuid, Uuid, String)> = sqlx::query_as(
        "SELECT r.id, q.id, q.key FROM problem_reports r JOIN questions q ON q.id = r.question_id ORDER BY r.position",
    )
    .fetch_all(&app.db)
    .await
    .expect("the reports");
    rows.try_into().expect("two reports")
}

async fn state(app: &TestApp, report: Uuid) -> (String, Option<String>, Option<String>) {
    sqlx::query_as(
        "SELECT r.status, r.reply, u.email FROM problem_reports r LEFT JOIN users u ON u.id = r.resolved_by
         WHERE r.id = $1",
    )
    .bind(report)
    .fetch_one(&app.db)
    .await
    .expect("the report")
}

fn report_url(slug: &str, id: Uuid) -> String {
    format!("/instructor/exams/{slug}/reports/{id}")
}

#[tokio::test]
async fn a_report_reaches_the_inbox_is_answered_and_the_learner_reads_the_reply() {
    let app = TestApp::spawn().await;
    let ines = owner(&app).await;
    let [(first, q1, key1), (second, _, key2)] = two_reports(&app).await;

    // The inbox lists both, newest first, with who, what and where.
    let inbox = ines.get_text(INBOX).await;
    assert!(inbox.contains("2 reports"), "{inbox}");
    assert!(inbox.contains("Lena Learner") && inbox.contains("B is right too &#60;b&#62;"), "escaped: {inbox}");
    assert!(inbox.contains(&format!("href=\"/instructor/exams/mla-c01/questions/{key1}/edit\"")), "an edit link");
    assert!(inbox.find(&key2).expect("the second") < inbox.find(&key1).expect("the first"), "newest first");
    assert!(inbox.contains("(current)"), "the version seen is the current one");

    // Filtered to one question (the address the item analysis links to), or by reason.
    let only_q1 = ines.get_text(&format!("{INBOX}?question={q1}")).await;
    assert!(only_q1.contains("1 report") && only_q1.contains(&key1) && !only_q1.contains(&key2), "{only_q1}");
    let typos = ines.get_text(&format!("{INBOX}?reason=typo")).await;
    assert!(typos.contains(&key2) && !typos.contains(&key1));
    let (q3, key3): (Uuid, String) = sqlx::query_as(
        "SELECT id, key FROM questions WHERE id NOT IN (SELECT question_id FROM problem_reports) LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .expect("an unreported question");
    let none = ines.get_text(&format!("{INBOX}?question={q3}")).await;
    assert!(none.contains("No reports match") && none.contains(&format!("<code>{key3}</code>")), "{none}");

    // The exam page and the question page count what waits, and link here.
    let exam = ines.get_text("/instructor/exams/mla-c01").await;
    assert!(exam.contains("<strong>2</strong> reports wait") && exam.contains(&format!("href=\"{INBOX}\"")));
    let question = ines.get_text(&format!("/instructor/exams/mla-c01/questions/{key1}")).await;
    assert!(question.contains("<strong>1</strong> report on it waits"), "{question}");
    assert!(question.contains(&format!("href=\"{INBOX}?question={q1}\"")));

    // The report page: the report, the resolve form, the question seen.
    let page = ines.get_text(&report_url("mla-c01", first)).await;
    assert!(page.contains("name=\"status\" value=\"rejected\"") && page.contains("<textarea id=\"reply\""));
    assert!(page.contains("The question as the learner saw it"));

    // A duplicate without a reply is refused at the reply, keeping what was typed.
    let refused = ines
        .post_form(
            &report_url("mla-c01", first),
            &[("status", "duplicate"), ("reply", " "), ("duplicate_of", "q7-dup")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("<p class=\"field-error\" id=\"reply-error\">Write a reply"), "{refused}");
    assert!(refused.contains("value=\"q7-dup\"") && refused.contains("value=\"duplicate\" checked"));
    assert_eq!(state(&app, first).await.0, "open", "nothing stored");

    // Resolved as Not a problem with a reply.
    let reply = "The key is right: <i>read</i> the docs";
    let done = ines.post_form(&report_url("mla-c01", first), &[("status", "rejected"), ("reply", reply)]).await;
    assert_eq!(location(&done), format!("{}?saved=rejected", report_url("mla-c01", first)));
    assert_eq!(state(&app, first).await, ("rejected".into(), Some(reply.into()), Some(INES.into())));

    // The learner sees the status and the reply, escaped, on their list and the report's page.
    let escaped = "The key is right: &#60;i&#62;read&#60;/i&#62; the docs";
    let list = app.get_text("/me/reports").await;
    assert!(list.contains("Not a problem") && list.contains(escaped), "{list}");
    let mine = app.get_text(&format!("/me/reports/{first}")).await;
    assert!(mine.contains("Instructor's reply") && mine.contains(escaped));
    assert!(mine.contains("their reply says why"), "the status's meaning");

    // The open one comes first now; the counts follow.
    let inbox = ines.get_text(INBOX).await;
    assert!(inbox.find(&key2).expect("open") < inbox.find(&key1).expect("resolved"));
    assert!(ines.get_text("/instructor/exams/mla-c01").await.contains("<strong>1</strong> report waits"));

    // Acknowledged, then the resolved one reopened: its reply cleared.
    let ack = ines.post_form(&report_url("mla-c01", second), &[("status", "acknowledged")]).await;
    assert_eq!(ack.status(), StatusCode::SEE_OTHER);
    assert_eq!(state(&app, second).await, ("acknowledged".into(), None, None));
    let reopened = ines.post_form(&report_url("mla-c01", first), &[("status", "open")]).await;
    assert_eq!(reopened.status(), StatusCode::SEE_OTHER);
    assert_eq!(state(&app, first).await, ("open".into(), None, None));
    assert!(ines.get_text(&format!("{INBOX}?status=acknowledged")).await.contains("1 report"));
}

#[tokio::test]
async fn other_instructors_and_learners_can_neither_read_nor_answer_an_exams_reports() {
    let app = TestApp::spawn().await;
    let _ines = owner(&app).await;
    let [(first, ..), _] = two_reports(&app).await;
    let otto = app.new_browser_as("instructor", "otto@example.org").await;
    let url = report_url("mla-c01", first);

    for browser in [&otto, &app.browser] {
        assert_eq!(browser.get(INBOX).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(browser.get(&url).await.status(), StatusCode::FORBIDDEN);
        let answered = browser.post_form(&url, &[("status", "fixed")]).await;
        assert_eq!(answered.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(state(&app, first).await.0, "open", "nothing changed");
}

#[tokio::test]
async fn a_report_on_another_exams_question_is_not_found_through_this_exams_address() {
    let app = TestApp::spawn().await;
    let ines = owner(&app).await;
    let [(first, ..), _] = two_reports(&app).await;
    // Ines owns a second exam, without questions.
    sqlx::query(
        "INSERT INTO exams (id, slug, blueprint, updated_at, owner_id)
         SELECT gen_random_uuid(), 'other', jsonb_set(blueprint, '{slug}', '\"other\"'), now(), owner_id
         FROM exams WHERE slug = 'mla-c01'",
    )
    .execute(&app.db)
    .await
    .expect("a second exam");

    let url = report_url("other", first);
    assert_eq!(ines.get(&url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ines.post_form(&url, &[("status", "fixed")]).await.status(), StatusCode::NOT_FOUND);
    let refused = ines.post_form(&url, &[("status", "duplicate")]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND, "not found before the form is judged");
    assert_eq!(state(&app, first).await.0, "open");
    assert!(ines.get_text("/instructor/exams/other/reports").await.contains("No reports match"));
}
