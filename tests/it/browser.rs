//! The exam in a real headless Chromium, driven over WebDriver like a
//! learner: by mouse, by keyboard, and with JavaScript switched off.
//!
//! Each test starts its own ChromeDriver on a free port with a fresh
//! profile, and its own app. There are no fixed sleeps: every wait polls a
//! condition and fails after [`WAIT`].
//!
//! The WebDriver client is the few W3C commands these tests need, over
//! reqwest: fantoccini 0.21 without its TLS features only takes a
//! `hyper_util` connector, and `hyper-util` is not a dependency we can name.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The W3C key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long any one condition may take to come true.
const WAIT: Duration = Duration::from_secs(20);
/// How often a condition is checked while waiting.
const POLL: Duration = Duration::from_millis(50);

/// A ChromeDriver process of this test's own, killed when dropped.
struct ChromeDriver {
    child: Child,
    url: String,
    dir: PathBuf,
}

impl ChromeDriver {
    async fn start() -> ChromeDriver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port for ChromeDriver")
            .port();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("chrome-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a folder for the browser profile");
        let log = std::fs::File::create(dir.join("chromedriver.log")).expect("a log file");
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {CHROMEDRIVER}: {e}. The browser tests need Chromium and ChromeDriver (Debian: apt install chromium chromium-driver).")
            });
        let mut driver = ChromeDriver { child, url: format!("http://127.0.0.1:{port}"), dir };
        let http = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("{CHROMEDRIVER} exited at start ({status}):\n{}", driver.log());
            }
            if let Ok(response) = http.get(format!("{}/status", driver.url)).send().await
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return driver;
            }
            tokio::time::sleep(POLL).await;
        }
        panic!("{CHROMEDRIVER} did not answer on {}/status within 10 s:\n{}", driver.url, driver.log());
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("chromedriver.log")).unwrap_or_default()
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One Chromium session on the app: WebDriver commands, panicking with the
/// page's address when one fails.
struct Web {
    http: reqwest::Client,
    /// `http://127.0.0.1:<port>/session/<id>`
    session: String,
    /// The app, `http://127.0.0.1:<port>`.
    app: String,
    /// Held so ChromeDriver outlives the session, and is killed after it.
    _driver: ChromeDriver,
}

#[derive(Debug)]
struct WdError {
    error: String,
    message: String,
}

