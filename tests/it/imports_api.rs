//! Importing and exporting question sets through the API (issue 13), as a
//! CI job would with an instructor's token: who may, a GIFT file validated
//! then imported, a broken file that imports nothing, an upload far over
//! the limit, and an export read back.

use std::net::SocketAddr;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{ApiClient, TestApp, json_of};

/// A Moodle-style GIFT file: one question per domain code category, and an
/// essay question, which cannot be imported (line 17).
const GIFT: &str = "$CATEGORY: $course$/top/Bank/D1

::Q01 Leaky scaler::Fitting a scaler on all rows before the split does what? {
=Test statistics leak into training.#Fit the scaler on the training split only.
~Nothing at all.#The test rows shape the scaling.
####Split first, then fit every preprocessing step on the training split.
}

$CATEGORY: $course$/top/Bank/D3

::Q02 Spiky traffic::Which option hosts a model for spiky traffic at the lowest cost? {
=Serverless inference#It scales to zero between bursts.
~A fixed fleet of instances#It pays for idle capacity.
####Serverless inference scales with requests.
}

::Q03 Explain leakage::Explain, in your own words, how target leakage happens. {}
";

/// The same bank with a broken question at line 9: two options the same.
const BROKEN: &str = "$CATEGORY: $course$/top/Bank/D1

::Q01 Leaky scaler::Fitting a scaler on all rows before the split does what? {
=Test statistics leak into training.#Fit the scaler on the training split only.
~Nothing at all.#The test rows shape the scaling.
####Split first, then fit every preprocessing step on the training split.
}

::Q04 Twice the same::Which one is right? {=same#Yes. ~same#No. ####Because.}
";

const IMPORTS: &str = "/api/v1/exams/mla-c01/imports";

/// An instructor's API client.
async fn instructor(app: &TestApp) -> ApiClient {
    let browser = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    browser.api_client(&browser.create_api_token("ci").await)
}

/// Uploads `body` as one file, with `query` (`file_name=…&…`).
async fn upload(api: &ApiClient, query: &str, body: &str) -> (StatusCode, Value) {
    let url = api.url(&format!("{IMPORTS}?{query}"));
    let response = api.client.post(url).bearer_auth(&api.token).body(body.to_string()).send().await.expect("upload");
    json_of(response).await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.expect(sql)
}

fn assert_problem(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["status"], expected.as_u16(), "a problem document: {body}");
}

#[tokio::test]
async fn only_instructors_and_admins_may_import_list_and_export() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let learner = app.api_client(&app.create_api_token("mine").await);
    let instructor = instructor(&app).await;
    let admin = app.new_browser_as("admin", "ada@example.org").await;
    let admin = admin.api_client(&admin.create_api_token("ops").await);
    let anonymous = reqwest::Client::new();

    let routes = [
        (Method::POST, format!("{IMPORTS}?file_name=bank.gift&dry_run=true")),
        (Method::GET, IMPORTS.to_string()),
        (Method::GET, "/api/v1/exams/mla-c01/export?format=gift".to_string()),
    ];
    for (method, path) in &routes {
        let send = |client: &reqwest::Client| client.request(method.clone(), app.url(path)).body(GIFT);
        // A token that is no one's; and, where the CSRF check does not
        // come first (it refuses a change with neither token nor cookie), none.
        let (status, body) = json_of(send(&anonymous).bearer_auth("0".repeat(64)).send().await.unwrap()).await;
        assert_problem(status, &body, StatusCode::UNAUTHORIZED);
        if *method == Method::GET {
            let (status, body) = json_of(send(&anonymous).send().await.unwrap()).await;
            assert_problem(status, &body, StatusCode::UNAUTHORIZED);
        }
        let (status, body) = json_of(send(&learner.client).bearer_auth(&learner.token).send().await.unwrap()).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        assert!(body["detail"].as_str().unwrap().contains("instructors and admins"), "{body}");
        for api in [&instructor, &admin] {
            let response = send(&api.client).bearer_auth(&api.token).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{method} {path}");
        }
        let elsewhere = path.replace("mla-c01", "no-such-exam");
        let response = instructor.client.request(method.clone(), app.url(&elsewhere)).bearer_auth(&instructor.token);
        let (status, body) = json_of(response.body(GIFT).send().await.unwrap()).await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
    }
    assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 0, "dry runs only");
}

