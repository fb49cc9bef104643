//! Reads a GIFT file the way Moodle does (question/format/gift/format.php):
//! blank lines end a question, `//` lines are comments, a backslash escapes
//! `~ = # { } :` and makes `\n` a line break; then turns each question into
//! ours or names why it cannot be.

use super::case_prefix;
use crate::content::formats::{Problem, ReadQuestion, ReadSet, check, identity};
use crate::exam::{Body, Choice, Difficulty, Pair, Question};

mod blocks;
mod meta;
mod text;

use blocks::{Block, Ch, find, resolve, rfind, split, string, trim};
use meta::Meta;
use text::{TextFormat, formatted};

/// The most one question (a block between blank lines) may hold.
pub const MAX_QUESTION_BYTES: usize = 256 * 1024;

pub fn read(text: &str) -> ReadSet {
    if let Some(problem) = other_format(text) {
        return ReadSet { problems: vec![problem], ..ReadSet::default() };
    }
    let mut reader = Reader::default();
    for block in blocks::blocks(text) {
        reader.block(&block);
    }
    if !reader.saw_braces {
        let message = "no GIFT questions found: expected questions such as `::name:: text {=right ~wrong}`, \
                       separated by blank lines";
        return ReadSet { problems: vec![Problem::error(1, message)], ..ReadSet::default() };
    }
    reader.set
}

/// XML and JSON are told apart from GIFT by their first character (a GIFT
/// question may start with `[html]`, never with `<`, `{` or `[{`).
fn other_format(text: &str) -> Option<Problem> {
    let t = text.trim_start();
    let json_array = t.strip_prefix('[').is_some_and(|r| r.trim_start().starts_with(['{', '[', '"', ']']));
    let what = if t.starts_with('<') {
        "XML (Moodle XML?)"
    } else if t.starts_with('{') || json_array {
        "JSON"
    } else {
        return None;
    };
    Some(Problem::error(1, format!("this file looks like {what}, not GIFT: choose that format instead")))
}

#[derive(Default)]
struct Reader {
    set: ReadSet,
    category: Option<String>,
    /// Whether any block had a brace: a file without one is not GIFT.
    saw_braces: bool,
    /// The id the block being read has by its `::name::`, known before its
    /// answers are read: what names the problems of a question too broken
    /// to read.
    named: Option<String>,
}

/// One answer of a choice question.
struct Answer {
    choice: Choice,
    marked: bool,
    weight: f64,
    at: (usize, usize),
}

impl Reader {
    fn block(&mut self, block: &Block) {
        // Problems of a question name it once its id is known.
        let mut problems = Vec::new();
        let meta = Meta::parse(&block.comments, &mut problems);
        let mut lines = &block.lines[..];
        if let Some(first) = lines.first()
            && let Some(category) = first.text.strip_prefix("$CATEGORY:")
        {
            match category.trim() {
                "" => problems.push(Problem::error(first.number, "`$CATEGORY:` names no category")),
                c => self.category = Some(c.to_string()),
            }
            lines = &lines[1..];
            if let Some(next) = lines.first() {
                let message =
                    "no blank line after `$CATEGORY:`: Moodle would read this question as part of the category";
                problems.push(Problem::warning(next.number, message));
            }
        }
        let Some(first) = lines.first() else {
            self.set.cases.extend(meta.case_study);
            self.set.problems.extend(problems);
            return;
        };
        // Each character of a question is held with its place while it is
        // read (some 24 bytes): a bound on one question bounds the memory a
        // file can take, however long, since questions are read one by one.
        let bytes: usize = lines.iter().map(|l| l.text.len() + 1).sum();
        if bytes > MAX_QUESTION_BYTES {
            let message = format!(
                "this question runs to {} KB, over the {} KB one question may hold: is a blank line missing between questions?",
                bytes / 1024,
                MAX_QUESTION_BYTES / 1024
            );
            self.set.problems.push(Problem::error(first.number, message));
            return;
        }
        self.named = None;
        let question = self.question(&resolve(lines), meta, &mut problems);
        let id = question.as_ref().map(|q| q.id.clone()).or_else(|| self.named.take());
        self.set.problems.extend(problems.into_iter().map(|p| match &id {
            Some(id) => p.for_question(id.clone()),
            None => p,
        }));
        if let Some(question) = question {
            self.set.questions.push(ReadQuestion { line: first.number, category: self.category.clone(), question });
        }
    }