impl Web {
    /// A fresh headless Chromium, with or without JavaScript.
    async fn launch(app: &TestApp, javascript: bool) -> Web {
        let driver = ChromeDriver::start().await;
        let profile = driver.dir.join("profile");
        let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ],
        });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "unhandledPromptBehavior": "ignore",
        }}});
        let http = reqwest::Client::new();
        let reply = http.post(format!("{}/session", driver.url)).json(&capabilities).send().await;
        let body: Value = match reply {
            Ok(r) => r.json().await.unwrap_or_default(),
            Err(e) => panic!("ChromeDriver did not answer the new-session request: {e}\n{}", driver.log()),
        };
        let Some(id) = body["value"]["sessionId"].as_str() else {
            panic!("Chromium ({CHROMIUM}) could not start: {}\n{}", body["value"], driver.log());
        };
        let session = format!("{}/session/{id}", driver.url);
        Web { http, session, app: format!("http://{}", app.addr), _driver: driver }
    }

    async fn try_cmd(&self, method: Method, path: &str, body: Value) -> Result<Value, WdError> {
        let url = format!("{}{path}", self.session);
        let request = if method == Method::GET || method == Method::DELETE {
            self.http.request(method, url)
        } else {
            self.http.request(method, url).json(&body)
        };
        let response =
            request.send().await.map_err(|e| WdError { error: "transport".into(), message: e.to_string() })?;
        let ok = response.status().is_success();
        let mut reply: Value =
            response.json().await.map_err(|e| WdError { error: "unreadable reply".into(), message: e.to_string() })?;
        let value = reply["value"].take();
        if ok {
            Ok(value)
        } else {
            Err(WdError {
                error: value["error"].as_str().unwrap_or("unknown").to_string(),
                message: value["message"].as_str().unwrap_or_default().lines().next().unwrap_or_default().to_string(),
            })
        }
    }

    async fn cmd(&self, method: Method, path: &str, body: Value) -> Value {
        match self.try_cmd(method.clone(), path, body).await {
            Ok(v) => v,
            Err(e) => panic!("WebDriver {method} {path} failed on {}: {}: {}", self.url().await, e.error, e.message),
        }
    }

    async fn url(&self) -> String {
        match self.try_cmd(Method::GET, "/url", Value::Null).await {
            Ok(v) => v.as_str().unwrap_or_default().to_string(),
            Err(e) => format!("<unknown page: {}>", e.message),
        }
    }

    /// The current page's path and query.
    async fn path(&self) -> String {
        let url = self.url().await;
        let path = url.strip_prefix(&self.app).unwrap_or_default();
        path.split('#').next().unwrap_or_default().to_string()
    }

    async fn goto(&self, path: &str) {
        self.cmd(Method::POST, "/url", json!({ "url": format!("{}{path}", self.app) })).await;
    }

    async fn refresh(&self) {
        self.cmd(Method::POST, "/refresh", json!({})).await;
    }

    async fn try_find(&self, css: &str) -> Option<String> {
        let found = self.try_cmd(Method::POST, "/element", json!({ "using": "css selector", "value": css })).await;
        found.ok().and_then(|v| v[ELEMENT].as_str().map(str::to_string))
    }

    async fn find(&self, css: &str) -> String {
        let v = self.cmd(Method::POST, "/element", json!({ "using": "css selector", "value": css })).await;
        v[ELEMENT].as_str().expect("an element reference").to_string()
    }

    async fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.cmd(Method::POST, "/elements", json!({ "using": "css selector", "value": css })).await;
        v.as_array().expect("a list").iter().map(|e| e[ELEMENT].as_str().expect("an element").to_string()).collect()
    }

    async fn find_in(&self, element: &str, css: &str) -> Vec<String> {
        let path = format!("/element/{element}/elements");
        let v = self.cmd(Method::POST, &path, json!({ "using": "css selector", "value": css })).await;
        v.as_array().expect("a list").iter().map(|e| e[ELEMENT].as_str().expect("an element").to_string()).collect()
    }

    async fn count(&self, css: &str) -> usize {
        self.find_all(css).await.len()
    }

    async fn click_element(&self, element: &str) {
        self.cmd(Method::POST, &format!("/element/{element}/click"), json!({})).await;
    }

    async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.click_element(&element).await;
    }

    async fn fill(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.cmd(Method::POST, &format!("/element/{element}/clear"), json!({})).await;
        self.cmd(Method::POST, &format!("/element/{element}/value"), json!({ "text": text })).await;
    }

    async fn text_of(&self, element: &str) -> String {
        self.cmd(Method::GET, &format!("/element/{element}/text"), Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.text_of(&element).await
    }

    /// The text of `css`, or None while the page has no such element (or is
    /// being replaced).
    async fn try_text(&self, css: &str) -> Option<String> {
        let element = self.try_find(css).await?;
        let text = self.try_cmd(Method::GET, &format!("/element/{element}/text"), Value::Null).await.ok()?;
        text.as_str().map(str::to_string)
    }

    async fn attr_of(&self, element: &str, name: &str) -> Option<String> {
        let v = self.cmd(Method::GET, &format!("/element/{element}/attribute/{name}"), Value::Null).await;
        v.as_str().map(str::to_string)
    }

    async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let element = self.find(css).await;
        self.attr_of(&element, name).await
    }

    async fn prop_of(&self, element: &str, name: &str) -> Value {
        self.cmd(Method::GET, &format!("/element/{element}/property/{name}"), Value::Null).await
    }

    async fn js(&self, script: &str) -> Value {
        self.cmd(Method::POST, "/execute/sync", json!({ "script": script, "args": [] })).await
    }

    /// Presses and releases each character's key, as a learner typing.
    async fn press(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [
                    json!({ "type": "keyDown", "value": c.to_string() }),
                    json!({ "type": "keyUp", "value": c.to_string() }),
                ]
            })
            .collect();
        self.cmd(
            Method::POST,
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
        )
        .await;
    }

    /// Accepts the open `window.confirm`, returning its text.
    async fn accept_confirm(&self) -> String {
        let text = self
            .wait_for("a confirmation dialog", async || {
                self.try_cmd(Method::GET, "/alert/text", Value::Null)
                    .await
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
            })
            .await;
        self.cmd(Method::POST, "/alert/accept", json!({})).await;
        text
    }

    async fn window_size(&self, width: u32, height: u32) {
        self.cmd(Method::POST, "/window/rect", json!({ "width": width, "height": height })).await;
    }

    /// Polls `probe` until it gives a value; fails the test after [`WAIT`].
    async fn wait_for<T>(&self, what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(value) = probe().await {
                return value;
            }
            if start.elapsed() > WAIT {
                panic!("waited {WAIT:?} for {what}; the page is {}\n{}", self.url().await, self.describe().await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// What a learner would see that explains a stuck page: messages, the
    /// save status, the focus, an open dialog.
    async fn describe(&self) -> String {
        if let Ok(text) = self.try_cmd(Method::GET, "/alert/text", Value::Null).await {
            return format!("a dialog is open: {text}");
        }
        let script = "const s = document.getElementById('save-status');
            const a = document.activeElement;
            return JSON.stringify({
                title: document.title,
                alerts: [...document.querySelectorAll('[role=alert], .alert')].map(e => e.textContent.trim()),
                save_status: s ? [s.textContent, s.dataset.state || ''] : null,
                focus: a ? a.outerHTML.slice(0, 200) : null,
            });";
        match self.try_cmd(Method::POST, "/execute/sync", json!({ "script": script, "args": [] })).await {
            Ok(v) => v.as_str().unwrap_or_default().to_string(),
            Err(e) => format!("(no description: {})", e.message),
        }
    }

    async fn wait_for_element(&self, css: &str) -> String {
        self.wait_for(&format!("an element {css}"), async || self.try_find(css).await).await
    }

    async fn wait_for_text(&self, css: &str, expected: &str) {
        let what = format!("{css} to read {expected:?}");
        self.wait_for(&what, async || (self.try_text(css).await.as_deref() == Some(expected)).then_some(())).await;
    }

    async fn wait_for_path(&self, suffix: &str) {
        let what = format!("a page ending in {suffix}");
        self.wait_for(&what, async || self.path().await.ends_with(suffix).then_some(())).await;
    }

    /// Waits until item `n` of `total` is shown.
    async fn wait_for_item(&self, n: usize, total: usize) {
        self.wait_for_text(".progress strong", &format!("{n} of {total}")).await;
    }

    /// The item form's next save number: the autosave raises it as each save starts.
    async fn seq(&self) -> i64 {
        self.js("return Number(document.querySelector('#item-form input[name=seq]').value)")
            .await
            .as_i64()
            .expect("a seq")
    }

    /// Waits until the autosave started after `seq_before` has been acknowledged.
    async fn wait_saved(&self, seq_before: i64) {
        let state = self
            .wait_for("the autosave", async || {
                let v = self
                    .try_cmd(
                        Method::POST,
                        "/execute/sync",
                        json!({ "script": "const s = document.getElementById('save-status');
                            return [Number(document.querySelector('#item-form input[name=seq]').value), s.textContent, s.dataset.state || ''];",
                            "args": [] }),
                    )
                    .await
                    .ok()?;
                let started = v[0].as_i64()? > seq_before;
                let state = v[2].as_str()?;
                (started && (state == "saved" || state == "error")).then(|| (state.to_string(), v[1].to_string()))
            })
            .await;
        assert_eq!(state.0, "saved", "the autosave failed: {}", state.1);
        assert_eq!(self.text("#save-status").await, "Saved");
    }

    /// Asserts the page needs no sideways scrolling on a 375 px wide phone.
    async fn assert_fits_a_phone(&self, what: &str) {
        self.window_size(375, 812).await;
        self.wait_for("the window to narrow", async || {
            let w = self
                .try_cmd(Method::POST, "/execute/sync", json!({ "script": "return window.innerWidth", "args": [] }))
                .await;
            w.ok().and_then(|w| w.as_u64()).filter(|&w| w <= 400).map(|_| ())
        })
        .await;
        let widths = self.js("return [document.documentElement.scrollWidth, window.innerWidth]").await;
        let (scroll, inner) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
        if scroll > inner {
            // Name the culprits: the outermost elements reaching past the edge.
            let wide = self
                .js("const w = window.innerWidth;
                     const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
                         if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
                     const over = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > w + 1 && !clipped(e));
                     const name = e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : '')
                         + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)';
                     const outer = over.filter(e => !over.includes(e.parentElement)).slice(0, 3).map(name);
                     const inner = over.filter(e => !over.some(o => o.parentElement === e)).slice(0, 5)
                         .map(e => name(e) + ': ' + e.textContent.trim().slice(0, 60));
                     return { outer, inner };")
                .await;
            panic!("{what} scrolls sideways at 375 px: {scroll} px wide in a {inner} px window; too wide: {wide}");
        }
        self.window_size(1280, 900).await;
        self.wait_for("the window to widen", async || {
            let w = self
                .try_cmd(Method::POST, "/execute/sync", json!({ "script": "return window.innerWidth", "args": [] }))
                .await;
            w.ok().and_then(|w| w.as_u64()).filter(|&w| w > 1000).map(|_| ())
        })
        .await;
    }
}