#[tokio::test]
async fn a_gift_file_is_validated_then_imported_once_and_listed() {
    let app = TestApp::spawn().await;
    let api = instructor(&app).await;
    let questions = count(&app, "SELECT count(*) FROM questions").await;
    let versions = count(&app, "SELECT count(*) FROM question_versions").await;

    let (status, report) = upload(&api, "file_name=bank.gift&dry_run=true", GIFT).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["has_errors"].as_bool(), report["import_id"].is_null()), (Some(false), true));
    assert_eq!(report["counts"]["added"], 2);
    assert_eq!(report["counts"]["skipped"], 1);
    let skipped: Vec<&Value> =
        report["problems"].as_array().unwrap().iter().filter(|p| p["severity"] == "skipped").collect();
    assert_eq!(skipped.len(), 1, "{report}");
    assert_eq!((skipped[0]["file"].as_str(), skipped[0]["line"].as_u64()), (Some("bank.gift"), Some(17)));
    assert!(skipped[0]["message"].as_str().unwrap().contains("an essay question (`Q03 Explain leakage`)"), "{report}");
    let domains: Vec<(&str, &str)> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["id"].as_str().unwrap(), q["domain"].as_str().unwrap()))
        .collect();
    assert_eq!(domains, [("q01-leaky-scaler", "D1"), ("q02-spiky-traffic", "D3")], "domains from the categories");
    assert_eq!(count(&app, "SELECT count(*) FROM questions").await, questions, "a dry run stores nothing");
    assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 0);

    let response = api.client.post(api.url(&format!("{IMPORTS}?file_name=bank.gift"))).bearer_auth(&api.token);
    let response = response.body(GIFT).send().await.unwrap();
    assert_eq!(response.headers()["location"], IMPORTS);
    let (status, report) = json_of(response).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let id = report["import_id"].as_str().expect("imported").to_string();
    assert_eq!(report["counts"]["added"], 2);
    assert_eq!(count(&app, "SELECT count(*) FROM questions").await, questions + 2);
    let imported: Vec<String> = sqlx::query_scalar("SELECT key FROM questions WHERE import_id = $1::uuid ORDER BY key")
        .bind(&id)
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(imported, ["q01-leaky-scaler", "q02-spiky-traffic"]);

    let (status, list) = api.get(IMPORTS).await;
    assert_eq!(status, StatusCode::OK);
    let listed = &list["imports"][0];
    assert_eq!((listed["id"].as_str(), listed["actor"].as_str()), (Some(id.as_str()), Some("ines@example.org")));
    assert_eq!(
        (listed["files"][0]["name"].as_str(), listed["files"][0]["format"].as_str()),
        (Some("bank.gift"), Some("gift"))
    );
    assert_eq!(
        (listed["files"][0]["bytes"].as_u64(), listed["counts"]["added"].as_u64()),
        (Some(GIFT.len() as u64), Some(2))
    );

    // The same file again: nothing new, no new versions.
    let versions_after_import = count(&app, "SELECT count(*) FROM question_versions").await;
    assert_eq!(versions_after_import, versions + 2);
    let (status, again) = upload(&api, "file_name=bank.gift", GIFT).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    let counts = &again["counts"];
    assert_eq!(
        (counts["unchanged"].as_u64(), counts["added"].as_u64(), counts["changed"].as_u64()),
        (Some(2), Some(0), Some(0))
    );
    assert_eq!(count(&app, "SELECT count(*) FROM questions").await, questions + 2);
    assert_eq!(count(&app, "SELECT count(*) FROM question_versions").await, versions_after_import);
}

