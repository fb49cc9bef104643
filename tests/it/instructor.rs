//! The instructor's area over HTTP (issue 14, the upload): an upload
//! previewed then imported, what the preview leaves out, whose
//! uploads are whose, and uploads that expire.

use reqwest::{Response, StatusCode};
use time::Duration;
use uuid::Uuid;

use crate::helpers::{Browser, TestApp, location};

/// A bank with an error at line 9 (two options the same), and a question
/// whose text carries a script and an event handler.
const BROKEN: &str = "$CATEGORY: $course$/top/Bank/D1

::Q01 Leaky scaler::Fitting a scaler on all rows before the split does what? {
=Test statistics leak into training.#Fit the scaler on the training split only.
~Nothing at all.#The test rows shape the scaling.
####Split first, then fit every preprocessing step on the training split.
}

::Q04 Twice the same::Which one is right? {=same#Yes. ~same#No. ####Because.}
";

/// The same bank, corrected.
const FIXED: &str = "$CATEGORY: $course$/top/Bank/D1

::Q01 Leaky scaler::Fitting a scaler on all rows before the split does what? {
=Test statistics leak into training.#Fit the scaler on the training split only.
~Nothing at all.#The test rows shape the scaling.
####Split first, then fit every preprocessing step on the training split.
}

::Q04 Twice the same::Which one is right? {=this one#Yes. ~that one#No. ####Because.}
";

const HOSTILE: &str = "$CATEGORY: $course$/top/Bank/D2

::Q05 Hostile::Which is safe? <script>alert(1)</script><img src=x onerror=alert(2)> {
=The escaped one#Yes.
~The raw one#No.
####Escape everything.
}
";

const BOUNDARY: &str = "mockexam-test-boundary-7f3a";

/// Posts the upload form as a browser does: multipart, with the CSRF token
/// and our Origin. Built by hand: the format is a few lines, and reqwest's
/// `multipart` feature would be a dependency for these tests alone.
async fn upload(browser: &Browser, slug: &str, files: &[(&str, &str)], fields: &[(&str, &str)]) -> Response {
    let token = browser.csrf().await;
    let mut body = String::new();
    let mut part = |disposition: String, value: &str| {
        body.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; {disposition}\r\n\r\n{value}\r\n"));
    };
    part("name=\"csrf_token\"".into(), &token);
    for (name, content) in files {
        part(format!("name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream"), content);
    }
    for (name, value) in fields {
        part(format!("name=\"{name}\""), value);
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    browser
        .client
        .post(browser.url(&format!("/instructor/exams/{slug}/uploads")))
        .header("origin", format!("http://{}", browser.addr))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .send()
        .await
        .expect("POST")
}

/// Uploads one file and follows to the preview; returns its id and page.
async fn preview(browser: &Browser, name: &str, content: &str) -> (Uuid, String) {
    let response = upload(browser, "mla-c01", &[(name, content)], &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{:?}", response.text().await);
    let to = location(&response).to_string();
    let id = to.strip_prefix("/instructor/uploads/").expect("the preview").parse().expect("a uuid");
    let page = browser.get(&to).await;
    assert_eq!(page.status(), StatusCode::OK);
    (id, page.text().await.unwrap())
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.expect(sql)
}

#[tokio::test]
async fn a_file_with_an_error_is_refused_and_the_corrected_one_imports_and_is_drawn() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    assert!(ines.get_text("/").await.contains("href=\"/instructor\""), "the header links the area");
    let questions = count(&app, "SELECT count(*) FROM questions").await;

    let (id, page) = preview(&ines, "bank.gift", BROKEN).await;
    assert!(page.contains("bank.gift:9"), "the error's file and line: {page}");
    assert!(page.contains("<a href=\"#q-q04-twice-the-same\">q04-twice-the-same</a>"), "linked to its preview");
    assert!(page.contains("q01-leaky-scaler"), "the good question is previewed");
    assert!(page.contains("id=\"q-q01-leaky-scaler\""));
    assert!(page.contains(" disabled aria-describedby=\"import-blocked\""), "the Import button is disabled");
    let refused = ines.post_form(&format!("/instructor/uploads/{id}/import"), &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("Nothing was imported"));
    assert_eq!(count(&app, "SELECT count(*) FROM questions").await, questions, "nothing imported");
    assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 0);

    let (id, page) = preview(&ines, "bank.gift", FIXED).await;
    assert!(page.contains("2 new, 0 new versions, 0 unchanged"), "{page}");
    assert!(page.contains("class=\"option is-key"), "the key is shown");
    assert!(page.contains("Split first, then fit every preprocessing step"), "the explanation is shown");
    let imported = ines.post_form(&format!("/instructor/uploads/{id}/import"), &[]).await;
    assert_eq!(imported.status(), StatusCode::SEE_OTHER);
    let to = location(&imported).to_string();
    assert!(to.starts_with("/instructor/exams/mla-c01?"), "{to}");
    let exam_page = ines.get_text(&to).await;
    assert!(exam_page.contains("Imported: 2 new, 0 new versions, 0 unchanged."), "{exam_page}");
    assert!(exam_page.contains("bank.gift") && exam_page.contains("ines@example.org"), "listed: {exam_page}");
    assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 1);
    assert_eq!(
        count(&app, "SELECT count(*) FROM uploads").await,
        1,
        "the imported upload is gone, the refused one kept"
    );
    assert_eq!(ines.get(&format!("/instructor/uploads/{id}")).await.status(), StatusCode::NOT_FOUND);

    // A learner's practice on D1, as long as it goes, draws them.
    let learner = app.new_browser();
    learner.log_in_as_learner().await;
    let attempt = learner.start(&[("mode", "practice"), ("count", "200"), ("domains", "D1")]).await;
    let drawn: Vec<String> = sqlx::query_scalar(
        "SELECT v.content->'question'->>'id' FROM items i JOIN question_versions v ON v.id = i.version_id
         WHERE i.attempt_id = $1",
    )
    .bind(attempt)
    .fetch_all(&app.db)
    .await
    .unwrap();
    for id in ["q01-leaky-scaler", "q04-twice-the-same"] {
        assert!(drawn.iter().any(|d| d == id), "{id} drawn among {drawn:?}");
    }
}

#[tokio::test]
async fn a_script_and_event_handlers_in_a_question_do_not_reach_the_preview() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    let (_, page) = preview(&ines, "hostile.gift", HOSTILE).await;
    assert!(page.contains("q05-hostile"), "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("onerror"), "{page}");
}

#[tokio::test]
async fn another_instructors_upload_is_not_found() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    let other = app.new_browser_as("instructor", "otto@example.org").await;
    let (id, _) = preview(&ines, "bank.gift", FIXED).await;
    assert_eq!(other.get(&format!("/instructor/uploads/{id}")).await.status(), StatusCode::NOT_FOUND);
    let import = other.post_form(&format!("/instructor/uploads/{id}/import"), &[]).await;
    assert_eq!(import.status(), StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 0);
}