impl Drop for Web {
    fn drop(&mut self) {
        // End the session so ChromeDriver closes Chromium; the driver is
        // killed right after. Dropped inside the test's runtime: use a thread.
        let session = self.session.clone();
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(async {
                let _ = reqwest::Client::new().delete(session).timeout(Duration::from_secs(10)).send().await;
            })
        })
        .join();
    }
}

/// Registers a learner through the form, as a person would.
async fn register(web: &Web) {
    web.goto("/register").await;
    web.fill("#display_name", "Lena Learner").await;
    web.fill("#email", "lena@example.org").await;
    web.fill("#password", "correct horse battery staple").await;
    web.fill("#password_confirm", "correct horse battery staple").await;
    web.click("form[action='/register'] button[type=submit]").await;
    web.wait_for_element("form[action='/logout']").await;
}

/// What an item asks for, read from its page.
struct Item {
    kind: String,
    /// Single and multiple: how many options there are.
    options: usize,
    /// Multiple: how many to choose.
    choose: usize,
    /// Ordering and matching: the selects.
    selects: Vec<String>,
}

async fn read_item(web: &Web) -> Item {
    let kind = web.attr("#item-form", "data-kind").await.expect("the form names the kind");
    let options = web.count("input[name=choice]").await;
    let choose = match kind.as_str() {
        "multiple" => {
            let text = web.text(".select-count").await;
            let n: usize = text
                .strip_prefix("Select ")
                .and_then(|t| t.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("a select count in {text:?}"));
            assert_eq!(
                web.attr("fieldset.options", "data-max").await,
                Some(n.to_string()),
                "the limit matches the text"
            );
            n
        }
        _ => 1,
    };
    let selects = web.find_all("select[name^='rank-'], select[name^='match-']").await;
    match kind.as_str() {
        "single" | "multiple" => assert!(options >= 2 && selects.is_empty(), "{kind}: {options} options"),
        "ordering" | "matching" => assert!(options == 0 && !selects.is_empty(), "{kind}: {} selects", selects.len()),
        other => panic!("unknown kind {other}"),
    }
    Item { kind, options, choose, selects }
}

