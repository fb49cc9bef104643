//! Item analysis over HTTP (issue 15), a file that stays whole around its
//! one data set: 30 learners of spread ability take
//! a 20-question mock in which one question is miskeyed; the page and the
//! CSV flag it, a learner's report of it is counted and linked, and the
//! instructor fixes its key. The stored tallies and the date-range path
//! give the same numbers; other instructors, learners and others' groups
//! are refused.

use mockexam::app::questions::markdown_of;
use mockexam::content;
use mockexam::exam::VersionContent;
use mockexam::exam::display::DisplayResponse;
use mockexam::store::exams;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::types::Json;
use uuid::Uuid;

use crate::helpers::{Browser, TestApp, location};

pub(crate) const INES: &str = "ines@example.com";
pub(crate) const SLUG: &str = "item-net";
const LEARNERS: usize = 30;
/// The question stored with a wrong key: option 2, where option 1 is right.
const MISKEYED: &str = "q07";

/// The exam: 20 questions a mock, weights 50/30/20, so a mock draws 10, 6
/// and 4 of the bank's 10, 6 and 4: every mock holds every question.
pub(crate) async fn exam_of_twenty(app: &TestApp, ines: &Browser) {
    let mut fields: Vec<(&str, &str)> = Vec::new();
    for (code, name, weight) in [("N1", "Addressing", "50"), ("N2", "Routing", "30"), ("N3", "Transport", "20")] {
        fields.extend([("code", code), ("name", name), ("weight", weight)]);
    }
    fields.extend([
        ("slug", SLUG),
        ("title", "Item Net"),
        ("description", "Twenty questions."),
        ("question_count", "20"),
        ("time_limit_minutes", "60"),
        ("scale_min", "0"),
        ("scale_max", "100"),
        ("scale_pass", "70"),
        ("unscored_count", "0"),
        ("credit", "all_or_nothing"),
    ]);
    let made = ines.post_form("/instructor/exams/new", &fields).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER, "{:?}", made.text().await);

    let mut text = String::new();
    for q in 1..=20 {
        let domain = match q {
            1..=10 => "N1",
            11..=16 => "N2",
            _ => "N3",
        };
        let marks = if q == 7 { [" ", "x", " ", " "] } else { ["x", " ", " ", " "] };
        text += &format!(
            "## Question q{q:02}\n\ndomain: {domain}\nkind: single\ndifficulty: medium\ntags: t\n\n\
             Which answer is right for question {q}?\n\n### Options\n\n- [{}] right\n  > Yes.\n\
             - [{}] wrong\n  > No.\n- [{}] other\n  > No.\n- [{}] fourth\n  > No.\n\n\
             ### Explanation\n\nBecause.\n\n",
            marks[0], marks[1], marks[2], marks[3]
        );
    }
    let blueprint = exams::by_slug(&app.db, SLUG).await.unwrap().expect("the exam").blueprint;
    let content =
        content::check_questions((blueprint, Vec::new()), &[("bank.md".into(), text)]).expect("the questions check");
    exams::import(&app.db, &content, app.clock.now()).await.expect("the questions load");
    let published = ines.post_form(&format!("/instructor/exams/{SLUG}/publish"), &[]).await;
    assert_eq!(location(&published), format!("/instructor/exams/{SLUG}"));
}

/// Item `n` of an attempt: its question's id in the file, and the display
/// position of each canonical option.
async fn item(app: &TestApp, attempt: Uuid, n: i32) -> (String, Vec<i32>) {
    let (key, order): (String, Vec<i32>) = sqlx::query_as(
        "SELECT q.key, i.option_order FROM items i JOIN question_versions v ON v.id = i.version_id
         JOIN questions q ON q.id = v.question_id WHERE i.attempt_id = $1 AND i.position = $2",
    )
    .bind(attempt)
    .bind(n)
    .fetch_one(&app.db)
    .await
    .unwrap();
    (key, order)
}

