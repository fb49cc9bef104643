//! What axe cannot check about the keyboard, checked on every page that
//! `Web::visit_in_every_layout` visits: no positive `tabindex` to scramble
//! the focus order, and a visible focus ring on every stop that Tab
//! reaches, in the order of the page.

use serde_json::Value;

use super::web::Web;

/// Enough Tab presses for the first screens of any page: the result's
/// index of 65 questions comes after the score and the domains.
const MOST_STOPS: usize = 40;

const TAB: &str = "\u{E004}";

/// The focused element: a short description, whether it shows a focus ring
/// (an outline of 2 px or more, or a box shadow; the page draws none on
/// an unfocused control), and whether it follows the previous stop in the
/// page.
const FOCUSED: &str = "
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
    const prev = window.__lastFocus;
    // A date input takes Tab once per part (day, month, year): the same element.
    const after = !prev || prev === e || !prev.isConnected
        || (prev.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    window.__lastFocus = e;
    const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (e.getAttribute('href') ? '[href=' + e.getAttribute('href') + ']' : '')
        + (e.name ? '[name=' + e.name + ']' : '');
    return [name, ring, after];";

impl Web {
    pub(super) async fn assert_keyboard_focus(&self, layout: &str) {
        if let Some(problem) = self.keyboard_focus_problem().await {
            panic!("{layout}: {problem}");
        }
    }

    /// The first thing wrong with the keyboard focus on the open page.
    pub(super) async fn keyboard_focus_problem(&self) -> Option<String> {
        let positive =
            self.js("return [...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex > 0).length").await;
        if positive != 0 {
            return Some(format!("{positive} elements have a positive tabindex, which changes the focus order"));
        }
        self.js(
            "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); window.__lastFocus = null",
        )
        .await;
        let mut seen: Vec<String> = Vec::new();
        for _ in 0..MOST_STOPS {
            self.press(TAB).await;
            let focused = self.js(FOCUSED).await;
            let Some([name, ring, after]) = focused.as_array().and_then(|a| <&[Value; 3]>::try_from(a.as_slice()).ok())
            else {
                break; // focus left the page: every stop was visited
            };
            let name = name.as_str().unwrap_or_default().to_string();
            if seen.first() == Some(&name) {
                break; // round again
            }
            if ring != &Value::from(true) {
                return Some(format!("{name} shows no focus ring when reached by Tab"));
            }
            if after != &Value::from(true) {
                return Some(format!("Tab went back up the page to {name} (after {seen:?})"));
            }
            seen.push(name);
        }
        // Leave no ring behind for the screenshot taken next.
        self.js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)").await;
        seen.is_empty().then(|| "Tab reaches nothing".to_string())
    }
}
