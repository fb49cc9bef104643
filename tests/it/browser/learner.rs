//! What a learner does on the exam's pages, read and done through [`Web`]:
//! register, read an item, answer it by mouse or keyboard, read back the
//! answer shown, check the result page.

use fantoccini::elements::Element;

use super::web::Web;

/// The password every browser test registers with.
pub(super) const PASSWORD: &str = "correct horse battery staple";

/// Registers Lena, a learner, through the form, as a person would.
pub(super) async fn register(web: &Web) {
    register_as(web, "Lena Learner", "lena@example.org").await;
}

/// Registers `name` through the form and stays logged in; every account
/// starts as a learner (`TestApp::set_role` makes staff).
pub(super) async fn register_as(web: &Web, name: &str, email: &str) {
    web.goto("/register").await;
    web.fill("#display_name", name).await;
    web.fill("#email", email).await;
    web.fill("#password", PASSWORD).await;
    web.fill("#password_confirm", PASSWORD).await;
    web.click("form[action='/register'] button[type=submit]").await;
    web.wait_for_element("form[action='/logout']").await;
}

/// Starts a mock exam from the exam's page, as a learner clicks it, waits
/// for its first item, and returns the attempt's id.
pub(super) async fn start_mock(web: &Web) -> uuid::Uuid {
    web.goto("/exams/mla-c01").await;
    web.click("section[aria-labelledby='mock-h'] button[type=submit]").await;
    web.wait_for_item(1, 65).await;
    attempt_id(web).await
}

/// The attempt whose page is shown.
pub(super) async fn attempt_id(web: &Web) -> uuid::Uuid {
    let path = web.path().await;
    let id = path.strip_prefix("/attempts/").and_then(|p| p.split('/').next());
    id.and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("an attempt's page, not {path}"))
}

/// What an item asks for, read from its page.
pub(super) struct Item {
    pub(super) kind: String,
    /// Single and multiple: how many options there are.
    pub(super) options: usize,
    /// Multiple: how many to choose.
    pub(super) choose: usize,
    /// Ordering and matching: the selects.
    pub(super) selects: Vec<Element>,
}

pub(super) async fn read_item(web: &Web) -> Item {
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
pub(super) enum Answer {
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
pub(super) async fn answer_by_clicking(web: &Web, item: &Item, n: usize, autosave: bool) -> Answer {
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
pub(super) async fn answer_by_keyboard(web: &Web, item: &Item, n: usize) -> Answer {
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
pub(super) async fn by_key(web: &Web, item: &Item, key: &str, button: &str) {
    if item.selects.is_empty() {
        web.press(key).await;
    } else {
        web.click(&format!("button[value={button}]")).await;
    }
}

/// The answer the item page shows now.
pub(super) async fn shown_answer(web: &Web, item: &Item) -> Answer {
    match item.kind.as_str() {
        "single" | "multiple" => {
            let mut chosen = Vec::new();
            for (i, input) in web.find_all("input[name=choice]").await.iter().enumerate() {
                if web.is_selected(input).await {
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
                values.push(format!("{name}={}", value.unwrap_or_default()));
            }
            values.sort();
            Answer::Selects(values)
        }
    }
}

/// `130:00`-style: 120 to 139 minutes left.
pub(super) fn is_mock_clock(text: &str) -> bool {
    let Some((minutes, seconds)) = text.split_once(':') else { return false };
    let m = minutes.as_bytes();
    m.len() == 3
        && m[0] == b'1'
        && matches!(m[1], b'2' | b'3')
        && m[2].is_ascii_digit()
        && seconds.len() == 2
        && seconds.bytes().all(|b| b.is_ascii_digit())
}

/// Checks the result page, its index of every item and the first page of
/// ten reviewed items: a full mock's score
/// card shows a scaled score on the exam's scale; a short practice's shows
/// its weighted percent and no verdict.
pub(super) async fn check_result(web: &Web, items: usize) {
    web.wait_for_element(".score-card").await;
    let number = web.text(".score-card .scaled .number").await;
    if items == 65 {
        let scaled: u32 = number.parse().expect("a scaled score");
        assert!((100..=1000).contains(&scaled), "scaled score {scaled}");
    } else {
        let percent: f64 = number.strip_suffix('%').and_then(|p| p.parse().ok()).expect("a weighted percent");
        assert!((0.0..=100.0).contains(&percent), "{number}");
        assert!(web.text(".score-card .verdict").await.starts_with("No scaled score"));
    }
    assert_eq!(web.count(".question-index li").await, items);
    assert_eq!(web.count("article.result-item").await, items.min(10));
}