#[tokio::test]
async fn a_file_with_one_broken_question_imports_nothing_and_says_where() {
    let app = TestApp::spawn().await;
    let api = instructor(&app).await;
    let questions = count(&app, "SELECT count(*) FROM questions").await;
    let versions = count(&app, "SELECT count(*) FROM question_versions").await;

    let (status, report) = upload(&api, "file_name=bank.gift", BROKEN).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert_eq!((report["has_errors"].as_bool(), report["import_id"].is_null()), (Some(true), true));
    let errors: Vec<&Value> =
        report["problems"].as_array().unwrap().iter().filter(|p| p["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(
        (errors[0]["question"].as_str(), errors[0]["file"].as_str(), errors[0]["line"].as_u64()),
        (Some("q04-twice-the-same"), Some("bank.gift"), Some(9)),
        "{report}"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM questions").await, questions, "nothing imported");
    assert_eq!(count(&app, "SELECT count(*) FROM question_versions").await, versions);
    assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 0, "and no import recorded");

    // A query that cannot be read is a problem document naming it.
    let (status, problem) = upload(&api, "file_name=bank.gift&domain_map=Bank", GIFT).await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["detail"].as_str().unwrap().contains("`Bank` is not a mapping"), "{problem}");
    let (status, problem) = upload(&api, "format=docx&file_name=bank.gift", GIFT).await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, problem) = upload(&api, "dry_run=true", GIFT).await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["detail"].as_str().unwrap().contains("`file_name` is required"), "{problem}");
}

/// Peak resident memory of process `pid`, in KiB.
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("Linux /proc");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM");
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("a number of kB")
}

/// Sends `total` bytes to the upload route over a connection of its own,
/// made as they go (this process never holds more than one chunk),
/// declared with `Content-Length` or chunked. Returns the answer's status
/// and body, read while the upload is still being sent.
async fn upload_of_size(addr: SocketAddr, token: &str, total: usize, chunked: bool) -> (u16, String) {
    let (mut reader, mut writer) = TcpStream::connect(addr).await.expect("connect").into_split();
    let length = if chunked { "Transfer-Encoding: chunked".to_string() } else { format!("Content-Length: {total}") };
    let head = format!(
        "POST {IMPORTS}?file_name=big.gift HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n{length}\r\n\r\n"
    );
    let sending = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let chunk = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        while sent < total {
            if chunked {
                writer.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await?;
            }
            writer.write_all(&chunk).await?;
            if chunked {
                writer.write_all(b"\r\n").await?;
            }
            sent += chunk.len();
        }
        if chunked {
            writer.write_all(b"0\r\n\r\n").await?;
        }
        Ok::<_, std::io::Error>(())
    });
    let mut answer = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
        if let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&answer[..end]).to_lowercase();
            let length =
                head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok());
            if length.is_some_and(|length: usize| answer.len() >= end + 4 + length) {
                break;
            }
        }
    }
    // The answer is in: the rest of the upload need not go.
    sending.abort();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("an answer: {text:?}"));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// The memory is measured in a server process of its own (the binary, on
