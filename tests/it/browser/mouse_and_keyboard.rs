//! Whole attempts with the script on: a practice taken by mouse and checked
//! item by item, and a full mock taken by keyboard with flags, the palette
//! and a reload half-way.

use std::collections::BTreeSet;

use super::learner::{
    answer_by_clicking, answer_by_keyboard, by_key, check_result, is_mock_clock, read_item, register, shown_answer,
    start_mock,
};
use super::web::Web;
use crate::helpers::TestApp;

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

    start_mock(&web).await;
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
