//! The OpenAPI document against the API itself: every route under `/api/v1`
//! is called for real, and every answer is checked against the schema the
//! served document gives for its path, method, status and content type.
//!
//! The document is derived from the types that serialize the answers, so a
//! field added to one of them is described with no other edit. What can
//! still drift is everything the types do not say: a body built another way,
//! a status or a route the handler's `#[utoipa::path]` leaves out, a field
//! hidden from the schema, nullability. This test is there for those, and
//! its second half shows that it does fail when the document and the API
//! disagree.
//!
//! The check is strict: every object schema is closed here, in the test
//! (`unevaluatedProperties: false`, which also sees through the `allOf` that
//! `#[serde(flatten)]` becomes), so a property the document does not name
//! fails. The served document stays open on purpose: the API accepts
//! unknown request fields, as serde does, and a closed response schema
//! would make every new field a breaking change for clients that validate.

mod schema;

use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ApiClient, TestApp, key_of, wrong_answer_of};
use schema::{Call, check, coverage, operations, without_property};

/// The import limit of the app under test: small, so that an upload over
/// it is quick to send.
const IMPORT_LIMIT: usize = 64 * 1024;

async fn spawn() -> TestApp {
    TestApp::spawn_with(|c| c.import_limit_bytes = IMPORT_LIMIT).await
}

/// Makes calls, checking each answer against the document as it comes.
struct Recorder {
    doc: Value,
    calls: Vec<Call>,
}

impl Recorder {
    async fn call(&mut self, path: &'static str, request: RequestBuilder) -> (StatusCode, Value) {
        let (client, request) = request.build_split();
        let request = request.expect("a request");
        let method = request.method().as_str().to_lowercase();
        let response = client.execute(request).await.expect("an answer");
        let status = response.status();
        let content_type = response.headers().get("content-type").map(|v| v.to_str().expect("ASCII").to_string());
        let content_type = content_type.unwrap_or_default().split(';').next().unwrap_or_default().trim().to_string();
        let text = response.text().await.expect("a body");
        // An export in a format other than JSON is a file of its own: its
        // schema is a string.
        let body: Value = if content_type.ends_with("json") {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status} {path}: not JSON ({e}): {text}"))
        } else {
            Value::String(text)
        };
        let call = Call { method, path, status: status.as_u16(), content_type, body: body.clone() };
        if let Err(problem) = check(&self.doc, &call) {
            panic!("{problem}");
        }
        self.calls.push(call);
        (status, body)
    }
}

