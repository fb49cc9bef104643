//! GIFT, Moodle's plain-text question format (docs/formats/gift.md): read
//! and write. Single and multiple-answer choice, true/false and matching
//! questions map onto ours; what GIFT has no place for (difficulty, tags,
//! references, case studies, matching rationales) travels in
//! `// mockexam: key=value` comment lines, which Moodle ignores.

mod read;
#[cfg(test)]
mod tests;
mod write;

pub use read::read;
pub use write::{LOSES, write};

/// What starts our comment lines.
const META: &str = "// mockexam:";

/// Escapes a text for GIFT as Moodle does: a backslash before each of
/// `\ ~ = # { } :`, and `\n` for a line break, so a text always stays on
/// one line of the file (a blank line would end the question). A carriage
/// return has no escape and is dropped, as Moodle drops it.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// The characters a backslash escapes when reading. `>` is ours, not
/// Moodle's: the writer puts `-\>` for a `->` inside a matching prompt,
/// which would otherwise end the prompt (Markdown shows `\>` as `>` too).
fn escaped(c: char) -> Option<char> {
    match c {
        '\\' | '~' | '=' | '#' | '{' | '}' | ':' | '>' => Some(c),
        'n' => Some('\n'),
        _ => None,
    }
}

/// Reverses [`escape`] on a comment value.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek().copied().and_then(escaped) {
            Some(e) if c == '\\' => {
                out.push(e);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// What a case-study question's text starts with in a GIFT file: its
/// scenario and a rule, so a Moodle learner sees the scenario too. The
/// reader takes it off again when the question names the case study.
/// None for an empty scenario: a file's texts are trimmed, so a prefix of
/// only a rule would not come back whole.
fn case_prefix(scenario: &str) -> Option<String> {
    let scenario = scenario.trim();
    (!scenario.is_empty()).then(|| format!("{scenario}\n\n---\n\n"))
}
