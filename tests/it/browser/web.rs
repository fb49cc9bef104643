//! `Web`: one Chromium session on the app, over fantoccini, with the waits
//! the tests synchronise on. It stays whole: every test reaches the browser
//! through this one type. A failed command panics naming the page it
//! failed on; a wait that times out panics describing what a learner sees.

use std::fmt::Display;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use super::chromedriver::ChromeDriver;
use crate::helpers::TestApp;

const CHROMIUM: &str = "/usr/bin/chromium";
/// How long any one condition may take to come true.
pub(super) const WAIT: Duration = Duration::from_secs(20);
/// The tallest screenshot: a whole result page would be tens of thousands
/// of pixels at a phone's width.
const PHOTO_HEIGHT: u32 = 6000;
/// A phone's window height, and a desk's, as the layouts are checked.
const PHONE_HEIGHT: u32 = 812;
const DESK_HEIGHT: u32 = 900;
/// How often a condition is checked while waiting.
pub(super) const POLL: Duration = Duration::from_millis(50);

/// One Chromium session on the app: WebDriver commands, panicking with the
/// page's address when one fails.
pub(super) struct Web {
    client: Client,
    /// `http://127.0.0.1:<port>/session/<id>`, ended when dropped.
    session: String,
    /// The app, `http://127.0.0.1:<port>`.
    app: String,
    /// Held so ChromeDriver outlives the session, and is killed after it.
    _driver: ChromeDriver,
}

/// The first line of a WebDriver error: ChromeDriver appends a stack trace.
fn brief(e: &CmdError) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

