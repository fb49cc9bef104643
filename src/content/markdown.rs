//! Markdown to safe HTML. pulldown-cmark passes raw HTML through, so every
//! rendering goes through ammonia afterwards.

use pulldown_cmark::{Options, Parser, html};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders a block of Markdown (a stem, an explanation) to sanitized HTML.
pub fn render(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options()));
    wrap_tables(&ammonia::clean(&out))
}

/// The start of the box each table sits in: a table wider than a phone
/// scrolls inside it, so the box is labelled and focusable (a keyboard user
/// can scroll it, a screen reader names it), and the CSS shows that it
/// scrolls. A group, not a region: a page may hold several tables with the
/// same label, and regions are landmarks that must be told apart (axe:
/// landmark-unique). Added after ammonia, which would strip `tabindex`: once
/// sanitized, a literal `<table>` can only be a real table (text comes out
/// as `&lt;table&gt;`), and what we add is fixed markup.
const TABLE_BOX: &str = r#"<div class="table-scroll" role="group" tabindex="0" aria-label="Table, scrolls sideways if wider than the screen">"#;

fn wrap_tables(html: &str) -> String {
    if !html.contains("<table>") {
        return html.to_string();
    }
    html.replace("<table>", &format!("{TABLE_BOX}<table>")).replace("</table>", "</table></div>")
}

/// Renders one line (an option, a step) without the paragraph around it.
pub fn render_inline(markdown: &str) -> String {
    let html = render(markdown);
    let trimmed = html.trim();
    match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_scripts_are_removed() {
        let html = render("Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn tables_and_code_survive() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nlog line\n```\n");
        assert!(html.contains("<table>") && html.contains("<td>1</td>"), "{html}");
        assert!(html.contains("<pre><code>log line"), "{html}");
    }

    #[test]
    fn a_table_sits_in_a_labelled_focusable_box_and_text_cannot_fake_one() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.starts_with(TABLE_BOX) && html.trim_end().ends_with("</table></div>"), "{html}");
        let fake = render("Write `<table>` or &lt;table&gt; in text.");
        assert!(!fake.contains("table-scroll"), "{fake}");
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(render_inline("Use `S3` *now*"), "Use <code>S3</code> <em>now</em>");
    }
}