/// What was chosen, as the page should show it again.
#[derive(Debug, PartialEq)]
enum Answer {
    Choice(Vec<usize>),
    Selects(Vec<String>),
}

/// Fills every select: ranks in reverse order, matches round the answers.
/// With `autosave`, waits for each change to be saved.
async fn answer_selects(web: &Web, item: &Item, autosave: bool) -> Answer {
    let steps = item.selects.len();
    let mut values = Vec::new();
    for (j, select) in item.selects.iter().enumerate() {
        let options = web.find_in(select, "option:not([value=''])").await;
        assert!(!options.is_empty(), "a select with answers");
        let pick = if item.kind == "ordering" { options.len() - 1 - (j % steps) } else { j % options.len() };
        let option = &options[pick];
        let value = web.attr_of(option, "value").await.expect("an option value");
        let seq = if autosave { Some(web.seq().await) } else { None };
        web.click_element(option).await;
        if let Some(seq) = seq {
            web.wait_saved(seq).await;
        }
        let name = web.attr_of(select, "name").await.expect("a select name");
        values.push(format!("{name}={value}"));
    }
    // By name: the script may reorder the steps on screen.
    values.sort();
    Answer::Selects(values)
}

/// Answers the item on screen with the mouse.
async fn answer_by_clicking(web: &Web, item: &Item, n: usize, autosave: bool) -> Answer {
    match item.kind.as_str() {
        "single" | "multiple" => {
            let inputs = web.find_all("input[name=choice]").await;
            let first = if item.kind == "single" { n % item.options } else { 0 };
            let chosen: Vec<usize> = (first..first + item.choose).collect();
            for &i in &chosen {
                let seq = if autosave { Some(web.seq().await) } else { None };
                web.click_element(&inputs[i]).await;
                if let Some(seq) = seq {
                    web.wait_saved(seq).await;
                }
            }
            Answer::Choice(chosen)
        }
        _ => answer_selects(web, item, autosave).await,
    }
}

