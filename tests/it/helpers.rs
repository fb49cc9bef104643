//! `TestApp`: a fresh database cloned from a migrated template, the app on
//! port 0, and a cookie-keeping client.

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock};

use mockexam::clock::Clock;
use mockexam::config::Config;
use mockexam::db::{self, Cluster, quote_ident};
use mockexam::web::{self, AppState};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response, StatusCode, redirect};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, PgPool};

/// The PostgreSQL server the tests use: the one `DATABASE_URL` names, or an
/// embedded cluster made for this test run and removed at its end.
struct TestServer {
    admin: PgConnectOptions,
    template: String,
}

static SERVER: OnceLock<TestServer> = OnceLock::new();
static CLUSTER: Mutex<Option<Cluster>> = Mutex::new(None);
static CLUSTER_DIR: OnceLock<std::path::PathBuf> = OnceLock::new();

extern "C" fn stop_cluster_at_exit() {
    if let Ok(mut guard) = CLUSTER.lock()
        && let Some(mut cluster) = guard.take()
    {
        let _ = cluster.stop();
    }
    if let Some(dir) = CLUSTER_DIR.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(future)
}

fn server() -> &'static TestServer {
    SERVER.get_or_init(|| {
        // Set up on a thread of its own: the caller is inside a runtime.
        std::thread::spawn(|| {
            let admin = match std::env::var("DATABASE_URL") {
                Ok(url) => PgConnectOptions::from_str(&url).expect("DATABASE_URL parses").database("postgres"),
                Err(_) => {
                    let dir =
                        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pg-{}", std::process::id()));
                    let _ = std::fs::remove_dir_all(&dir);
                    let cluster = Cluster::start(&dir).expect("the embedded test cluster starts");
                    let options = cluster.connect_options("postgres");
                    CLUSTER_DIR.set(dir).expect("set once");
                    *CLUSTER.lock().expect("not poisoned") = Some(cluster);
                    // SAFETY: registers a plain function with no arguments.
                    unsafe { libc::atexit(stop_cluster_at_exit) };
                    options
                }
            };
            let template = format!("mockexam_template_{}", std::process::id());
            block_on(async {
                let mut conn = PgConnection::connect_with(&admin).await.expect("connect to the test server");
                sqlx::query(&format!("DROP DATABASE IF EXISTS {}", quote_ident(&template)))
                    .execute(&mut conn)
                    .await
                    .expect("drop an old template");
                sqlx::query(&format!("CREATE DATABASE {}", quote_ident(&template)))
                    .execute(&mut conn)
                    .await
                    .expect("create the template");
                let mut t = PgConnection::connect_with(&admin.clone().database(&template)).await.expect("connect");
                db::MIGRATOR.run(&mut t).await.expect("migrations run");
                t.close().await.expect("close");
                // The bundled exam, loaded once into the template every test clones.
                let pool = db::pool(admin.clone().database(&template), 1).await.expect("pool");
                let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
                mockexam::load_content(&pool, &content, time::OffsetDateTime::now_utc()).await.expect("content loads");
                pool.close().await;
            });
            TestServer { admin, template }
        })
        .join()
        .expect("test server setup")
    })
}

pub struct TestApp {
    pub db: PgPool,
    pub clock: Clock,
    /// The first browser; [`TestApp::new_browser`] makes more.
    pub browser: Browser,
    database: Option<String>,
    options: PgConnectOptions,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// One browser: its own cookies, talking to the app over HTTP.
pub struct Browser {
    pub addr: SocketAddr,
    pub client: Client,
    pub jar: Arc<Jar>,
}

impl std::ops::Deref for TestApp {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app with settings changed by `configure`.
    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        let server = server();
        let database = format!("test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect_with(&server.admin).await.expect("connect");
        sqlx::query(&format!("CREATE DATABASE {} TEMPLATE {}", quote_ident(&database), quote_ident(&server.template)))
            .execute(&mut admin)
            .await
            .expect("clone the template");
        admin.close().await.expect("close");
        let options = server.admin.clone().database(&database);
        Self::start(options, Some(database), configure).await
    }

