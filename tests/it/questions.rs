//! An exam's questions in the instructor's area over HTTP (issue 14,
//! "Questions"; it stays whole, one page's routes): the list's search and filters, editing (a new version,
//! finished attempts keep theirs), the preview's sanitizer, refused edits,
//! retire and restore, exporting one question set, and who may do any of it.

use mockexam::app::questions::markdown_of;
use mockexam::exam::VersionContent;
use reqwest::StatusCode;
use sqlx::types::Json;
use uuid::Uuid;

use crate::helpers::{Browser, TestApp, encode, location};

const INES: &str = "ines@example.org";

/// An instructor who owns the bundled exam.
async fn owner(app: &TestApp) -> Browser {
    let ines = app.new_browser_as("instructor", INES).await;
    app.give_exam("mla-c01", INES).await;
    ines
}

fn url(key: &str) -> String {
    format!("/instructor/exams/mla-c01/questions/{key}")
}

/// The first single-answer question outside any case study: its key and
/// content.
async fn some_question(app: &TestApp) -> (String, VersionContent) {
    let (key, content): (String, Json<VersionContent>) = sqlx::query_as(
        "SELECT q.key, v.content FROM questions q JOIN question_versions v ON v.id = q.current_version
         WHERE q.case_key IS NULL AND q.kind = 'single' ORDER BY q.key LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .expect("a question outside case studies");
    (key, content.0)
}

/// [`some_question`], given a tag no other question carries (every curated
/// topic holds several), in its row and in its version, so an edit keeps
/// it: a drill on that tag draws it alone. Its key, tag and content.
async fn lone_question(app: &TestApp) -> (String, String, VersionContent) {
    const TAG: &str = "only-this-one";
    let (key, _) = some_question(app).await;
    sqlx::query(
        "UPDATE question_versions v SET content = jsonb_set(v.content, '{question,tags}',
             (v.content->'question'->'tags') || to_jsonb($1::text))
         FROM questions q WHERE v.id = q.current_version AND q.key = $2",
    )
    .bind(TAG)
    .bind(&key)
    .execute(&app.db)
    .await
    .expect("the version carries the tag");
    sqlx::query("UPDATE questions SET tags = tags || $1::text WHERE key = $2")
        .bind(TAG)
        .bind(&key)
        .execute(&app.db)
        .await
        .expect("the question carries the tag");
    let (_, content) = some_question(app).await;
    (key, TAG.to_string(), content)
}

/// The question's current version number and how many versions it has.
async fn versions(app: &TestApp, key: &str) -> (i32, i64) {
    sqlx::query_as(
        "SELECT v.number, (SELECT count(*) FROM question_versions WHERE question_id = q.id)
         FROM questions q JOIN question_versions v ON v.id = q.current_version WHERE q.key = $1",
    )
    .bind(key)
    .fetch_one(&app.db)
    .await
    .expect("the question")
}

/// The question ids a page of the list links to.
fn listed(html: &str) -> Vec<String> {
    html.split("href=\"/instructor/exams/mla-c01/questions/")
        .skip(1)
        .map(|rest| rest[..rest.find('"').expect("a closing quote")].to_string())
        .collect()
}

/// The start of a stem as plain words, as it reads in the rendered page.
fn plain_start(stem: &str) -> String {
    stem.chars().take_while(|c| c.is_alphanumeric() || *c == ' ').collect()
}

