//! Issue 14's acceptance, tried as new users would, at 375 px wide with
//! JavaScript off: an admin makes a colleague an instructor; she creates
//! "Intro to Networking" with three domains, uploads a Moodle XML export,
//! fixes the one error the preview names, imports it and publishes the
//! exam; a learner takes a 20-question practice on it. Then she corrects a
//! question's key: the learner's earlier result still shows the question as
//! it was, and new attempts draw the new version.

use super::learner::{PASSWORD, answer_by_clicking, read_item, register_as};
use super::web::Web;
use crate::helpers::TestApp;

const EXPORT: &str = include_str!("../../fixtures/import/moodle-xml/intro-networking.xml");
/// The mistake in the export: "Hosts in a /26" marks 64 right as well as 62.
const MISTAKE: &str = "<answer fraction=\"100\" format=\"html\">\n      <text><![CDATA[<p>64</p>]]>";
const MAPPING: &str = "Fundamentals=N1\nAddressing and routing=N2\nServices and security=N3";

async fn log_out(web: &Web) {
    web.click("form[action='/logout'] button[type=submit]").await;
    web.wait_for_element("a[href='/login']").await;
}

async fn log_in(web: &Web, email: &str) {
    web.goto("/login").await;
    web.fill("#email", email).await;
    web.fill("#password", PASSWORD).await;
    web.click("form[action='/login'] button[type=submit]").await;
    web.wait_for_element("form[action='/logout']").await;
}

/// Chooses `file` in the upload form of Intro to Networking, with the
/// category mapping, and asks for the preview.
async fn upload(web: &Web, file: &std::path::Path) {
    web.goto("/instructor/exams/intro-networking/uploads/new").await;
    web.assert_fits_a_phone("the upload form").await;
    let input = web.find("#files").await;
    input.send_keys(file.to_str().expect("a UTF-8 path")).await.expect("the file is chosen");
    web.fill("#domain_map", MAPPING).await;
    web.click(".upload-form button[type=submit]").await;
    web.wait_for_element("#problems-h, #import-blocked, form[action$='/import']").await;
}

