//! The texts of a GIFT question: Moodle's `[html]`, `[markdown]`, `[plain]`
//! and `[moodle]` prefixes, and how each becomes our Markdown.

use super::blocks::{Ch, string, trim};

/// How Moodle reads a text: the `[name]` before it, else its question's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    Moodle,
    Html,
    Plain,
    Markdown,
}

impl TextFormat {
    fn parse(name: &str) -> Option<TextFormat> {
        match name {
            "moodle" => Some(TextFormat::Moodle),
            "html" => Some(TextFormat::Html),
            "plain" => Some(TextFormat::Plain),
            "markdown" => Some(TextFormat::Markdown),
            _ => None,
        }
    }
}

/// A text with its `[format]` prefix read, as our Markdown. HTML (and
/// Moodle's auto-format, which is HTML with line breaks) is kept as it is:
/// rendering sanitizes it. Plain text gets its Markdown syntax escaped.
pub fn formatted(chs: &[Ch], default: TextFormat) -> (String, TextFormat) {
    let text = string(trim(chs));
    if let Some((name, rest)) = text.strip_prefix('[').and_then(|r| r.split_once(']'))
        && let Some(format) = TextFormat::parse(name)
    {
        return (as_markdown(rest.trim(), format), format);
    }
    (as_markdown(&text, default), default)
}

fn as_markdown(text: &str, format: TextFormat) -> String {
    if format != TextFormat::Plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
