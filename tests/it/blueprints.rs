//! The exam editor over HTTP (issue 14, exams and blueprints): what the
//! form says of bad values, drafts hidden from learners until published,
//! whose exams are whose, an edited blueprint kept when `content/` loads
//! again, and finished attempts that never change.

use std::path::Path;

use mockexam::content;
use mockexam::store::exams;
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, key_of, location};

/// The editor's fields for a blueprint: `domains` as (code, name, weight),
/// then the other fields as the form names them.
fn fields(domains: &[(&str, &str, &str)], rest: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = Vec::new();
    for (code, name, weight) in domains {
        all.push(("code".into(), code.to_string()));
        all.push(("name".into(), name.to_string()));
        all.push(("weight".into(), weight.to_string()));
    }
    // The three empty rows a browser sends along.
    for _ in 0..3 {
        for f in ["code", "name", "weight"] {
            all.push((f.into(), String::new()));
        }
    }
    all.extend(rest.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    all
}

const NET_DOMAINS: [(&str, &str, &str); 3] =
    [("N1", "Addressing", "50"), ("N2", "Routing", "30"), ("N3", "Transport", "20")];

/// An exam "Intro to Networking" of four questions, with `overrides`
/// replacing any of its fields.
fn intro_net(overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut rest = vec![
        ("slug", "intro-net"),
        ("title", "Intro to Networking"),
        ("description", "Addresses, routes and ports."),
        ("question_count", "4"),
        ("time_limit_minutes", "20"),
        ("scale_min", "0"),
        ("scale_max", "100"),
        ("scale_pass", "70"),
        ("unscored_count", "0"),
        ("credit", "partial"),
        ("explanations_in_practice", "on"),
    ];
    for (k, v) in overrides {
        match rest.iter_mut().find(|(f, _)| f == k) {
            Some(field) => field.1 = v,
            None => rest.push((k, v)),
        }
    }
    fields(&NET_DOMAINS, &rest)
}

async fn post(browser: &Browser, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser.post_form(path, &fields).await
}

/// Questions for exam `slug`, `per_domain` in each of N1..N3, loaded as
/// `content/` would load them.
async fn give_questions(app: &TestApp, slug: &str, per_domain: usize) {
    let mut text = String::new();
    for domain in ["N1", "N2", "N3"] {
        for n in 0..per_domain {
            text += &format!(
                "## Question {}-q{n}\n\ndomain: {domain}\nkind: single\ndifficulty: easy\ntags: t\n\n\
                 Which {n} of {domain}?\n\n### Options\n\n- [x] right\n  > Yes.\n- [ ] wrong\n  > No.\n\
                 - [ ] other\n  > No.\n\n### Explanation\n\nBecause.\n\n",
                domain.to_lowercase()
            );
        }
    }
    let blueprint = exams::by_slug(&app.db, slug).await.unwrap().expect("the exam").blueprint;
    let content =
        content::check_questions((blueprint, Vec::new()), &[("bank.md".into(), text)]).expect("the questions check");
    exams::import(&app.db, &content, app.clock.now()).await.expect("the questions load");
}

#[tokio::test]
async fn the_editor_says_what_is_wrong_beside_each_field_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.com").await;
    assert!(ines.get_text("/instructor").await.contains("href=\"/instructor/exams/new\""));
    let form = ines.get_text("/instructor/exams/new").await;
    assert!(form.contains("name=\"csrf_token\""), "{form}");

    // An invalid weight, read as typed, and a pass mark outside the scale.
    let response = post(&ines, "/instructor/exams/new", &intro_net(&[])).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "a sound form is saved");
    let mut bad = intro_net(&[("scale_pass", "120"), ("slug", "intro-net-2")]);
    bad.iter_mut().find(|(k, v)| k == "weight" && v == "30").unwrap().1 = "lots".into();
    let response = post(&ines, "/instructor/exams/new", &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Nothing was saved. Please fix these 2 problems"), "{page}");
    assert!(page.contains("The weight of domain 2 must be a whole number; “lots” is not."), "{page}");
    assert!(page.contains("id=\"weight-1-error\""), "the message is beside its field: {page}");
    assert!(page.contains("The pass mark 120 is outside the scale 0–100."), "{page}");
    assert!(page.contains("id=\"scale_pass-error\""), "{page}");
    for kept in [
        "value=\"intro-net-2\"",
        "value=\"Intro to Networking\"",
        "Addresses, routes and ports.</textarea>",
        "value=\"lots\"",
        "value=\"Transport\"",
        "value=\"120\"",
        "value=\"partial\" checked",
        "name=\"explanations_in_practice\" checked",
    ] {
        assert!(page.contains(kept), "{kept} is kept: {page}");
    }
    let none: i64 =
        sqlx::query_scalar("SELECT count(*) FROM exams WHERE slug = 'intro-net-2'").fetch_one(&app.db).await.unwrap();
    assert_eq!(none, 0);

    // A weight of 0 and a taken slug.
    let response = post(&ines, "/instructor/exams/new", &intro_net(&[("slug", "mla-c01")])).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("mla-c01 is taken by another exam"));
    let mut zero = intro_net(&[("slug", "intro-net-3")]);
    zero.iter_mut().find(|(k, v)| k == "weight" && v == "20").unwrap().1 = "0".into();
    let page = post(&ines, "/instructor/exams/new", &zero).await.text().await.unwrap();
    assert!(page.contains("Domain 3 needs a weight of 1 or more"), "{page}");

    // Too few questions for the count: the edit page says so per domain,
    // and publishing is refused.
    let response = post(&ines, "/instructor/exams/intro-net/edit", &intro_net(&[("question_count", "10")])).await;
    assert_eq!(location(&response), "/instructor/exams/intro-net/edit?saved=1");
    let page = ines.get_text("/instructor/exams/intro-net/edit?saved=1").await;
    assert!(page.contains("Saved."), "{page}");
    assert!(page.contains("value=\"10\""), "the saved count is shown: {page}");
    assert!(page.contains("N1 has 0 questions; a full mock draws 5."), "{page}");
    assert!(page.contains("N3 has 0 questions; a full mock draws 2."), "{page}");
    give_questions(&app, "intro-net", 3).await;
    let page = ines.get_text("/instructor/exams/intro-net/edit").await;
    assert!(page.contains("N1 has 3 questions; a full mock draws 5."), "{page}");
    assert!(!page.contains("N2 has"), "N2 has as many as it draws: {page}");
    let response = ines.post_form("/instructor/exams/intro-net/publish", &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Not published: a full mock draws 10 questions and the bank holds 9"), "{page}");
    assert!(page.contains("Draft"), "{page}");
}

