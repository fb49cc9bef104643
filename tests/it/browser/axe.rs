//! axe-core in the page: every page that `Web::visit_in_every_layout`
//! visits is checked in each of its four layouts, and a violation of
//! serious or critical impact fails the test.
//!
//! axe-core is the npm package, installed for the tests only (`.ci/run`:
//! `npm install --prefix target/axe axe-core@<version>`); the app never
//! serves it. The test reads `axe.min.js` and runs it in the page through
//! WebDriver, which is not bound by the page's Content-Security-Policy.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{Value, json};

use super::web::Web;

/// Where `.ci/run` installs axe-core; `AXE_CORE_JS` may name another copy.
fn axe_path() -> PathBuf {
    match std::env::var_os("AXE_CORE_JS") {
        Some(path) => path.into(),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/axe/node_modules/axe-core/axe.min.js"),
    }
}

/// axe-core's source, read once. Missing, it fails the test: a check that
/// quietly does not run would pass every page.
fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = axe_path();
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read axe-core at {}: {e}. The browser tests check every page with it; install it with \
                 `npm install --prefix target/axe axe-core@4.14.1` (as `.ci/run` does), or name a copy of \
                 axe.min.js in AXE_CORE_JS.",
                path.display()
            )
        })
    })
}

/// One rule broken on a page, as axe reports it.
#[derive(Debug)]
pub(super) struct Violation {
    pub(super) rule: String,
    pub(super) impact: String,
    pub(super) help: String,
    pub(super) help_url: String,
    /// The CSS selectors of the offending elements.
    pub(super) targets: Vec<String>,
}

impl Violation {
    /// Serious and critical fail a test; moderate and minor are printed.
    pub(super) fn fails(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} on {}; see {}",
            self.rule,
            self.impact,
            self.help,
            self.targets.join(", "),
            self.help_url
        )
    }
}

/// What axe gives back, reduced in the page to what a message needs.
const RUN: &str = "const done = arguments[arguments.length - 1];
    axe.run(document, { resultTypes: ['violations'] })
      .then(r => done({ ok: r.violations.map(v => ({
          rule: v.id, impact: v.impact || '', help: v.help, help_url: v.helpUrl,
          targets: v.nodes.map(n => n.target.join(' ')) })) }))
      .catch(e => done({ error: String(e) }));";

impl Web {
    /// Every axe-core violation on the page as it stands.
    pub(super) async fn axe_violations(&self) -> Vec<Violation> {
        let loaded = self.js("return typeof window.axe === 'object'").await;
        if loaded != json!(true) {
            // The source itself is the script (no eval, which the page's
            // policy forbids); it sets `window.axe`.
            let injected = self.js(&format!("{}\nreturn typeof window.axe;", axe_source())).await;
            assert_eq!(injected, json!("object"), "axe-core set up in {}", self.url().await);
        }
        let reply = self.js_async("axe.run", RUN, vec![]).await;
        if let Some(error) = reply.get("error") {
            panic!("axe-core failed on {}: {error}", self.url().await);
        }
        let list = reply["ok"].as_array().unwrap_or_else(|| panic!("axe-core's answer: {reply}"));
        list.iter()
            .map(|v| {
                let text = |key: &str| v[key].as_str().unwrap_or_default().to_string();
                Violation {
                    rule: text("rule"),
                    impact: text("impact"),
                    help: text("help"),
                    help_url: text("help_url"),
                    targets: v["targets"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect(),
                }
            })
            .collect()
    }

    /// Fails on any serious or critical violation, naming each rule, its
    /// impact, the elements and where to read about it.
    /// Moderate and minor ones are printed, as warnings.
    pub(super) async fn assert_accessible(&self, what: &str) {
        let violations = self.axe_violations().await;
        for v in violations.iter().filter(|v| !v.fails()) {
            eprintln!("axe-core warns on {what}: {v}");
        }
        if let Some(failure) = failure(what, &violations) {
            panic!("{failure}");
        }
    }
}

/// The message a check fails with, or None when nothing serious was found.
pub(super) fn failure(what: &str, violations: &[Violation]) -> Option<String> {
    let failing: Vec<String> = violations.iter().filter(|v| v.fails()).map(|v| format!("- {v}")).collect();
    (!failing.is_empty()).then(|| format!("axe-core finds serious problems on {what}:\n{}", failing.join("\n")))
}