/// Answers the item on screen with the keyboard where it can: digits or
/// letters choose options; selects are set with the mouse.
async fn answer_by_keyboard(web: &Web, item: &Item, n: usize) -> Answer {
    match item.kind.as_str() {
        "single" => {
            // Alternate the two ways the script offers: "1" or "b".
            let (key, index) = if n % 2 == 0 { ("b", 1) } else { ("1", 0) };
            let seq = web.seq().await;
            web.press(key).await;
            web.wait_saved(seq).await;
            Answer::Choice(vec![index])
        }
        "multiple" => {
            for i in 0..item.choose {
                let seq = web.seq().await;
                web.press(&(i + 1).to_string()).await;
                web.wait_saved(seq).await;
            }
            Answer::Choice((0..item.choose).collect())
        }
        _ => answer_selects(web, item, true).await,
    }
}

/// Presses `key`; but when the item was answered with selects, focus is in
/// a select (where letters pick an option and the script rightly ignores
/// them), so a learner clicks the button instead.
async fn by_key(web: &Web, item: &Item, key: &str, button: &str) {
    if item.selects.is_empty() {
        web.press(key).await;
    } else {
        web.click(&format!("button[value={button}]")).await;
    }
}

/// The answer the item page shows now.
async fn shown_answer(web: &Web, item: &Item) -> Answer {
    match item.kind.as_str() {
        "single" | "multiple" => {
            let mut chosen = Vec::new();
            for (i, input) in web.find_all("input[name=choice]").await.iter().enumerate() {
                if web.cmd(Method::GET, &format!("/element/{input}/selected"), Value::Null).await == true {
                    chosen.push(i);
                }
            }
            Answer::Choice(chosen)
        }
        _ => {
            let mut values = Vec::new();
            for select in web.find_all("select[name^='rank-'], select[name^='match-']").await {
                let name = web.attr_of(&select, "name").await.expect("a name");
                let value = web.prop_of(&select, "value").await;
                values.push(format!("{name}={}", value.as_str().unwrap_or_default()));
            }
            values.sort();
            Answer::Selects(values)
        }
    }
}

/// `130:00`-style: 120 to 139 minutes left.
fn is_mock_clock(text: &str) -> bool {
    let Some((minutes, seconds)) = text.split_once(':') else { return false };
    let m = minutes.as_bytes();
    m.len() == 3
        && m[0] == b'1'
        && matches!(m[1], b'2' | b'3')
        && m[2].is_ascii_digit()
        && seconds.len() == 2
        && seconds.bytes().all(|b| b.is_ascii_digit())
}

/// Checks the result page: the score card with a scaled score on the
/// exam's scale and one article per item.
async fn check_result(web: &Web, items: usize) -> u32 {
    web.wait_for_element(".score-card").await;
    let scaled: u32 = web.text(".score-card .scaled .number").await.parse().expect("a scaled score");
    assert!((100..=1000).contains(&scaled), "scaled score {scaled}");
    assert_eq!(web.count("article.result-item").await, items);
    scaled
}