#[tokio::test]
async fn a_draft_is_hidden_from_learners_until_it_is_published() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.com").await;
    let response = post(&ines, "/instructor/exams/new", &intro_net(&[])).await;
    assert_eq!(location(&response), "/instructor/exams/intro-net");
    let (owner, published): (Option<uuid::Uuid>, bool) =
        sqlx::query_as("SELECT owner_id, published FROM exams WHERE slug = 'intro-net'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(owner.is_some() && !published, "a new exam is its maker's, and a draft");
    give_questions(&app, "intro-net", 2).await;

    let learner = app.new_browser();
    learner.log_in_as_learner().await;
    let api = app.api_client(&learner.create_api_token("phone").await);
    assert!(!learner.get_text("/").await.contains("Intro to Networking"));
    assert_eq!(learner.get("/exams/intro-net").await.status(), StatusCode::NOT_FOUND);
    let start = learner.post_form("/exams/intro-net/attempts", &[("mode", "practice")]).await;
    assert_eq!(start.status(), StatusCode::NOT_FOUND);
    let (status, list) = api.get("/api/v1/exams").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!list.to_string().contains("intro-net"), "{list}");
    let (status, _) = api.post("/api/v1/exams/intro-net/attempts", serde_json::json!({"mode": "practice"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Its maker sees it, marked as a draft, and may try it.
    assert!(ines.get_text("/").await.contains("Intro to Networking</a> <span class=\"badge\">Draft</span>"));
    assert!(ines.get_text("/exams/intro-net").await.contains("This exam is a draft"));
    assert!(ines.get_text("/instructor").await.contains("(intro-net)</span> <span class=\"badge\">Draft</span>"));
    let tried = ines.post_form("/exams/intro-net/attempts", &[("mode", "practice")]).await;
    assert_eq!(tried.status(), StatusCode::SEE_OTHER);

    let response = ines.post_form("/instructor/exams/intro-net/publish", &[]).await;
    assert_eq!(location(&response), "/instructor/exams/intro-net");
    assert!(ines.get_text("/instructor/exams/intro-net").await.contains("<h2 id=\"state-h\">Published</h2>"));
    assert!(!ines.get_text("/instructor").await.contains("badge\">Draft"));
    assert!(learner.get_text("/").await.contains("Intro to Networking"));
    let start_page = learner.get_text("/exams/intro-net").await;
    assert!(start_page.contains("<p class=\"exam-description\">Addresses, routes and ports.</p>"), "{start_page}");
    let start = learner.post_form("/exams/intro-net/attempts", &[("mode", "exam")]).await;
    assert_eq!(start.status(), StatusCode::SEE_OTHER, "{:?}", start.text().await);
    let (_, list) = api.get("/api/v1/exams").await;
    assert!(list.to_string().contains("intro-net"), "{list}");

    // Unpublished, it is gone again.
    ines.post_form("/instructor/exams/intro-net/unpublish", &[]).await;
    assert_eq!(learner.get("/exams/intro-net").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_instructor_may_not_edit_or_publish_an_exam() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.com").await;
    post(&ines, "/instructor/exams/new", &intro_net(&[])).await;
    let olga = app.new_browser_as("instructor", "olga@example.com").await;
    assert_eq!(olga.get("/instructor/exams/intro-net/edit").await.status(), StatusCode::FORBIDDEN);
    let edit = post(&olga, "/instructor/exams/intro-net/edit", &intro_net(&[("title", "Mine now")])).await;
    assert_eq!(edit.status(), StatusCode::FORBIDDEN);
    for action in ["publish", "unpublish"] {
        let response = olga.post_form(&format!("/instructor/exams/intro-net/{action}"), &[]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{action}");
    }
    let title: String = sqlx::query_scalar("SELECT blueprint->>'title' FROM exams WHERE slug = 'intro-net'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(title, "Intro to Networking");

    // A learner and a visitor are kept out of the editor as of the whole area.
    let learner = app.new_browser();
    learner.log_in_as_learner().await;
    let visitor = app.new_browser();
    for path in ["/instructor/exams/new", "/instructor/exams/intro-net/edit"] {
        assert_eq!(learner.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(location(&visitor.get(path).await).starts_with("/login"), "{path}");
    }
    for path in ["/instructor/exams/new", "/instructor/exams/intro-net/publish"] {
        assert_eq!(learner.post_form(path, &[]).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
}

fn mla_edited(overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut rest = vec![
        ("slug", "mla-c01"),
        ("title", "MLA-C01, edited"),
        ("question_count", "40"),
        ("time_limit_minutes", "90"),
        ("scale_min", "100"),
        ("scale_max", "1000"),
        ("scale_pass", "600"),
        ("unscored_count", "0"),
        ("credit", "all_or_nothing"),
    ];
    for (k, v) in overrides {
        rest.iter_mut().find(|(f, _)| f == k).expect("a field").1 = v;
    }
    fields(
        &[("D1", "Data", "10"), ("D2", "Models", "40"), ("D3", "Deployment", "40"), ("D4", "Monitoring", "10")],
        &rest,
    )
}

#[tokio::test]
async fn an_edited_content_blueprint_survives_loading_content_again_and_keeps_its_slug() {
    let app = TestApp::spawn().await;
    let admin = app.new_browser_as("admin", "ada@example.com").await;
    let renamed = post(&admin, "/instructor/exams/mla-c01/edit", &mla_edited(&[("slug", "mla-2")])).await;
    assert_eq!(renamed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = renamed.text().await.unwrap();
    assert!(page.contains("This exam was loaded from content/"), "{page}");
    assert!(admin.get_text("/instructor/exams/mla-c01/edit").await.contains("readonly"));

    let response = post(&admin, "/instructor/exams/mla-c01/edit", &mla_edited(&[])).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let questions = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM questions WHERE NOT retired")
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let before = questions(&app).await;

    let bundled = content::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content/mla-c01")).unwrap();
    exams::import(&app.db, &bundled, app.clock.now()).await.unwrap();
    let exam = exams::by_slug(&app.db, "mla-c01").await.unwrap().unwrap();
    assert_eq!(exam.blueprint.title, "MLA-C01, edited");
    assert_eq!(exam.blueprint.question_count, 40);
    assert_eq!(exam.blueprint.domains[1].weight, 40);
    assert_eq!(questions(&app).await, before, "its questions load as before");
}

#[tokio::test]
async fn editing_a_blueprint_changes_neither_finished_nor_running_attempts() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let finished = app.start(&[("mode", "exam")]).await;
    for n in 1..=10 {
        let answer = key_of(&app.db, finished, n).await;
        let saved = app.save_json(finished, n, serde_json::json!({ "seq": 1, "response": answer })).await;
        assert_eq!(saved.status(), StatusCode::OK);
    }
    assert_eq!(app.submit(finished).await.status(), StatusCode::SEE_OTHER);
    let running = app.start(&[("mode", "exam")]).await;
    let result_page = format!("/attempts/{finished}/result");
    let before = app.get_text(&result_page).await;
    let row = |id: uuid::Uuid| {
        let db = app.db.clone();
        async move {
            sqlx::query_as::<_, (Option<serde_json::Value>, Option<time::OffsetDateTime>, i64)>(
                "SELECT to_jsonb(a.score), a.deadline, (SELECT count(*) FROM items WHERE attempt_id = a.id)
                 FROM attempts a WHERE a.id = $1",
            )
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    let (finished_before, running_before) = (row(finished).await, row(running).await);
    assert!(finished_before.0.is_some(), "the finished attempt has its score");
    assert_eq!(running_before.2, 65);

    let admin = app.new_browser_as("admin", "ada@example.com").await;
    let response = post(&admin, "/instructor/exams/mla-c01/edit", &mla_edited(&[])).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(exams::by_slug(&app.db, "mla-c01").await.unwrap().unwrap().blueprint.scale.pass, 600);

    assert_eq!(app.get_text(&result_page).await, before, "the result page is as it was");
    assert_eq!(row(finished).await, finished_before);
    assert_eq!(row(running).await, running_before, "the running attempt keeps its count and deadline");
    let item = app.get_text(&format!("/attempts/{running}/items/1")).await;
    assert!(item.contains("of 65"), "{item}");
}