/// this test's database): the tests in this process allocate as they like.
#[tokio::test]
async fn a_50_mb_upload_and_an_entity_bomb_are_refused_without_the_server_growing() {
    let app = TestApp::spawn().await;
    let api = instructor(&app).await;
    let questions = count(&app, "SELECT count(*) FROM questions").await;
    let addr = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port");
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_mockexam"))
        .env("DATABASE_URL", app.database_url())
        .env("MOCKEXAM_ADDR", addr.to_string())
        .env("MOCKEXAM_CONTENT_DIR", concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts");
    let pid = server.id().expect("a running server");
    let client = reqwest::Client::new();
    crate::resilience::eventually("the server to be ready", async || {
        assert!(server.try_wait().expect("a status").is_none(), "the server exited");
        let ready = client.get(format!("http://{addr}/readyz")).send().await.ok()?;
        (ready.status() == StatusCode::OK).then_some(())
    })
    .await;

    // Start the peak at the server's current size: the peak after is the uploads'.
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("the peak can be reset");
    let before = peak_kib(pid);
    for chunked in [false, true] {
        let (status, body) = upload_of_size(addr, &api.token, 50 * 1024 * 1024, chunked).await;
        assert_eq!(status, 413, "chunked: {chunked}: {body}");
        let problem: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert!(problem["detail"].as_str().unwrap().contains("at most 5120 KiB"), "the import limit: {problem}");
    }
    // An entity bomb: a billion "lol"s if it were ever expanded.
    let mut bomb = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let previous = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        bomb += &format!("<!ENTITY lol{i} \"{}\">\n", format!("&{previous};").repeat(10));
    }
    bomb += "]>\n<quiz><question type=\"multichoice\"><name><text>&lol9;</text></name></question></quiz>\n";
    let refused = client
        .post(format!("http://{addr}{IMPORTS}?file_name=bomb.xml&dry_run=true"))
        .bearer_auth(&api.token)
        .body(bomb)
        .send()
        .await
        .expect("an answer");
    let (status, report) = json_of(refused).await;
    assert_eq!(status, StatusCode::OK, "a dry run reports: {report}");
    assert_eq!(report["has_errors"], true);
    let problems = report["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "one error, nothing read: {report}");
    assert!(problems[0]["message"].as_str().unwrap().contains("<!DOCTYPE>"), "{report}");
    let growth_mib = peak_kib(pid).saturating_sub(before) / 1024;
    assert!(growth_mib < 25, "the server's peak grew by {growth_mib} MiB for a 50 MiB upload and an entity bomb");
    assert_eq!(count(&app, "SELECT count(*) FROM questions").await, questions);
    server.kill().await.expect("the server stops");
}

#[tokio::test]
async fn the_upload_has_its_own_limit_above_the_general_one() {
    let app = TestApp::spawn_with(|c| {
        c.body_limit_bytes = 1024;
        c.import_limit_bytes = 8 * 1024;
    })
    .await;
    let api = instructor(&app).await;
    let padded = format!("// {}\n\n{GIFT}", "x".repeat(4000));
    let (status, report) = upload(&api, "file_name=bank.gift&dry_run=true", &padded).await;
    assert_eq!((status, report["counts"]["added"].as_u64()), (StatusCode::OK, Some(2)), "{report}");
    let (status, problem) = upload(&api, "file_name=bank.gift&dry_run=true", &"x".repeat(9000)).await;
    assert_problem(status, &problem, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(problem["detail"].as_str().unwrap().contains("at most 8 KiB"), "{problem}");
}

#[tokio::test]
async fn an_export_in_json_reads_back_as_the_whole_bank_and_aiken_is_refused() {
    let app = TestApp::spawn().await;
    let api = instructor(&app).await;
    let current = count(&app, "SELECT count(*) FROM questions WHERE NOT retired").await;
    assert_eq!(current, 398, "the bundled bank");

    let response = api.send(Method::GET, "/api/v1/exams/mla-c01/export?format=json", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["content-disposition"], "attachment; filename=\"mla-c01.json\"");
    assert_eq!(headers["x-mockexam-left-out"], "0", "JSON carries everything");
    let text = response.text().await.unwrap();
    let set = mockexam::content::formats::json::read(&text);
    assert!(!set.has_errors(), "{:?}", set.problems);
    assert_eq!(set.questions.len() as i64, current);

    let (status, problem) = api.get("/api/v1/exams/mla-c01/export?format=aiken").await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["detail"].as_str().unwrap().contains("markdown, json, gift, moodle-xml or csv"), "{problem}");
    let (status, problem) = api.get("/api/v1/exams/mla-c01/export").await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The files to start a set from are served to anyone: the CSV template
/// reads back without errors, and the schema is the one the docs hold.
#[tokio::test]
async fn the_csv_template_and_the_json_schema_are_served() {
    let app = TestApp::spawn().await;
    let template = app.get("/formats/questions-template.csv").await;
    assert_eq!(template.status(), StatusCode::OK);
    assert_eq!(template.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(template.headers()["content-disposition"].to_str().unwrap().contains("questions-template.csv"));
    let set = mockexam::content::formats::csv::read(&template.text().await.unwrap());
    assert!(!set.has_errors() && set.questions.len() == 2, "{:?}", set.problems);
    let schema = app.get("/formats/questions.schema.json").await;
    assert_eq!(schema.status(), StatusCode::OK);
    let served: Value = schema.json().await.unwrap();
    let documented: Value =
        serde_json::from_str(include_str!("../../docs/formats/questions.schema.json")).expect("the schema is JSON");
    assert_eq!(served, documented);
}
