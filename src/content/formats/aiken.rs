//! Aiken, Moodle's simplest question format (docs/formats/aiken.md): read
//! only. A question is its text, options `A. text` or `A) text` in letter
//! order, and `ANSWER: B`. Single-answer questions only, with no feedback
//! and no names, so ids are hashes of the texts.

use crate::content::formats::{Problem, ReadQuestion, ReadSet, check, identity};
use crate::exam::{Body, Choice, Difficulty, Question};

pub fn read(text: &str) -> ReadSet {
    if !text.lines().any(|l| l.trim_start().starts_with("ANSWER:")) {
        let message = "no Aiken questions found: expected a question, its options `A. text` and an `ANSWER: A` line";
        return ReadSet { problems: vec![Problem::error(1, message)], ..ReadSet::default() };
    }
    let mut reader = Reader::default();
    for (i, raw) in text.lines().enumerate() {
        reader.line(i + 1, raw.trim());
    }
    if let Some(pending) = reader.pending.take() {
        reader.missing_answer(pending);
    }
    let count = reader.set.questions.len();
    if count > 0 {
        // Aiken cannot carry feedback: one warning for the file, not two per question.
        let message =
            format!("Aiken files hold no feedback: the {count} questions have no explanation and no option rationales");
        reader.set.problems.insert(0, Problem::warning(1, message));
    }
    reader.set
}

/// A question being read: its text lines, then its options.
struct Pending {
    line: usize,
    stem: Vec<String>,
    options: Vec<(char, String)>,
}

#[derive(Default)]
struct Reader {
    set: ReadSet,
    pending: Option<Pending>,
}

/// `A. text` or `A) text`: the letter and the text.
fn option(line: &str) -> Option<(char, &str)> {
    let mut chars = line.chars();
    let letter = chars.next().filter(char::is_ascii_uppercase)?;
    let rest = chars.as_str().strip_prefix(['.', ')'])?;
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| (letter, rest.trim()))
}

impl Reader {
    fn line(&mut self, number: usize, line: &str) {
        if line.is_empty() {
            return;
        }
        if let Some(answer) = line.strip_prefix("ANSWER:") {
            match self.pending.take() {
                Some(pending) => self.finish(pending, number, answer.trim()),
                None => self.set.problems.push(Problem::error(number, "an `ANSWER:` line with no question before it")),
            }
            return;
        }
        let has_options = self.pending.as_ref().is_some_and(|p| !p.options.is_empty());
        let has_stem = self.pending.as_ref().is_some_and(|p| !p.stem.is_empty());
        match (option(line), &mut self.pending) {
            (Some((letter, text)), Some(pending)) if has_stem => {
                let expected = pending.options.last().map_or('A', |(l, _)| (*l as u8 + 1) as char);
                if letter != expected {
                    let message =
                        format!("option {letter} where {expected} should come: options run A, B, C, … in order");
                    self.set.problems.push(Problem::error(number, message));
                }
                pending.options.push((letter, text.to_string()));
            }
            (_, Some(pending)) if !has_options => pending.stem.push(line.to_string()),
            _ => {
                // Text after options: the question before had no ANSWER line.
                if let Some(pending) = self.pending.take() {
                    self.missing_answer(pending);
                }
                self.pending = Some(Pending { line: number, stem: vec![line.to_string()], options: Vec::new() });
            }
        }
    }

    fn missing_answer(&mut self, pending: Pending) {
        self.set.problems.push(Problem::error(pending.line, "the question has no `ANSWER:` line after its options"));
    }

    fn finish(&mut self, pending: Pending, answer_line: usize, answer: &str) {
        let line = pending.line;
        if pending.options.len() < 2 {
            let message = format!("a question needs at least 2 options, found {}", pending.options.len());
            self.set.problems.push(Problem::error(line, message));
            return;
        }
        let stem = pending.stem.join("\n");
        let options: Vec<Choice> =
            pending.options.iter().map(|(_, t)| Choice { text: t.clone(), rationale: String::new() }).collect();
        let id = identity::hashed(&stem, options.iter().map(|o| o.text.as_str()));
        let key = pending.options.iter().position(|(l, _)| answer.len() == 1 && answer.starts_with(*l));
        let Some(key) = key else {
            let last = pending.options.last().map_or('A', |(l, _)| *l);
            let message = format!("`ANSWER: {answer}` names no option: the options are A to {last}");
            self.set.problems.push(Problem::error(answer_line, message).for_question(id));
            return;
        };
        let question = Question {
            id: id.clone(),
            domain: String::new(),
            difficulty: Difficulty::Medium,
            tags: Vec::new(),
            references: Vec::new(),
            case: None,
            stem,
            explanation: String::new(),
            body: Body::Single { options, key },
        };
        let findings = check::check(&question);
        let problem = |p: Problem| p.for_question(id.clone());
        self.set.problems.extend(findings.errors.into_iter().map(|e| problem(Problem::error(line, e))));
        // The feedback warnings are said once for the whole file (see `read`).
        let warnings = findings.warnings.into_iter().filter(|w| !w.contains("feedback"));
        self.set.problems.extend(warnings.map(|w| problem(Problem::warning(line, w))));
        self.set.questions.push(ReadQuestion { line, category: None, question });
    }
}

#[cfg(test)]
mod tests;
