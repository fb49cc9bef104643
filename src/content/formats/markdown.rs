//! Our own Markdown (docs/question-format.md) as one more format: the
//! reader wraps `content::parse::parse_file`, the writer writes what it
//! reads back identically. A text it cannot hold (an option over two
//! lines) leaves its question out, named. Our house rules (option counts,
//! a rationale everywhere, a tag) hold the bundled bank; read here, from an
//! upload or the browser's editor, they are warnings, as in other formats.

use super::{Problem, ReadQuestion, ReadSet, Written};
use crate::content::parse::parse_file;
use crate::exam::{Body, CaseStudy, Choice, Question};

pub const LOSES: &str = "Questions our Markdown cannot hold are left out and named: option, step, prompt, answer and \
    rationale texts of more than one line. A question outside our house rules (3 to 6 options for single, 5 to 7 for \
    multiple, 3 to 5 steps, 3 to 7 pairs, a rationale under each, at least one tag, an explanation, \"Select N\") is \
    written, and reading it back warns of each rule.";

/// The file name is not known here: problems carry line and question id,
/// and the caller knows which file it gave. `parse_file` is stricter than
/// `check::check` and says everything it would, so it is not called again.
pub fn read(text: &str) -> ReadSet {
    let (parsed, errors) = parse_file("", text);
    let problems = errors
        .into_iter()
        .map(|e| {
            // Our house rules hold the bundled bank; a set brought in or
            // edited is only warned, as the other formats are.
            let problem =
                if e.house_rule { Problem::warning(e.line, e.message) } else { Problem::error(e.line, e.message) };
            match e.question {
                Some(id) => problem.for_question(id),
                None => problem,
            }
        })
        .collect();
    ReadSet {
        questions: parsed
            .questions
            .into_iter()
            .map(|q| ReadQuestion { line: q.line, category: None, question: q.value })
            .collect(),
        cases: parsed.cases.into_iter().map(|c| c.value).collect(),
        problems,
    }
}

/// Case studies first, then the questions, each in the order given.
pub fn write(questions: &[Question], cases: &[CaseStudy]) -> Written {
    let mut out = Written::default();
    let mut unwritable: Vec<(&str, String)> = Vec::new();
    for case in cases {
        match holds_case(case) {
            Ok(()) => out.text.push_str(&case_block(case)),
            Err(reason) => {
                out.losses.push((case.id.clone(), format!("the case study cannot be written: {reason}")));
                unwritable.push((case.id.as_str(), reason));
            }
        }
    }
    for q in questions {
        if let Some(id) = &q.case {
            if let Some((_, reason)) = unwritable.iter().find(|(c, _)| c == id) {
                out.losses.push((q.id.clone(), format!("its case study `{id}` cannot be written: {reason}")));
                continue;
            }
            if !cases.iter().any(|c| &c.id == id) {
                out.losses.push((q.id.clone(), format!("its case study `{id}` is not in the set")));
                continue;
            }
        }
        let block = question_block(q);
        match holds(q, &block) {
            Ok(()) => out.text.push_str(&block),
            Err(reason) => out.losses.push((q.id.clone(), reason)),
        }
    }
    out
}

fn case_block(case: &CaseStudy) -> String {
    format!("## Case study {}\n\ntitle: {}\n\n{}\n\n", case.id, case.title, case.scenario)
}