/// Learner `a` (of [`LEARNERS`], the higher the abler) takes a mock and
/// submits it. Question q gets harder with q; a learner is right when
/// their ability, wobbled a little, beats it, and otherwise picks a
/// distractor. On the miskeyed question the abler half pick the truly
/// right option 1 (scored wrong) and the others the stored key.
pub(crate) async fn take_mock(app: &TestApp, learner: &Browser, a: usize) -> Uuid {
    let started = learner.post_form(&format!("/exams/{SLUG}/attempts"), &[("mode", "exam")]).await;
    let to = location(&started).to_string();
    let attempt: Uuid = to.strip_prefix("/attempts/").and_then(|r| r.split('/').next()).unwrap().parse().unwrap();
    let ability = (a as f64 + 0.5) / LEARNERS as f64;
    for n in 1..=20 {
        let (key, order) = item(app, attempt, n).await;
        let q: usize = key[1..].parse().unwrap();
        let wobble = ((a * 7 + q * 13) % 11) as f64 / 50.0 - 0.1;
        let canonical = if key == MISKEYED {
            if ability > 0.5 { 0 } else { 1 }
        } else if ability + wobble > 0.1 + 0.04 * q as f64 {
            0
        } else {
            1 + (a + q) % 3
        };
        let shown = order.iter().position(|&c| c as usize == canonical).unwrap();
        let answer = DisplayResponse { choice: Some(vec![shown]), ..Default::default() };
        let saved = learner.save_json(attempt, n, json!({ "seq": 1, "response": answer })).await;
        assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    }
    assert_eq!(learner.submit(attempt).await.status(), StatusCode::SEE_OTHER);
    attempt
}

/// The CSV's rows by question id: each column by name.
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

/// A question's article on the page.
fn article<'a>(page: &'a str, key: &str) -> &'a str {
    let start = page.find(&format!("<code>{key}</code>")).unwrap_or_else(|| panic!("{key} on the page"));
    let end = page[start..].find("</article>").unwrap();
    &page[start..start + end]
}