#[tokio::test]
async fn an_instructor_brings_an_exam_from_moodle_and_a_learner_takes_it_on_a_phone_without_javascript() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, false).await;
    web.narrow().await;
    register_as(&web, "Ines Instructor", "ines@example.org").await;
    log_out(&web).await;
    register_as(&web, "Lena Learner", "lena@example.org").await;
    log_out(&web).await;
    register_as(&web, "Ada Admin", "ada@example.org").await;
    // The first admin is made on the command line (README, Accounts).
    app.set_role("ada@example.org", "admin").await;

    // 1. The admin makes her colleague an instructor.
    web.goto("/admin/users").await;
    web.fill("#q", "ines").await;
    web.click("form[role=search] button[type=submit]").await;
    web.wait_for_path("/admin/users?q=ines").await;
    let ines: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'ines@example.org'")
        .fetch_one(&app.db)
        .await
        .expect("her account");
    web.find(&format!("#role-{ines} option[value=instructor]")).await.click().await.expect("the role is chosen");
    web.click(&format!("form[action='/admin/users/{ines}/role'] button[type=submit]")).await;
    web.wait_for_text(".alert.success", "Ines Instructor is now an instructor.").await;
    web.assert_fits_a_phone("the accounts page").await;
    log_out(&web).await;

    // 2. She creates Intro to Networking with three domains: a draft.
    log_in(&web, "ines@example.org").await;
    web.goto("/instructor").await;
    web.click("a[href='/instructor/exams/new']").await;
    web.wait_for_path("/instructor/exams/new").await;
    web.fill("#slug", "intro-networking").await;
    web.fill("#title", "Intro to Networking").await;
    web.fill("#description", "Layers, addressing, routing and the services on top.").await;
    for (i, (code, name, weight)) in
        [("N1", "Fundamentals", "30"), ("N2", "Addressing and routing", "40"), ("N3", "Services and security", "30")]
            .into_iter()
            .enumerate()
    {
        web.fill(&format!("#code-{i}"), code).await;
        web.fill(&format!("#name-{i}"), name).await;
        web.fill(&format!("#weight-{i}"), weight).await;
    }
    web.fill("#question_count", "20").await;
    web.fill("#time_limit_minutes", "30").await;
    web.fill("#scale_min", "0").await;
    web.fill("#scale_max", "100").await;
    web.fill("#scale_pass", "70").await;
    web.fill("#unscored_count", "0").await;
    web.assert_fits_a_phone("the exam form").await;
    web.click("form.blueprint-form button[type=submit]").await;
    web.wait_for_path("/instructor/exams/intro-networking").await;
    assert!(web.text("main").await.contains("Draft"), "a new exam is a draft");

    // 3. She uploads the Moodle export: the preview names its one error.
    let dir = std::env::temp_dir().join(format!("mockexam-story-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let file = dir.join("networking-moodle.xml");
    std::fs::write(&file, EXPORT).expect("the export");
    upload(&web, &file).await;
    let errors: Vec<String> = {
        let mut texts = Vec::new();
        for li in web.find_all(".upload-problems li.problem-error").await {
            texts.push(web.text_of(&li).await);
        }
        texts
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("2 answers have fraction 100"), "{errors:?}");
    let import = web.find("form[action$='/import'] button[type=submit]").await;
    assert!(web.prop_of(&import, "disabled").await.as_deref() == Some("true"), "no import while errors remain");
    web.assert_fits_a_phone("the preview with its error").await;

    // She fixes it in her file and uploads again: 26 new questions.
    assert_eq!(EXPORT.matches(MISTAKE).count(), 1);
    std::fs::write(&file, EXPORT.replace(MISTAKE, &MISTAKE.replace("100", "0"))).expect("the fixed export");
    upload(&web, &file).await;
    assert!(web.try_find(".upload-problems li.problem-error").await.is_none(), "no error left");
    web.assert_fits_a_phone("the clean preview").await;
    web.click("form[action$='/import'] button[type=submit]").await;
    web.wait_for_text(".alert.success", "Imported: 26 new, 0 new versions, 0 unchanged.").await;
    std::fs::remove_dir_all(&dir).expect("the folder is removed");

    // She publishes it.
    web.click("form[action='/instructor/exams/intro-networking/publish'] button[type=submit]").await;
    web.wait_for_element("form[action='/instructor/exams/intro-networking/unpublish']").await;
    log_out(&web).await;

    // 4. The learner finds it and takes a 20-question practice.
    log_in(&web, "lena@example.org").await;
    web.goto("/").await;
    web.click("a[href='/exams/intro-networking']").await;
    web.wait_for_path("/exams/intro-networking").await;
    web.fill("#practice-count", "20").await;
    web.click("section[aria-labelledby='practice-h'] button[type=submit]").await;
    web.wait_for_item(1, 20).await;
    let attempt = super::learner::attempt_id(&web).await;
    for n in 1..=20 {
        let item = read_item(&web).await;
        answer_by_clicking(&web, &item, n, false).await;
        web.click("button[value=check]").await;
        web.wait_for("the verdict", async || web.try_text(".feedback .verdict").await).await;
        if n < 20 {
            web.click("button[value=next]").await;
            web.wait_for_item(n + 1, 20).await;
        }
    }
    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    web.click(".submit-form button[type=submit]").await;
    web.wait_for_path("/result").await;
    web.assert_fits_a_phone("the learner's result").await;
    log_out(&web).await;

    // 5. The instructor corrects the key of a question the learner had.
    let (key, position, old_version, old_key): (String, i32, uuid::Uuid, String) = sqlx::query_as(
        "SELECT q.key, i.position, i.version_id,
                v.content->'question'->'body'->'options'->((v.content->'question'->'body'->>'key')::int)->>'text'
         FROM items i JOIN question_versions v ON v.id = i.version_id JOIN questions q ON q.id = v.question_id
         WHERE i.attempt_id = $1 AND q.kind = 'single' ORDER BY i.position LIMIT 1",
    )
    .bind(attempt)
    .fetch_one(&app.db)
    .await
    .expect("a single-answer item");
    log_in(&web, "ines@example.org").await;
    web.goto(&format!("/instructor/exams/intro-networking/questions/{key}/edit")).await;
    web.assert_fits_a_phone("the question editor").await;
    let text = web.prop_of(&web.find("#text").await, "value").await.expect("the question's text");
    let corrected = move_key(&text);
    web.js(&format!("document.getElementById('text').value = {}", serde_json::to_string(&corrected).unwrap())).await;
    web.click("button[name=action][value=save]").await;
    web.wait_for_text(".alert", "Saved as version 2.").await;
    log_out(&web).await;

    // The learner's result still shows the question as it was, old key and all...
    log_in(&web, "lena@example.org").await;
    web.goto(&format!("/attempts/{attempt}/result?item={position}")).await;
    let shown_key = web.text(&format!("#item-{position} .option.is-key")).await;
    assert!(shown_key.contains(plain(&old_key).trim()), "{shown_key:?} is the old key {old_key:?}");
    let kept: uuid::Uuid = sqlx::query_scalar("SELECT version_id FROM items WHERE attempt_id = $1 AND position = $2")
        .bind(attempt)
        .bind(position)
        .fetch_one(&app.db)
        .await
        .expect("the item");
    assert_eq!(kept, old_version, "the attempt keeps the version it drew");
    // ...and a new attempt draws the new version.
    let current: uuid::Uuid = sqlx::query_scalar(
        "SELECT current_version FROM questions q JOIN exams e ON e.id = q.exam_id
         WHERE e.slug = 'intro-networking' AND q.key = $1",
    )
    .bind(&key)
    .fetch_one(&app.db)
    .await
    .expect("the question");
    assert_ne!(current, old_version, "the edit is a new version");
    web.goto("/exams/intro-networking").await;
    web.fill("#practice-count", "26").await;
    web.click("section[aria-labelledby='practice-h'] button[type=submit]").await;
    web.wait_for_item(1, 26).await;
    let next = super::learner::attempt_id(&web).await;
    let drawn: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT version_id FROM items WHERE attempt_id = $1")
        .bind(next)
        .fetch_all(&app.db)
        .await
        .expect("its items");
    assert!(drawn.contains(&current) && !drawn.contains(&old_version), "the whole bank, the new version");
}

/// Text without its HTML tags, as the page shows it.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The question's Markdown with its key moved to the next option: the
/// instructor's correction.
fn move_key(text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let options: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].starts_with("- [")).collect();
    let key =
        options.iter().position(|&i| lines[i].starts_with("- [x]")).unwrap_or_else(|| panic!("a key in {text:?}"));
    let next = options[(key + 1) % options.len()];
    lines[options[key]] = lines[options[key]].replacen("- [x]", "- [ ]", 1);
    lines[next] = lines[next].replacen("- [ ]", "- [x]", 1);
    lines.join("\n") + "\n"
}