#[tokio::test]
async fn an_instructor_changes_only_their_own_exams_and_an_admin_every_exam() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let otto = app.new_browser_as("instructor", "otto@example.org").await;
    let ada = app.new_browser_as("admin", "ada@example.org").await;
    // Made from content/: the admins' until someone is given it.
    assert_eq!(ines.get("/instructor/exams/mla-c01").await.status(), StatusCode::FORBIDDEN);
    assert!(!ines.get_text("/instructor").await.contains("/instructor/exams/mla-c01"));
    assert_eq!(ada.get("/instructor/exams/mla-c01").await.status(), StatusCode::OK);
    app.give_exam("mla-c01", "ines@example.org").await;
    assert!(ines.get_text("/instructor").await.contains("/instructor/exams/mla-c01"));
    for path in [
        "/instructor/exams/mla-c01",
        "/instructor/exams/mla-c01/uploads/new",
        "/instructor/exams/mla-c01/export?format=json",
    ] {
        assert_eq!(ines.get(path).await.status(), StatusCode::OK, "{path}");
        assert_eq!(ada.get(path).await.status(), StatusCode::OK, "{path}");
        let refused = otto.get(path).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(refused.text().await.unwrap().contains("belongs to another instructor"), "{path}");
    }
    assert_eq!(upload(&otto, "mla-c01", &[("bank.gift", FIXED)], &[]).await.status(), StatusCode::FORBIDDEN);
    let api = otto.api_client(&otto.create_api_token("ci").await);
    let (status, _) = api.get("/api/v1/exams/mla-c01/imports").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "SELECT count(*) FROM uploads").await, 0);
}

