//! The exam screen as a learner meets it on exam day: items that read in
//! whole words on a phone, the time left always in view with the warnings a
//! test centre gives, a palette that says what was just saved, and an
//! answer that stays visible once it is checked.

use mockexam::exam::kind::Kind;
use serde_json::{Value, json};
use time::Duration;

use super::learner::{answer_by_clicking, attempt_id, read_item, register, start_mock};
use super::web::Web;
use crate::helpers::{TestApp, item_body};

/// The words (runs of letters and digits) inside `selector` that a line
/// break splits: a range over each word must lie on one line. Breaks at
/// punctuation ("kms:" / "Decrypt") are allowed, mid-word ones are not.
/// Also each visible legend of a bordered fieldset that takes more than one
/// line, as its lines then run into the box's border.
const MISREAD_TEXT: &str = "const selector = SELECTOR;
    const found = [];
    for (const root of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node; (node = walker.nextNode()); ) {
            for (const m of node.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top);
                if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 2)
                    found.push('split word ' + JSON.stringify(m[0]) + ' in ' + JSON.stringify(node.data.trim().slice(0, 60)));
            }
        }
    }
    for (const legend of document.querySelectorAll('#item-form legend')) {
        const fieldset = legend.parentElement;
        const bordered = parseFloat(getComputedStyle(fieldset).borderTopWidth) > 0;
        const range = document.createRange();
        range.selectNodeContents(legend);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 1).map(r => Math.round(r.top)));
        if (bordered && legend.getBoundingClientRect().width > 1 && tops.size > 1)
            found.push('a legend on ' + tops.size + ' lines over its border: ' + legend.textContent.trim());
    }
    return found;";

/// Starts a drill of every question of `domain` through the form; the attempt's id.
async fn drill_domain(web: &Web, domain: &str) -> uuid::Uuid {
    web.goto("/exams/mla-c01").await;
    web.js(&format!(
        "document.querySelector('#drill-domain').value = '{domain}';
         document.querySelector('#drill-count').value = '200';"
    ))
    .await;
    web.click("section[aria-labelledby='drill-h'] button[type=submit]").await;
    web.wait_for_element("#item-form").await;
    attempt_id(web).await
}

async fn misread_text(web: &Web, selector: &str) -> Vec<String> {
    let found = web.js(&MISREAD_TEXT.replace("SELECTOR", &json!(selector).to_string())).await;
    found.as_array().expect("a list").iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
}

/// Acceptance 1 of issue 12: at 375 px every ordering and matching item in
/// the bank reads in whole words (the steps once had an 80 px column:
/// "explainab|ility", "kms:Decry|pt"), its legend clear of any border.
#[tokio::test]
async fn every_ordering_and_matching_item_reads_in_whole_words_on_a_phone() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;

    let mut seen = [0, 0];
    let mut problems = Vec::new();
    for domain in ["D1", "D2", "D3", "D4"] {
        let id = drill_domain(&web, domain).await;
        let positions: Vec<i32> =
            sqlx::query_scalar("SELECT position FROM items WHERE attempt_id = $1 ORDER BY position")
                .bind(id)
                .fetch_all(&app.db)
                .await
                .unwrap();
        web.window_size(375, 812).await;
        for n in positions {
            let kind = item_body(&app.db, id, n).await.1.kind();
            if kind != Kind::Ordering && kind != Kind::Matching {
                continue;
            }
            seen[usize::from(kind == Kind::Matching)] += 1;
            web.goto(&format!("/attempts/{id}/items/{n}")).await;
            web.wait_for_element("#item-form").await;
            let width = web.js("return window.innerWidth").await;
            assert!(width.as_u64().is_some_and(|w| w <= 400), "a phone's width: {width}");
            for problem in misread_text(&web, "#item").await {
                problems.push(format!("{domain} item {n} ({kind}): {problem}"));
            }
        }
        web.window_size(1280, 900).await;
    }
    assert!(seen[0] >= 15 && seen[1] >= 15, "the bank's ordering and matching items: {seen:?}");
    assert!(problems.is_empty(), "at 375 px:\n{}", problems.join("\n"));
}

