//! `mockexam import` and `mockexam export` as an instructor runs them: the
//! real binary against a test's database, then a learner over HTTP on what
//! was imported (issue 13's acceptance). It stays whole: every test runs
//! the binary through the same helpers at the top and counts the same rows.

use std::path::{Path, PathBuf};
use std::process::Output;

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection, PgPool};

use crate::helpers::{TestApp, key_of};

const CONTENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/content");

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(path)
}

/// The category paths of the GIFT fixture, one per domain they go in.
const GIFT_MAPS: [&str; 3] = [
    "$course$/top/Default for MLE-201/Data preparation=D1",
    "$course$/top/Default for MLE-201/Model development=D2",
    "$course$/top/Default for MLE-201/Deployment and monitoring=D3",
];

/// Runs the binary against `database_url`, the bundled exams loaded from
/// `content_dir` first, as an instructor would run it.
fn mockexam_in(database_url: &str, content_dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mockexam"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("MOCKEXAM_CONTENT_DIR", content_dir)
        .env_remove("MOCKEXAM_IMPORT_LIMIT_KB")
        .output()
        .expect("the binary runs")
}

fn mockexam(app: &TestApp, args: &[&str]) -> Output {
    mockexam_in(&app.database_url(), Path::new(CONTENT), args)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The report of `import --json`.
fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("a JSON report ({e}): {}\n{}", stdout(out), stderr(out)))
}

/// `import FILE --exam mla-c01 ARGS... --json`, and its report.
fn import_json(app: &TestApp, file: &Path, args: &[&str]) -> (Output, Value) {
    let file = file.to_str().expect("a UTF-8 path");
    let out = mockexam(app, &[&["import", file, "--exam", "mla-c01", "--json"], args].concat());
    let report = report(&out);
    (out, report)
}

fn with_maps<'a>(maps: &[&'a str]) -> Vec<&'a str> {
    maps.iter().flat_map(|m| ["--domain-map", m]).collect()
}

/// Rows of the tables an import writes: what must not move when nothing is
/// imported.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Rows {
    questions: i64,
    versions: i64,
    imports: i64,
}

async fn rows(db: &PgPool) -> Rows {
    let count = |table: &'static str| async move {
        sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM {table}")).fetch_one(db).await.unwrap()
    };
    Rows {
        questions: count("questions").await,
        versions: count("question_versions").await,
        imports: count("imports").await,
    }
}