#[tokio::test]
async fn a_practice_of_ten_is_taken_by_clicking_and_checked_item_by_item() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;

    web.goto("/exams/mla-c01").await;
    web.fill("#practice-count", "10").await;
    web.click("section[aria-labelledby='practice-h'] button[type=submit]").await;
    web.wait_for_item(1, 10).await;

    let mut right = 0;
    for n in 1..=10 {
        assert!(web.try_find(".feedback").await.is_none(), "item {n}: no feedback before checking");
        let item = read_item(&web).await;
        let answer = answer_by_clicking(&web, &item, n, true).await;
        web.click("button[value=check]").await;
        let verdict =
            web.wait_for(&format!("feedback on item {n}"), async || web.try_text(".feedback .verdict").await).await;
        assert!(verdict == "Correct" || verdict == "Incorrect", "item {n}: verdict {verdict:?}");
        right += usize::from(verdict == "Correct");
        let explanation = web.find(".feedback .md.explanation").await;
        assert!(!web.text_of(&explanation).await.trim().is_empty(), "item {n} explains its answer");
        assert_eq!(shown_answer(&web, &item).await, answer, "item {n}: the checked answer is shown");
        assert!(web.try_find("button[value=check]").await.is_none(), "item {n}: a checked answer is locked");
        assert_eq!(web.count(".palette ol .cell.answered").await, n, "the palette counts {n} answered");
        if n < 10 {
            web.click("button[value=next]").await;
            web.wait_for_item(n + 1, 10).await;
        }
    }

    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    let counts = web.text(".counts").await;
    assert!(counts.contains("10 answered") && counts.contains("0 unanswered"), "{counts}");

    web.click(".submit-form button[type=submit]").await;
    let question = web.accept_confirm().await;
    assert!(question.starts_with("Submit now? 0 unanswered and 0 flagged."), "{question}");
    web.wait_for_path("/result").await;
    check_result(&web, 10).await;
    assert_eq!(web.count("article.result-item.right").await, right, "the result agrees with the checks");
    let facts = web.text(".score-card .facts").await;
    assert!(facts.contains(&format!("{right} of 10 scored items")), "{facts}");
}

#[tokio::test]
async fn a_full_mock_is_taken_by_keyboard_with_flags_palette_and_a_reload() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;

    web.goto("/exams/mla-c01").await;
    web.click("section[aria-labelledby='mock-h'] button[type=submit]").await;
    web.wait_for_item(1, 65).await;
    let timer = web.text("#timer").await;
    assert!(is_mock_clock(&timer), "the countdown shows {timer:?}");

    let mut answered = BTreeSet::new();
    let mut flagged = BTreeSet::new();
    // Items 1–20 and 40–45 in that order: the palette jumps from 21 to 40.
    let plan: Vec<usize> = (1..=20).chain(40..=45).collect();
    for (i, &n) in plan.iter().enumerate() {
        // Every page fits a phone; questions with code, tables or long names too.
        web.assert_fits_a_phone(&format!("item page {n}")).await;
        let item = read_item(&web).await;
        let answer = answer_by_keyboard(&web, &item, n).await;
        answered.insert(n);
        if n % 4 == 0 {
            let seq = web.seq().await;
            by_key(&web, &item, "f", "flag").await;
            web.wait_saved(seq).await;
            assert_eq!(web.attr("button[value=flag]", "aria-pressed").await.as_deref(), Some("true"));
            flagged.insert(n);
        }
        assert_eq!(web.text("#answered-count").await, answered.len().to_string(), "the bar counts answers");

        if n == 12 {
            // Reload mid-way: everything saved so far is shown again.
            web.refresh().await;
            web.wait_for_item(12, 65).await;
            let item = read_item(&web).await;
            assert_eq!(shown_answer(&web, &item).await, answer, "the answer to 12 survives the reload");
            assert_eq!(web.text("button[value=flag]").await, "Flagged ⚑", "so does its flag");
            let cells =
                web.js("return [...document.querySelectorAll('.palette ol .cell')].map(c => c.className)").await;
            let cells = cells.as_array().expect("palette cells");
            assert_eq!(cells.len(), 65);
            for (p, class) in (1..).zip(cells) {
                let class = class.as_str().unwrap_or_default();
                let has = |c: &str| class.split(' ').any(|k| k == c);
                assert_eq!(has("answered"), answered.contains(&p), "palette cell {p}: {class}");
                assert_eq!(has("flagged"), flagged.contains(&p), "palette cell {p}: {class}");
                assert_eq!(has("current"), p == 12, "palette cell {p}: {class}");
            }
            // The countdown runs.
            let before = web.text("#timer").await;
            assert!(is_mock_clock(&before), "{before}");
            web.wait_for("the countdown to tick", async || {
                web.try_text("#timer").await.filter(|t| *t != before && is_mock_clock(t))
            })
            .await;
        }

        match plan.get(i + 1) {
            Some(&next) if next == n + 1 => {
                by_key(&web, &item, "n", "next").await;
                web.wait_for_item(next, 65).await;
            }
            Some(&next) => {
                web.click("button[value=next]").await;
                web.wait_for_item(n + 1, 65).await;
                web.click(&format!(".palette button[value='goto-{next}']")).await;
                web.wait_for_item(next, 65).await;
            }
            None => {}
        }
    }

    // Back one with "p", and on to the review from the palette.
    let last = *plan.last().unwrap();
    let item = read_item(&web).await;
    by_key(&web, &item, "p", "prev").await;
    web.wait_for_item(last - 1, 65).await;
    assert!(web.attr(".palette .cell[aria-current=page]", "class").await.unwrap().contains("answered"));
    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    let unanswered = 65 - answered.len();
    let counts = web.text(".counts").await;
    assert!(
        counts.contains(&format!("{} answered", answered.len()))
            && counts.contains(&format!("{unanswered} unanswered"))
            && counts.contains(&format!("{} flagged", flagged.len())),
        "{counts}"
    );
    assert_eq!(web.count(".review-list ol .cell.answered").await, answered.len());
    assert_eq!(web.count(".review-list ol .cell.flagged").await, flagged.len());
    let listed = |id: &str| format!("return [...document.querySelectorAll('#{id} a')].map(a => Number(a.textContent))");
    let jump_flagged: BTreeSet<usize> = serde_json::from_value(web.js(&listed("flagged-list")).await).unwrap();
    assert_eq!(jump_flagged, flagged, "the review lists every flagged item to jump to");
    let jump_unanswered: BTreeSet<usize> = serde_json::from_value(web.js(&listed("unanswered-list")).await).unwrap();
    assert_eq!(jump_unanswered, (1..=65).filter(|p| !answered.contains(p)).collect(), "and every unanswered one");
    web.assert_fits_a_phone("the review page").await;

    web.click(".submit-form button[type=submit]").await;
    let question = web.accept_confirm().await;
    assert!(
        question.starts_with(&format!("Submit now? {unanswered} unanswered and {} flagged.", flagged.len())),
        "{question}"
    );
    web.wait_for_path("/result").await;
    check_result(&web, 65).await;
    assert_eq!(web.count(".domain-bars li").await, 4);
    web.assert_fits_a_phone("the result page").await;

    let result = web.path().await;
    web.goto(&format!("{result}?show=flagged")).await;
    web.wait_for_element(".score-card").await;
    let shown: BTreeSet<usize> = {
        let mut ids = BTreeSet::new();
        for article in web.find_all("article.result-item").await {
            let id = web.attr_of(&article, "id").await.expect("an id");
            ids.insert(id.strip_prefix("item-").and_then(|p| p.parse().ok()).expect("item-<n>"));
        }
        ids
    };
    assert_eq!(shown, flagged, "the flagged filter shows exactly the flagged items");
}

