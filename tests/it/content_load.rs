//! Loading the bundled content again, as every server start does: by stable
//! question id, unchanged questions untouched, changed ones versioned,
//! vanished ones retired, and attempts keeping the version they drew.

use std::path::Path;

use mockexam::content;
use mockexam::store::exams;

use crate::helpers::TestApp;

const MARKER: &str = "Edited after the attempt began.";

#[tokio::test]
async fn a_reload_versions_changed_questions_and_attempts_keep_what_they_drew() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let attempt = app.start(&[("mode", "exam")]).await;
    let (key, drawn): (String, uuid::Uuid) = sqlx::query_as(
        "SELECT q.key, i.version_id FROM items i JOIN question_versions v ON v.id = i.version_id
         JOIN questions q ON q.id = v.question_id WHERE i.attempt_id = $1 AND i.position = 1",
    )
    .bind(attempt)
    .fetch_one(&app.db)
    .await
    .unwrap();

    let bundled = content::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content/mla-c01")).unwrap();
    let total = bundled.questions.len();
    let now = app.clock.now();

    // The same files again: nothing changes.
    let report = exams::import(&app.db, &bundled, now).await.unwrap();
    assert_eq!((report.added, report.changed, report.unchanged, report.retired), (0, 0, total, 0));

    // Item 1's question is edited and tagged anew; another question leaves its file.
    let mut edited = bundled.clone();
    let question = &mut edited.questions.iter_mut().find(|q| q.question.id == key).unwrap().question;
    question.stem = format!("{MARKER}\n\n{}", question.stem);
    question.tags.push("edited-for-test".into());
    let gone = edited.questions.iter().position(|q| q.question.id != key && q.question.case.is_none()).unwrap();
    let gone = edited.questions.remove(gone).question.id;
    let report = exams::import(&app.db, &edited, now).await.unwrap();
    assert_eq!((report.added, report.changed, report.unchanged, report.retired), (0, 1, total - 2, 1));
    let again = exams::import(&app.db, &edited, now).await.unwrap();
    assert_eq!((again.changed, again.unchanged, again.retired), (0, total - 1, 0), "loading twice is idempotent");

    let (versions, current): (i64, i32) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM question_versions WHERE question_id = q.id), v.number
         FROM questions q JOIN question_versions v ON v.id = q.current_version WHERE q.key = $1",
    )
    .bind(&key)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((versions, current), (2, 2), "the edit is a second version");
    let retired: bool = sqlx::query_scalar("SELECT retired FROM questions WHERE key = $1")
        .bind(&gone)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(retired, "{gone} is no longer drawn");

    // The attempt in progress still shows, and keeps, the version it drew.
    let page = app.get_text(&format!("/attempts/{attempt}/items/1")).await;
    assert!(page.contains("1 of 65") && !page.contains(MARKER), "the attempt keeps its version");
    let still: uuid::Uuid = sqlx::query_scalar("SELECT version_id FROM items WHERE attempt_id = $1 AND position = 1")
        .bind(attempt)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(still, drawn);

    // A new attempt draws the new version.
    let drill = app.start(&[("mode", "drill"), ("tag", "edited-for-test"), ("count", "1")]).await;
    let page = app.get_text(&format!("/attempts/{drill}/items/1")).await;
    assert!(page.contains(MARKER), "a new attempt gets the edited question");
}