    /// The question of a block, or `None` (with the reason in `problems`)
    /// when it is broken or of a kind we cannot hold.
    fn question(&mut self, all: &[Ch], meta: Meta, problems: &mut Vec<Problem>) -> Option<Question> {
        let chs = trim(all);
        let line = chs.first()?.line;
        self.saw_braces |= chs.iter().any(|ch| !ch.escaped && matches!(ch.c, '{' | '}'));
        let error = |at: &Ch, message: &str| Problem::error(at.line, message).at_column(at.column);
        let (name, rest) = if find(chs, 0, "::") == Some(0) {
            let Some(end) = find(chs, 2, "::") else {
                problems.push(error(&chs[0], "the question name after `::` is not closed with `::`"));
                return None;
            };
            let name = string(trim(&chs[2..end]));
            self.named = identity::slug(&name);
            (Some(name), trim(&chs[end + 2..]))
        } else {
            (None, chs)
        };
        let (open, close) = match (find(rest, 0, "{"), find(rest, 0, "}")) {
            (Some(open), Some(close)) if open < close => (open, close),
            (None, None) => {
                let label = label(name.as_deref(), &formatted(rest, TextFormat::Moodle).0);
                problems.push(Problem::skipped(
                    line,
                    format!("a description (`{label}`) has no answers and cannot be imported"),
                ));
                return None;
            }
            (Some(open), None) => {
                problems.push(error(&rest[open], "the answers opened with `{` here are not closed with `}`"));
                return None;
            }
            (_, Some(close)) => {
                problems.push(error(&rest[close], "this `}` closes no answers: escape it as `\\}`"));
                return None;
            }
        };
        if let Some(inner) = find(&rest[..close], open + 1, "{") {
            problems.push(error(&rest[inner], "a `{` inside the answers: escape it as `\\{`"));
            return None;
        }
        let (stem, format) = formatted(&rest[..open], TextFormat::Moodle);
        let label = label(name.as_deref(), &stem);
        let mut answer = trim(&rest[open + 1..close]);
        let mut explanation = String::new();
        if let Some(general) = rfind(answer, "####") {
            explanation = formatted(&answer[general + 4..], format).0;
            answer = trim(&answer[..general]);
        }
        let skip = |kind: &str| Problem::skipped(line, format!("{kind} (`{label}`) cannot be imported"));
        let is = |ch: &Ch, c: char| !ch.escaped && ch.c == c;
        let body = if answer.is_empty() {
            problems.push(skip("an essay question"));
            return None;
        } else if is(&answer[0], '#') {
            problems.push(skip("a numerical question"));
            return None;
        } else if !trim(&rest[close + 1..]).is_empty() {
            problems.push(skip("a missing-word question"));
            return None;
        } else if answer.iter().any(|ch| is(ch, '~')) {
            choice(answer, format, line, problems)?
        } else if answer.iter().any(|ch| is(ch, '=')) && find(answer, 0, "->").is_some() {
            matching(answer, format, &meta, problems)?
        } else if let Some(body) = true_false(answer, format) {
            body
        } else {
            problems.push(skip("a short-answer question"));
            return None;
        };
        let mut question = Question {
            id: String::new(),
            domain: String::new(),
            difficulty: meta.difficulty.unwrap_or(Difficulty::Medium),
            tags: meta.tags,
            references: meta.references,
            case: None,
            stem,
            explanation,
            body,
        };
        if let Some((at, case)) = meta.case {
            match self.set.cases.iter().find(|c| c.id == case) {
                None => problems
                    .push(Problem::error(at, format!("the case study `{case}` is not defined above this question"))),
                Some(c) => {
                    let prefix = case_prefix(&c.scenario);
                    match prefix.as_deref().map(|p| question.stem.strip_prefix(p)) {
                        Some(Some(own)) => question.stem = own.to_string(),
                        Some(None) => {
                            let message = "the text does not start with its case study's scenario: kept whole";
                            problems.push(Problem::warning(line, message));
                        }
                        None => {}
                    }
                }
            }
            question.case = Some(case);
        }
        question.id = identity::id_for(name.as_deref(), &question.stem, identity::texts(&question.body));
        let findings = check::check(&question);
        problems.extend(findings.errors.into_iter().map(|e| Problem::error(line, e)));
        problems.extend(findings.warnings.into_iter().map(|w| Problem::warning(line, w)));
        Some(question)
    }
}