#[tokio::test]
async fn a_miskeyed_question_is_flagged_reported_and_fixed() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", INES).await;
    exam_of_twenty(&app, &ines).await;
    assert!(
        ines.get_text(&format!("/instructor/exams/{SLUG}"))
            .await
            .contains(&format!("/instructor/exams/{SLUG}/items\">Item analysis</a>"))
    );
    let empty = ines.get_text(&format!("/instructor/exams/{SLUG}/items")).await;
    assert!(empty.contains("No finished mocks yet."), "{empty}");

    // A group of Ines's: every third learner (ten) joins it before their mock.
    let made = ines.post_form("/instructor/groups", &[("name", "Morning class")]).await;
    let group: Uuid = location(&made).split('?').next().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let code: String =
        sqlx::query_scalar("SELECT join_code FROM groups WHERE id = $1").bind(group).fetch_one(&app.db).await.unwrap();

    let mut first = None;
    for a in 0..LEARNERS {
        let learner = app.new_browser();
        let registered =
            learner.register(&format!("l{a}@example.org"), &format!("Learner {a}"), "correct horse battery").await;
        assert_eq!(registered.status(), StatusCode::SEE_OTHER);
        if a % 3 == 0 {
            let joined = learner.post_form("/groups/join", &[("code", &code)]).await.text().await.unwrap();
            assert!(joined.contains("You joined Morning class."), "{joined}");
        }
        let attempt = take_mock(&app, &learner, a).await;
        if a == LEARNERS - 1 {
            first = Some((learner, attempt));
        }
    }
    // The ablest learner reports the miskeyed question from the result.
    let (reporter, attempt) = first.unwrap();
    let mut position = 0;
    for n in 1..=20 {
        if item(&app, attempt, n).await.0 == MISKEYED {
            position = n;
        }
    }
    let reported = reporter
        .post_form(
            &format!("/attempts/{attempt}/items/{position}/report"),
            &[("reason", "wrong-key"), ("comment", "Option 1 is right."), ("from", "result")],
        )
        .await;
    assert_eq!(reported.status(), StatusCode::SEE_OTHER, "{:?}", reported.text().await);

    let page = ines.get_text(&format!("/instructor/exams/{SLUG}/items")).await;
    assert!(page.contains("<strong>30</strong> mocks counted"), "{page}");
    let miskeyed = article(&page, MISKEYED);
    assert!(miskeyed.contains("Negative discrimination"), "{miskeyed}");
    let question: Uuid =
        sqlx::query_scalar("SELECT id FROM questions WHERE key = $1").bind(MISKEYED).fetch_one(&app.db).await.unwrap();
    assert!(
        miskeyed
            .contains(&format!("<a href=\"/instructor/exams/{SLUG}/reports?question={question}\">1 open report</a>")),
        "{miskeyed}"
    );
    assert!(miskeyed.contains(&format!("href=\"/instructor/exams/{SLUG}/questions/{MISKEYED}/edit\"")));
    // The link leads to the report in the exam's inbox.
    let inbox = ines.get_text(&format!("/instructor/exams/{SLUG}/reports?question={question}")).await;
    assert!(inbox.contains("Option 1 is right."), "{inbox}");
    assert!(miskeyed.contains("2 <strong class=\"key-word\">key</strong>"), "the key is marked in words");
    // Flagged questions come first.
    assert!(page.find("<code>q07</code>").unwrap() < page.find("<code>q01</code>").unwrap());

    let csv = ines.get_text(&format!("/instructor/exams/{SLUG}/items.csv")).await;
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 20);
    let row = rows.iter().find(|r| r["question"] == MISKEYED).unwrap();
    assert_eq!(row["responses"], "30");
    assert!(row["point_biserial"].parse::<f64>().unwrap() < 0.0, "{row:?}");
    assert!(row["upper_lower"].parse::<f64>().unwrap() < 0.0, "{row:?}");
    assert!(row["flags"].contains("Negative discrimination"), "{row:?}");
    assert!(row["options"].starts_with("1:") && row["options"].contains(";2*:"), "{row:?}");
    assert_eq!(row["open_reports"], "1");
    for other in rows.iter().filter(|r| r["question"] != MISKEYED) {
        assert!(!other["flags"].contains("Negative discrimination"), "{other:?}");
    }

    // The same numbers from the mocks' responses in a date range.
    let today = app.clock.now().date();
    let range = format!("from={}&to={}", today.previous_day().unwrap(), today);
    let ranged = ines.get_text(&format!("/instructor/exams/{SLUG}/items.csv?{range}")).await;
    assert_eq!(ranged, csv, "the tallies and the responses agree");
    let before = ines.get_text(&format!("/instructor/exams/{SLUG}/items?to={}", today.previous_day().unwrap())).await;
    assert!(before.contains("No finished mocks yet for these filters."), "{before}");

    // The group: its ten members' mocks, by either path.
    let grouped = ines.get_text(&format!("/instructor/exams/{SLUG}/items.csv?group={group}")).await;
    assert!(csv_rows(&grouped).iter().all(|r| r["responses"] == "10"), "{grouped}");
    let grouped_range = ines.get_text(&format!("/instructor/exams/{SLUG}/items.csv?group={group}&{range}")).await;
    assert_eq!(grouped_range, grouped);

    // Ines fixes the key: option 1.
    let content: Json<VersionContent> = sqlx::query_scalar(
        "SELECT v.content FROM questions q JOIN question_versions v ON v.id = q.current_version WHERE q.key = $1",
    )
    .bind(MISKEYED)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let text = markdown_of(&content.0).expect("our Markdown holds it");
    let fixed = text.replacen("- [ ] right", "- [x] right", 1).replacen("- [x] wrong", "- [ ] wrong", 1);
    assert_ne!(fixed, text);
    let edit = format!("/instructor/exams/{SLUG}/questions/{MISKEYED}/edit");
    let saved = ines.post_form(&edit, &[("text", &fixed), ("action", "save")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "{:?}", saved.text().await);
    let (number, content): (i32, Json<VersionContent>) = sqlx::query_as(
        "SELECT v.number, v.content FROM questions q JOIN question_versions v ON v.id = q.current_version
         WHERE q.key = $1",
    )
    .bind(MISKEYED)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(number, 2);
    assert_eq!(content.0.question.body.key(), mockexam::exam::Response::Single(0), "the new version's key");
}

