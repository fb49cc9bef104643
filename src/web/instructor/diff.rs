//! A line diff of a question's text against its current version, for the
//! preview: the longest common subsequence of lines, then each line kept,
//! removed or added. Our own few lines rather than a crate: question texts
//! are short (tens of lines), so the quadratic table costs nothing.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Same,
    Removed,
    Added,
}

impl Mark {
    /// The word a reader sees beside the line (not colour alone).
    pub fn word(self) -> &'static str {
        match self {
            Mark::Same => "",
            Mark::Removed => "removed",
            Mark::Added => "added",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Mark::Same => "same",
            Mark::Removed => "removed",
            Mark::Added => "added",
        }
    }
}

/// The lines of `old` and `new`, each marked.
pub fn lines(old: &str, new: &str) -> Vec<(Mark, String)> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((Mark::Same, a[i].to_string()));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push((Mark::Removed, a[i].to_string()));
            i += 1;
        } else {
            out.push((Mark::Added, b[j].to_string()));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_reads_as_removed_then_added() {
        let d = lines("a\nb\nc", "a\nB\nc\nd");
        let marks: Vec<_> = d.iter().map(|(m, l)| (m.word(), l.as_str())).collect();
        assert_eq!(marks, [("", "a"), ("removed", "b"), ("added", "B"), ("", "c"), ("added", "d")]);
    }
}
