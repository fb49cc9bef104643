//! Accessibility in Chromium: axe-core's check can fail; every kind of
//! item, the review and the result pass it in every layout (and are
//! photographed for a person to look at); the pages before signing in too;
//! and an item reads sensibly in the accessibility tree a screen reader gets.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::axe::failure;
use super::learner::{answer_by_clicking, by_key, read_item, register, start_mock};
use super::web::Web;
use crate::helpers::{TestApp, item_body};
use mockexam::exam::Body;

/// A page with two rules broken on purpose: an image without a text
/// alternative and a button without a name (both critical).
#[tokio::test]
async fn axe_core_finds_and_fails_a_page_with_known_violations() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    web.goto_url(
        "data:text/html,<!doctype html><html lang=en><title>Broken</title><main><h1>Broken</h1>\
         <img src=x.png><button id=nameless></button></main></html>",
    )
    .await;

    let violations = web.axe_violations().await;
    let rules: Vec<&str> = violations.iter().filter(|v| v.fails()).map(|v| v.rule.as_str()).collect();
    assert!(rules.contains(&"image-alt") && rules.contains(&"button-name"), "{violations:?}");
    let button = violations.iter().find(|v| v.rule == "button-name").expect("button-name");
    assert_eq!(button.targets, ["#nameless"]);
    assert!(button.help_url.starts_with("https://dequeuniversity.com/rules/axe/4."), "{}", button.help_url);

    // And the check the page visits make fails, saying what and where.
    let message = failure("the broken page", &violations).expect("the check fails on the broken page");
    for part in ["button-name (critical)", "#nameless", "image-alt (critical)", "https://dequeuniversity.com/rules/"] {
        assert!(message.contains(part), "{part} in: {message}");
    }
}

/// The keyboard check of every page visit fails a page whose link hides
/// its focus ring, and one whose tabindex reorders the focus.
#[tokio::test]
async fn the_focus_check_fails_a_hidden_focus_ring_and_a_scrambled_order() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    // Our own ring, as app.css draws it: the browser's default is 1 px.
    let page = |body: &str| {
        format!(
            "data:text/html,<!doctype html><html lang=en><title>T</title>\
             <style>:focus-visible {{ outline: 3px solid black }}</style><main>{body}</main></html>"
        )
    };
    web.goto_url(&page("<a href=%23a>a</a> <button style='outline:none'>b</button>")).await;
    assert_eq!(web.keyboard_focus_problem().await.as_deref(), Some("button shows no focus ring when reached by Tab"));
    web.goto_url(&page("<a href=%23a>a</a> <a href=%23b tabindex=2>b</a>")).await;
    let problem = web.keyboard_focus_problem().await.expect("a scrambled order fails");
    assert!(problem.contains("positive tabindex"), "{problem}");
    web.goto_url(&page("<a href=%23a>a</a> <a href=%23b>b</a>")).await;
    assert_eq!(web.keyboard_focus_problem().await, None, "a 3 px ring on every stop passes");
}

/// The pages of someone not signed in.
#[tokio::test]
async fn the_sign_in_and_register_pages_read_well_in_every_layout() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    for path in ["/login", "/register", "/", "/no-such-page"] {
        web.visit_in_every_layout(path).await;
    }
}

/// The kind of item `n` of the attempt.
async fn kind_of(app: &TestApp, attempt: uuid::Uuid, n: i32) -> &'static str {
    match item_body(&app.db, attempt, n).await.1 {
        Body::Single { .. } => "single",
        Body::Multiple { .. } => "multiple",
        Body::Ordering { .. } => "ordering",
        Body::Matching { .. } => "matching",
    }
}