/// A folder of this test's own under the target directory, removed when
/// dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("imports-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("make a scratch folder");
        Scratch(dir)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).expect("write a scratch file");
        path
    }

    /// A content folder holding only the mla-c01 blueprint: the exam
    /// exists, with no questions.
    fn blueprint_only(&self) -> PathBuf {
        let content = self.0.join("content");
        std::fs::create_dir_all(content.join("mla-c01")).unwrap();
        std::fs::copy(Path::new(CONTENT).join("mla-c01/exam.toml"), content.join("mla-c01/exam.toml")).unwrap();
        content
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The keys of the questions an import wrote.
async fn imported_keys(db: &PgPool, import: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT key FROM questions WHERE import_id = $1::uuid ORDER BY key")
        .bind(import)
        .fetch_all(db)
        .await
        .unwrap()
}

fn report_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        report["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

/// A learner practises on one whole domain (every one of its questions is
/// drawn, so the imported ones are too), answers an imported item rightly
/// and submits; the result page reviews it. Returns the attempt.
async fn practise_on_imported(app: &TestApp, domain: &str, import: &str, expected: usize) -> uuid::Uuid {
    let live: i64 = sqlx::query_scalar("SELECT count(*) FROM questions WHERE domain = $1 AND NOT retired")
        .bind(domain)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(live <= 200, "a practice can draw all of {domain}");
    let id = app.start(&[("mode", "practice"), ("domains", domain), ("count", "200")]).await;
    let drawn: Vec<(i32, Option<uuid::Uuid>)> = sqlx::query_as(
        "SELECT i.position, q.import_id FROM items i JOIN question_versions v ON v.id = i.version_id
         JOIN questions q ON q.id = v.question_id WHERE i.attempt_id = $1 ORDER BY i.position",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(drawn.len() as i64, live, "the whole domain is drawn");
    let import: uuid::Uuid = import.parse().unwrap();
    let imported: Vec<i32> = drawn.iter().filter(|(_, i)| *i == Some(import)).map(|(p, _)| *p).collect();
    assert_eq!(imported.len(), expected, "every imported question of {domain} is in the attempt");

    let n = imported[0];
    let page = app.get(&format!("/attempts/{id}/items/{n}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let key = key_of(&app.db, id, n).await;
    let checked = app.save_json(id, n, json!({ "seq": 1, "response": key, "check": true })).await;
    assert_eq!(checked.status(), StatusCode::OK);
    let correct: Option<bool> = sqlx::query_scalar("SELECT correct FROM items WHERE attempt_id = $1 AND position = $2")
        .bind(id)
        .bind(n)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(correct, Some(true), "the imported question's key grades as right");

    let submitted = app.submit(id).await;
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    let result = app.get(&format!("/attempts/{id}/result?item={n}")).await;
    assert_eq!(result.status(), StatusCode::OK);
    let result = result.text().await.unwrap();
    assert!(result.contains(&format!("1 of {live} scored items")), "one right answer counted");
    assert!(result.contains(&format!("id=\"item-{n}\"")), "the result reviews the imported item");
    id
}

#[tokio::test]
async fn a_moodle_gift_export_is_previewed_imported_practised_and_imported_again_unchanged() {
    let app = TestApp::spawn().await;
    let gift = fixture("gift/moodle-export.gift");
    let name = gift.to_str().unwrap();
    let maps = with_maps(&GIFT_MAPS);
    let before = rows(&app.db).await;

    // The preview, as a table.
    let table = mockexam(&app, &[&["import", name, "--exam", "mla-c01", "--dry-run"], &maps[..]].concat());
    assert!(table.status.success(), "{}{}", stdout(&table), stderr(&table));
    let text = stdout(&table);
    assert!(
        text.contains("28 questions read from 1 file(s): 28 new, 0 unchanged, 0 new versions; 2 skipped"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{name}:61: skipped: [q07-explain-data-leakage] an essay question (`Q07 Explain data leakage`) cannot be imported")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{name}:144: skipped: [q16-learning-rate-warm-up-steps] a numerical question (`Q16 Learning rate warm-up steps`) cannot be imported"
        )),
        "{text}"
    );
    assert!(text.contains("Dry run: nothing was imported."), "{text}");

    // The preview, as JSON.
    let (out, preview) = import_json(&app, &gift, &[&["--dry-run"], &maps[..]].concat());
    assert!(out.status.success(), "{preview}");
    assert_eq!(preview["has_errors"], false);
    assert_eq!(preview["import_id"], Value::Null);
    assert_eq!(preview["questions"].as_array().unwrap().len(), 28);
    assert!(preview["questions"].as_array().unwrap().iter().all(|q| q["change"] == "new"));
    assert_eq!(preview["counts"]["added"], 28);
    assert_eq!(preview["counts"]["skipped"], 2);
    let skipped: Vec<(u64, &str, &str)> = preview["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "skipped")
        .map(|p| (p["line"].as_u64().unwrap(), p["question"].as_str().unwrap(), p["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        skipped,
        [
            (61, "q07-explain-data-leakage", "an essay question (`Q07 Explain data leakage`) cannot be imported"),
            (
                144,
                "q16-learning-rate-warm-up-steps",
                "a numerical question (`Q16 Learning rate warm-up steps`) cannot be imported"
            ),
        ]
    );
    let per_domain: Vec<(String, u64)> = ["D1", "D2", "D3"]
        .iter()
        .map(|d| {
            let n = preview["per_domain"].as_array().unwrap().iter().filter(|c| c["domain"] == *d);
            (d.to_string(), n.map(|c| c["questions"].as_u64().unwrap()).sum())
        })
        .collect();
    assert_eq!(per_domain, vec![("D1".into(), 9), ("D2".into(), 9), ("D3".into(), 10)]);
    assert_eq!(rows(&app.db).await, before, "a dry run stores nothing");

    // The import.
    let (out, imported) = import_json(&app, &gift, &maps);
    assert!(out.status.success(), "{imported}");
    let import = imported["import_id"].as_str().expect("an import id").to_string();
    let after = rows(&app.db).await;
    assert_eq!(
        after,
        Rows { questions: before.questions + 28, versions: before.versions + 28, imports: before.imports + 1 }
    );
    assert_eq!(imported_keys(&app.db, &import).await, report_ids(&preview), "the previewed questions, no others");
    let (actor, user, files, added, skipped): (String, Option<uuid::Uuid>, Value, i32, i32) =
        sqlx::query_as("SELECT actor, user_id, files, added, skipped FROM imports WHERE id = $1::uuid")
            .bind(&import)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((actor.as_str(), user, added, skipped), ("command line", None, 28, 2));
    let checksum = hex::encode(Sha256::digest(std::fs::read(&gift).unwrap()));
    assert_eq!(files[0]["checksum"], checksum.as_str());
    assert_eq!(files[0]["format"], "gift");
    assert_eq!(files[0]["questions"], 28);
    let imported_domains: Vec<(String, i64)> = sqlx::query_as(
        "SELECT domain, count(*) FROM questions WHERE import_id = $1::uuid GROUP BY domain ORDER BY domain",
    )
    .bind(&import)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(imported_domains, vec![("D1".into(), 9), ("D2".into(), 9), ("D3".into(), 10)]);

    // A learner practises on them.
    app.log_in_as_learner().await;
    practise_on_imported(&app, "D3", &import, 10).await;

    // The same file again changes nothing but the record of the import.
    let before_again = rows(&app.db).await;
    let (out, again) = import_json(&app, &gift, &maps);
    assert!(out.status.success(), "{again}");
    assert_eq!(again["counts"]["unchanged"], 28);
    assert_eq!(again["counts"]["added"], 0);
    assert_eq!(again["counts"]["changed"], 0);
    assert!(again["questions"].as_array().unwrap().iter().all(|q| q["change"] == "unchanged"));
    let after_again = rows(&app.db).await;
    assert_eq!(after_again.questions, before_again.questions);
    assert_eq!(after_again.versions, before_again.versions, "no new versions");
    assert_eq!(after_again.imports, before_again.imports + 1, "the second import is recorded too");
}

/// What acceptance 2 asks of each foreign format: the preview stores
/// nothing, the import writes what it previewed in the domains mapped, a
/// learner practises on it, and the same file again changes nothing.
async fn import_practise_and_import_again(
    file: &str,
    args: &[&str],
    skipped: u64,
    domains: &[(&str, i64)],
    practise_in: &str,
) {
    let app = TestApp::spawn().await;
    let file = fixture(file);
    let total: i64 = domains.iter().map(|(_, n)| n).sum();
    let before = rows(&app.db).await;

    let (out, preview) = import_json(&app, &file, &[&["--dry-run"], args].concat());
    assert!(out.status.success(), "{preview}");
    assert_eq!(preview["questions"].as_array().unwrap().len() as i64, total, "{preview}");
    assert_eq!(preview["counts"]["skipped"], skipped, "{preview}");
    assert_eq!(rows(&app.db).await, before, "a dry run stores nothing");

    let (out, imported) = import_json(&app, &file, args);
    assert!(out.status.success(), "{imported}");
    let import = imported["import_id"].as_str().expect("an import id").to_string();
    assert_eq!(
        rows(&app.db).await,
        Rows { questions: before.questions + total, versions: before.versions + total, imports: before.imports + 1 }
    );
    assert_eq!(imported_keys(&app.db, &import).await, report_ids(&preview));
    let by_domain: Vec<(String, i64)> = sqlx::query_as(
        "SELECT domain, count(*) FROM questions WHERE import_id = $1::uuid GROUP BY domain ORDER BY domain",
    )
    .bind(&import)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let expected: Vec<(String, i64)> = domains.iter().map(|(d, n)| (d.to_string(), *n)).collect();
    assert_eq!(by_domain, expected);
    let checksum: String = sqlx::query_scalar("SELECT files->0->>'checksum' FROM imports WHERE id = $1::uuid")
        .bind(&import)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(checksum, hex::encode(Sha256::digest(std::fs::read(&file).unwrap())));

    app.log_in_as_learner().await;
    let in_domain = domains.iter().find(|(d, _)| *d == practise_in).expect("a domain imported into").1;
    practise_on_imported(&app, practise_in, &import, in_domain as usize).await;

    let versions = rows(&app.db).await.versions;
    let (out, again) = import_json(&app, &file, args);
    assert!(out.status.success(), "{again}");
    assert_eq!(again["counts"]["unchanged"].as_i64(), Some(total), "{again}");
    assert_eq!(rows(&app.db).await.versions, versions, "no new versions");
}

#[tokio::test]
async fn a_moodle_xml_export_with_nested_categories_mapped_to_domains_is_imported_and_practised() {
    import_practise_and_import_again(
        "moodle-xml/moodle-export.xml",
        &["--domain-map", "MLA/Data preparation=D1", "--domain-map", "MLA/Deployment=D3"],
        3,
        &[("D1", 3), ("D3", 2)],
        "D3",
    )
    .await;
}

#[tokio::test]
async fn an_aiken_file_put_all_in_one_domain_is_imported_and_practised() {
    import_practise_and_import_again("aiken/ml-basics.txt", &["--all-in-domain", "D1"], 0, &[("D1", 10)], "D1").await;
}

#[tokio::test]
async fn a_csv_saved_from_a_spreadsheet_with_semicolons_is_imported_and_practised() {
    import_practise_and_import_again("csv/semicolon.csv", &[], 0, &[("D1", 2)], "D1").await;
}

fn errors(report: &Value) -> Vec<&Value> {
    report["problems"].as_array().unwrap().iter().filter(|p| p["severity"] == "error").collect()
}

#[tokio::test]
async fn a_file_with_one_broken_question_names_it_and_its_line_and_imports_nothing() {
    let app = TestApp::spawn().await;
    let scratch = Scratch::new();
    let gift = std::fs::read_to_string(fixture("gift/moodle-export.gift")).unwrap();
    // Q02 (line 16) loses the `=` of its only right answer.
    let broken = gift.replacen("\t=Apache Parquet#", "\t~Apache Parquet#", 1);
    assert_ne!(broken, gift);
    let file = scratch.write("broken.gift", &broken);
    let name = file.to_str().unwrap();
    let maps = with_maps(&GIFT_MAPS);
    let before = rows(&app.db).await;

    let table = mockexam(&app, &[&["import", name, "--exam", "mla-c01"], &maps[..]].concat());
    assert!(!table.status.success(), "an error fails the command");
    let text = stdout(&table);
    assert!(
        text.contains(&format!("{name}:16: error: [q02-columnar-format-for-analytics] no answer is correct")),
        "{text}"
    );
    assert!(text.contains("Nothing was imported: fix the errors above and run again."), "{text}");

    let (out, report) = import_json(&app, &file, &maps);
    assert!(!out.status.success());
    assert_eq!(report["has_errors"], true);
    assert_eq!(report["import_id"], Value::Null);
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["line"], 16);
    assert_eq!(errors[0]["question"], "q02-columnar-format-for-analytics");
    assert!(errors[0]["message"].as_str().unwrap().starts_with("no answer is correct"), "{report}");
    assert_eq!(rows(&app.db).await, before, "nothing is imported");
}

/// A JSON file of `n` single-answer questions in D4, ids `gen-001`…; the
/// question numbered `bad` (if any) has a key that names no option.
fn generated(n: usize, bad: Option<usize>) -> String {
    let questions: Vec<Value> = (1..=n)
        .map(|i| {
            json!({
                "id": format!("gen-{i:03}"),
                "domain": "D4",
                "difficulty": "medium",
                "tags": ["generated"],
                "references": [],
                "stem": format!("Generated question {i}: which option is right?"),
                "explanation": format!("Option {} is right.", i % 4),
                "body": {
                    "kind": "single",
                    "options": (0..4).map(|o| json!({ "text": format!("Option {o} of {i}"), "rationale": format!("Rationale {o}.") })).collect::<Vec<_>>(),
                    "key": if Some(i) == bad { 7 } else { i % 4 },
                }
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "format": "mockexam-questions", "version": 1, "questions": questions }))
        .unwrap()
}

#[tokio::test]
async fn a_200_question_file_with_one_bad_question_imports_nothing_and_fixed_imports_all_200() {
    let app = TestApp::spawn().await;
    let scratch = Scratch::new();
    let bad_text = generated(200, Some(137));
    let bad = scratch.write("generated.json", &bad_text);
    let before = rows(&app.db).await;

    let (out, report) = import_json(&app, &bad, &[]);
    assert!(!out.status.success());
    assert_eq!(report["has_errors"], true);
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["question"], "gen-137");
    // The line of the `{` that opens question 137 (its keys are written in
    // alphabetical order, so its id comes late).
    let lines: Vec<&str> = bad_text.lines().collect();
    let key = lines.iter().position(|l| l.trim() == "\"key\": 7,").expect("the bad key");
    let opens = (0..key).rev().find(|&i| lines[i] == "    {").expect("the question's brace") + 1;
    assert_eq!(errors[0]["line"].as_u64(), Some(opens as u64), "{report}");
    assert_eq!(errors[0]["message"], "the key names option 8 of 4");
    assert_eq!(rows(&app.db).await, before, "the 199 good questions are not imported either");
    let generated_rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM questions WHERE key LIKE 'gen-%'").fetch_one(&app.db).await.unwrap();
    assert_eq!(generated_rows, 0);

    let fixed = scratch.write("generated.json", generated(200, None));
    let (out, report) = import_json(&app, &fixed, &[]);
    assert!(out.status.success(), "{report}");
    assert_eq!(report["counts"]["added"], 200);
    let after = rows(&app.db).await;
    assert_eq!(
        after,
        Rows { questions: before.questions + 200, versions: before.versions + 200, imports: before.imports + 1 }
    );
    let import = report["import_id"].as_str().unwrap();
    assert_eq!(imported_keys(&app.db, import).await.len(), 200);
}

/// Another database beside a test's own on the same server, made by the
/// command line on its first run; dropped with this value.
struct Sibling {
    name: String,
    url: String,
    /// The test's own database, to connect to when dropping this one.
    admin: String,
}

impl Sibling {
    async fn of(app: &TestApp) -> Sibling {
        let mine: String = sqlx::query_scalar("SELECT current_database()").fetch_one(&app.db).await.unwrap();
        let name = format!("{mine}_fresh");
        let admin = app.database_url();
        let at = admin.find(&format!("/{mine}")).expect("the URL names the database");
        let url = format!("{}/{name}{}", &admin[..at], &admin[at + 1 + mine.len()..]);
        Sibling { name, url, admin }
    }
}

impl Drop for Sibling {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Dropped inside the test's runtime, which cannot block on itself.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
                if let Ok(mut conn) = PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            })
        })
        .join();
    }
}

/// Every current question of mla-c01: id, domain, kind, tags, number of
/// versions, the current version's content and hash.
async fn bank(conn: &mut PgConnection) -> Vec<(String, String, String, Vec<String>, i64, Value, String)> {
    sqlx::query_as(
        "SELECT q.key, q.domain, q.kind, q.tags,
                (SELECT count(*) FROM question_versions a WHERE a.question_id = q.id),
                v.content, v.content_hash
         FROM questions q JOIN exams e ON e.id = q.exam_id JOIN question_versions v ON v.id = q.current_version
         WHERE e.slug = 'mla-c01' AND NOT q.retired ORDER BY q.key",
    )
    .fetch_all(conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_exported_bank_imported_into_a_fresh_database_is_the_same_bank() {
    let app = TestApp::spawn().await;
    let scratch = Scratch::new();
    let export = scratch.0.join("mla-c01.json");
    let out = mockexam(&app, &["export", "--exam", "mla-c01", "--format", "json", "--out", export.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A fresh database whose exam has no questions: the command line makes
    // it, loading a content folder of only the blueprint.
    let fresh = Sibling::of(&app).await;
    let out = mockexam_in(
        &fresh.url,
        &scratch.blueprint_only(),
        &["import", export.to_str().unwrap(), "--exam", "mla-c01", "--json"],
    );
    let report = report(&out);
    assert!(out.status.success(), "{report}");
    assert_eq!(report["counts"]["added"], 398, "{}", report["counts"]);

    let mut theirs = PgConnection::connect(&fresh.url).await.expect("the fresh database exists");
    let imported = bank(&mut theirs).await;
    theirs.close().await.unwrap();
    let original = bank(&mut app.connect().await).await;
    assert_eq!(original.len(), 398);
    assert_eq!(imported.len(), 398);
    for (a, b) in original.iter().zip(&imported) {
        assert_eq!(a.0, b.0, "the same ids");
        assert_eq!((a.4, b.4), (1, 1), "{}: one version in each database", a.0);
        assert_eq!(a, b, "{}: the same question", a.0);
    }
}

#[tokio::test]
async fn a_50_mb_file_is_refused_at_the_import_limit_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let scratch = Scratch::new();
    let question = "::Big:: Which one? {=a ~b ~c ~d}\n\n";
    let file = scratch.write("big.gift", question.repeat(50 * 1024 * 1024 / question.len() + 1));
    assert!(std::fs::metadata(&file).unwrap().len() >= 50 * 1024 * 1024);
    let before = rows(&app.db).await;

    let out = mockexam(&app, &["import", file.to_str().unwrap(), "--exam", "mla-c01"]);
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(
        message.contains("the files are larger than the import limit of 5120 KB in all (MOCKEXAM_IMPORT_LIMIT_KB); nothing was imported"),
        "{message}"
    );
    assert_eq!(rows(&app.db).await, before);
}

#[tokio::test]
async fn an_xml_entity_bomb_is_refused_with_one_error_and_nothing_stored() {
    let app = TestApp::spawn().await;
    let scratch = Scratch::new();
    let mut laughs = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let previous = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        laughs.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", format!("&{previous};").repeat(10)));
    }
    laughs.push_str(
        "]>\n<quiz><question type=\"multichoice\"><name><text>&lol9;</text></name>\
         <questiontext><text>&lol9;</text></questiontext>\
         <answer fraction=\"100\"><text>a</text></answer><answer fraction=\"0\"><text>b</text></answer>\
         </question></quiz>\n",
    );
    let file = scratch.write("laughs.xml", laughs);
    let before = rows(&app.db).await;

    let (out, report) = import_json(&app, &file, &["--all-in-domain", "D1"]);
    assert!(!out.status.success());
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report}");
    assert_eq!(problems[0]["severity"], "error");
    assert_eq!(problems[0]["line"], 2);
    assert!(problems[0]["message"].as_str().unwrap().contains("document type declaration"), "{report}");
    assert_eq!(report["questions"].as_array().unwrap().len(), 0);
    assert_eq!(rows(&app.db).await, before);
}

#[tokio::test]
async fn invalid_utf_8_is_refused_at_its_byte_offset_and_a_byte_order_mark_is_not() {
    let app = TestApp::spawn().await;
    let scratch = Scratch::new();
    let good = "::Q1:: Which? {=a ~b}\n\n::Q2:: Caf";
    let mut bytes = good.as_bytes().to_vec();
    bytes.extend_from_slice(b"\xC3 menu? {=a ~b}\n");
    let file = scratch.write("latin.gift", &bytes);
    let before = rows(&app.db).await;

    let (out, report) = import_json(&app, &file, &["--all-in-domain", "D1"]);
    assert!(!out.status.success());
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(
        errors[0]["message"],
        format!("the file is not valid UTF-8: byte offset {} is not part of any character", good.len())
    );
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(rows(&app.db).await, before);

    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(b"::Q1:: Which? {=a ~b}\n");
    let file = scratch.write("bom.gift", &with_bom);
    let (out, report) = import_json(&app, &file, &["--all-in-domain", "D1", "--dry-run"]);
    assert!(out.status.success(), "{report}");
    assert_eq!(report_ids(&report), ["q1"]);
}

#[tokio::test]
async fn script_in_an_imported_question_never_reaches_the_learner() {
    let app = TestApp::spawn().await;
    let scratch = Scratch::new();
    let gift = "// mockexam: tags=script-probe\n\
                ::Script probe::[html]<p>Which storage is columnar?</p><script>alert(1)</script><img src=x onerror=alert(1)>{\n\
                \t=<b>Parquet</b><script>alert(2)</script>#Right<img src\\=y onerror\\=alert(2)>\n\
                \t~CSV<a href\\=\"javascript\\:alert(3)\">link</a>#Row based.\n\
                \t####<p onclick\\=alert(4)>Columnar formats<script>alert(5)</script></p>\n\
                }\n";
    let file = scratch.write("script.gift", gift);
    let (out, report) = import_json(&app, &file, &["--all-in-domain", "D2"]);
    assert!(out.status.success(), "{report}");
    assert_eq!(report["counts"]["added"], 1, "{report}");
    let stored: String = sqlx::query_scalar(
        "SELECT v.content::text FROM questions q JOIN question_versions v ON v.id = q.current_version
         WHERE q.key = 'script-probe'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(stored.contains("<script>alert(1)</script>"), "kept as written; made safe when shown");

    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "drill"), ("tag", "script-probe"), ("count", "1")]).await;
    let hostile = |page: &str| {
        let lower = page.to_lowercase();
        ["<script>alert", "onerror", "onclick", "javascript:alert"]
            .into_iter()
            .filter(|h| lower.contains(h))
            .collect::<Vec<_>>()
    };
    let page = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(page.contains("Which storage is columnar?") && page.contains("<b>Parquet</b>"), "{page}");
    assert_eq!(hostile(&page), Vec::<&str>::new(), "{page}");

    // After a check the rationale and explanation show too: made safe as well.
    let key = key_of(&app.db, id, 1).await;
    let checked = app.save_json(id, 1, json!({ "seq": 1, "response": key, "check": true })).await;
    assert_eq!(checked.status(), StatusCode::OK);
    let page = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(page.contains("Columnar formats"), "the explanation shows: {page}");
    assert_eq!(hostile(&page), Vec::<&str>::new(), "{page}");
    app.submit(id).await;
    let result = app.get_text(&format!("/attempts/{id}/result")).await;
    assert!(result.contains("Which storage is columnar?"));
    assert_eq!(hostile(&result), Vec::<&str>::new(), "{result}");
}

