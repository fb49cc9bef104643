//! HTTP clients of the app: [`Browser`], keeping cookies and posting forms
//! as our pages do, and [`ApiClient`], holding only a bearer token.

use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response, StatusCode, redirect};

/// One browser: its own cookies, talking to the app over HTTP.
pub struct Browser {
    pub addr: SocketAddr,
    pub client: Client,
    pub jar: Arc<Jar>,
}

impl Browser {
    pub fn new(addr: SocketAddr) -> Browser {
        Self::with_jar(addr, Arc::new(Jar::default()))
    }

    /// The same browser (its cookies) talking to another server: another
    /// instance on another port of the same host.
    pub fn at(&self, addr: SocketAddr) -> Browser {
        Self::with_jar(addr, self.jar.clone())
    }

    fn with_jar(addr: SocketAddr, jar: Arc<Jar>) -> Browser {
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

    /// The questions the result page reviews under `filter` (`show=…` or
    /// empty), walking its pages: each question's number, in page order.
    /// Fails if a page holds more than ten or a question twice.
    pub async fn reviewed(&self, attempt: uuid::Uuid, filter: &str) -> Vec<i32> {
        let mut seen = Vec::new();
        for page in 1.. {
            let html = self.get_text(&format!("/attempts/{attempt}/result?{filter}&page={page}")).await;
            let on_page: Vec<i32> = html
                .split("class=\"card result-item")
                .skip(1)
                .map(|a| {
                    let id = a.split("id=\"item-").nth(1).expect("an article id");
                    id[..id.find('"').unwrap()].parse().expect("item-<n>")
                })
                .collect();
            assert!(on_page.len() <= 10, "page {page} holds {} questions", on_page.len());
            for n in &on_page {
                assert!(!seen.contains(n), "question {n} on two pages");
            }
            seen.extend(on_page);
            if !html.contains("rel=\"next\"") {
                return seen;
            }
        }
        unreachable!()
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