/// Every ordering and matching item can be answered on a phone by touch
/// (targets of at least 24 px, WCAG 2.5.8) and by keyboard alone.
#[tokio::test]
async fn ordering_and_matching_items_are_answered_by_touch_and_keyboard_on_a_phone() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    let id = drill_domain(&web, "D4").await;
    let positions: Vec<i32> = sqlx::query_scalar("SELECT position FROM items WHERE attempt_id = $1 ORDER BY position")
        .bind(id)
        .fetch_all(&app.db)
        .await
        .unwrap();
    let mut kinds = Vec::new();
    for n in positions {
        kinds.push((n, item_body(&app.db, id, n).await.1.kind()));
    }
    let first = |kind: Kind| kinds.iter().find(|(_, k)| *k == kind).map(|(n, _)| *n).expect("one of each kind");
    web.window_size(375, 812).await;

    for kind in [Kind::Ordering, Kind::Matching] {
        let n = first(kind);
        web.goto(&format!("/attempts/{id}/items/{n}")).await;
        web.wait_for_element("#item-form").await;
        let small = web
            .js("const w = window.innerWidth;
                 return [...document.querySelectorAll('#item-form .steps button, #item-form .steps select, #item-form .matching select')]
                   .map(e => e.getBoundingClientRect())
                   .filter(r => r.width < 24 || r.height < 24 || r.left < 0 || r.right > w)
                   .map(r => [r.left, r.width, r.height]);")
            .await;
        assert_eq!(small, json!([]), "{kind}: every control is a whole target of 24 px or more, on screen");

        // Touch: a tap on the first step's ↓, or a matching answer chosen.
        let item = read_item(&web).await;
        if kind == Kind::Ordering {
            let before = web.js("return [...document.querySelectorAll('.steps .step')].map(s => s.dataset.pos)").await;
            let seq = web.seq().await;
            web.click(".steps .step:first-child .move button:last-child").await;
            web.wait_saved(seq).await;
            let after = web.js("return [...document.querySelectorAll('.steps .step')].map(s => s.dataset.pos)").await;
            assert_eq!(
                (before[0].clone(), before[1].clone()),
                (after[1].clone(), after[0].clone()),
                "the tap moved it down"
            );
        } else {
            answer_by_clicking(&web, &item, 0, true).await;
        }

        // Keyboard: an arrow key in a focused answer; Enter on a step's ↑
        // (a position typed into an ordering's select would give two steps
        // the same place, which the server rightly refuses).
        if kind == Kind::Matching {
            let value = "return document.querySelector('.matching select').value";
            let before = web.js(value).await;
            web.js("document.querySelector('.matching select').focus()").await;
            let seq = web.seq().await;
            web.press(if before == json!("") { "\u{E015}" } else { "\u{E013}" }).await; // ArrowDown / ArrowUp
            web.wait_saved(seq).await;
            assert_ne!(before, web.js(value).await, "the arrow key changed the answer");
        } else {
            web.js("document.querySelector('.steps .step:nth-child(2) .move button').focus()").await;
            let before = web.js("return [...document.querySelectorAll('.steps .step')].map(s => s.dataset.pos)").await;
            let seq = web.seq().await;
            web.press("\u{E007}").await; // Enter on the second step's ↑
            web.wait_saved(seq).await;
            let after = web.js("return [...document.querySelectorAll('.steps .step')].map(s => s.dataset.pos)").await;
            assert_eq!(
                (before[0].clone(), before[1].clone()),
                (after[1].clone(), after[0].clone()),
                "Enter moved it up"
            );
            let focused = web.js("return document.activeElement.getAttribute('aria-label')").await;
            assert!(
                focused.as_str().is_some_and(|l| l.starts_with("Move up: ")),
                "focus stays on the button: {focused}"
            );
        }
    }
}

/// Where the bar, the timer and the item number are, and how far the page
/// was scrolled.
async fn bar_in_view(web: &Web) -> Value {
    web.js(
        "const box = s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.top, r.bottom]; };
            return { scrolled: window.scrollY, height: window.innerHeight,
                     bar: box('.exam-bar'), timer: box('#timer'), number: box('.progress strong') };",
    )
    .await
}

