//! A hostile client: requests no browser or script of ours sends, over
//! real HTTP (raw TCP where reqwest would tidy the request up). It stays
//! whole: one test or two per finding of issue 10, in its order, sharing
//! the small raw HTTP/1.1 client at the top.
//!
//! The findings: control characters in return paths, bodies over the limit,
//! chunked or not, impossible answers and sequence numbers, Authorization
//! headers that are not a bearer token, and connections kept alive across
//! unread bodies.

use std::net::SocketAddr;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, encode, item_body, json_of, location};

const PASSWORD: &str = "correct horse battery";

/// A request body as a raw client sends it.
enum RawBody<'a> {
    None,
    /// With `Content-Length`.
    Sized(&'a [u8]),
    /// `Transfer-Encoding: chunked`, no `Content-Length`: the size is known
    /// only once it has been read.
    Chunked(&'a [u8]),
}

/// One HTTP/1.1 request, written byte for byte.
fn raw_request(method: &str, path: &str, headers: &[(&str, &str)], body: RawBody<'_>) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    match body {
        RawBody::None => out.extend_from_slice(b"\r\n"),
        RawBody::Sized(bytes) => {
            out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", bytes.len()).as_bytes());
            out.extend_from_slice(bytes);
        }
        RawBody::Chunked(bytes) => {
            out.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
            for chunk in bytes.chunks(1000) {
                out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
        }
    }
    out
}

struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One TCP connection to the app, for requests reqwest will not send and
/// for seeing whether the server keeps the connection open.
struct RawConnection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl RawConnection {
    async fn open(addr: SocketAddr) -> RawConnection {
        RawConnection { stream: TcpStream::connect(addr).await.expect("connect"), buffer: Vec::new() }
    }

    /// Writes the bytes in one go: the server finds all of them waiting
    /// when it reads.
    async fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes).await
    }

    /// Reads more bytes; false once the server has closed the connection.
    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 8192];
        // A guard against a server that never answers, not a synchronisation.
        let read = tokio::time::timeout(Duration::from_secs(20), self.stream.read(&mut chunk))
            .await
            .expect("the server answers within 20 s");
        match read {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buffer.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// The next response on this connection; None if the server closed it
    /// first.
    async fn response(&mut self) -> Option<RawResponse> {
        let head_end = loop {
            if let Some(i) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            if !self.fill().await {
                return None;
            }
        };
        let head = String::from_utf8(self.buffer[..head_end].to_vec()).expect("an ASCII head");
        self.buffer.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut response = RawResponse { status, headers, body: Vec::new() };
        if let Some(length) = response.header("content-length").and_then(|l| l.parse::<usize>().ok()) {
            while self.buffer.len() < length {
                assert!(self.fill().await, "the body arrives whole");
            }
            response.body = self.buffer.drain(..length).collect();
        } else if response.header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
            loop {
                let line_end = loop {
                    if let Some(i) = self.buffer.windows(2).position(|w| w == b"\r\n") {
                        break i;
                    }
                    assert!(self.fill().await, "the chunk arrives whole");
                };
                let size_line = String::from_utf8_lossy(&self.buffer[..line_end]).into_owned();
                let size =
                    usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16).expect("a chunk size");
                while self.buffer.len() < line_end + 2 + size + 2 {
                    assert!(self.fill().await, "the chunk arrives whole");
                }
                response.body.extend_from_slice(&self.buffer[line_end + 2..line_end + 2 + size]);
                self.buffer.drain(..line_end + 2 + size + 2);
                if size == 0 {
                    break;
                }
            }
        }
        Some(response)
    }
}

/// Sends one request on a new connection and reads its response.
async fn raw(addr: SocketAddr, request: &[u8]) -> RawResponse {
    let mut connection = RawConnection::open(addr).await;
    connection.send(request).await.expect("write the request");
    connection.response().await.expect("a response")
}