#[tokio::test]
async fn questions_an_import_brings_back_stay_after_the_content_folder_is_loaded_again() {
    let app = TestApp::spawn().await;
    let scratch = Scratch::new();
    let export = scratch.0.join("mla-c01.json");
    let out = mockexam(&app, &["export", "--exam", "mla-c01", "--format", "json", "--out", export.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let retired = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM questions WHERE retired").fetch_one(&app.db).await.unwrap()
    };
    // The bundled questions leave the content folder: loading it (as every
    // command and the server's start do) retires them.
    let blueprint_only = scratch.blueprint_only();
    let run = |dry_run: bool| {
        let file = export.to_str().unwrap();
        let args = [&["import", file, "--exam", "mla-c01", "--json"][..], if dry_run { &["--dry-run"] } else { &[] }];
        let out = mockexam_in(&app.database_url(), &blueprint_only, &args.concat());
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
        report(&out)
    };
    let preview = run(true);
    assert_eq!(retired().await, 398);
    // Unchanged, as the import will count them: they come back as they were.
    assert_eq!(preview["counts"]["unchanged"], 398, "{}", preview["counts"]);
    let changes: Vec<&str> =
        preview["questions"].as_array().unwrap().iter().map(|q| q["change"].as_str().unwrap()).collect();
    assert!(changes.iter().all(|c| *c == "unchanged"), "each row agrees with the counts");

    // The instructor imports them: they are live again, and the import owns
    // them, so the next load of the content folder leaves them alone.
    let imported = run(false);
    assert_eq!(imported["counts"], preview["counts"], "the import did what the preview said");
    let import = imported["import_id"].as_str().expect("imported");
    assert_eq!(retired().await, 0);
    assert_eq!(imported_keys(&app.db, import).await.len(), 398, "the import owns what it brought back");
    run(true);
    assert_eq!(retired().await, 0, "the next start retires none of the imported questions");
    assert_eq!(rows(&app.db).await.versions, 398, "no version was added on the way");
}
