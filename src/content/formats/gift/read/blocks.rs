//! The first pass over a GIFT file: questions are blocks of lines between
//! blank lines, `//` lines are comments, and a backslash escapes the next
//! character. Each character keeps its line and column for the problems.

use super::super::escaped;

/// A line of a block, trimmed as Moodle trims it; `indent` is how many
/// characters the trim took from its start, for columns.
pub struct Line<'a> {
    pub number: usize,
    pub indent: usize,
    pub text: &'a str,
}

#[derive(Default)]
pub struct Block<'a> {
    pub lines: Vec<Line<'a>>,
    /// `(line number, text)` of the block's `//` lines.
    pub comments: Vec<(usize, &'a str)>,
}

pub fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut current = Block::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            if !current.lines.is_empty() || !current.comments.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else if line.starts_with("//") {
            current.comments.push((i + 1, line));
        } else {
            let indent = raw.chars().count() - raw.trim_start().chars().count();
            current.lines.push(Line { number: i + 1, indent, text: line });
        }
    }
    if !current.lines.is_empty() || !current.comments.is_empty() {
        out.push(current);
    }
    out
}

/// A character of a question with its escape resolved: `\{` is a `{` that
/// is text, not syntax.
#[derive(Debug, Clone, Copy)]
pub struct Ch {
    pub c: char,
    pub escaped: bool,
    pub line: usize,
    pub column: usize,
}

/// The characters of a block's lines, joined by line breaks.
pub fn resolve(lines: &[Line]) -> Vec<Ch> {
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            out.push(Ch { c: '\n', escaped: false, line: line.number, column: line.indent });
        }
        let chars: Vec<char> = line.text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let (number, column) = (line.number, line.indent + i + 1);
            match chars.get(i + 1).copied().and_then(escaped) {
                Some(e) if chars[i] == '\\' => {
                    out.push(Ch { c: e, escaped: true, line: number, column });
                    i += 2;
                }
                _ => {
                    out.push(Ch { c: chars[i], escaped: false, line: number, column });
                    i += 1;
                }
            }
        }
    }
    out
}

pub fn trim(chs: &[Ch]) -> &[Ch] {
    let start = chs.iter().position(|c| !c.c.is_whitespace()).unwrap_or(chs.len());
    let end = chs.iter().rposition(|c| !c.c.is_whitespace()).map_or(start, |e| e + 1);
    &chs[start..end.max(start)]
}

pub fn string(chs: &[Ch]) -> String {
    chs.iter().map(|c| c.c).collect()
}

fn matches_at(chs: &[Ch], at: usize, pattern: &[char]) -> bool {
    chs.len() >= at + pattern.len()
        && pattern.iter().enumerate().all(|(k, &p)| !chs[at + k].escaped && chs[at + k].c == p)
}

/// The first place from `from` where `pattern` stands unescaped.
pub fn find(chs: &[Ch], from: usize, pattern: &str) -> Option<usize> {
    let pattern: Vec<char> = pattern.chars().collect();
    (from..chs.len()).find(|&i| matches_at(chs, i, &pattern))
}

/// The last place where `pattern` stands unescaped.
pub fn rfind(chs: &[Ch], pattern: &str) -> Option<usize> {
    let pattern: Vec<char> = pattern.chars().collect();
    (0..chs.len()).rev().find(|&i| matches_at(chs, i, &pattern))
}

/// Splits at each unescaped marker: the trimmed text before the first one,
/// then each marker with the text up to the next.
pub fn split<'a>(chs: &'a [Ch], markers: &[char]) -> (&'a [Ch], Vec<(Ch, &'a [Ch])>) {
    let starts: Vec<usize> = (0..chs.len()).filter(|&i| !chs[i].escaped && markers.contains(&chs[i].c)).collect();
    let lead = trim(&chs[..starts.first().copied().unwrap_or(chs.len())]);
    let pieces = starts
        .iter()
        .enumerate()
        .map(|(n, &s)| (chs[s], &chs[s + 1..starts.get(n + 1).copied().unwrap_or(chs.len())]))
        .collect();
    (lead, pieces)
}