    /// Starts the app on a database of the caller's, migrating it first;
    /// the caller removes it.
    pub async fn spawn_on(options: PgConnectOptions) -> TestApp {
        let pool = db::pool(options.clone(), 2).await.expect("pool");
        db::MIGRATOR.run(&pool).await.expect("migrations");
        pool.close().await;
        Self::start(options, None, |_| {}).await
    }

    async fn start(
        options: PgConnectOptions,
        database: Option<String>,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let pool = db::pool(options.clone(), 8).await.expect("pool");
        let mut config = Config::default();
        configure(&mut config);
        let config = Arc::new(config);
        let clock = Clock::default();
        let state = AppState::new(pool.clone(), config.clone(), clock.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(web::serve(listener, state, async {
            let _ = rx.await;
        }));
        TestApp { db: pool, clock, browser: Browser::new(addr), database, options, shutdown: Some(tx) }
    }

    /// Another browser: same server, its own cookies.
    pub fn new_browser(&self) -> Browser {
        Browser::new(self.browser.addr)
    }

    /// A URL for this test's database, for running the CLI against it.
    pub fn database_url(&self) -> String {
        let o = &self.options;
        let db = o.get_database().unwrap_or("postgres");
        match o.get_socket() {
            Some(dir) => format!("postgres://{}@localhost/{db}?host={}", o.get_username(), dir.display()),
            None => format!("postgres://{}@{}:{}/{db}", o.get_username(), o.get_host(), o.get_port()),
        }
    }
}

impl Browser {
    fn new(addr: SocketAddr) -> Browser {
        let jar = Arc::new(Jar::default());
        let client =
            Client::builder().cookie_provider(jar.clone()).redirect(redirect::Policy::none()).build().expect("client");
        Browser { addr, client, jar }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.url("/").parse().expect("url");
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split("; ")
            .filter_map(|p| p.split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("body")
    }

    /// The CSRF token of this browser, fetching a page first if needed.
    pub async fn csrf(&self) -> String {
        if let Some(token) = self.cookie("mockexam_csrf") {
            return token;
        }
        self.get("/login").await;
        self.cookie("mockexam_csrf").expect("the server sets a CSRF cookie")
    }

    /// Posts a form as our own pages do: with the CSRF token and our Origin.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut body: Vec<(&str, &str)> = fields.to_vec();
        body.push(("csrf_token", &token));
        self.client
            .post(self.url(path))
            .header("origin", format!("http://{}", self.addr))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(&body))
            .send()
            .await
            .expect("POST")
    }

    pub async fn register(&self, email: &str, name: &str, password: &str) -> Response {
        self.post_form(
            "/register",
            &[("email", email), ("display_name", name), ("password", password), ("password_confirm", password)],
        )
        .await
    }

    pub async fn log_in(&self, email: &str, password: &str) -> Response {
        self.post_form("/login", &[("email", email), ("password", password)]).await
    }

    /// Registers a learner and stays logged in as them.
    pub async fn log_in_as_learner(&self) -> &Self {
        let response = self.register("learner@example.org", "Lena Learner", "correct horse battery").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "registration redirects");
        self
    }

    pub async fn log_out(&self) -> Response {
        self.post_form("/logout", &[]).await
    }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

pub fn location(response: &Response) -> &str {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let Some(database) = self.database.take() else { return };
        let admin = server().admin.clone();
        // Dropped inside the test's runtime, which cannot block on itself.
        let _ = std::thread::spawn(move || {
            block_on(async {
                if let Ok(mut conn) = PgConnection::connect_with(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&database)))
                        .execute(&mut conn)
                        .await;
                }
            })
        })
        .join();
    }
}