#[tokio::test]
async fn editing_a_question_makes_version_2_and_a_finished_review_keeps_the_old_stem() {
    let app = TestApp::spawn().await;
    let ines = owner(&app).await;
    let (key, tag, content) = lone_question(&app).await;
    let old_start = plain_start(&content.question.stem);
    assert!(old_start.len() >= 10, "a stem starting with words: {old_start}");

    app.log_in_as_learner().await;
    let before = app.start(&[("mode", "drill"), ("tag", &tag), ("count", "1")]).await;
    assert_eq!(app.submit(before).await.status(), StatusCode::SEE_OTHER);

    let text = markdown_of(&content).expect("our Markdown holds the bundled questions");
    assert!(ines.get_text(&format!("{}/edit", url(&key))).await.contains("<textarea"), "the edit page");
    let edited = text.replacen(&content.question.stem, "EDITED-STEM-MARKER and the rest", 1);
    let saved = ines.post_form(&format!("{}/edit", url(&key)), &[("text", &edited), ("action", "save")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "{:?}", saved.text().await);
    assert_eq!(location(&saved), format!("{}?saved=2", url(&key)));
    let page = ines.get_text(location(&saved)).await;
    assert!(page.contains("Saved as version 2."), "{page}");
    assert!(page.contains("EDITED-STEM-MARKER"), "the page shows the current version");
    assert!(page.contains(INES), "the history names the author");
    assert!(page.contains("[added] EDITED-STEM-MARKER"), "the diff shows the change");
    assert_eq!(versions(&app, &key).await, (2, 2));
    let author: Option<String> = sqlx::query_scalar(
        "SELECT v.author FROM questions q JOIN question_versions v ON v.id = q.current_version WHERE q.key = $1",
    )
    .bind(&key)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(author.as_deref(), Some(INES));

    let review = app.get_text(&format!("/attempts/{before}/result")).await;
    assert!(review.contains(&old_start) && !review.contains("EDITED-STEM-MARKER"), "the review keeps the old stem");

    let after = app.start(&[("mode", "drill"), ("tag", &tag), ("count", "1")]).await;
    let (drawn, current): (Uuid, Uuid) = sqlx::query_as(
        "SELECT i.version_id, q.current_version FROM items i, questions q WHERE i.attempt_id = $1 AND q.key = $2",
    )
    .bind(after)
    .bind(&key)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(drawn, current, "the next attempt draws the new version");
    assert!(app.get_text(&format!("/attempts/{after}/items/1")).await.contains("EDITED-STEM-MARKER"));
}

#[tokio::test]
async fn a_case_study_question_is_edited_with_its_case() {
    let app = TestApp::spawn().await;
    let ines = owner(&app).await;
    let (key, content): (String, Json<VersionContent>) = sqlx::query_as(
        "SELECT q.key, v.content FROM questions q JOIN question_versions v ON v.id = q.current_version
         WHERE q.case_key IS NOT NULL ORDER BY q.key LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .expect("a case-study question");
    let case = content.0.case.clone().expect("its case");
    let edit = ines.get_text(&format!("{}/edit", url(&key))).await;
    assert!(edit.contains(&format!("## Case study {}", case.id)), "the text carries its case");

    let text = markdown_of(&content.0).unwrap();
    let edited = text.replacen(&content.0.question.explanation, "CASE-EDIT-MARKER explained.", 1);
    let saved = ines.post_form(&format!("{}/edit", url(&key)), &[("text", &edited), ("action", "save")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "{:?}", saved.text().await);
    assert_eq!(versions(&app, &key).await, (2, 2));
    let kept: Json<VersionContent> = sqlx::query_scalar(
        "SELECT v.content FROM questions q JOIN question_versions v ON v.id = q.current_version WHERE q.key = $1",
    )
    .bind(&key)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(kept.0.case, Some(case), "the new version keeps its case");
}

#[tokio::test]
async fn a_preview_of_hostile_text_holds_no_script_and_no_event_handler() {
    let app = TestApp::spawn().await;
    let ines = owner(&app).await;
    let (key, content) = some_question(&app).await;
    let hostile = markdown_of(&content).unwrap().replacen(
        &content.question.stem,
        "Which is safe? <script>alert(1)</script><img src=x onerror=alert(2)> HOSTILE-MARKER",
        1,
    );

    // The script's request: the token in a header, the fragment back.
    let token = ines.csrf().await;
    let response = ines
        .client
        .post(ines.url(&format!("{}/preview", url(&key))))
        .header("x-csrf-token", token)
        .header("origin", format!("http://{}", ines.addr))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&[("text", hostile.as_str())]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let fragment = response.text().await.unwrap();
    assert!(fragment.contains("HOSTILE-MARKER"), "the item is rendered: {fragment}");
    assert!(!fragment.contains("<script>alert") && !fragment.contains("onerror"), "{fragment}");

    // The Preview button without script: the text comes back in the
    // textarea (escaped, as text), the rendered item below it sanitized.
    let page = ines.post_form(&format!("{}/edit", url(&key)), &[("text", &hostile), ("action", "preview")]).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(!page.contains("<script>alert"), "{page}");
    let rendered = page.split("id=\"question-preview\"").nth(1).expect("the preview region");
    assert!(rendered.contains("HOSTILE-MARKER") && !rendered.contains("onerror"), "{rendered}");
    let kept = page.split("<textarea").nth(1).expect("the textarea");
    assert!(kept.contains("&#60;script&#62;alert(1)"), "the typed text is kept, as text");
    assert_eq!(versions(&app, &key).await, (1, 1), "a preview stores nothing");
}

#[tokio::test]
async fn an_edit_with_an_error_is_refused_with_its_line_and_the_text_kept() {
    let app = TestApp::spawn().await;
    let ines = owner(&app).await;
    let (key, content) = some_question(&app).await;
    let text = markdown_of(&content).unwrap();
    let edit = format!("{}/edit", url(&key));

    let broken = text.replacen(&format!("domain: {}", content.question.domain), "domain: D9", 1);
    let response = ines.post_form(&edit, &[("text", &broken), ("action", "save")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Nothing was saved"), "{page}");
    assert!(page.contains("<code>line ") && page.contains("D9"), "the error with its line: {page}");
    assert!(page.contains("domain: D9"), "the typed text is kept");

    let renamed = text.replacen(&format!("## Question {key}"), "## Question d9-renamed", 1);
    let response = ines.post_form(&edit, &[("text", &renamed), ("action", "save")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains(&format!("keeps its id `{key}`")), "{page}");

    let response = ines.post_form(&edit, &[("text", &text), ("action", "save")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("Nothing was saved: the text is the same"));
    assert_eq!(versions(&app, &key).await, (1, 1), "nothing was stored");
}

#[tokio::test]
async fn search_and_each_filter_narrow_the_list() {
    let app = TestApp::spawn().await;
    let ines = owner(&app).await;
    let list = |query: &str| {
        let ines = &ines;
        let query = query.to_string();
        async move { listed(&ines.get_text(&format!("/instructor/exams/mla-c01/questions?{query}")).await) }
    };
    let pick = |sql: &'static str| {
        let db = app.db.clone();
        async move { sqlx::query_scalar::<_, String>(sql).fetch_one(&db).await.expect(sql) }
    };
    let d1 = pick("SELECT key FROM questions WHERE domain = 'D1' ORDER BY key LIMIT 1").await;
    let d2 = pick("SELECT key FROM questions WHERE domain = 'D2' ORDER BY key LIMIT 1").await;
    let multiple = pick("SELECT key FROM questions WHERE kind = 'multiple' ORDER BY key LIMIT 1").await;
    let single = pick("SELECT key FROM questions WHERE kind = 'single' ORDER BY key LIMIT 1").await;

    let everything = list("state=all").await;
    assert_eq!(everything.len(), 50, "a page holds 50");
    let page = ines.get_text("/instructor/exams/mla-c01/questions?state=all").await;
    assert!(page.contains("href=\"?state=all&#38;page=2\""), "the pager keeps the filters");

    let by_id = list(&format!("q={}", d2.to_uppercase())).await;
    assert!(by_id.contains(&d2) && !by_id.contains(&d1), "{by_id:?}");
    let (stem_key, stem): (String, String) =
        sqlx::query_as("SELECT q.key, v.content->'question'->>'stem' FROM questions q JOIN question_versions v ON v.id = q.current_version ORDER BY q.key DESC LIMIT 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let words: String = stem.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    let by_stem = list(&format!("q={}", urlencode(&words))).await;
    assert!(by_stem.contains(&stem_key) && by_stem.len() < 5, "{words}: {by_stem:?}");
    assert!(list("q=%25%25no-such-text").await.is_empty(), "% is taken literally");

    let in_d2 = list("domain=D2").await;
    assert!(in_d2.contains(&d2) && !in_d2.contains(&d1));
    let of_multiple = list("kind=multiple").await;
    assert!(of_multiple.contains(&multiple) && !of_multiple.contains(&single));
    let (key, tag, _) = lone_question(&app).await;
    assert_eq!(list(&format!("tag={tag}")).await, [key]);
    let (hard, easy) = (
        pick("SELECT q.key FROM questions q JOIN question_versions v ON v.id = q.current_version WHERE v.content->'question'->>'difficulty' = 'hard' ORDER BY q.key LIMIT 1").await,
        pick("SELECT q.key FROM questions q JOIN question_versions v ON v.id = q.current_version WHERE v.content->'question'->>'difficulty' = 'easy' ORDER BY q.key LIMIT 1").await,
    );
    let of_hard = list("difficulty=hard&state=all").await;
    assert!(of_hard.contains(&hard) && !of_hard.contains(&easy));

    // An import that brought one question in.
    let import = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO imports (id, exam_id, actor, created_at, files, added, changed, unchanged, skipped, warnings)
         SELECT $1, id, $2, now(), '[]', 1, 0, 0, 0, 0 FROM exams WHERE slug = 'mla-c01'",
    )
    .bind(import)
    .bind(INES)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("UPDATE questions SET import_id = $1 WHERE key = $2")
        .bind(import)
        .bind(&d1)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(list(&format!("upload={import}")).await, [d1]);

    ines.post_form(&format!("{}/retire", url(&d2)), &[]).await;
    assert!(!list("domain=D2").await.contains(&d2), "live questions only, by default");
    assert_eq!(list(&format!("state=retired&q={d2}")).await, std::slice::from_ref(&d2));
    assert!(list(&format!("state=all&q={d2}")).await.contains(&d2));
    assert!(
        ines.get_text(&format!("/instructor/exams/mla-c01/questions?state=retired&q={d2}")).await.contains("Retired")
    );
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn a_retired_question_is_not_drawn_keeps_its_history_and_comes_back_when_restored() {
    let app = TestApp::spawn().await;
    let ines = owner(&app).await;
    let (key, tag, content) = lone_question(&app).await;
    let domain = content.question.domain.clone();
    app.log_in_as_learner().await;

    let retired = ines.post_form(&format!("{}/retire", url(&key)), &[]).await;
    assert_eq!((retired.status(), location(&retired)), (StatusCode::SEE_OTHER, url(&key).as_str()));
    let page = ines.get_text(&url(&key)).await;
    assert!(page.contains("Retired") && page.contains("Restore"), "{page}");
    assert!(page.contains("<th scope=\"row\">1</th>"), "the history is kept");

    let drill = app.post_form("/exams/mla-c01/attempts", &[("mode", "drill"), ("tag", &tag), ("count", "1")]).await;
    if drill.status() == StatusCode::SEE_OTHER {
        let id: Uuid = location(&drill).split('/').nth(2).unwrap().parse().unwrap();
        assert!(!drawn(&app, id).await.contains(&key), "a drill on its tag never draws it");
    }
    let whole_domain = app.start(&[("mode", "drill"), ("domain", &domain), ("count", "200")]).await;
    assert!(!drawn(&app, whole_domain).await.contains(&key), "nor a drill on its domain");

    let restored = ines.post_form(&format!("{}/restore", url(&key)), &[]).await;
    assert_eq!(restored.status(), StatusCode::SEE_OTHER);
    let again = app.start(&[("mode", "drill"), ("tag", &tag), ("count", "1")]).await;
    assert_eq!(drawn(&app, again).await, [key], "drawn again");
}

async fn drawn(app: &TestApp, attempt: Uuid) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT q.key FROM items i JOIN question_versions v ON v.id = i.version_id
         JOIN questions q ON q.id = v.question_id WHERE i.attempt_id = $1",
    )
    .bind(attempt)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_question_set_exports_alone_in_each_format() {
    let app = TestApp::spawn().await;
    let ines = owner(&app).await;
    let (key, _) = some_question(&app).await;
    let (source, other): (String, String) = sqlx::query_as(
        "SELECT q.source, (SELECT key FROM questions o WHERE o.source <> q.source LIMIT 1) FROM questions q WHERE key = $1",
    )
    .bind(&key)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let page = ines.get_text(&url(&key)).await;
    assert!(page.contains("export?format=gift&amp;set="), "the page offers the set's export");
    for format in ["markdown", "json", "gift", "moodle-xml", "csv"] {
        let response =
            ines.get(&format!("/instructor/exams/mla-c01/export?format={format}&set={}", urlencode(&source))).await;
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        let file = response.text().await.unwrap();
        assert!(file.contains(&key) && !file.contains(&other), "{format} holds the set alone");
    }
}

#[tokio::test]
async fn another_instructor_and_a_learner_are_refused_every_question_route() {
    let app = TestApp::spawn().await;
    owner(&app).await;
    let (key, content) = some_question(&app).await;
    let text = markdown_of(&content).unwrap();
    let other = app.new_browser_as("instructor", "olga@example.org").await;
    let learner = app.new_browser();
    learner.log_in_as_learner().await;
    for browser in [&other, &learner] {
        for path in ["/instructor/exams/mla-c01/questions".to_string(), url(&key), format!("{}/edit", url(&key))] {
            assert_eq!(browser.get(&path).await.status(), StatusCode::FORBIDDEN, "GET {path}");
        }
        for (path, fields) in [
            (format!("{}/retire", url(&key)), vec![]),
            (format!("{}/restore", url(&key)), vec![]),
            (format!("{}/edit", url(&key)), vec![("text", text.as_str()), ("action", "save")]),
            (format!("{}/preview", url(&key)), vec![("text", text.as_str())]),
        ] {
            assert_eq!(browser.post_form(&path, &fields).await.status(), StatusCode::FORBIDDEN, "POST {path}");
        }
    }
    let retired: bool =
        sqlx::query_scalar("SELECT retired FROM questions WHERE key = $1").bind(&key).fetch_one(&app.db).await.unwrap();
    assert!(!retired);
    assert_eq!(versions(&app, &key).await, (1, 1));
}