#[tokio::test]
async fn the_exam_works_with_javascript_disabled() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, false).await;
    register(&web).await;

    web.goto("/exams/mla-c01").await;
    web.click("section[aria-labelledby='mock-h'] button[type=submit]").await;
    web.wait_for_item(1, 65).await;

    // Item 1: answer with the mouse; "Next" posts the form, which saves.
    let item = read_item(&web).await;
    let answer = answer_by_clicking(&web, &item, 1, false).await;
    assert_eq!(web.text("#save-status").await, "", "no script saves: JavaScript is off");
    web.click("button[value=next]").await;
    web.wait_for_item(2, 65).await;
    let first = web.attr(".palette button[value='goto-1']", "class").await.unwrap_or_default();
    assert!(first.contains("answered"), "item 1 was saved by the form post: {first}");
    let timer = web.text("#timer").await;
    assert!(is_mock_clock(&timer), "the server renders the time left: {timer:?}");

    // Item 2: the Flag button posts and comes back flagged.
    assert_eq!(web.text("button[value=flag]").await, "Flag for review");
    web.click("button[value=flag]").await;
    web.wait_for_text("button[value=flag]", "Flagged ⚑").await;
    web.wait_for_item(2, 65).await;
    let second = web.attr(".palette button[value='goto-2']", "class").await.unwrap_or_default();
    assert!(second.contains("flagged"), "{second}");

    // The first item with options from 3 on: rule one out.
    let mut n = 2;
    loop {
        web.click("button[value=next]").await;
        n += 1;
        web.wait_for_item(n, 65).await;
        if web.try_find("fieldset.options").await.is_some() {
            break;
        }
        assert!(n < 65, "a mock has items with options");
    }
    web.click("button[value='strike-0']").await;
    web.wait_for("the struck option after the reload", async || {
        let pressed = web.try_find("button[value='strike-0'][aria-pressed=true]").await;
        pressed.and(web.try_find(".option.struck[data-pos='0']").await)
    })
    .await;
    assert_eq!(web.count(".option.struck").await, 1, "only that option is struck");
    assert_eq!(web.attr("#item-form input[name=struck]", "value").await.as_deref(), Some("0"));

    // Back to item 1 through the palette: the answer is there.
    web.click(".palette button[value='goto-1']").await;
    web.wait_for_item(1, 65).await;
    assert_eq!(shown_answer(&web, &item).await, answer, "item 1 kept its answer");

    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    let counts = web.text(".counts").await;
    assert!(
        counts.contains("1 answered") && counts.contains("64 unanswered") && counts.contains("1 flagged"),
        "{counts}"
    );
    // No confirmation without the script: the form simply posts.
    web.click(".submit-form button[type=submit]").await;
    web.wait_for_path("/result").await;
    check_result(&web, 65).await;
    let facts = web.text(".score-card .facts").await;
    assert!(facts.contains("of 65 scored items"), "{facts}");
    web.assert_fits_a_phone("the result page without JavaScript").await;
}

