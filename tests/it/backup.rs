//! `mockexam backup`, `backup --verify` and `restore`: the real binary
//! against test databases (`DATABASE_URL`), with a learner mid-exam whose
//! answers were saved over HTTP.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::str::FromStr;

use mockexam::backup::archive::with_database;
use mockexam::db::quote_ident;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;
use sqlx::postgres::PgConnectOptions;

use crate::helpers::{TestApp, key_of, location};

/// Runs the binary with `DATABASE_URL` set, in a folder of the test's own.
async fn mockexam(database_url: &str, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_mockexam"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env_remove("RUST_LOG")
        .output()
        .await
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A folder for this test's files, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new() -> Folder {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("backup-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a folder");
        Folder(dir)
    }

    fn file(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An empty database on the test server, dropped with this value.
struct EmptyDatabase {
    admin_url: String,
    name: String,
}

impl EmptyDatabase {
    async fn create(app: &TestApp) -> EmptyDatabase {
        let name = format!("restored_{}", uuid::Uuid::new_v4().simple());
        let mut conn = app.connect().await;
        sqlx::query(&format!("CREATE DATABASE {}", quote_ident(&name))).execute(&mut conn).await.expect("created");
        EmptyDatabase { admin_url: with_database(&app.database_url(), "postgres"), name }
    }

    fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }

    fn options(&self) -> PgConnectOptions {
        PgConnectOptions::from_str(&self.url()).expect("a valid URL")
    }
}

impl Drop for EmptyDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin_url.clone(), self.name.clone());
        // Dropped inside the test's runtime, which cannot block on itself.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&name)))
                        .execute(&mut conn)
                        .await;
                }
            })
        })
        .join();
    }
}

/// A learner mid-mock with the first three questions answered right.
async fn learner_mid_exam(app: &TestApp) -> uuid::Uuid {
    app.log_in_as_learner().await;
    let attempt = app.start(&[("mode", "exam")]).await;
    for n in 1..=3 {
        let answer = key_of(&app.db, attempt, n).await;
        let saved = app.save_json(attempt, n, json!({ "seq": 1, "response": answer })).await;
        assert_eq!(saved.status(), StatusCode::OK, "question {n} is saved");
    }
    attempt
}

/// Each item's answered flag and saved response, in order.
async fn answers_of(db: &sqlx::PgPool, attempt: uuid::Uuid) -> Vec<(i32, bool, Option<serde_json::Value>)> {
    sqlx::query_as("SELECT position, answered, response FROM items WHERE attempt_id = $1 ORDER BY position")
        .bind(attempt)
        .fetch_all(db)
        .await
        .expect("the items")
}

/// Backs up the app's database into the folder; returns the file.
async fn backup_of(app: &TestApp, folder: &Folder) -> String {
    let file = folder.file("exam-day.dump");
    let output = mockexam(&app.database_url(), &["backup", "--out", &file]).await;
    assert!(output.status.success(), "backup: {}", stderr(&output));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.contains(&file) && printed.contains("sha256"), "it names the file and its checksum: {printed}");
    file
}

#[tokio::test]
async fn a_learner_mid_exam_is_restored_with_every_answer_and_can_finish() {
    let app = TestApp::spawn().await;
    let attempt = learner_mid_exam(&app).await;
    let saved = answers_of(&app.db, attempt).await;
    let folder = Folder::new();
    let file = backup_of(&app, &folder).await;

    let verified = mockexam(&app.database_url(), &["backup", "--verify", &file]).await;
    assert!(verified.status.success(), "verify: {}", stderr(&verified));
    let report = String::from_utf8_lossy(&verified.stdout);
    assert!(report.contains("All counts match"), "{report}");
    let items_line = report.lines().find(|l| l.starts_with("items ")).expect("the items table is counted");
    assert_eq!(items_line.split_whitespace().collect::<Vec<_>>()[1..], ["65", "65", "65"], "{report}");

    let target = EmptyDatabase::create(&app).await;
    let restored = mockexam(&target.url(), &["restore", &file]).await;
    assert!(restored.status.success(), "restore: {}", stderr(&restored));

    let copy = TestApp::spawn_on(target.options()).await;
    assert_eq!(answers_of(&copy.db, attempt).await, saved, "every saved answer is there");
    let response = copy.log_in("learner@example.org", "correct horse battery").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the learner logs in to the restored copy");
    let page = copy.get(&format!("/attempts/{attempt}/items/4")).await;
    assert_eq!(page.status(), StatusCode::OK, "the attempt resumes");
    let submitted = copy.submit(attempt).await;
    assert_eq!(location(&submitted), format!("/attempts/{attempt}/result"), "the attempt can be finished");
    let correct: i64 = sqlx::query_scalar("SELECT count(*) FROM items WHERE attempt_id = $1 AND correct")
        .bind(attempt)
        .fetch_one(&copy.db)
        .await
        .expect("graded");
    assert_eq!(correct, 3, "the three answers saved before the backup are graded right");
}