/// Calls every route under /api/v1 for each answer it documents (but 503),
/// checking each against the served document; returns the document and
/// the calls.
async fn exercise_the_api(app: &TestApp) -> (Value, Vec<Call>) {
    let served = reqwest::get(app.url("/api/openapi.json")).await.expect("the document");
    assert_eq!(served.status(), StatusCode::OK, "readable without logging in");
    assert_eq!(served.headers()["content-type"], "application/json");
    assert_eq!(served.headers()["cache-control"], "public, max-age=3600");
    let doc: Value = served.json().await.expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "mockexam API");
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearerToken"]["scheme"], "bearer");
    assert_eq!(
        (schemes["sessionCookie"]["in"].as_str(), schemes["sessionCookie"]["name"].as_str()),
        (Some("cookie"), Some("mockexam_session"))
    );
    assert_eq!(schemes["csrfHeader"]["name"], "X-CSRF-Token");
    assert_eq!(
        doc["paths"]["/api/v1/attempts/{id}/submit"]["post"]["security"],
        json!([{ "bearerToken": [] }, { "sessionCookie": [], "csrfHeader": [] }]),
        "a change with the cookie needs the CSRF header"
    );

    let export_description = doc["paths"]["/api/v1/exams/{slug}/export"]["get"]["description"].as_str();
    for format in mockexam::content::formats::Format::ALL.into_iter().filter(|f| f.writable()) {
        assert!(
            export_description.is_some_and(|d| d.contains(format.loses())),
            "the export says what {format:?} loses"
        );
    }

    let mut api = Recorder { doc: doc.clone(), calls: Vec::new() };
    let token = app.create_api_token("schema check").await;
    let client = ApiClient::new(app.addr, &token).client;
    let url = |path: &str| app.url(path);
    let as_learner = |method: Method, path: &str| client.request(method, url(path)).bearer_auth(&token);
    let get = |path: &str| as_learner(Method::GET, path);
    let nobody = reqwest::Client::new();
    let origin = format!("http://{}", app.addr);
    // A cookie request from our own origin, but without the CSRF header.
    let forged = |method: Method, path: &str| app.client.request(method, url(path)).header("origin", &origin);

    api.call("/api/openapi.json", nobody.get(url("/api/openapi.json"))).await;

    let (status, _) = api.call("/api/v1/exams", get("/api/v1/exams")).await;
    assert_eq!(status, StatusCode::OK);

    let start = "/api/v1/exams/{slug}/attempts";
    let start_at = |body: Value| as_learner(Method::POST, "/api/v1/exams/mla-c01/attempts").json(&body);
    let (status, mock) = api.call(start, start_at(json!({ "mode": "exam", "real_conditions": true }))).await;
    assert_eq!(status, StatusCode::CREATED, "{mock}");
    let (status, practice) = api.call(start, start_at(json!({ "mode": "practice", "count": 3 }))).await;
    assert_eq!(status, StatusCode::CREATED, "{practice}");
    assert!(mock["deadline"].is_string() && practice["deadline"].is_null(), "both sides of a nullable field");
    let (mock, practice) = (mock["url"].as_str().unwrap().to_string(), practice["url"].as_str().unwrap().to_string());
    let mock_id: uuid::Uuid = mock.rsplit('/').next().and_then(|s| s.parse().ok()).expect("an id");
    let practice_id: uuid::Uuid = practice.rsplit('/').next().and_then(|s| s.parse().ok()).expect("an id");
    let body = json!({ "mode": "practice", "count": 0 });
    assert_eq!(api.call(start, start_at(body)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = as_learner(Method::POST, "/api/v1/exams/no-such-exam/attempts").json(&json!({ "mode": "exam" }));
    assert_eq!(api.call(start, unknown).await.0, StatusCode::NOT_FOUND);

    let (status, list) = api.call("/api/v1/attempts", get("/api/v1/attempts")).await;
    assert_eq!((status, list["attempts"].as_array().map(Vec::len)), (StatusCode::OK, Some(2)));
    assert_eq!(api.call("/api/v1/attempts", get("/api/v1/attempts?limit=0")).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    let attempt = "/api/v1/attempts/{id}";
    let (status, running) = api.call(attempt, get(&mock)).await;
    assert_eq!((status, running["time_left_seconds"].is_i64()), (StatusCode::OK, true));

    let item = "/api/v1/attempts/{id}/items/{n}";
    let (mock_item, practice_item) = (format!("{mock}/items/1"), format!("{practice}/items/1"));
    let (status, first) = api.call(item, get(&mock_item)).await;
    assert_eq!((status, first.get("domain")), (StatusCode::OK, None), "a running mock hides the domain");
    let save = |path: &str, body: Value| as_learner(Method::PUT, path).json(&body);
    let mock_key = json!(key_of(&app.db, mock_id, 1).await);
    let body = json!({ "seq": first["seq"], "response": mock_key, "flagged": true, "struck": [] });
    let (status, saved) = api.call(item, save(&mock_item, body.clone())).await;
    assert_eq!((status, saved["status"].as_str()), (StatusCode::OK, Some("saved")));
    let (status, stale) = api.call(item, save(&mock_item, body)).await;
    assert_eq!((status, stale["status"].as_str()), (StatusCode::CONFLICT, Some("stale")));

    let (_, unchecked) = api.call(item, get(&practice_item)).await;
    let seq = unchecked["seq"].as_i64().unwrap();
    // An empty answer of the item's kind: checked, it is refused with a
    // save reply (a response of the wrong shape would be a problem).
    let nulls = |field: &str| vec![Value::Null; unchecked[field].as_array().map_or(0, Vec::len)];
    let empty = match unchecked["kind"].as_str() {
        Some("ordering") => json!({ "ranks": nulls("choices") }),
        Some("matching") => json!({ "matches": nulls("prompts") }),
        _ => json!({ "choice": [] }),
    };
    let check_empty = json!({ "seq": seq, "response": empty, "check": true });
    let (status, reply) = api.call(item, save(&practice_item, check_empty)).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid")));
    let key = json!(key_of(&app.db, practice_id, 1).await);
    let (status, _) = api
        .call(item, save(&practice_item, json!({ "seq": seq, "response": key, "confidence": "sure", "check": true })))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, checked) = api.call(item, get(&practice_item)).await;
    assert!(checked["explanation_html"].is_string() && checked["domain"].is_string(), "with its feedback");
    assert_eq!(checked["confidence"], "sure", "both sides of a nullable field");
    let wrong = json!(wrong_answer_of(&app.db, practice_id, 1).await);
    let (status, locked) = api.call(item, save(&practice_item, json!({ "seq": seq + 1, "response": wrong }))).await;
    assert_eq!((status, locked["status"].as_str()), (StatusCode::CONFLICT, Some("locked")));
    let unreadable =
        as_learner(Method::PUT, &practice_item).header("content-type", "application/json").body("{\"seq\": ");
    let (status, _) = api.call(item, unreadable).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let result = "/api/v1/attempts/{id}/result";
    assert_eq!(api.call(result, get(&format!("{mock}/result"))).await.0, StatusCode::CONFLICT, "none while it runs");
    let submit = "/api/v1/attempts/{id}/submit";
    let (status, graded) = api.call(submit, as_learner(Method::POST, &format!("{mock}/submit"))).await;
    assert_eq!((status, graded["items"].as_array().map(Vec::len)), (StatusCode::OK, Some(65)));
    let (status, _) = api.call(result, get(&format!("{mock}/result"))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, finished) = api.call(attempt, get(&mock)).await;
    assert_eq!((status, finished["result_url"].is_string()), (StatusCode::OK, true));
    for n in 1..=65 {
        // Every kind of item, with its feedback, as a client reads it.
        api.call(item, get(&format!("{mock}/items/{n}"))).await;
    }
    let (status, late) = api.call(item, save(&mock_item, json!({ "seq": 99, "response": mock_key }))).await;
    assert_eq!((status, late["status"].as_str()), (StatusCode::CONFLICT, Some("finished")));
    let (_, list) = api.call("/api/v1/attempts", get("/api/v1/attempts")).await;
    assert!(list["attempts"].as_array().unwrap().iter().any(|a| a["scaled"].is_u64()), "one with a score");

    // My progress and my own data, with a finished mock and a checked
    // practice item behind them, and an exam date set.
    let (status, mine) = api.call("/api/v1/me/attempts", get("/api/v1/me/attempts")).await;
    assert_eq!((status, mine["attempts"].as_array().map(Vec::len)), (StatusCode::OK, Some(2)));
    assert!(mine["attempts"][0]["scaled_score"].is_u64() && mine["attempts"][1]["scaled_score"].is_null());
    let (status, responses) = api.call("/api/v1/me/responses", get("/api/v1/me/responses")).await;
    assert_eq!((status, responses["responses"].as_array().map(Vec::len).unwrap_or(0) > 65), (StatusCode::OK, true));
    let progress = "/api/v1/me/progress";
    let (status, before) = api.call(progress, get("/api/v1/me/progress?exam=mla-c01")).await;
    assert_eq!((status, before["exam_date"].is_null()), (StatusCode::OK, true), "both sides of a nullable field");
    assert!(before["review"]["due"].as_u64().unwrap() > 0, "the mock's misses are due: {before}");
    let in_ten_days = (app.clock.now() + time::Duration::days(10)).date().to_string();
    app.post_form("/me/exam-date", &[("exam", "mla-c01"), ("exam_date", &in_ten_days)]).await;
    let (status, after) = api.call(progress, get("/api/v1/me/progress?exam=mla-c01")).await;
    assert_eq!((status, after["plan"]["days_left"].as_i64()), (StatusCode::OK, Some(10)));
    assert_eq!(api.call(progress, get("/api/v1/me/progress?exam=nope")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.call(progress, get("/api/v1/me/progress")).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    // Question sets in and out, with an instructor's token; a learner's is
    // refused on each route.
    let instructor = app.new_browser_as("instructor", "ines@example.org").await;
    app.give_exam("mla-c01", "ines@example.org").await;
    let instructor_token = instructor.create_api_token("ci").await;
    let as_instructor = |method: Method, path: &str| client.request(method, url(path)).bearer_auth(&instructor_token);
    let imports = "/api/v1/exams/{slug}/imports";
    let export = "/api/v1/exams/{slug}/export";
    let gift = "$CATEGORY: D1\n\n::Q1 Scaler::Fit the scaler on which rows? {=The training rows#Only those. \
                ~All rows#That leaks. ####Split first.}\n\n::Q2 Essay::Explain leakage. {}\n";
    let upload = |query: &str, body: String| {
        as_instructor(Method::POST, &format!("/api/v1/exams/mla-c01/imports?{query}")).body(body)
    };
    let (status, report) = api.call(imports, upload("file_name=a.gift&dry_run=true", gift.into())).await;
    assert_eq!((status, report["counts"]["added"].as_u64()), (StatusCode::OK, Some(1)), "{report}");
    assert!(report["import_id"].is_null() && report["problems"][0]["column"].is_null(), "nullable fields, null");
    let (status, report) = api.call(imports, upload("file_name=a.gift", gift.into())).await;
    assert_eq!((status, report["import_id"].is_string()), (StatusCode::CREATED, true), "{report}");
    let (status, report) = api.call(imports, upload("file_name=b.gift", "::Q3:: Which? {=same ~same}".into())).await;
    assert_eq!((status, report["has_errors"].as_bool()), (StatusCode::UNPROCESSABLE_ENTITY, Some(true)), "{report}");
    let (status, _) = api.call(imports, upload("file_name=a.gift&domain_map=D1", gift.into())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a mapping that is not one");
    let (status, _) = api.call(imports, upload("file_name=a.gift", "x".repeat(IMPORT_LIMIT + 1))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let elsewhere = as_instructor(Method::POST, "/api/v1/exams/no-such-exam/imports?file_name=a.gift").body(gift);
    assert_eq!(api.call(imports, elsewhere).await.0, StatusCode::NOT_FOUND);
    let (status, list) = api.call(imports, as_instructor(Method::GET, "/api/v1/exams/mla-c01/imports")).await;
    assert_eq!((status, list["imports"].as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
    let elsewhere = as_instructor(Method::GET, "/api/v1/exams/no-such-exam/imports");
    assert_eq!(api.call(imports, elsewhere).await.0, StatusCode::NOT_FOUND);
    for format in ["markdown", "json", "gift", "moodle-xml", "csv"] {
        let path = format!("/api/v1/exams/mla-c01/export?format={format}");
        assert_eq!(api.call(export, as_instructor(Method::GET, &path)).await.0, StatusCode::OK, "{format}");
    }
    let aiken = as_instructor(Method::GET, "/api/v1/exams/mla-c01/export?format=aiken");
    assert_eq!(api.call(export, aiken).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let elsewhere = as_instructor(Method::GET, "/api/v1/exams/no-such-exam/export?format=json");
    assert_eq!(api.call(export, elsewhere).await.0, StatusCode::NOT_FOUND);
    for (method, template, path) in [
        (Method::POST, imports, "/api/v1/exams/mla-c01/imports?file_name=a.gift"),
        (Method::GET, imports, "/api/v1/exams/mla-c01/imports"),
        (Method::GET, export, "/api/v1/exams/mla-c01/export?format=json"),
    ] {
        let (status, _) = api.call(template, as_learner(method.clone(), path).body(gift)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a learner: {method} {path}");
    }

    // What every route answers to a token that is not one, to a missing
    // attempt and, for changes, to a cookie without the CSRF header.
    let nowhere = format!("/api/v1/attempts/{}", uuid::Uuid::new_v4());
    let routes = [
        (Method::GET, "/api/v1/exams", "/api/v1/exams".to_string()),
        (Method::POST, start, "/api/v1/exams/mla-c01/attempts".into()),
        (Method::GET, "/api/v1/attempts", "/api/v1/attempts".into()),
        (Method::GET, attempt, nowhere.clone()),
        (Method::GET, item, format!("{nowhere}/items/1")),
        (Method::PUT, item, format!("{nowhere}/items/1")),
        (Method::POST, submit, format!("{nowhere}/submit")),
        (Method::GET, result, format!("{nowhere}/result")),
        (Method::GET, "/api/v1/me/attempts", "/api/v1/me/attempts".into()),
        (Method::GET, "/api/v1/me/responses", "/api/v1/me/responses".into()),
        (Method::GET, progress, "/api/v1/me/progress?exam=mla-c01".into()),
        (Method::POST, imports, "/api/v1/exams/mla-c01/imports?file_name=a.gift".into()),
        (Method::GET, imports, "/api/v1/exams/mla-c01/imports".into()),
        (Method::GET, export, "/api/v1/exams/mla-c01/export?format=json".into()),
    ];
    for (method, template, path) in routes {
        let change = method == Method::POST || method == Method::PUT;
        let body = if template == start {
            Some(json!({ "mode": "practice" }))
        } else if method == Method::PUT {
            Some(json!({ "seq": 1 }))
        } else {
            None
        };
        let with_body = |r: RequestBuilder| match &body {
            Some(b) => r.json(b),
            None => r,
        };
        let stranger = nobody.request(method.clone(), url(&path)).bearer_auth("0".repeat(64));
        let (status, _) = api.call(template, with_body(stranger)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        if path.starts_with(&nowhere) {
            let (status, _) = api.call(template, with_body(as_learner(method.clone(), &path))).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        }
        if change {
            let (status, _) = api.call(template, with_body(forged(method.clone(), &path))).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        }
    }
    (doc, api.calls)
}

#[tokio::test]
async fn every_api_answer_matches_its_schema_in_the_openapi_document() {
    let app = spawn().await;
    app.log_in_as_learner().await;
    let (doc, calls) = exercise_the_api(&app).await;
    assert_eq!(coverage(&doc, &calls), Vec::<String>::new(), "the calls and the document agree");
    assert_eq!(
        operations(&doc).len(),
        15,
        "the 14 operations under /api/v1 and the document's own: {:?}",
        operations(&doc)
    );
}

#[tokio::test]
async fn the_schema_check_fails_when_the_document_misses_a_property_a_route_or_an_answer() {
    let app = spawn().await;
    app.log_in_as_learner().await;
    let (doc, calls) = exercise_the_api(&app).await;
    let find = |method: &str, path: &str, status: u16| {
        calls.iter().find(|c| (c.method.as_str(), c.path, c.status) == (method, path, status)).expect("called").clone()
    };
    let attempt = find("get", "/api/v1/attempts/{id}", 200);
    let list = find("get", "/api/v1/attempts", 200);
    let result = find("get", "/api/v1/attempts/{id}/result", 200);
    let stale = find("put", "/api/v1/attempts/{id}/items/{n}", 409);
    for call in [&attempt, &list, &result, &stale] {
        assert_eq!(check(&doc, call), Ok(()), "each passes against the served document");
    }

    // A property the API sends but the document does not name: on the
    // attempt itself, in the part every attempt view flattens in, and deep
    // in the result's items.
    for (schema, property, call) in
        [("Attempt", "time_left", &attempt), ("AttemptHead", "exam_title", &list), ("Choice", "html", &result)]
    {
        let error = check(&without_property(&doc, schema, property), call).expect_err(property);
        assert!(error.contains(property), "the failure names {property}: {error}");
    }
    // The same from the other side: an answer with a field the document
    // does not have.
    let mut extra = result.clone();
    extra.body["items"][3]["choices"][0]["surprise"] = json!(true);
    let error = check(&doc, &extra).expect_err("an unknown field");
    assert!(error.contains("surprise"), "{error}");
    let mut retyped = attempt.clone();
    retyped.body["mode"] = json!("cram");
    assert!(check(&doc, &retyped).is_err(), "a value outside the enum");

    // A route the document lacks, and one it has that nobody calls.
    let mut no_submit = doc.clone();
    no_submit["paths"].as_object_mut().unwrap().remove("/api/v1/attempts/{id}/submit");
    assert!(check(&no_submit, &find("post", "/api/v1/attempts/{id}/submit", 200)).is_err());
    assert_eq!(coverage(&no_submit, &calls), ["post /api/v1/attempts/{id}/submit answers but is not in the document"]);
    let mut no_save = doc.clone();
    no_save["paths"]["/api/v1/attempts/{id}/items/{n}"].as_object_mut().unwrap().remove("put");
    assert_eq!(coverage(&no_save, &calls), ["put /api/v1/attempts/{id}/items/{n} answers but is not in the document"]);
    let mut extra_route = doc.clone();
    extra_route["paths"]["/api/v1/attempts/{id}/notes"] = json!({ "get": { "responses": {} } });
    assert_eq!(
        coverage(&extra_route, &calls),
        ["get /api/v1/attempts/{id}/notes is in the document but was never called"]
    );

    // An answer the route gives but does not describe.
    let mut no_conflict = doc.clone();
    no_conflict["paths"]["/api/v1/attempts/{id}/items/{n}"]["put"]["responses"].as_object_mut().unwrap().remove("409");
    assert!(check(&no_conflict, &stale).is_err(), "a 409 the document does not list");
    let uncalled = calls.iter().filter(|c| c.status != 409 || c.path != "/api/v1/attempts/{id}/result").cloned();
    assert_eq!(
        coverage(&doc, &uncalled.collect::<Vec<_>>()),
        ["get /api/v1/attempts/{id}/result 409 (application/problem+json) was never received"]
    );
}