#[tokio::test]
async fn others_are_refused_the_analysis_and_a_group_not_theirs_is_not_found() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", INES).await;
    exam_of_twenty(&app, &ines).await;
    let otto = app.new_browser_as("instructor", "otto@example.com").await;
    let made = otto.post_form("/instructor/groups", &[("name", "Otto's class")]).await;
    let ottos_group = location(&made).split('?').next().unwrap().rsplit('/').next().unwrap().to_string();

    let learner = app.new_browser();
    learner.log_in_as_learner().await;
    for path in [format!("/instructor/exams/{SLUG}/items"), format!("/instructor/exams/{SLUG}/items.csv")] {
        let status = otto.get(&path).await.status();
        assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "otto: {path}: {status}");
        assert_eq!(learner.get(&path).await.status(), StatusCode::FORBIDDEN, "learner: {path}");
        for group in [ottos_group.as_str(), "not-a-group", &Uuid::new_v4().to_string()] {
            let status = ines.get(&format!("{path}?group={group}")).await.status();
            assert_eq!(status, StatusCode::NOT_FOUND, "ines with group {group}: {path}");
        }
    }
    // A date that is not one is said beside its field, and what was typed kept.
    let page = ines.get_text(&format!("/instructor/exams/{SLUG}/items?from=2026-13-45")).await;
    assert!(page.contains("From: enter a date as YYYY-MM-DD"), "{page}");
    assert!(page.contains("value=\"2026-13-45\""), "{page}");
}

/// The `shown_at` the item page carries.
fn shown_at(page: &str) -> i64 {
    let at = page.find("name=\"shown_at\" value=\"").expect("the item page carries shown_at") + 23;
    page[at..at + page[at..].find('"').unwrap()].parse().unwrap()
}

