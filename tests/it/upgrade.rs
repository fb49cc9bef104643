//! Upgrades: a database made by an early version is migrated to the latest
//! with every account, attempt, answer and score still there, and a mock
//! that was running when the old version stopped can still be finished.
//!
//! The data is made the way learners make it, over HTTP, on a current
//! database; then a database built only as far as `SINCE` is filled with
//! the columns that existed then, and the real migrations take it the rest
//! of the way. A later migration that adds data of its own (a new table, a
//! column worth keeping) extends this test: make that data in
//! `learners_at_work`, and raise `SINCE` if the old schema must hold it.

use std::str::FromStr;

use mockexam::backup::archive::with_database;
use mockexam::db::{self, quote_ident};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, Row};
use uuid::Uuid;

use crate::helpers::{TestApp, key_of, location};

/// The first migration whose schema holds attempts and answers.
const SINCE: i64 = 2;

/// A learner with one finished mock (some answers right, some wrong) and
/// one running, three answers in and one flagged.
async fn learners_at_work(app: &TestApp) -> (Uuid, Uuid) {
    app.log_in_as_learner().await;
    let finished = app.start(&[("mode", "exam")]).await;
    for n in 1..=10 {
        let mut answer = serde_json::to_value(key_of(&app.db, finished, n).await).expect("an answer");
        if n % 3 == 0 {
            answer = json!({});
        }
        let saved = app.save_json(finished, n, json!({ "seq": 1, "response": answer, "flagged": n == 5 })).await;
        assert_eq!(saved.status(), StatusCode::OK, "item {n} saves");
    }
    assert_eq!(location(&app.submit(finished).await), format!("/attempts/{finished}/result"));
    let running = app.start(&[("mode", "exam")]).await;
    for n in 1..=3 {
        let answer = key_of(&app.db, running, n).await;
        let saved = app.save_json(running, n, json!({ "seq": 1, "response": answer, "flagged": n == 2 })).await;
        assert_eq!(saved.status(), StatusCode::OK, "item {n} saves");
    }
    (finished, running)
}

/// An empty database migrated only up to `SINCE`, as that version left it:
/// the same migration files, so the checksums are those the latest
/// migrator expects.
async fn database_at_since(app: &TestApp) -> (String, PgConnectOptions) {
    let name = format!("upgrade_{}", Uuid::new_v4().simple());
    let mut admin = app.connect().await;
    sqlx::query(&format!("CREATE DATABASE {}", quote_ident(&name))).execute(&mut admin).await.expect("created");
    let options = PgConnectOptions::from_str(&with_database(&app.database_url(), &name)).expect("a URL");
    let old = tempfile_dir();
    for migration in db::MIGRATOR.iter().filter(|m| m.version <= SINCE) {
        let file = old.join(format!("{:04}_{}.sql", migration.version, migration.description.replace(' ', "_")));
        std::fs::write(file, migration.sql.as_bytes()).expect("a migration file");
    }
    let migrator = sqlx::migrate::Migrator::new(old.as_path()).await.expect("the old migrations");
    let mut conn = PgConnection::connect_with(&options).await.expect("connect");
    migrator.run(&mut conn).await.expect("the old migrations run");
    let applied: i64 =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations").fetch_one(&mut conn).await.expect("applied");
    assert_eq!(applied, SINCE, "the old database stops at migration {SINCE}");
    conn.close().await.expect("close");
    std::fs::remove_dir_all(old).expect("cleaned up");
    (name, options)
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mockexam-upgrade-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("a folder");
    dir
}

/// Copies every row of every table the old schema has, in the columns it
/// has, from the current database: what the old version would have held.
async fn fill_old_schema(from: &sqlx::PgPool, to: &PgConnectOptions) {
    let mut to = PgConnection::connect_with(to).await.expect("connect");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut to)
    .await
    .expect("the old tables");
    // The rows go in as they come; the old schema's own foreign keys (a
    // question and its current version point at each other) are checked
    // by the copy's result, not row by row.
    sqlx::query("SET session_replication_role = replica").execute(&mut to).await.expect("set");
    for table in &tables {
        let columns: Vec<String> = sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(&mut to)
        .await
        .expect("the old columns");
        let list = columns.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ");
        let rows: Option<serde_json::Value> = sqlx::query_scalar(&format!(
            "SELECT json_agg(row_to_json(t)) FROM (SELECT {list} FROM {}) t",
            quote_ident(table)
        ))
        .fetch_one(from)
        .await
        .expect("the rows");
        let Some(rows) = rows else { continue };
        sqlx::query(&format!(
            "INSERT INTO {t} ({list}) SELECT {list} FROM jsonb_populate_recordset(NULL::{t}, $1)",
            t = quote_ident(table)
        ))
        .bind(rows)
        .execute(&mut to)
        .await
        .unwrap_or_else(|e| panic!("{table} copied into the old schema: {e}"));
    }
    sqlx::query("SET session_replication_role = origin").execute(&mut to).await.expect("set");
    to.close().await.expect("close");
}