/// Exam-taking helpers, over HTTP like a browser's script.
impl Browser {
    /// Starts an attempt with the start form's fields; returns its id.
    pub async fn start(&self, fields: &[(&str, &str)]) -> uuid::Uuid {
        let response = self.post_form("/exams/mla-c01/attempts", fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "start redirects: {:?}", response.text().await);
        let to = location(&response).to_string();
        let id = to.strip_prefix("/attempts/").and_then(|r| r.split('/').next()).expect("an attempt url");
        id.parse().expect("a uuid")
    }

    /// Saves as the autosave script does: JSON with the token in a header.
    pub async fn save_json(&self, attempt: uuid::Uuid, n: i32, body: serde_json::Value) -> Response {
        let token = self.csrf().await;
        self.client
            .post(self.url(&format!("/attempts/{attempt}/items/{n}")))
            .header("x-csrf-token", token)
            .header("origin", format!("http://{}", self.addr))
            .json(&body)
            .send()
            .await
            .expect("save")
    }

    pub async fn submit(&self, attempt: uuid::Uuid) -> Response {
        self.post_form(&format!("/attempts/{attempt}/submit"), &[]).await
    }
}

/// The right answer for item `n`, in display positions, read from the
/// database (as only a test may).
pub async fn key_of(db: &PgPool, attempt: uuid::Uuid, n: i32) -> mockexam::exam::display::DisplayResponse {
    let (order, body) = item_body(db, attempt, n).await;
    mockexam::exam::display::to_display(&body, &order, Some(&body.key()))
}

/// A complete but wrong answer for item `n`.
pub async fn wrong_answer_of(db: &PgPool, attempt: uuid::Uuid, n: i32) -> mockexam::exam::display::DisplayResponse {
    use mockexam::exam::display::DisplayResponse;
    let (order, body) = item_body(db, attempt, n).await;
    let key = mockexam::exam::display::to_display(&body, &order, Some(&body.key()));
    let len = order.len();
    match (key.choice, key.ranks, key.matches) {
        (Some(choice), _, _) => {
            let wrong: Vec<usize> = (0..len).filter(|p| !choice.contains(p)).take(choice.len()).collect();
            DisplayResponse { choice: Some(wrong), ..Default::default() }
        }
        (_, Some(ranks), _) => {
            let mut swapped = ranks.clone();
            swapped.swap(0, 1);
            DisplayResponse { ranks: Some(swapped), ..Default::default() }
        }
        (_, _, Some(matches)) => {
            let mut shifted = matches.clone();
            shifted.rotate_left(1);
            if shifted == matches {
                shifted[0] = Some((matches[0].unwrap_or(0) + 1) % len);
            }
            DisplayResponse { matches: Some(shifted), ..Default::default() }
        }
        _ => unreachable!("a key always has a response"),
    }
}

pub async fn item_body(db: &PgPool, attempt: uuid::Uuid, n: i32) -> (Vec<i32>, mockexam::exam::Body) {
    let (order, content): (Vec<i32>, sqlx::types::Json<mockexam::exam::VersionContent>) = sqlx::query_as(
        "SELECT i.option_order, v.content FROM items i JOIN question_versions v ON v.id = i.version_id
         WHERE i.attempt_id = $1 AND i.position = $2",
    )
    .bind(attempt)
    .bind(n)
    .fetch_one(db)
    .await
    .expect("the item exists");
    (order, content.0.question.body)
}

/// Whether the attempt's first item was answered or the attempt finished:
/// what an intruder must not be able to cause.
pub async fn first_item_touched(db: &PgPool, attempt: uuid::Uuid) -> bool {
    sqlx::query_scalar(
        "SELECT answered OR finished_at IS NOT NULL FROM items JOIN attempts ON id = attempt_id
         WHERE id = $1 AND position = 1",
    )
    .bind(attempt)
    .fetch_one(db)
    .await
    .expect("the attempt has a first item")
}