fn question_block(q: &Question) -> String {
    let mut s = format!("## Question {}\n\n", q.id);
    s += &format!("domain: {}\nkind: {}\ndifficulty: {}\n", q.domain, q.body.kind(), q.difficulty.as_str());
    s += &format!("tags: {}\n", q.tags.join(", "));
    if !q.references.is_empty() {
        s += &format!("references: {}\n", q.references.join(", "));
    }
    if let Some(case) = &q.case {
        s += &format!("case: {case}\n");
    }
    s += &format!("\n{}\n\n", q.stem);
    let entry = |s: &mut String, item: String, rationale: &str| {
        s.push_str(&item);
        if !rationale.is_empty() {
            s.push_str(&format!("\n  > {rationale}"));
        }
        s.push('\n');
    };
    match &q.body {
        Body::Single { options, .. } | Body::Multiple { options, .. } => {
            let keyed = |i: usize| match &q.body {
                Body::Single { key, .. } => *key == i,
                Body::Multiple { key, .. } => key.contains(&i),
                _ => false,
            };
            s += "### Options\n\n";
            for (i, o) in options.iter().enumerate() {
                let mark = if keyed(i) { "x" } else { " " };
                entry(&mut s, format!("- [{mark}] {}", o.text), &o.rationale);
            }
        }
        Body::Ordering { steps } => {
            s += "### Steps\n\n";
            for (i, step) in steps.iter().enumerate() {
                entry(&mut s, format!("{}. {}", i + 1, step.text), &step.rationale);
            }
        }
        Body::Matching { pairs, extra_answers } => {
            s += "### Pairs\n\n";
            for p in pairs {
                entry(&mut s, format!("- {} => {}", p.prompt, p.answer), &p.rationale);
            }
            if !extra_answers.is_empty() {
                s += "\n### Extra answers\n\n";
                for a in extra_answers {
                    entry(&mut s, format!("- {}", a.text), &a.rationale);
                }
            }
        }
    }
    s += &format!("\n### Explanation\n\n{}\n\n", q.explanation);
    s
}

fn choices<'a>(what: &str, choices: &'a [Choice]) -> Vec<(String, &'a str)> {
    choices
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            [
                (format!("{what} {}", i + 1), c.text.as_str()),
                (format!("the rationale of {what} {}", i + 1), c.rationale.as_str()),
            ]
        })
        .collect()
}

/// The one-line texts of a question, named for a loss report.
fn one_line_texts(body: &Body) -> Vec<(String, &str)> {
    match body {
        Body::Single { options, .. } | Body::Multiple { options, .. } => choices("option", options),
        Body::Ordering { steps } => choices("step", steps),
        Body::Matching { pairs, extra_answers } => {
            let mut texts: Vec<(String, &str)> = pairs
                .iter()
                .enumerate()
                .flat_map(|(i, p)| {
                    [
                        (format!("prompt {}", i + 1), p.prompt.as_str()),
                        (format!("answer {}", i + 1), p.answer.as_str()),
                        (format!("the rationale of pair {}", i + 1), p.rationale.as_str()),
                    ]
                })
                .collect();
            texts.extend(choices("extra answer", extra_answers));
            texts
        }
    }
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Whether `block` reads back as exactly `q`, and if not, why.
fn holds(q: &Question, block: &str) -> Result<(), String> {
    if let Some((what, _)) = one_line_texts(&q.body).into_iter().find(|(_, t)| t.contains(['\n', '\r'])) {
        return Err(format!("{what} runs over more than one line"));
    }
    if let Body::Matching { pairs, .. } = &q.body
        && let Some(i) = pairs.iter().position(|p| p.prompt.contains("=>"))
    {
        return Err(format!("prompt {} holds `=>`, which our Markdown puts between prompt and answer", i + 1));
    }
    // An open code fence would swallow the questions after this one.
    if block.lines().filter(|l| is_fence(l)).count() % 2 == 1 {
        return Err("a code fence in its texts is not closed".into());
    }
    let (parsed, errors) = parse_file("", block);
    if let Some(e) = errors.iter().find(|e| !e.house_rule) {
        return Err(e.message.clone());
    }
    match parsed.questions.as_slice() {
        [one] if one.value == *q => Ok(()),
        _ => Err("its texts do not read back the same from our Markdown (spaces at the ends of a text or line, or \
                  lines that read as headings)"
            .into()),
    }
}

fn holds_case(case: &CaseStudy) -> Result<(), String> {
    let block = case_block(case);
    if case.title.contains(['\n', '\r']) {
        return Err("its title runs over more than one line".into());
    }
    if block.lines().filter(|l| is_fence(l)).count() % 2 == 1 {
        return Err("a code fence in its scenario is not closed".into());
    }
    let (parsed, errors) = parse_file("", &block);
    if let Some(e) = errors.first() {
        return Err(e.message.clone());
    }
    match parsed.cases.as_slice() {
        [one] if one.value == *case => Ok(()),
        _ => Err("its texts do not read back the same from our Markdown".into()),
    }
}

#[cfg(test)]
mod tests;