/// The `Cookie` header of a browser: its session and CSRF cookies.
fn cookie_header(app: &TestApp) -> String {
    let session = app.cookie("mockexam_session").expect("logged in");
    let csrf = app.cookie("mockexam_csrf").expect("a csrf cookie");
    format!("mockexam_session={session}; mockexam_csrf={csrf}")
}

/// Starts a practice attempt of `count` items through the API.
async fn start_practice(api: &crate::helpers::ApiClient, count: u32) -> uuid::Uuid {
    let (status, started) =
        api.post("/api/v1/exams/mla-c01/attempts", json!({ "mode": "practice", "count": count })).await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    started["id"].as_str().and_then(|s| s.parse().ok()).expect("an attempt id")
}

/// Finding 1: a return path that cannot go in a `Location` header (a line
/// break, a DEL) answered 500 "failed to parse header value"; it is not a
/// plain local path, so it goes home like any other.
#[tokio::test]
async fn a_return_path_with_control_characters_goes_home_instead_of_failing() {
    let app = TestApp::spawn().await;
    app.register("ann@example.org", "Ann", PASSWORD).await;
    for next in ["/%0a", "/%0d%0aSet-Cookie:%20planted=1", "/attempts%7f", "/a%09b", "/%c2%85"] {
        let response = app.get(&format!("/login?next={next}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "GET /login?next={next} while logged in");
        assert_eq!(location(&response), "/", "GET /login?next={next}");
    }

    for next in ["/\n", "/\r\nSet-Cookie: planted=1", "/attempts\u{7f}"] {
        app.log_out().await;
        let response =
            app.post_form("/login", &[("email", "ann@example.org"), ("password", PASSWORD), ("next", next)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "POST /login with next={next:?}");
        assert_eq!(location(&response), "/", "POST /login with next={next:?}");
        assert!(response.headers().get_all("set-cookie").iter().all(|c| !c.as_bytes().starts_with(b"planted")));
    }
    assert!(app.get_text("/").await.contains("Ann"), "and the login went through");
}

/// The headers every response must carry.
const SECURITY_HEADERS: [&str; 6] = [
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "permissions-policy",
    "cross-origin-opener-policy",
];

/// Finding 2: the body limit answered its 413 before the layers that add
/// the security headers, so it went out without them.
#[tokio::test]
async fn a_body_over_the_limit_gets_413_with_the_security_headers() {
    let app = TestApp::spawn_with(|c| c.body_limit_bytes = 1024).await;
    let page = raw(app.addr, &raw_request("GET", "/login", &[], RawBody::None)).await;
    assert_eq!(page.status, 200);

    let form = encode(&[("email", "ann@example.org"), ("password", &"x".repeat(2000))]);
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let response = raw(app.addr, &raw_request("POST", "/login", &headers, RawBody::Sized(form.as_bytes()))).await;
    assert_eq!(response.status, 413, "{}", response.text());
    for name in SECURITY_HEADERS {
        assert_eq!(response.header(name), page.header(name), "{name} on the 413");
        assert!(response.header(name).is_some(), "{name} is set");
    }
}

/// Whether a response is our error page saying the body was too large.
fn is_too_large_page(response: &RawResponse) -> bool {
    response.status == 413
        && response.header("content-type").is_some_and(|t| t.starts_with("text/html"))
        && response.text().contains("too large")
}

/// Whether a response is a problem document saying the body was too large.
fn is_too_large_problem(response: &RawResponse) -> bool {
    let problem: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    response.status == 413
        && response.header("content-type") == Some("application/problem+json")
        && problem["status"] == 413
        && problem["detail"].as_str().is_some_and(|d| d.contains("too large"))
}

/// Finding 3: a chunked body over the limit (no `Content-Length` to refuse
/// it by) got 413 only on the page's JSON save; the API save and the form
/// posts turned the length-limit error into a 422. Every route answers 413,
/// chunked or not: an HTML page for pages, a problem document for the API.
#[tokio::test]
async fn a_body_over_the_limit_gets_413_on_every_route_chunked_or_not() {
    let app = TestApp::spawn_with(|c| c.body_limit_bytes = 1024).await;
    app.log_in_as_learner().await;
    let token = app.create_api_token("t").await;
    let api = app.api_client(&token);
    let id = start_practice(&api, 3).await;
    let item = format!("/api/v1/attempts/{id}/items/1");
    let padding = "x".repeat(2000);
    let save = json!({ "seq": 1, "response": {}, "struck": [], "padding": padding }).to_string();
    let bearer = format!("Bearer {token}");

    // The API save, with a token.
    let api_headers = [("Authorization", bearer.as_str()), ("Content-Type", "application/json")];
    for body in [RawBody::Chunked(save.as_bytes()), RawBody::Sized(save.as_bytes())] {
        let response = raw(app.addr, &raw_request("PUT", &item, &api_headers, body)).await;
        assert!(is_too_large_problem(&response), "API save: {} {}", response.status, response.text());
    }

    // A form post: the login form, read by the CSRF layer first.
    let login = encode(&[("email", "ann@example.org"), ("password", &padding)]);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    for body in [RawBody::Chunked(login.as_bytes()), RawBody::Sized(login.as_bytes())] {
        let response = raw(app.addr, &raw_request("POST", "/login", &form, body)).await;
        assert!(is_too_large_page(&response), "login form: {} {}", response.status, response.text());
    }

    // The item form and the page's JSON save, with the session and its token.
    let cookies = cookie_header(&app);
    let csrf = app.csrf().await;
    let page_item = format!("/attempts/{id}/items/1");
    let item_form = encode(&[("seq", "1"), ("csrf_token", &csrf), ("flagged", &padding)]);
    let form = [("Cookie", cookies.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    let response = raw(app.addr, &raw_request("POST", &page_item, &form, RawBody::Chunked(item_form.as_bytes()))).await;
    assert!(is_too_large_page(&response), "item form: {} {}", response.status, response.text());
    let script = [("Cookie", cookies.as_str()), ("Content-Type", "application/json"), ("X-CSRF-Token", csrf.as_str())];
    let response = raw(app.addr, &raw_request("POST", &page_item, &script, RawBody::Chunked(save.as_bytes()))).await;
    assert!(is_too_large_page(&response), "JSON save: {} {}", response.status, response.text());

    let (_, read) = api.get(&item).await;
    assert_eq!((read["answered"].as_bool(), read["flagged"].as_bool()), (Some(false), Some(false)), "nothing saved");
}

/// Found with finding 3: the extractors kept axum's own limit of 2 MB, so
/// with a larger configured limit a body between the two was refused.
#[tokio::test]
async fn a_body_under_a_configured_limit_above_two_megabytes_is_taken() {
    let app = TestApp::spawn_with(|c| c.body_limit_bytes = 3 * 1024 * 1024).await;
    app.log_in_as_learner().await;
    let api = app.api_client(&app.create_api_token("t").await);
    let id = start_practice(&api, 3).await;
    let save = json!({ "seq": 1, "flagged": true, "padding": "x".repeat(2_500_000) });
    let (status, reply) = api.put(&format!("/api/v1/attempts/{id}/items/1"), save).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "{reply}");
}

/// The position of the first item of `kind` in the attempt.
async fn first_of_kind(app: &TestApp, attempt: uuid::Uuid, items: i32, kind: mockexam::exam::kind::Kind) -> i32 {
    for n in 1..=items {
        if item_body(&app.db, attempt, n).await.1.kind() == kind {
            return n;
        }
    }
    panic!("no {kind} item among {items}");
}

/// Finding 4: an ordering response that gives two steps the same place is
/// no order at all, yet it was stored as an answer. It is refused as
/// invalid, through the API and the item form; matching, where two prompts
/// may well share an answer, still takes that.
#[tokio::test]
async fn an_ordering_with_a_repeated_position_is_refused_as_invalid() {
    use mockexam::exam::kind::Kind;
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let api = app.api_client(&app.create_api_token("t").await);
    let id = start_practice(&api, 200).await;
    let n = first_of_kind(&app, id, 200, Kind::Ordering).await;
    let path = format!("/api/v1/attempts/{id}/items/{n}");
    let (_, item) = api.get(&path).await;
    let steps = item["choices"].as_array().expect("steps").len();
    assert!(steps >= 3, "an ordering item has steps");

    let mut repeated: Vec<Value> = (0..steps).map(|r| json!(r)).collect();
    repeated[1] = json!(0); // [0, 0, 2, …]: the first two steps share the first place
    let (status, reply) = api.put(&path, json!({ "seq": 1, "response": { "ranks": repeated } })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    assert_eq!(reply["status"], "invalid", "{reply}");
    assert!(reply["message"].as_str().is_some_and(|m| m.contains("same place")), "{reply}");
    let (_, read) = api.get(&path).await;
    assert_eq!(read["answered"], false, "nothing was stored");

    // The item form (no JavaScript) can send the same thing: ranks from 1.
    let seq = read["seq"].to_string();
    let mut fields = vec![("seq".to_string(), seq)];
    fields.extend((0..steps).map(|p| (format!("rank-{p}"), if p == 1 { "1".into() } else { (p + 1).to_string() })));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = app.post_form(&format!("/attempts/{id}/items/{n}"), &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("same place"), "the page says why");
    assert_eq!(api.get(&path).await.1["answered"], false, "nothing was stored");

    // A proper order is taken.
    let order: Vec<Value> = (0..steps).map(|r| json!(r)).collect();
    let (status, reply) = api.put(&path, json!({ "seq": read["seq"], "response": { "ranks": order } })).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "{reply}");

    // Matching: two prompts may share an answer.
    let m = first_of_kind(&app, id, 200, Kind::Matching).await;
    let path = format!("/api/v1/attempts/{id}/items/{m}");
    let (_, item) = api.get(&path).await;
    let prompts = item["prompts"].as_array().expect("prompts").len();
    let same: Vec<Value> = (0..prompts).map(|_| json!(0)).collect();
    let (status, reply) = api.put(&path, json!({ "seq": item["seq"], "response": { "matches": same } })).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "{reply}");
}

/// Finding 5: a `seq` near `i64::MAX` was stored, after which the item's
/// next `seq` overflowed and no save could be newer. `seq` is bounded by
/// the largest integer JavaScript keeps exact.
#[tokio::test]
async fn a_seq_beyond_the_bound_is_refused_and_the_item_still_saves() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let api = app.api_client(&app.create_api_token("t").await);
    let id = start_practice(&api, 3).await;
    let path = format!("/api/v1/attempts/{id}/items/1");

    for seq in [i64::MAX, (1 << 53) + 1, 1 << 53] {
        let (status, reply) = api.put(&path, json!({ "seq": seq, "flagged": true })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "seq {seq}: {reply}");
        assert_eq!(reply["status"], "invalid", "{reply}");
        assert!(reply["message"].as_str().is_some_and(|m| m.contains("9007199254740991")), "{reply}");
    }
    let (status, item) = api.get(&path).await;
    assert_eq!(status, StatusCode::OK, "{item}");
    assert_eq!(item["flagged"], false, "nothing was stored");
    let (status, reply) = api.put(&path, json!({ "seq": item["seq"], "flagged": true })).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "{reply}");

    let (_, doc) = api.get("/api/openapi.json").await;
    let seq = &doc["components"]["schemas"]["SaveRequest"]["properties"]["seq"];
    assert_eq!(seq["maximum"], json!(9_007_199_254_740_991_i64), "the bound is documented: {seq}");

    // The largest one is taken.
    let (status, reply) = api.put(&path, json!({ "seq": (1i64 << 53) - 1, "flagged": false })).await;
    assert_eq!((status, reply["status"].as_str()), (StatusCode::OK, Some("saved")), "{reply}");
}

/// Finding 6: personal API tokens outlived a password change. The form
/// offers to revoke them too, ticked by default, and says what it did.
#[tokio::test]
async fn a_password_change_can_revoke_the_api_tokens_and_says_whether_it_did() {
    let app = TestApp::spawn().await;
    app.register("ann@example.org", "Ann", PASSWORD).await;
    let form = app.get_text("/account/password").await;
    let checkbox = form.find("name=\"revoke_tokens\"").map(|i| &form[form[..i].rfind('<').unwrap_or(0)..]);
    let checkbox = checkbox.and_then(|c| c.split('>').next()).expect("the form has a revoke_tokens checkbox");
    assert!(checkbox.contains("type=\"checkbox\"") && checkbox.contains("checked"), "ticked by default: {checkbox}");
    assert!(form.contains("Also revoke my API tokens"));

    let change = |from: &'static str, to: &'static str, revoke: bool| {
        let mut fields = vec![("current_password", from), ("new_password", to), ("new_password_confirm", to)];
        if revoke {
            fields.push(("revoke_tokens", "on"));
        }
        let app = &app;
        async move { app.post_form("/account/password", &fields).await }
    };

    // Unticked: the token still works, and the notice says so.
    let kept = app.api_client(&app.create_api_token("kept").await);
    assert_eq!(kept.get("/api/v1/attempts").await.0, StatusCode::OK);
    let changed = change(PASSWORD, "a brand new secret", false).await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let notice = app.get_text(location(&changed)).await;
    assert!(notice.contains("Your password was changed") && notice.contains("API tokens still work"), "{notice}");
    assert_eq!(kept.get("/api/v1/attempts").await.0, StatusCode::OK, "left alone");

    // Ticked: every token of the user is refused from then on.
    let other = app.api_client(&app.create_api_token("other").await);
    let changed = change("a brand new secret", "another new secret", true).await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let notice = app.get_text(location(&changed)).await;
    assert!(notice.contains("Your password was changed") && notice.contains("API tokens were revoked"), "{notice}");
    assert_eq!(kept.get("/api/v1/attempts").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(other.get("/api/v1/attempts").await.0, StatusCode::UNAUTHORIZED);
    assert!(!notice.contains("<td>kept</td>") && !notice.contains("<td>other</td>"), "the list is empty");

    // Someone else's tokens are not touched.
    let bob = app.new_browser();
    bob.register("bob@example.org", "Bob", PASSWORD).await;
    let bobs = bob.api_client(&bob.create_api_token("bob's").await);
    let changed = change("another new secret", "yet another secret", true).await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(bobs.get("/api/v1/attempts").await.0, StatusCode::OK);
}

/// Finding 7: any `Authorization` header let a request skip the CSRF token,
/// yet pages go by the session cookie whatever that header says. Only a
/// bearer token on the API (where cookies then count for nothing) skips it.
#[tokio::test]
async fn an_authorization_header_does_not_let_a_cookie_session_skip_the_csrf_token() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "3")]).await;
    let origin = app.url("");
    let form = |path: &str, authorization: &str, body: &str| {
        app.client
            .post(app.url(path))
            .header("origin", &origin)
            .header("authorization", authorization)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_string())
            .send()
    };

    for authorization in ["Basic eDp5", "Bearer junk", "bearer", "Token abc"] {
        for (path, body) in [
            ("/logout".to_string(), String::new()),
            ("/account/tokens".to_string(), encode(&[("name", "planted")])),
            (format!("/attempts/{id}/items/1"), encode(&[("seq", "5"), ("flagged", "true"), ("action", "flag")])),
            (format!("/attempts/{id}/submit"), String::new()),
        ] {
            let response = form(&path, authorization, &body).await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{authorization} on {path}");
        }
    }
    assert!(app.get_text("/").await.contains("Lena Learner"), "still logged in");
    assert!(!app.get_text("/account").await.contains("planted"), "no token was made");
    let flagged: bool = sqlx::query_scalar("SELECT flagged FROM items WHERE attempt_id = $1 AND position = 1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!flagged, "the item was not touched");

    // The API: the session cookie with a junk Authorization and no CSRF
    // token gets nothing done either.
    let item = format!("/api/v1/attempts/{id}/items/1");
    let save = json!({ "seq": 5, "flagged": true });
    for authorization in ["Basic eDp5", "Bearer junk", "Bearer"] {
        let response = app
            .client
            .put(app.url(&item))
            .header("origin", &origin)
            .header("authorization", authorization)
            .json(&save)
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(response).await;
        assert!(matches!(status.as_u16(), 401 | 403), "{authorization}: {status} {body}");
        assert_eq!(body["status"], status.as_u16(), "a problem document: {body}");
    }
    let (_, read) = json_of(app.get(&item).await).await;
    assert_eq!(read["flagged"], false, "the item was not touched");
}

