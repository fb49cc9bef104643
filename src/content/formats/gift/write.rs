//! Writes questions as GIFT that Moodle imports: each question named by its
//! id, texts as `[markdown]`, the domain as the category, and our metadata
//! in `// mockexam:` comments just above the question.

use super::{META, case_prefix, escape};
use crate::content::formats::Written;
use crate::exam::{Body, CaseStudy, Question};

pub const LOSES: &str = "Ordering questions, which GIFT cannot hold, are left out; Moodle itself ignores the \
                         `// mockexam:` comments that carry difficulty, tags, references, case studies and \
                         matching rationales.";

pub fn write(questions: &[Question], cases: &[CaseStudy]) -> Written {
    let mut out = format!("// Written by mockexam. Lines starting with `{META}` carry what GIFT has no place for.\n");
    let mut losses = Vec::new();
    let mut written = Vec::new();
    for q in questions {
        if matches!(q.body, Body::Ordering { .. }) {
            losses.push((q.id.clone(), "an ordering question: GIFT has none, so it is left out".to_string()));
        } else {
            if crate::content::formats::identity::slug(&q.id).as_deref() != Some(q.id.as_str()) {
                losses.push((q.id.clone(), "the id is not a valid GIFT name of 64 characters or fewer".to_string()));
            }
            written.push(q);
        }
    }
    for case in cases.iter().filter(|c| written.iter().any(|q| q.case.as_deref() == Some(c.id.as_str()))) {
        out.push('\n');
        meta(&mut out, "case-study", &case.id);
        meta(&mut out, "title", &case.title);
        meta(&mut out, "scenario", &case.scenario);
    }
    let mut category = None;
    for q in written {
        if category != Some(q.domain.as_str()) {
            let path = if q.domain.is_empty() { String::new() } else { format!("/{}", q.domain) };
            out.push_str(&format!("\n$CATEGORY: $course$/top{path}\n"));
            category = Some(q.domain.as_str());
        }
        out.push('\n');
        question(&mut out, q, cases);
    }
    Written { text: out, losses }
}

fn meta(out: &mut String, key: &str, value: &str) {
    out.push_str(&format!("{META} {key}={}\n", escape(value)));
}

/// An option, feedback or prompt: escaped, and marked `[markdown]` when it
/// starts with `[`, which would otherwise read as a format name.
fn text(t: &str) -> String {
    if t.starts_with('[') { format!("[markdown]{}", escape(t)) } else { escape(t) }
}

fn feedback(rationale: &str) -> String {
    if rationale.is_empty() { String::new() } else { format!("#{}", text(rationale)) }
}

/// Moodle's own weights for 1/2, 1/3, …: five decimals, no trailing zeros.
fn weight(keys: usize) -> String {
    let w = format!("{:.5}", 100.0 / keys as f64);
    w.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn question(out: &mut String, q: &Question, cases: &[CaseStudy]) {
    meta(out, "difficulty", q.difficulty.as_str());
    if !q.tags.is_empty() {
        meta(out, "tags", &q.tags.join(", "));
    }
    if !q.references.is_empty() {
        meta(out, "references", &q.references.join(", "));
    }
    let mut stem = q.stem.clone();
    if let Some(case) = &q.case {
        meta(out, "case", case);
        if let Some(prefix) = cases.iter().find(|c| &c.id == case).and_then(|c| case_prefix(&c.scenario)) {
            stem = format!("{prefix}{stem}");
        }
    }
    if let Body::Matching { pairs, extra_answers } = &q.body {
        for (n, p) in pairs.iter().enumerate().filter(|(_, p)| !p.rationale.is_empty()) {
            meta(out, &format!("pair {}", n + 1), &p.rationale);
        }
        for (n, e) in extra_answers.iter().enumerate().filter(|(_, e)| !e.rationale.is_empty()) {
            meta(out, &format!("extra {}", n + 1), &e.rationale);
        }
    }
    out.push_str(&format!("::{}::[markdown]{}{{\n", escape(&q.id), escape(&stem)));
    match &q.body {
        Body::Single { options, key } => {
            for (i, o) in options.iter().enumerate() {
                // A wrong answer starting with `%` would read as a weight: give it one.
                let marker = match (i == *key, o.text.starts_with('%')) {
                    (true, _) => "=",
                    (false, true) => "~%0%",
                    (false, false) => "~",
                };
                out.push_str(&format!("\t{marker}{}{}\n", text(&o.text), feedback(&o.rationale)));
            }
        }
        Body::Multiple { options, key } => {
            let right = weight(key.len());
            for (i, o) in options.iter().enumerate() {
                let w = if key.contains(&i) { right.as_str() } else { "-100" };
                out.push_str(&format!("\t~%{w}%{}{}\n", text(&o.text), feedback(&o.rationale)));
            }
        }
        Body::Matching { pairs, extra_answers } => {
            for p in pairs {
                let prompt = text(&p.prompt).replace("->", "-\\>");
                out.push_str(&format!("\t={prompt} -> {}\n", escape(&p.answer)));
            }
            for e in extra_answers {
                out.push_str(&format!("\t= -> {}\n", escape(&e.text)));
            }
        }
        // Left out by `write` before it gets here.
        Body::Ordering { .. } => {}
    }
    if !q.explanation.is_empty() {
        out.push_str(&format!("\t####{}\n", text(&q.explanation)));
    }
    out.push_str("}\n");
}
