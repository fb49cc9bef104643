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
    ammonia::clean(&out)
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
    fn inline_drops_the_paragraph() {
        assert_eq!(render_inline("Use `S3` *now*"), "Use <code>S3</code> <em>now</em>");
    }
}