/// The widest content in the bank: a matching question whose answers are
/// long IAM condition keys. Its selects must not widen the page on a phone,
/// even after the page was laid out wide first (a mock draws it only
/// sometimes, so it is drilled here on purpose).
#[tokio::test]
async fn a_matching_item_with_long_answers_fits_a_phone() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;

    // Two questions carry the tag; drill one at a time until the draw
    // (random, like every draw) gives the matching one.
    for tries in 1.. {
        web.goto("/exams/mla-c01").await;
        web.js("document.querySelector('#drill-tag').value = 'condition-keys';
                document.querySelector('#drill-count').value = '1';")
            .await;
        web.click("section[aria-labelledby='drill-h'] button[type=submit]").await;
        web.wait_for_item(1, 1).await;
        if web.count("#item-form .pair select").await == 5 {
            break;
        }
        assert!(tries < 40, "40 drills never drew the matching question");
    }
    web.assert_fits_a_phone("the matching item").await;

    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    web.click(".submit-form button[type=submit]").await;
    web.accept_confirm().await;
    web.wait_for_path("/result").await;
    web.assert_fits_a_phone("the matching item's result").await;
}

/// Never a lost answer: while the database is down, a save gets a server
/// error; the script keeps the change and retries until the database is
/// back, and the change lands.
#[tokio::test]
async fn a_save_refused_by_a_server_error_is_retried_until_it_lands() {
    // A cluster of this test's own, so stopping it harms no other test.
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pg-retry-{}", uuid::Uuid::new_v4().simple()));
    let d = dir.clone();
    let cluster = tokio::task::spawn_blocking(move || mockexam::db::Cluster::start(&d)).await.unwrap().unwrap();
    let app = TestApp::spawn_on(cluster.connect_options("postgres")).await;
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    mockexam::load_content(&app.db, &content, app.clock.now()).await.expect("content loads");
    let web = Web::launch(&app, true).await;
    register(&web).await;
    web.goto("/exams/mla-c01").await;
    web.click("section[aria-labelledby='mock-h'] button[type=submit]").await;
    web.wait_for_item(1, 65).await;

    let mut cluster = tokio::task::spawn_blocking(move || {
        let mut cluster = cluster;
        cluster.stop_now().unwrap();
        cluster
    })
    .await
    .unwrap();
    web.click("button[value=flag]").await;
    web.wait_for("the save to fail and be retried", async || {
        web.try_text("#save-status").await.filter(|t| t.contains("Retrying"))
    })
    .await;

    cluster = tokio::task::spawn_blocking(move || {
        cluster.restart().unwrap();
        cluster
    })
    .await
    .unwrap();
    web.wait_for_text("#save-status", "Saved").await;
    let flagged: bool =
        sqlx::query_scalar("SELECT flagged FROM items WHERE position = 1").fetch_one(&app.db).await.unwrap();
    assert!(flagged, "the flag set while the database was down was saved");

    drop(web);
    drop(app);
    tokio::task::spawn_blocking(move || {
        let mut cluster = cluster;
        cluster.stop().unwrap();
    })
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