/// On the real exam the time left is always visible: the countdown and the
/// item number stay in view at the bottom of a long item, at both widths,
/// and a control reached by keyboard is never hidden under them.
#[tokio::test]
async fn the_countdown_and_the_item_number_stay_in_view_without_hiding_the_question() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    let id = start_mock(&web).await;

    for (width, height) in [(1280, 500), (375, 700)] {
        web.window_size(width, height).await;
        web.goto(&format!("/attempts/{id}/items/1")).await;
        web.wait_for_element("#item-form").await;
        web.js("window.scrollTo(0, document.documentElement.scrollHeight)").await;
        let at = web
            .wait_for("the page to scroll", async || {
                Some(bar_in_view(&web).await).filter(|v| v["scrolled"].as_f64() > Some(0.0))
            })
            .await;
        let h = at["height"].as_f64().unwrap();
        for part in ["timer", "number"] {
            let (top, bottom) = (at[part][0].as_f64().unwrap(), at[part][1].as_f64().unwrap());
            assert!(
                top >= 0.0 && bottom <= h,
                "{width} px, scrolled to the end: the {part} is at {top}..{bottom} of {h}"
            );
        }
        let bar = at["bar"][1].as_f64().unwrap();
        assert!(bar <= h * 0.25, "{width} px: the bar takes {bar} px of {h}, leaving the question room");

        // Back up by keyboard: each control focused lies below the bar.
        let mut hidden = Vec::new();
        for _ in 0..12 {
            web.press_with_shift('\u{E004}').await; // Shift+Tab
            let where_ = web
                .js("const a = document.activeElement; const r = a.getBoundingClientRect();
                     const bar = document.querySelector('.exam-bar').getBoundingClientRect();
                     return [a.closest('.exam-bar, header') !== null, r.top - bar.bottom, a.outerHTML.slice(0, 80)];")
                .await;
            if where_[0] == json!(true) {
                break;
            }
            if where_[1].as_f64().is_some_and(|gap| gap < 0.0) {
                hidden.push(where_[2].to_string());
            }
        }
        assert!(hidden.is_empty(), "{width} px: focused under the bar: {hidden:?}");
    }
}

/// The palette says what the autosave just stored, without a reload: a
/// screen reader hears "answered" and "flagged", and the flag is a shape
/// big enough to see, not a coloured dot.
#[tokio::test]
async fn the_palette_says_answered_and_flagged_as_soon_as_the_autosave_lands() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    start_mock(&web).await;

    let cell = web.find(".palette .cell[aria-current=page]").await;
    assert_eq!(web.accessible_name(&cell).await, "Question 1, unanswered");
    let item = read_item(&web).await;
    answer_by_clicking(&web, &item, 1, true).await;
    assert_eq!(web.accessible_name(&cell).await, "Question 1, answered", "right after the save");

    let seq = web.seq().await;
    web.click("button[value=flag]").await;
    web.wait_saved(seq).await;
    assert_eq!(web.accessible_name(&cell).await, "Question 1, answered, flagged");
    let flag = web
        .js("const s = getComputedStyle(document.querySelector('.palette .cell[aria-current=page]'), '::after');
             return [s.content, parseFloat(s.width), parseFloat(s.height), s.borderRadius];")
        .await;
    assert!(flag[0] != json!("none"), "the flagged cell has a marker: {flag}");
    assert!(flag[1].as_f64() >= Some(12.0) && flag[2].as_f64() >= Some(12.0), "a marker of 12 px or more: {flag}");
    assert_ne!(flag[3], json!("50%"), "a flag's shape, not a round dot: {flag}");

    let seq = web.seq().await;
    web.click("button[value=flag]").await;
    web.wait_saved(seq).await;
    assert_eq!(web.accessible_name(&cell).await, "Question 1, answered");
    // Answered and unanswered cells differ in their border's style, not only in colour.
    let styles = web
        .js("const s = e => getComputedStyle(e).borderTopStyle;
             return [s(document.querySelector('.palette .cell.answered')), s(document.querySelector('.palette .cell:not(.answered)'))];")
        .await;
    assert_ne!(styles[0], styles[1], "answered and unanswered: {styles}");
}

/// As a test centre does: a visible warning, announced, at 15 and at 5
/// minutes left; a page loaded later shows it without announcing it again.
#[tokio::test]
async fn warnings_at_15_and_5_minutes_left_are_shown_and_announced_once() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    let id = start_mock(&web).await;
    assert_eq!(web.text("#time-warning").await, "", "no warning with 130 minutes left");

    let warning = async |expected: &str, live: &str| {
        web.wait_for_text("#time-warning", expected).await;
        assert_eq!(web.attr("#time-warning", "aria-live").await.as_deref(), Some(live), "{expected}");
        let height = web.js("return document.getElementById('time-warning').getBoundingClientRect().height").await;
        assert!(height.as_f64() > Some(10.0), "the warning is visible: {height}");
    };

    app.clock.advance(Duration::minutes(116));
    web.goto(&format!("/attempts/{id}/items/2")).await;
    warning("Less than 15 minutes left.", "assertive").await;
    web.goto(&format!("/attempts/{id}/items/3")).await;
    warning("Less than 15 minutes left.", "off").await;

    app.clock.advance(Duration::minutes(10));
    web.goto(&format!("/attempts/{id}/items/3")).await;
    warning("Less than 5 minutes left.", "assertive").await;
    web.goto(&format!("/attempts/{id}/review")).await;
    warning("Less than 5 minutes left.", "off").await;
}