/// What must survive: each attempt's state and score, each item's answer.
async fn what_learners_did(db: &sqlx::PgPool) -> Vec<String> {
    let attempts = sqlx::query(
        "SELECT id, user_id, mode, item_count, started_at, deadline, finished_at, finished_reason, score::text
         FROM attempts ORDER BY started_at",
    )
    .fetch_all(db)
    .await
    .expect("attempts");
    let items = sqlx::query(
        "SELECT attempt_id, position, version_id, response::text, answered, flagged, seq, correct
         FROM items ORDER BY attempt_id, position",
    )
    .fetch_all(db)
    .await
    .expect("items");
    let users: Vec<(Uuid, String, String)> =
        sqlx::query_as("SELECT id, email, password_hash FROM users ORDER BY email").fetch_all(db).await.expect("users");
    let mut all: Vec<String> = users.iter().map(|u| format!("{u:?}")).collect();
    for a in &attempts {
        all.push(format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            a.get::<Uuid, _>(0),
            a.get::<Uuid, _>(1),
            a.get::<String, _>(2),
            a.get::<i32, _>(3),
            a.get::<time::OffsetDateTime, _>(4),
            a.get::<Option<time::OffsetDateTime>, _>(5),
            a.get::<Option<time::OffsetDateTime>, _>(6),
            a.get::<Option<String>, _>(7),
            a.get::<Option<String>, _>(8),
        ));
    }
    for i in &items {
        all.push(format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            i.get::<Uuid, _>(0),
            i.get::<i32, _>(1),
            i.get::<Uuid, _>(2),
            i.get::<Option<String>, _>(3),
            i.get::<bool, _>(4),
            i.get::<bool, _>(5),
            i.get::<i64, _>(6),
            i.get::<Option<bool>, _>(7),
        ));
    }
    all
}

#[tokio::test]
async fn a_database_from_an_early_version_upgrades_with_everything_and_its_running_mock_finishes() {
    let app = TestApp::spawn().await;
    let (finished, running) = learners_at_work(&app).await;
    let before = what_learners_did(&app.db).await;
    assert!(before.len() > 130, "two mocks of 65 items and their learner: {}", before.len());

    let (name, old) = database_at_since(&app).await;
    fill_old_schema(&app.db, &old).await;

    // The current server on the old database: it runs every later
    // migration at start, as an upgrade does.
    let upgraded = TestApp::spawn_on(old.clone()).await;
    let latest = db::MIGRATOR.iter().map(|m| m.version).max().expect("migrations");
    let applied: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
        .fetch_one(&upgraded.db)
        .await
        .expect("the applied migrations");
    assert_eq!(applied, latest, "every migration since {SINCE} ran");
    assert_eq!(what_learners_did(&upgraded.db).await, before, "every account, attempt, answer and score is there");

    // The learner logs in to the upgraded server: the finished mock shows
    // its result, the running one resumes with its answers and finishes.
    let response = upgraded.log_in("learner@example.org", "correct horse battery").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the learner logs in after the upgrade");
    let result = upgraded.get(&format!("/attempts/{finished}/result")).await;
    assert_eq!(result.status(), StatusCode::OK, "the finished mock's result shows");
    let page = upgraded.get_text(&format!("/attempts/{running}/items/2")).await;
    assert!(page.contains("Flagged"), "the running mock resumes with its flag");
    assert_eq!(location(&upgraded.submit(running).await), format!("/attempts/{running}/result"));
    let correct: i64 = sqlx::query_scalar("SELECT count(*) FROM items WHERE attempt_id = $1 AND correct")
        .bind(running)
        .fetch_one(&upgraded.db)
        .await
        .expect("graded");
    assert_eq!(correct, 3, "the three answers given before the upgrade are graded right");

    drop(upgraded);
    let mut admin = app.connect().await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&name)))
        .execute(&mut admin)
        .await
        .expect("dropped");
}