/// How a skipped question is named: its name, or how its text begins.
fn label(name: Option<&str>, text: &str) -> String {
    match name {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => {
            let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut short: String = one_line.chars().take(40).collect();
            if short.len() < one_line.len() {
                short.push('…');
            }
            short
        }
    }
}

fn choice(chs: &[Ch], format: TextFormat, line: usize, problems: &mut Vec<Problem>) -> Option<Body> {
    let (lead, pieces) = split(chs, &['~', '=']);
    let error = |(line, column): (usize, usize), message: String| Problem::error(line, message).at_column(column);
    if let Some(first) = lead.first() {
        problems.push(error(
            (first.line, first.column),
            "text before the first answer: start each answer with `=` or `~`".into(),
        ));
        return None;
    }
    let mut answers = Vec::new();
    for (marker, piece) in pieces {
        let at = (marker.line, marker.column);
        let mut rest = trim(piece);
        let mut weight = if marker.c == '=' { 100.0 } else { 0.0 };
        if marker.c == '~' && rest.first().is_some_and(|c| c.c == '%') {
            let end = rest.iter().skip(1).position(|c| c.c == '%').map(|p| p + 1);
            let text = string(&rest[1..end.unwrap_or(rest.len()).min(rest.len())]);
            let number = text.trim_start_matches('-');
            let plain = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.');
            match (end, text.parse::<f64>()) {
                (Some(end), Ok(w)) if plain => {
                    if !(-100.0..=100.0).contains(&w) {
                        problems.push(error(at, format!("the weight {text}% is outside -100% to 100%")));
                    }
                    weight = w;
                    rest = &rest[end + 1..];
                }
                _ => {
                    let shown: String = string(rest).chars().take(12).collect();
                    let message =
                        format!("an unknown weight in `{shown}`: write a percentage such as `~%50%` or `~%-100%`");
                    problems.push(error(at, message));
                    return None;
                }
            }
        }
        let (text, rationale) = match find(rest, 0, "#") {
            Some(hash) => (formatted(&rest[..hash], format).0, formatted(&rest[hash + 1..], format).0),
            None => (formatted(rest, format).0, String::new()),
        };
        answers.push(Answer { choice: Choice { text, rationale }, marked: marker.c == '=', weight, at });
    }
    let marked: Vec<usize> = (0..answers.len()).filter(|&i| answers[i].marked).collect();
    let positive: Vec<usize> = (0..answers.len()).filter(|&i| answers[i].weight > 0.0).collect();
    if let [_, second, ..] = marked[..] {
        let message = "more than one answer is marked `=`: a single-answer question has one correct answer \
                       (for several, give each a weight such as `~%50%`)";
        problems.push(error(answers[second].at, message.into()));
        return None;
    }
    let options = |answers: &[Answer]| answers.iter().map(|a| a.choice.clone()).collect::<Vec<_>>();
    if let [key] = marked[..] {
        for a in answers.iter().filter(|a| !a.marked && a.weight > 0.0) {
            let message = format!(
                "the {}% partial credit of `{}` is dropped: only the `=` answer earns credit",
                a.weight, a.choice.text
            );
            problems.push(Problem::warning(a.at.0, message));
        }
        return Some(Body::Single { options: options(&answers), key });
    }
    let sum: f64 = positive.iter().map(|&i| answers[i].weight).sum();
    if positive.is_empty() {
        let message =
            "no answer is correct: mark one with `=`, or give the correct ones positive weights such as `~%50%`";
        problems.push(Problem::error(line, message));
        return None;
    }
    if (sum - 100.0).abs() > 1.0 {
        let sum = (sum * 1e5).round() / 1e5;
        problems.push(Problem::error(line, format!("the weights of the correct answers add up to {sum}%, not 100%")));
        return None;
    }
    if let [key] = positive[..] {
        problems
            .push(Problem::warning(line, "only one answer has a positive weight: read as a single-answer question"));
        return Some(Body::Single { options: options(&answers), key });
    }
    Some(Body::Multiple { options: options(&answers), key: positive })
}