/// A whole mock: the first item of each kind, the review and the result,
/// each checked by axe-core and photographed at both widths in both schemes.
#[tokio::test]
async fn every_kind_of_item_the_review_and_the_result_pass_axe_and_are_photographed() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    let attempt = start_mock(&web).await;

    let mut first = BTreeMap::new();
    for n in 1..=65 {
        first.entry(kind_of(&app, attempt, n).await).or_insert(n);
    }
    for (kind, n) in &first {
        let path = format!("/attempts/{attempt}/items/{n}");
        web.goto(&path).await;
        web.wait_for_item(*n as usize, 65).await;
        // Answered, so the palette and the controls show a chosen state.
        let item = read_item(&web).await;
        answer_by_clicking(&web, &item, *n as usize, true).await;
        web.photograph_in_every_layout(&path, &format!("item-{kind}")).await;
    }
    assert_eq!(first.len(), 4, "a mock holds every kind: {first:?}");

    web.photograph_in_every_layout(&format!("/attempts/{attempt}/review"), "review").await;
    web.goto(&format!("/attempts/{attempt}/review")).await;
    web.click(".submit-form button[type=submit]").await;
    web.accept_confirm().await;
    web.wait_for_path("/result").await;
    web.photograph_in_every_layout(&format!("/attempts/{attempt}/result"), "result").await;

    // On a phone a table in a question stays in its box: reachable by
    // keyboard, named, and no wider than the screen; photographed too.
    web.narrow().await;
    let boxes = web.find_all(".table-scroll").await;
    for (i, table) in boxes.iter().enumerate() {
        assert_eq!(web.attr_of(table, "tabindex").await.as_deref(), Some("0"), "table {i} is focusable");
        assert!(web.attr_of(table, "aria-label").await.is_some_and(|l| !l.is_empty()), "table {i} is named");
    }
    let inside = web
        .js("return [...document.querySelectorAll('.table-scroll')].every(b => b.getBoundingClientRect().right <= window.innerWidth)")
        .await;
    assert_eq!(inside, json!(true), "every table's box fits the screen");
    if let Some(table) = boxes.first() {
        web.js("document.querySelector('.table-scroll').scrollIntoView()").await;
        web.screenshot_element(table, "result-table-375").await;
    }
    web.widen().await;
}

/// The nodes a screen reader is given, as (role, name), ignored ones left out.
async fn accessibility_tree(web: &Web) -> Vec<(String, String)> {
    let tree = web.cdp("Accessibility.getFullAXTree", json!({})).await;
    let nodes = tree["nodes"].as_array().unwrap_or_else(|| panic!("an accessibility tree: {tree}"));
    let text = |v: &Value| v["value"].as_str().unwrap_or_default().to_string();
    nodes.iter().filter(|n| n["ignored"] != json!(true)).map(|n| (text(&n["role"]), text(&n["name"]))).collect()
}

/// What a screen reader announces on an item: the question as a heading,
/// each option by its text, and every palette cell by number and state.
#[tokio::test]
async fn an_item_is_announced_sensibly_in_the_accessibility_tree() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    let attempt = start_mock(&web).await;

    // Item 1 answered and flagged; then a single-choice item, fresh.
    let item = read_item(&web).await;
    answer_by_clicking(&web, &item, 1, true).await;
    let seq = web.seq().await;
    by_key(&web, &item, "f", "flag").await;
    web.wait_saved(seq).await;
    let mut single = None;
    for n in 2..=65 {
        if kind_of(&app, attempt, n).await == "single" {
            single = Some(n);
            break;
        }
    }
    let n = single.expect("a single-choice item in the mock");
    web.goto(&format!("/attempts/{attempt}/items/{n}")).await;
    web.wait_for_item(n as usize, 65).await;

    let tree = accessibility_tree(&web).await;
    let named = |role: &str, name: &str| tree.iter().any(|(r, m)| r == role && m == name);
    assert!(named("heading", &format!("Question {n}")), "the question is a heading: {tree:?}");
    assert!(named("navigation", "All questions"), "the palette is a named landmark");
    assert!(named("group", "Options"), "the options are a named group");

    // Each option by its text, as the page shows it (without the letter).
    let texts =
        web.js("return [...document.querySelectorAll('.option label .text')].map(t => t.innerText.trim())").await;
    let texts: Vec<String> =
        texts.as_array().expect("option texts").iter().map(|t| t.as_str().unwrap_or_default().to_string()).collect();
    let radios: Vec<&String> = tree.iter().filter(|(r, _)| r == "radio").map(|(_, m)| m).collect();
    assert!(texts.len() >= 2, "options: {texts:?}");
    assert_eq!(radios.len(), texts.len(), "one radio per option: {radios:?}");
    for (radio, text) in radios.iter().zip(&texts) {
        // Spacing aside: Chrome names a line-break opportunity in code
        // (`instance_<wbr>count`) with a space that innerText leaves out,
        // which failed this test whenever the draw put such an option here.
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(squash(radio), squash(text), "an option is announced by its text: {radio:?}");
    }

    // The palette: 65 cells, each with its number and its state.
    let cells: Vec<&String> =
        tree.iter().filter(|(r, m)| r == "button" && m.starts_with("Question ")).map(|(_, m)| m).collect();
    assert_eq!(cells.len(), 65, "{cells:?}");
    assert_eq!(cells[0], "Question 1, answered, flagged");
    for (p, cell) in (1..).zip(&cells).skip(1) {
        assert_eq!(**cell, format!("Question {p}, unanswered"), "palette cell {p}");
    }
    let current = web.attr("button[aria-current=page]", "aria-label").await;
    assert_eq!(current, Some(format!("Question {n}, unanswered")), "the current cell is marked as the page");
}