#[tokio::test]
async fn restore_refuses_a_database_that_holds_data_unless_forced() {
    let app = TestApp::spawn().await;
    let attempt = learner_mid_exam(&app).await;
    let folder = Folder::new();
    let file = backup_of(&app, &folder).await;
    let later = app.save_json(attempt, 4, json!({ "seq": 1, "response": key_of(&app.db, attempt, 4).await })).await;
    assert_eq!(later.status(), StatusCode::OK, "an answer saved after the backup");

    let refused = mockexam(&app.database_url(), &["restore", &file]).await;
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(
        message.contains("holds data") && message.contains("users: 1 rows") && message.contains("--force"),
        "{message}"
    );
    assert!(answers_of(&app.db, attempt).await[3].1, "the answer saved after the backup is untouched");

    let forced = mockexam(&app.database_url(), &["restore", "--force", &file]).await;
    assert!(forced.status.success(), "restore --force: {}", stderr(&forced));
    assert!(!answers_of(&app.db, attempt).await[3].1, "the database is as the backup found it");
}

#[tokio::test]
async fn a_cut_off_backup_fails_verify_and_restore_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let attempt = learner_mid_exam(&app).await;
    let folder = Folder::new();
    let file = backup_of(&app, &folder).await;
    let bytes = std::fs::read(&file).expect("the backup");
    let cut = folder.file("cut.dump");
    std::fs::write(&cut, &bytes[..bytes.len() - 1024]).expect("written");

    let verified = mockexam(&app.database_url(), &["backup", "--verify", &cut]).await;
    assert!(!verified.status.success(), "verify fails on a cut-off file");
    assert!(stderr(&verified).contains("cut.dump is damaged"), "{}", stderr(&verified));

    let before = answers_of(&app.db, attempt).await;
    let restored = mockexam(&app.database_url(), &["restore", "--force", &cut]).await;
    assert!(!restored.status.success(), "restore fails on a cut-off file");
    let message = stderr(&restored);
    assert!(message.contains("cut.dump is damaged") && message.contains("nothing was changed"), "{message}");
    assert_eq!(answers_of(&app.db, attempt).await, before, "the target is unchanged");
}

#[tokio::test]
async fn a_backup_of_a_newer_schema_is_refused_naming_both_versions() {
    let app = TestApp::spawn().await;
    learner_mid_exam(&app).await;
    let known = mockexam::db::MIGRATOR.iter().map(|m| m.version).max().expect("migrations");
    let future = known + 1;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ($1, 'from a newer mockexam', true, '\\x00', 0)",
    )
    .bind(future)
    .execute(&app.db)
    .await
    .expect("a fake newer migration");
    let folder = Folder::new();
    let file = backup_of(&app, &folder).await;

    let target = EmptyDatabase::create(&app).await;
    let refused = mockexam(&target.url(), &["restore", &file]).await;
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(message.contains(&format!("version {future}")) && message.contains(&format!("up to {known}")), "{message}");
    let mut conn = sqlx::PgConnection::connect_with(&target.options()).await.expect("connect");
    let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        .fetch_one(&mut conn)
        .await
        .expect("counted");
    assert_eq!(tables, 0, "the target is untouched");
}

#[tokio::test]
async fn a_backup_taken_while_a_learner_saves_holds_each_item_as_one_acknowledged_save_left_it() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let attempt = app.start(&[("mode", "exam")]).await;
    let mut keys = Vec::new();
    for n in 1..=10 {
        keys.push(key_of(&app.db, attempt, n).await);
    }
    let folder = Folder::new();
    let backing_up = std::sync::atomic::AtomicBool::new(true);

    // Round r saves every item with seq r: answered on even rounds, flagged
    // on every third; a backup that caught half a save would show an item
    // whose seq and state come from different rounds.
    let save_round = async |round: i64| {
        for (n, key) in (1..).zip(&keys) {
            let response = if round % 2 == 0 { json!(key) } else { json!({}) };
            let body = json!({ "seq": round, "response": response, "flagged": round % 3 == 0 });
            let saved = app.save_json(attempt, n, body).await;
            assert_eq!(saved.status(), StatusCode::OK, "round {round}, item {n} is saved");
        }
    };
    // The first round is acknowledged before the backup starts: it must be in it.
    save_round(1).await;
    let saving = async {
        let mut round = 2;
        while backing_up.load(std::sync::atomic::Ordering::Relaxed) || round < 4 {
            save_round(round).await;
            round += 1;
        }
        round - 1
    };
    let backing = async {
        let file = backup_of(&app, &folder).await;
        backing_up.store(false, std::sync::atomic::Ordering::Relaxed);
        file
    };
    let (rounds, file) = tokio::join!(saving, backing);
    assert!(rounds >= 3, "saves went on during the backup: {rounds} rounds");

    let target = EmptyDatabase::create(&app).await;
    let restored = mockexam(&target.url(), &["restore", &file]).await;
    assert!(restored.status.success(), "restore: {}", stderr(&restored));
    let copy = TestApp::spawn_on(target.options()).await;
    let items: Vec<(i32, i64, bool, bool)> = sqlx::query_as(
        "SELECT position, seq, answered, flagged FROM items WHERE attempt_id = $1 AND position <= 10 ORDER BY position",
    )
    .bind(attempt)
    .fetch_all(&copy.db)
    .await
    .expect("the items");
    assert_eq!(items.len(), 10);
    for (n, seq, answered, flagged) in items {
        assert!((1..=rounds).contains(&seq), "item {n}: a save acknowledged before the backup is in it (seq {seq})");
        assert_eq!(
            (answered, flagged),
            (seq % 2 == 0, seq % 3 == 0),
            "item {n} holds all of save {seq}, no part of another"
        );
    }
}