/// Once a practice item is checked its radios are disabled (greyed out):
/// the chosen option still says so, in words beside it and with a ring.
/// And the result's title keeps the exam code whole at 1280 px.
#[tokio::test]
async fn the_checked_answer_stays_visible_and_the_result_keeps_the_exam_code_whole() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register(&web).await;
    web.goto("/exams/mla-c01").await;
    web.fill("#practice-count", "10").await;
    web.click("section[aria-labelledby='practice-h'] button[type=submit]").await;
    web.wait_for_item(1, 10).await;

    let mut checked = 0;
    for n in 1..=10 {
        let item = read_item(&web).await;
        if item.kind == "single" || item.kind == "multiple" {
            answer_by_clicking(&web, &item, n, true).await;
            web.click("button[value=check]").await;
            web.wait_for_element(".feedback").await;
            let marks = web
                .js("return [...document.querySelectorAll('fieldset.options .option')].map(o => {
                        const m = o.querySelector('.chosen-mark'); const r = m && m.getBoundingClientRect();
                        return [o.querySelector('input').checked, m ? m.textContent.trim() : null, r ? r.width * r.height : 0,
                                getComputedStyle(o).boxShadow !== 'none'];
                     });")
                .await;
            for (i, m) in marks.as_array().unwrap().iter().enumerate() {
                if m[0] == json!(true) {
                    assert_eq!(m[1], json!("Your answer"), "item {n}, option {i}: the chosen one says so: {marks}");
                    assert!(
                        m[2].as_f64() > Some(100.0) && m[3] == json!(true),
                        "item {n}, option {i} is seen chosen: {marks}"
                    );
                } else {
                    assert_eq!(m[1], Value::Null, "item {n}, option {i} was not chosen: {marks}");
                }
            }
            checked += 1;
        }
        if n < 10 {
            web.click("button[value=next]").await;
            web.wait_for_item(n + 1, 10).await;
        }
    }
    assert!(checked > 0, "ten items hold a single or multiple one");

    web.click(".palette button[value=review]").await;
    web.wait_for_path("/review").await;
    web.click(".submit-form button[type=submit]").await;
    web.accept_confirm().await;
    web.wait_for_path("/result").await;
    for width in [1280, 1024, 375] {
        web.window_size(width, 900).await;
        let lines = web
            .js("const h = document.querySelector('h1'); const i = h.textContent.indexOf('MLA-C01');
                 const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
                 for (let n; (n = walker.nextNode()); ) {
                     const at = n.data.indexOf('MLA-C01');
                     if (at < 0) continue;
                     const r = document.createRange(); r.setStart(n, at); r.setEnd(n, at + 7);
                     return [i, new Set([...r.getClientRects()].map(x => Math.round(x.top))).size];
                 }
                 return [i, 0];")
            .await;
        assert_eq!(lines, json!([lines[0].clone(), 1]), "{width} px: MLA-C01 on one line of the title");
    }
}