#[tokio::test]
async fn an_upload_pressed_import_on_twice_at_once_is_imported_once() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    let (id, _) = preview(&ines, "bank.gift", FIXED).await;
    let path = format!("/instructor/uploads/{id}/import");
    let (first, second) = tokio::join!(ines.post_form(&path, &[]), ines.post_form(&path, &[]));
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::NOT_FOUND]);
    assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM uploads").await, 0);
}

#[tokio::test]
async fn an_expired_upload_is_gone_after_the_sweep() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    let (id, _) = preview(&ines, "bank.gift", FIXED).await;
    app.clock.advance(Duration::hours(23));
    assert_eq!(ines.get(&format!("/instructor/uploads/{id}")).await.status(), StatusCode::OK, "kept a day");
    let state = mockexam::app::App::new(app.db.clone(), Default::default(), app.clock.clone());
    mockexam::app::sweep(&state).await;
    assert_eq!(count(&app, "SELECT count(*) FROM uploads").await, 1, "not yet expired");
    app.clock.advance(Duration::hours(1));
    assert_eq!(ines.get(&format!("/instructor/uploads/{id}")).await.status(), StatusCode::NOT_FOUND);
    mockexam::app::sweep(&state).await;
    assert_eq!(count(&app, "SELECT count(*) FROM uploads").await, 0, "the sweep deleted it");
    assert_eq!(count(&app, "SELECT count(*) FROM upload_files").await, 0, "its files go with it");
}

#[tokio::test]
async fn a_form_with_no_file_or_a_bad_mapping_comes_back_with_its_messages_and_what_was_typed() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    let response = upload(&ines, "mla-c01", &[], &[("domain_map", "Data prep=D1\nno equals sign")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Choose a file, or paste the questions below."), "{page}");
    assert!(page.contains("Line 2:"), "{page}");
    assert!(page.contains("Data prep=D1\nno equals sign</textarea>"), "kept: {page}");

    let response = upload(&ines, "mla-c01", &[], &[("pasted", FIXED), ("all_in_domain", "D9")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("“D9” is not a domain of this exam."), "{page}");
    assert!(page.contains("Leaky scaler"), "the pasted text is kept");
    assert_eq!(count(&app, "SELECT count(*) FROM uploads").await, 0);

    let export = ines.get("/instructor/exams/mla-c01/export?format=gift").await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
}

#[tokio::test]
async fn an_edited_question_previews_as_a_new_version_with_its_changed_lines_marked() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    let (id, _) = preview(&ines, "bank.gift", FIXED).await;
    assert_eq!(ines.post_form(&format!("/instructor/uploads/{id}/import"), &[]).await.status(), StatusCode::SEE_OTHER);

    let edited = FIXED.replace("does what?", "does what to the test score?");
    let (_, page) = preview(&ines, "bank.gift", &edited).await;
    assert!(page.contains("0 new, 1 new versions, 1 unchanged"), "{page}");
    assert!(page.contains("New versions (1)") && page.contains("Unchanged questions (1)"), "{page}");
    assert!(page.contains("[removed] Fitting a scaler on all rows before the split does what?"), "{page}");
    assert!(
        page.contains("[added] Fitting a scaler on all rows before the split does what to the test score?"),
        "{page}"
    );
}

#[tokio::test]
async fn the_upload_form_takes_files_up_to_the_import_limit_and_refuses_more() {
    let app = TestApp::spawn_with(|c| {
        c.body_limit_bytes = 1024;
        c.import_limit_bytes = 8 * 1024;
    })
    .await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    assert!(ines.get_text("/instructor/exams/mla-c01/uploads/new").await.contains("at most 8 KiB in all"));
    let padded = format!("// {}\n\n{FIXED}", "x".repeat(4000));
    let (_, page) = preview(&ines, "bank.gift", &padded).await;
    assert!(page.contains("2 new"), "over the general limit, under the import limit: {page}");

    let huge = format!("// {}\n\n{FIXED}", "x".repeat(20_000));
    let response = upload(&ines, "mla-c01", &[("bank.gift", &huge)], &[]).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.text().await.unwrap().contains("at most 8 KiB"));
    assert_eq!(count(&app, "SELECT count(*) FROM uploads").await, 1, "only the first");
}
