//! The autosave against a failing server: a change is kept and retried, never
//! lost.

use super::learner::{register, start_mock};
use super::web::Web;
use crate::helpers::TestApp;

/// Never a lost answer: while the database is down, a save gets a server
/// error; the script keeps the change and retries until the database is
/// back, and the change lands.
#[tokio::test]
async fn a_save_refused_by_a_server_error_is_retried_until_it_lands() {
    // A cluster of this test's own, so stopping it harms no other test.
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pg-retry-{}", uuid::Uuid::new_v4().simple()));
    let d = dir.clone();
    let cluster = tokio::task::spawn_blocking(move || mockexam::db::Cluster::start(&d)).await.unwrap().unwrap();
    let app = TestApp::spawn_on(cluster.connect_options("postgres")).await;
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    mockexam::load_content(&app.db, &content, app.clock.now()).await.expect("content loads");
    let web = Web::launch(&app, true).await;
    register(&web).await;
    start_mock(&web).await;

    let mut cluster = tokio::task::spawn_blocking(move || {
        let mut cluster = cluster;
        cluster.stop_now().unwrap();
        cluster
    })
    .await
    .unwrap();
    web.click("button[value=flag]").await;
    web.wait_for("the save to fail and be retried", async || {
        web.try_text("#save-status").await.filter(|t| t.contains("Retrying"))
    })
    .await;

    cluster = tokio::task::spawn_blocking(move || {
        cluster.restart().unwrap();
        cluster
    })
    .await
    .unwrap();
    web.wait_for_text("#save-status", "Saved").await;
    let flagged: bool =
        sqlx::query_scalar("SELECT flagged FROM items WHERE position = 1").fetch_one(&app.db).await.unwrap();
    assert!(flagged, "the flag set while the database was down was saved");

    drop(web);
    drop(app);
    tokio::task::spawn_blocking(move || {
        let mut cluster = cluster;
        cluster.stop().unwrap();
    })
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