/// Finding 8: a request answered before its body arrived (refused by the
/// CSRF layer or the API's authentication, or with no route) ended a
/// kept-alive connection: hyper reads an unread body's rest only if it is
/// already there. The client sends the head, reads the early answer, then
/// the body and a second request on the same connection.
#[tokio::test]
async fn a_connection_stays_open_after_a_request_answered_before_its_body_arrived() {
    let app = TestApp::spawn().await;
    let body = json!({ "mode": "practice", "count": 3 }).to_string();
    let sized = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let chunked = format!("Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n", body.len());
    let start = "POST /api/v1/exams/mla-c01/attempts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    let junk = "Authorization: Bearer junk\r\n";
    let nowhere = "PUT /api/v1/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    let cases = [
        ("no credentials (403), sized", start.to_string(), &sized, 403),
        ("no credentials (403), chunked", start.to_string(), &chunked, 403),
        ("a wrong token (401), sized", format!("{start}{junk}"), &sized, 401),
        ("a wrong token (401), chunked", format!("{start}{junk}"), &chunked, 401),
        ("no route (404), chunked", format!("{nowhere}{junk}"), &chunked, 404),
    ];
    for (case, head, rest, status) in cases {
        // The head, with the header announcing the body; then the answer.
        let (framing, body) = rest.split_once("\r\n\r\n").expect("a framing header, then the body");
        let mut connection = RawConnection::open(app.addr).await;
        connection.send(format!("{head}{framing}\r\n\r\n").as_bytes()).await.expect("send the head");
        let refused = connection.response().await.expect("an answer before the body");
        assert_eq!(refused.status, status, "{case}: {}", refused.text());
        assert_ne!(refused.header("connection"), Some("close"), "{case}: the server means to close");
        // The body, late, and the next request on the same connection.
        let next = raw_request("GET", "/healthz", &[], RawBody::None);
        let sent = connection.send(&[body.as_bytes(), &next].concat()).await;
        let second = connection.response().await;
        assert_eq!(
            second.map(|r| r.status),
            Some(200),
            "{case}: the next request on the connection is answered (sending it: {sent:?})"
        );
    }

    // A body sent whole with the head keeps the connection too.
    let mut connection = RawConnection::open(app.addr).await;
    let nothing =
        raw_request("PUT", "/api/v1/nothing", &[("Authorization", "Bearer junk")], RawBody::Chunked(body.as_bytes()));
    connection.send(&nothing).await.unwrap();
    assert_eq!(connection.response().await.map(|r| r.status), Some(404));
    connection.send(&raw_request("GET", "/healthz", &[], RawBody::None)).await.unwrap();
    assert_eq!(connection.response().await.map(|r| r.status), Some(200));
}