/// `=prompt -> answer` pairs; `= -> answer` (no prompt) is an extra answer,
/// as Moodle reads a pair without a question. GIFT has no feedback per
/// pair: rationales come from our `pair N=` / `extra N=` comments.
fn matching(chs: &[Ch], format: TextFormat, meta: &Meta, problems: &mut Vec<Problem>) -> Option<Body> {
    let (lead, pieces) = split(chs, &['=']);
    if let Some(first) = lead.first() {
        let message = "text before the first pair: start each pair with `=`";
        problems.push(Problem::error(first.line, message).at_column(first.column));
        return None;
    }
    let (mut pairs, mut extra_answers) = (Vec::new(), Vec::new());
    for (marker, piece) in pieces {
        let Some(arrow) = find(piece, 0, "->") else {
            let message = "a matching pair needs `prompt -> answer`";
            problems.push(Problem::error(marker.line, message).at_column(marker.column));
            return None;
        };
        let prompt = formatted(&piece[..arrow], format).0;
        let answer = string(trim(&piece[arrow + 2..]));
        if prompt.is_empty() {
            extra_answers.push(Choice { text: answer, rationale: String::new() });
        } else {
            pairs.push(Pair { prompt, answer, rationale: String::new() });
        }
    }
    for &(line, n, ref rationale) in &meta.pairs {
        match pairs.get_mut(n.wrapping_sub(1)) {
            Some(pair) => pair.rationale = rationale.clone(),
            None => problems.push(Problem::warning(line, format!("`pair {n}=`: there is no pair {n}"))),
        }
    }
    for &(line, n, ref rationale) in &meta.extras {
        match extra_answers.get_mut(n.wrapping_sub(1)) {
            Some(extra) => extra.rationale = rationale.clone(),
            None => problems.push(Problem::warning(line, format!("`extra {n}=`: there is no extra answer {n}"))),
        }
    }
    Some(Body::Matching { pairs, extra_answers })
}

/// `{T}`, `{TRUE}`, `{F}`, `{FALSE}`, then `#feedback for the wrong
/// answer#feedback for the right one`: a single-answer question with the
/// options True and False.
fn true_false(chs: &[Ch], format: TextFormat) -> Option<Body> {
    let (value, feedback) = match find(chs, 0, "#") {
        Some(hash) => (&chs[..hash], &chs[hash + 1..]),
        None => (chs, &[][..]),
    };
    let truth = match string(trim(value)).as_str() {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        _ => return None,
    };
    let (wrong, right) = match find(feedback, 0, "#") {
        Some(hash) => (formatted(&feedback[..hash], format).0, formatted(&feedback[hash + 1..], format).0),
        None => (formatted(feedback, format).0, String::new()),
    };
    let (true_rationale, false_rationale) = if truth { (right, wrong) } else { (wrong, right) };
    let options = vec![
        Choice { text: "True".into(), rationale: true_rationale },
        Choice { text: "False".into(), rationale: false_rationale },
    ];
    Some(Body::Single { options, key: if truth { 0 } else { 1 } })
}