/// A client of the JSON API holding only a bearer token: no cookie store,
/// so nothing but the token can authenticate it.
pub struct ApiClient {
    pub addr: SocketAddr,
    pub client: Client,
    pub token: String,
}

impl ApiClient {
    pub fn new(addr: SocketAddr, token: &str) -> ApiClient {
        let client = Client::builder().redirect(redirect::Policy::none()).build().expect("client");
        ApiClient { addr, client, token: token.to_string() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<serde_json::Value>) -> Response {
        let mut request = self.client.request(method, self.url(path)).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("API request")
    }

    /// The status and JSON body of a GET.
    pub async fn get(&self, path: &str) -> (StatusCode, serde_json::Value) {
        json_of(self.send(reqwest::Method::GET, path, None).await).await
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
        json_of(self.send(reqwest::Method::POST, path, Some(body)).await).await
    }

    pub async fn put(&self, path: &str, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
        json_of(self.send(reqwest::Method::PUT, path, Some(body)).await).await
    }
}

/// The status and JSON body of a response; panics if the body is not JSON.
pub async fn json_of(response: Response) -> (StatusCode, serde_json::Value) {
    let status = response.status();
    let text = response.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {text}"));
    (status, json)
}

/// API tokens, made and revoked on the account page like a learner would.
impl Browser {
    /// Makes a token named `name`; returns its secret, read off the page
    /// that shows it once.
    pub async fn create_api_token(&self, name: &str) -> String {
        let response = self.post_form("/account/tokens", &[("name", name)]).await;
        assert_eq!(response.status(), StatusCode::OK, "the token is made");
        let page = response.text().await.expect("body");
        let marker = "id=\"new-token\" value=\"";
        let from = page.find(marker).expect("the page shows the new token") + marker.len();
        page[from..from + 64].to_string()
    }

    /// The id of this learner's token named `name`, from the account page.
    pub async fn api_token_id(&self, name: &str) -> String {
        let page = self.get_text("/account").await;
        let row = page.find(&format!("<td>{name}</td>")).expect("the token is listed");
        let marker = "action=\"/account/tokens/";
        let from = page[row..].find(marker).expect("with a revoke form") + row + marker.len();
        page[from..].split('/').next().expect("an id").to_string()
    }

    pub fn api_client(&self, token: &str) -> ApiClient {
        ApiClient::new(self.addr, token)
    }
}

/// Every explanation and rationale of the questions drawn into `attempt`,
/// as written and as rendered: none may reach the client before the item is
/// final.
pub async fn secrets_of(db: &PgPool, attempt: uuid::Uuid) -> Vec<String> {
    use mockexam::content::markdown::{render, render_inline};
    use mockexam::exam::Body;
    let contents: Vec<sqlx::types::Json<mockexam::exam::VersionContent>> = sqlx::query_scalar(
        "SELECT v.content FROM items i JOIN question_versions v ON v.id = i.version_id WHERE i.attempt_id = $1",
    )
    .bind(attempt)
    .fetch_all(db)
    .await
    .expect("the attempt's questions");
    let mut secrets = Vec::new();
    for c in &contents {
        let q = &c.0.question;
        secrets.push(render(&q.explanation));
        secrets.push(q.explanation.clone());
        let rationales: Vec<&str> = match &q.body {
            Body::Single { options, .. } | Body::Multiple { options, .. } => {
                options.iter().map(|o| o.rationale.as_str()).collect()
            }
            Body::Ordering { steps } => steps.iter().map(|s| s.rationale.as_str()).collect(),
            Body::Matching { pairs, extra_answers } => pairs
                .iter()
                .map(|p| p.rationale.as_str())
                .chain(extra_answers.iter().map(|e| e.rationale.as_str()))
                .collect(),
        };
        // Very short rationales ("Too slow.") could match ordinary text.
        for r in rationales.into_iter().filter(|r| r.len() > 12) {
            secrets.push(r.to_string());
            secrets.push(render_inline(r));
        }
    }
    secrets
}
