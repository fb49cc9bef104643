//! Markdown to safe HTML. pulldown-cmark passes raw HTML through, so every
//! rendering goes through ammonia afterwards.

use pulldown_cmark::{CowStr, Event, Options, Parser, html};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders a block of Markdown (a stem, an explanation) to sanitized HTML.
pub fn render(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    let events = Parser::new_ext(markdown, options()).flat_map(|event| match event {
        Event::Code(code) => breakable_code(code),
        other => vec![other],
    });
    html::push_html(&mut out, events);
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

/// Inline code with a line-break opportunity (`<wbr>`) where a long
/// identifier reads as two: after `:`, `/`, `.` or `_`, and between the
/// humps of camelCase. A phone then breaks `AWS::SageMaker::EndpointConfig`
/// after a `::` and `SageMakerVariantInvocationsPerInstance` between words,
/// never mid-word; short code is left alone. The text stays a text event,
/// so it is escaped as any other.
fn breakable_code(code: CowStr<'_>) -> Vec<Event<'_>> {
    const LONG: usize = 16;
    let wbr = || Event::InlineHtml(CowStr::Borrowed("<wbr>"));
    let mut events = vec![Event::InlineHtml(CowStr::Borrowed("<code>"))];
    if code.chars().count() < LONG {
        events.push(Event::Text(code));
    } else {
        let chars: Vec<char> = code.chars().collect();
        let mut piece = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let hump = i > 0 && c.is_uppercase() && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            if hump && !piece.is_empty() {
                events.push(Event::Text(CowStr::from(std::mem::take(&mut piece))));
                events.push(wbr());
            }
            piece.push(c);
            let after_punctuation = matches!(c, ':' | '/' | '.' | '_')
                && chars.get(i + 1).is_some_and(|n| !matches!(n, ':' | '/' | '.' | '_'));
            if after_punctuation && i + 1 < chars.len() {
                events.push(Event::Text(CowStr::from(std::mem::take(&mut piece))));
                events.push(wbr());
            }
        }
        events.push(Event::Text(CowStr::from(piece)));
    }
    events.push(Event::InlineHtml(CowStr::Borrowed("</code>")));
    events
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
    fn long_code_may_break_between_words_and_short_code_is_left_alone() {
        assert_eq!(render_inline("`kms:Decrypt`"), "<code>kms:Decrypt</code>");
        assert_eq!(
            render_inline("`AWS::SageMaker::EndpointConfig`"),
            "<code>AWS::<wbr>Sage<wbr>Maker::<wbr>Endpoint<wbr>Config</code>"
        );
        assert_eq!(
            render_inline("`sagemaker:VolumeKmsKey` and `a<b>_c`"),
            "<code>sagemaker:<wbr>Volume<wbr>Kms<wbr>Key</code> and <code>a&lt;b&gt;_c</code>"
        );
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