impl Web {
    /// A fresh headless Chromium, with or without JavaScript.
    pub(super) async fn launch(app: &TestApp, javascript: bool) -> Web {
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
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        capabilities.insert("unhandledPromptBehavior".into(), json!("ignore"));
        // Plain HTTP to ChromeDriver on 127.0.0.1: no TLS connector needed.
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("Chromium ({CHROMIUM}) could not start: {e}\n{}", driver.log()));
        let id = match client.session_id().await {
            Ok(Some(id)) => id,
            other => panic!("ChromeDriver gave no session id: {other:?}\n{}", driver.log()),
        };
        // Our Drop ends the session: fantoccini would end it from a task on
        // the test's runtime, which may be gone by then.
        if let Err(e) = client.persist().await {
            panic!("fantoccini's session task is gone: {e}");
        }
        let session = format!("{}/session/{id}", driver.url);
        Web { client, session, app: format!("http://{}", app.addr), _driver: driver }
    }

    /// The value of a command, or a panic naming `what` and the page.
    async fn ok<T>(&self, what: impl Display, result: Result<T, CmdError>) -> T {
        match result {
            Ok(value) => value,
            Err(e) => panic!("WebDriver {what} failed on {}: {}", self.url().await, brief(&e)),
        }
    }

    pub(super) async fn url(&self) -> String {
        match self.client.current_url().await {
            Ok(url) => url.to_string(),
            Err(e) => format!("<unknown page: {}>", brief(&e)),
        }
    }

    /// The current page's path and query.
    pub(super) async fn path(&self) -> String {
        let url = self.url().await;
        let path = url.strip_prefix(&self.app).unwrap_or_default();
        path.split('#').next().unwrap_or_default().to_string()
    }

    pub(super) async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.app);
        self.ok(format_args!("goto {url}"), self.client.goto(&url).await).await;
    }

    pub(super) async fn refresh(&self) {
        self.ok("refresh", self.client.refresh().await).await;
    }

    pub(super) async fn try_find(&self, css: &str) -> Option<Element> {
        self.client.find(Locator::Css(css)).await.ok()
    }

    pub(super) async fn find(&self, css: &str) -> Element {
        self.ok(format_args!("find {css}"), self.client.find(Locator::Css(css)).await).await
    }

    pub(super) async fn find_all(&self, css: &str) -> Vec<Element> {
        self.ok(format_args!("find all {css}"), self.client.find_all(Locator::Css(css)).await).await
    }

    pub(super) async fn find_in(&self, element: &Element, css: &str) -> Vec<Element> {
        self.ok(format_args!("find all {css} in an element"), element.find_all(Locator::Css(css)).await).await
    }

    pub(super) async fn count(&self, css: &str) -> usize {
        self.find_all(css).await.len()
    }

    pub(super) async fn click_element(&self, element: &Element) {
        self.ok("click", element.click().await).await;
    }

    pub(super) async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.ok(format_args!("click {css}"), element.click().await).await;
    }

    pub(super) async fn fill(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.ok(format_args!("clear {css}"), element.clear().await).await;
        self.ok(format_args!("type into {css}"), element.send_keys(text).await).await;
    }

    pub(super) async fn text_of(&self, element: &Element) -> String {
        self.ok("text", element.text().await).await
    }

    pub(super) async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.ok(format_args!("text of {css}"), element.text().await).await
    }

    /// The text of `css`, or None while the page has no such element (or is
    /// being replaced).
    pub(super) async fn try_text(&self, css: &str) -> Option<String> {
        self.try_find(css).await?.text().await.ok()
    }

    pub(super) async fn attr_of(&self, element: &Element, name: &str) -> Option<String> {
        self.ok(format_args!("attribute {name}"), element.attr(name).await).await
    }

    pub(super) async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let element = self.find(css).await;
        self.ok(format_args!("attribute {name} of {css}"), element.attr(name).await).await
    }

    pub(super) async fn prop_of(&self, element: &Element, name: &str) -> Option<String> {
        self.ok(format_args!("property {name}"), element.prop(name).await).await
    }

    pub(super) async fn is_selected(&self, element: &Element) -> bool {
        self.ok("is selected", element.is_selected().await).await
    }

    pub(super) async fn js(&self, script: &str) -> Value {
        self.ok("script", self.client.execute(script, vec![]).await).await
    }

    /// Runs an asynchronous script: it ends by calling its last argument.
    pub(super) async fn js_async(&self, what: &str, script: &str, args: Vec<Value>) -> Value {
        self.ok(what, self.client.execute_async(script, args).await).await
    }

    /// Opens a page that is not the app's (a `data:` URL in a test of the
    /// checks themselves).
    pub(super) async fn goto_url(&self, url: &str) {
        self.ok("goto a page of the test's own", self.client.goto(url).await).await;
    }

    /// Saves what `element` shows as `target/screenshots/<name>.png`.
    pub(super) async fn screenshot_element(&self, element: &Element, name: &str) {
        let png = self.ok(format_args!("screenshot {name}"), element.screenshot().await).await;
        save_screenshot(name, &png);
    }

    /// Saves the page, from the top down to at most [`PHOTO_HEIGHT`] px, as
    /// `target/screenshots/<name>.png` for a person to look at (`.ci/run`
    /// prints the folder). WebDriver photographs the window only, so the
    /// window is made as tall as the page for the photograph, then given
    /// back its `height`.
    pub(super) async fn screenshot(&self, name: &str, width: u32, height: u32) {
        let page = self.js("return document.documentElement.scrollHeight").await;
        let tall = page.as_u64().and_then(|h| u32::try_from(h).ok()).unwrap_or(height).clamp(height, PHOTO_HEIGHT);
        self.window_size(width, tall).await;
        let png = self.client.screenshot().await;
        self.window_size(width, height).await;
        let png = self.ok(format_args!("screenshot {name}"), png).await;
        save_screenshot(name, &png);
    }

    /// Presses and releases each character's key, as a learner typing.
    pub(super) async fn press(&self, keys: &str) {
        let mut keyboard = KeyActions::new("keyboard".to_string());
        for c in keys.chars() {
            keyboard = keyboard.then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c });
        }
        self.ok(format_args!("press {keys:?}"), self.client.perform_actions(keyboard).await).await;
    }

    /// Presses `key` with Shift held (Shift+Tab: `'\u{E004}'`).
    pub(super) async fn press_with_shift(&self, key: char) {
        const SHIFT: char = '\u{E008}';
        let keyboard = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: SHIFT })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: SHIFT });
        self.ok(format_args!("press Shift+{key:?}"), self.client.perform_actions(keyboard).await).await;
    }

    /// Accepts the open `window.confirm`, returning its text.
    pub(super) async fn accept_confirm(&self) -> String {
        let text = self.wait_for("a confirmation dialog", async || self.client.get_alert_text().await.ok()).await;
        self.ok("accept the dialog", self.client.accept_alert().await).await;
        text
    }

    pub(super) async fn window_size(&self, width: u32, height: u32) {
        self.ok(format_args!("resize to {width}×{height}"), self.client.set_window_size(width, height).await).await;
    }

    /// Polls `probe` until it gives a value; fails the test after [`WAIT`].
    /// (fantoccini's `wait()` polls only for elements and whole URLs.)
    pub(super) async fn wait_for<T>(&self, what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(value) = probe().await {
                return value;
            }
            if start.elapsed() > WAIT {
                panic!("{}", self.timed_out(what).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Why a wait failed: what it waited for, and the page as it stands.
    async fn timed_out(&self, what: &str) -> String {
        format!("waited {WAIT:?} for {what}; the page is {}\n{}", self.url().await, self.describe().await)
    }

    /// What a learner would see that explains a stuck page: messages, the
    /// save status, the focus, an open dialog.
    async fn describe(&self) -> String {
        if let Ok(text) = self.client.get_alert_text().await {
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
        match self.client.execute(script, vec![]).await {
            Ok(v) => v.as_str().unwrap_or_default().to_string(),
            Err(e) => format!("(no description: {})", brief(&e)),
        }
    }

    pub(super) async fn wait_for_element(&self, css: &str) -> Element {
        match self.client.wait().at_most(WAIT).every(POLL).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(CmdError::WaitTimeout) => panic!("{}", self.timed_out(&format!("an element {css}")).await),
            Err(e) => self.ok(format_args!("wait for {css}"), Err(e)).await,
        }
    }

    pub(super) async fn wait_for_text(&self, css: &str, expected: &str) {
        let what = format!("{css} to read {expected:?}");
        self.wait_for(&what, async || (self.try_text(css).await.as_deref() == Some(expected)).then_some(())).await;
    }

    pub(super) async fn wait_for_path(&self, suffix: &str) {
        let what = format!("a page ending in {suffix}");
        self.wait_for(&what, async || self.path().await.ends_with(suffix).then_some(())).await;
    }

    /// Waits until item `n` of `total` is shown.
    pub(super) async fn wait_for_item(&self, n: usize, total: usize) {
        self.wait_for_text(".progress strong", &format!("{n} of {total}")).await;
    }

    /// The item form's next save number: the autosave raises it as each save starts.
    pub(super) async fn seq(&self) -> i64 {
        self.js("return Number(document.querySelector('#item-form input[name=seq]').value)")
            .await
            .as_i64()
            .expect("a seq")
    }

    /// Waits until the autosave started after `seq_before` has been acknowledged.
    pub(super) async fn wait_saved(&self, seq_before: i64) {
        let script = "const s = document.getElementById('save-status');
            return [Number(document.querySelector('#item-form input[name=seq]').value), s.textContent, s.dataset.state || ''];";
        let state = self
            .wait_for("the autosave", async || {
                let v = self.client.execute(script, vec![]).await.ok()?;
                let started = v[0].as_i64()? > seq_before;
                let state = v[2].as_str()?;
                (started && (state == "saved" || state == "error")).then(|| (state.to_string(), v[1].to_string()))
            })
            .await;
        assert_eq!(state.0, "saved", "the autosave failed: {}", state.1);
        assert_eq!(self.text("#save-status").await, "Saved");
    }

    /// Waits until the window's inner width passes `fits`.
    async fn wait_for_width(&self, what: &str, fits: impl Fn(u64) -> bool) {
        self.wait_for(what, async || {
            let w = self.client.execute("return window.innerWidth", vec![]).await;
            w.ok().and_then(|w| w.as_u64()).filter(|&w| fits(w)).map(|_| ())
        })
        .await;
    }

    /// Asserts the page needs no sideways scrolling on a 375 px wide phone.
    pub(super) async fn assert_fits_a_phone(&self, what: &str) {
        self.narrow().await;
        self.assert_no_sideways_scroll(what).await;
        self.widen().await;
    }

    /// A phone's window: 375 px wide.
    pub(super) async fn narrow(&self) {
        self.window_size(375, PHONE_HEIGHT).await;
        self.wait_for_width("the window to narrow", |w| w <= 400).await;
    }

    /// Back to the usual 1280 px.
    pub(super) async fn widen(&self) {
        self.window_size(1280, DESK_HEIGHT).await;
        self.wait_for_width("the window to widen", |w| w > 1000).await;
    }

    async fn assert_no_sideways_scroll(&self, what: &str) {
        let widths = self.js("return [document.documentElement.scrollWidth, window.innerWidth]").await;
        let (scroll, inner) = (
            widths[0].as_u64().expect("the page's scroll width"),
            widths[1].as_u64().expect("the window's inner width"),
        );
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
    }
}

/// Where the browser tests leave their screenshots: `target/screenshots`
/// in the crate, beside the axe-core that `.ci/run` installs.
pub(super) fn screenshots_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

fn save_screenshot(name: &str, png: &[u8]) {
    let dir = screenshots_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot make {}: {e}", dir.display()));
    let file = dir.join(format!("{name}.png"));
    std::fs::write(&file, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
}

impl Web {
    /// Sends a Chrome DevTools Protocol command through ChromeDriver's
    /// bridge, returning its result.
    pub(super) async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let reply = reqwest::Client::new()
            .post(format!("{}/goog/cdp/execute", self.session))
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("ChromeDriver's DevTools bridge: {e}"));
        let ok = reply.status().is_success();
        let body: Value = reply.json().await.unwrap_or_else(|e| panic!("{cmd}: an answer that is not JSON: {e}"));
        assert!(ok, "{cmd} failed: {body}");
        body["value"].clone()
    }

    /// Switches `prefers-color-scheme` for this tab, through ChromeDriver's
    /// DevTools bridge (WebDriver itself has no command for it).
    pub(super) async fn color_scheme(&self, scheme: &str) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await;
        let applied = self.js(&format!("return matchMedia('(prefers-color-scheme: {scheme})').matches")).await;
        assert_eq!(applied, json!(true), "the page sees the {scheme} scheme");
    }

    /// Visits `path` as every page is checked: at 375 and 1280 px, in the
    /// light and the dark scheme. At 375 px nothing may scroll sideways (with
    /// every `<details>` opened), the dark scheme must really change the
    /// page's colours, and axe-core must find nothing serious in any of the
    /// four layouts (see `axe`); Tab must show a focus ring at every stop, in
    /// the page's order (see `focus`). Returns to light at 1280 px.
    pub(super) async fn visit_in_every_layout(&self, path: &str) {
        self.visit_in_every_layout_as(path, None).await;
    }

    /// [`Web::visit_in_every_layout`], saving a screenshot of each layout as
    /// `<name>-<scheme>-<width>.png`.
    pub(super) async fn photograph_in_every_layout(&self, path: &str, name: &str) {
        self.visit_in_every_layout_as(path, Some(name)).await;
    }

    async fn visit_in_every_layout_as(&self, path: &str, photo: Option<&str>) {
        let mut backgrounds = Vec::new();
        for scheme in ["light", "dark"] {
            self.color_scheme(scheme).await;
            self.goto(path).await;
            // Folded parts too: a table in a <details> must fit when opened.
            self.js("document.querySelectorAll('details').forEach(d => d.open = true)").await;
            let status = self.js("return document.title").await;
            assert!(!status.as_str().unwrap_or_default().is_empty(), "{path} has a title");
            for width in [375, 1280] {
                let layout = format!("{path} ({scheme}, {width} px, every <details> open)");
                if width == 375 {
                    self.narrow().await;
                    self.assert_no_sideways_scroll(&layout).await;
                } else {
                    self.widen().await;
                }
                self.assert_accessible(&layout).await;
                if scheme == "light" && width == 1280 {
                    self.assert_keyboard_focus(&layout).await;
                }
                if let Some(name) = photo {
                    let height = if width == 375 { PHONE_HEIGHT } else { DESK_HEIGHT };
                    self.screenshot(&format!("{name}-{scheme}-{width}"), width, height).await;
                }
            }
            backgrounds.push(self.js("return getComputedStyle(document.body).backgroundColor").await);
        }
        assert_ne!(backgrounds[0], backgrounds[1], "{path}: the dark scheme changes the background");
        self.color_scheme("light").await;
    }
}

impl Web {
    /// The accessible name Chromium computes for `element`: what a screen
    /// reader says (WebDriver's Get Computed Label).
    pub(super) async fn accessible_name(&self, element: &Element) -> String {
        let url = format!("{}/element/{}/computedlabel", self.session, element.element_id());
        let reply = reqwest::get(&url).await.unwrap_or_else(|e| panic!("ChromeDriver's computed label: {e}"));
        let body: Value = reply.json().await.unwrap_or_else(|e| panic!("ChromeDriver's computed label: {e}"));
        body["value"].as_str().unwrap_or_else(|| panic!("no computed label: {body}")).to_string()
    }
}

impl Drop for Web {
    fn drop(&mut self) {
        // End the session so ChromeDriver closes Chromium; the driver is
        // killed right after. fantoccini's client runs on the test's
        // runtime, which cannot be blocked on from inside: a plain DELETE
        // from a thread of its own.
        let session = self.session.clone();
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(async {
                let _ = reqwest::Client::new().delete(session).timeout(Duration::from_secs(10)).send().await;
            })
        })
        .join();
    }
}