#[tokio::test]
async fn time_on_an_item_adds_up_per_view_and_a_long_pause_counts_thirty_minutes() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", INES).await;
    exam_of_twenty(&app, &ines).await;
    let learner = app.new_browser();
    learner.log_in_as_learner().await;
    let started = learner.post_form(&format!("/exams/{SLUG}/attempts"), &[("mode", "exam")]).await;
    let attempt: Uuid = location(&started).split('/').nth(2).unwrap().parse().unwrap();
    let (key, order) = item(&app, attempt, 1).await;
    let right = order.iter().position(|&c| c == if key == MISKEYED { 1 } else { 0 }).unwrap();
    let answer = DisplayResponse { choice: Some(vec![right]), ..Default::default() };
    let seconds = async || -> Option<i32> {
        sqlx::query_scalar("SELECT seconds FROM items WHERE attempt_id = $1 AND position = 1")
            .bind(attempt)
            .fetch_one(&app.db)
            .await
            .unwrap()
    };
    let page = async || learner.get_text(&format!("/attempts/{attempt}/items/1")).await;

    // The test's clock runs with real time (advanced on demand), so a step
    // may take one second more when a second boundary passes meanwhile.
    let mut total = 0;
    let mut step = async |seconds_now: Option<i32>, least: i32, exact: bool, what: &str| {
        let now = seconds_now.expect("time is counted");
        let added = now - total;
        let most = if exact { least } else { least + 1 };
        assert!((least..=most).contains(&added), "{what}: added {added}, not {least}..={most}");
        total = now;
    };

    let view = shown_at(&page().await);
    assert!((view - app.clock.now().unix_timestamp()).abs() <= 1, "shown_at is the server's time");
    app.clock.advance(time::Duration::seconds(40));
    let save = |seq: i64, shown: Option<i64>| {
        learner.save_json(attempt, 1, json!({ "seq": seq, "response": answer, "shown_at": shown }))
    };
    assert_eq!(save(1, Some(view)).await.status(), StatusCode::OK);
    step(seconds().await, 40, false, "since the page was shown").await;
    app.clock.advance(time::Duration::seconds(10));
    save(2, Some(view)).await;
    step(seconds().await, 10, false, "since the previous save from the same page").await;
    // A save that says nothing of its page counts no time.
    app.clock.advance(time::Duration::seconds(7));
    save(3, None).await;
    step(seconds().await, 0, true, "no shown_at").await;

    // Shown again: from the new page's time, not the last save.
    let again = shown_at(&page().await);
    app.clock.advance(time::Duration::seconds(5));
    save(4, Some(again)).await;
    step(seconds().await, 5, false, "a new view").await;
    // A page left open 35 minutes counts 30.
    app.clock.advance(time::Duration::minutes(35));
    save(5, Some(again)).await;
    step(seconds().await, 1800, true, "a long pause").await;
    // The form without the script carries it too.
    app.clock.advance(time::Duration::seconds(3));
    let form = learner
        .post_form(
            &format!("/attempts/{attempt}/items/1"),
            &[("seq", "6"), ("shown_at", &again.to_string()), ("choice", &right.to_string()), ("action", "save")],
        )
        .await;
    assert!(form.status().is_redirection() || form.status().is_success(), "{:?}", form.status());
    step(seconds().await, 3, false, "the form's save").await;
    // A shown_at before the start counts from the start (36 minutes ago:
    // 30), not from 1970.
    save(7, Some(0)).await;
    step(seconds().await, 1800, true, "shown before the start").await;
    let total = seconds().await.unwrap();

    assert_eq!(learner.submit(attempt).await.status(), StatusCode::SEE_OTHER);
    let rows = csv_rows(&ines.get_text(&format!("/instructor/exams/{SLUG}/items.csv")).await);
    let row = rows.iter().find(|r| r["question"] == key).unwrap();
    assert_eq!(row["mean_seconds"], format!("{total}.0"), "{row:?}");
}

#[tokio::test]
async fn tallying_at_once_from_many_places_counts_each_mock_once() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", INES).await;
    exam_of_twenty(&app, &ines).await;
    for a in 0..6 {
        let learner = app.new_browser();
        learner.register(&format!("l{a}@example.org"), &format!("Learner {a}"), "correct horse battery").await;
        take_mock(&app, &learner, a * 5).await;
    }
    // Six tallyings of one mock each at once, and one of any number.
    let mut runs = Vec::new();
    for limit in [1, 1, 1, 1, 1, 1, 500] {
        let db = app.db.clone();
        runs.push(tokio::spawn(async move {
            mockexam::store::item_tallies::tally_pending(&db, None, limit).await.expect("tallying")
        }));
    }
    let mut counted = 0;
    for run in runs {
        counted += run.await.unwrap();
    }
    assert_eq!(counted, 6, "each mock claimed once");
    let (responses, rows): (Option<i64>, i64) = sqlx::query_as(
        "SELECT sum(responses), count(DISTINCT question_id) FROM item_tallies WHERE cohort = '00000000-0000-0000-0000-000000000000'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((responses, rows), (Some(6 * 20), 20), "six responses to each of the twenty questions");
    let waiting: i64 = sqlx::query_scalar("SELECT count(*) FROM attempts WHERE NOT tallied AND mode = 'exam'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(waiting, 0);
}
