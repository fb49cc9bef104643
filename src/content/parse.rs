//! Parses one question file (see `docs/question-format.md`) into questions
//! and case studies, collecting every error with its line instead of
//! stopping at the first.
//!
//! It stays whole: one line-by-line reader of one format, whose states and
//! error messages belong together.

use std::collections::HashSet;

use crate::exam::{Body, CaseStudy, Choice, Difficulty, Pair, Question, kind::Kind};

/// A problem in a content file, located for the author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub file: String,
    pub line: usize,
    pub question: Option<String>,
    pub message: String,
    /// One of our bank's house rules (a rationale under every option, a
    /// tag, an explanation, the option counts, "Select N"), not a question
    /// that cannot be read: the bundled bank must keep them, a question set
    /// brought in from elsewhere or edited in the browser is warned.
    pub house_rule: bool,
}

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(id) = &self.question {
            write!(f, "[{id}] ")?;
        }
        f.write_str(&self.message)
    }
}

/// A question and where it starts in its file.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub line: usize,
    pub value: T,
}

#[derive(Debug, Default)]
pub struct ParsedFile {
    pub questions: Vec<Located<Question>>,
    pub cases: Vec<Located<CaseStudy>>,
}

struct Line<'a> {
    number: usize,
    text: &'a str,
}

/// Collects errors for one file, each tagged with the question being read.
struct Errors<'a> {
    file: &'a str,
    question: Option<String>,
    list: Vec<ContentError>,
}

impl Errors<'_> {
    fn add(&mut self, line: usize, message: impl Into<String>) {
        self.list.push(ContentError {
            file: self.file.to_string(),
            line,
            question: self.question.clone(),
            message: message.into(),
            house_rule: false,
        });
    }

    fn house_rule(&mut self, line: usize, message: impl Into<String>) {
        self.add(line, message);
        if let Some(last) = self.list.last_mut() {
            last.house_rule = true;
        }
    }
}

pub fn is_valid_id(id: &str) -> bool {
    // Ids follow the rule for exam slugs: both end up in URLs and file names.
    crate::exam::blueprint::is_valid_slug(id)
}

fn is_fence(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Splits lines into blocks at `## ` headings outside fenced code.
fn blocks<'a>(lines: &'a [Line<'a>]) -> (Vec<&'a [Line<'a>]>, &'a [Line<'a>]) {
    let mut starts = Vec::new();
    let mut in_fence = false;
    for (i, line) in lines.iter().enumerate() {
        if is_fence(line.text) {
            in_fence = !in_fence;
        } else if !in_fence && line.text.starts_with("## ") {
            starts.push(i);
        }
    }
    let preamble = &lines[..starts.first().copied().unwrap_or(lines.len())];
    let blocks =
        starts.iter().enumerate().map(|(n, &s)| &lines[s..starts.get(n + 1).copied().unwrap_or(lines.len())]).collect();
    (blocks, preamble)
}

pub fn parse_file(file: &str, text: &str) -> (ParsedFile, Vec<ContentError>) {
    let lines: Vec<Line> =
        text.lines().enumerate().map(|(i, text)| Line { number: i + 1, text: text.trim_end() }).collect();
    let mut errors = Errors { file, question: None, list: Vec::new() };
    let mut parsed = ParsedFile::default();
    let (blocks, _preamble) = blocks(&lines);
    if blocks.is_empty() {
        errors.add(1, "no questions found: a question starts with a `## Question <id>` heading");
    }
    for block in blocks {
        let heading = block[0].text["## ".len()..].trim();
        if let Some(id) = heading.strip_prefix("Question ") {
            errors.question = Some(id.trim().to_string());
            if let Some(q) = parse_question(id.trim(), block, &mut errors) {
                parsed.questions.push(Located { line: block[0].number, value: q });
            }
        } else if let Some(id) = heading.strip_prefix("Case study ") {
            errors.question = Some(id.trim().to_string());
            if let Some(c) = parse_case(id.trim(), block, &mut errors) {
                parsed.cases.push(Located { line: block[0].number, value: c });
            }
        } else {
            errors.question = None;
            errors.add(
                block[0].number,
                format!("unknown heading `## {heading}`: expected `## Question <id>` or `## Case study <id>`"),
            );
        }
    }
    (parsed, errors.list)
}

/// The `name: value` lines after a heading, up to the first blank line,
/// and the lines after them.
fn metadata<'a, 'b>(
    block: &'b [Line<'a>],
    allowed: &[&str],
    errors: &mut Errors,
) -> (Vec<(usize, &'a str, &'a str)>, &'b [Line<'a>]) {
    let mut i = 1;
    while i < block.len() && block[i].text.is_empty() {
        i += 1;
    }
    let mut fields: Vec<(usize, &str, &str)> = Vec::new();
    while i < block.len() && !block[i].text.is_empty() {
        let line = &block[i];
        match line.text.split_once(':') {
            Some((name, value)) if allowed.contains(&name.trim()) => {
                let name = name.trim();
                if fields.iter().any(|(_, n, _)| *n == name) {
                    errors.add(line.number, format!("`{name}` is given twice"));
                }
                fields.push((line.number, name, value.trim()));
            }
            Some((name, _)) if name.chars().all(|c| c.is_ascii_alphabetic()) => {
                errors.add(
                    line.number,
                    format!("unknown field `{}`: expected one of {}", name.trim(), allowed.join(", ")),
                );
            }
            _ => {
                errors.add(
                    line.number,
                    "expected a `name: value` line; leave a blank line between the fields and the text",
                );
                break;
            }
        }
        i += 1;
    }
    (fields, &block[i..])
}

fn field<'a>(fields: &[(usize, &str, &'a str)], name: &str) -> Option<(usize, &'a str)> {
    fields.iter().find(|(_, n, _)| *n == name).map(|&(l, _, v)| (l, v))
}

fn join(lines: &[Line]) -> String {
    let text: Vec<&str> = lines.iter().map(|l| l.text).collect();
    text.join("\n").trim().to_string()
}

fn list(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

fn parse_case(id: &str, block: &[Line], errors: &mut Errors) -> Option<CaseStudy> {
    if !is_valid_id(id) {
        errors.add(block[0].number, "a case study id is lowercase letters, digits and hyphens");
    }
    let (fields, rest) = metadata(block, &["title"], errors);
    let title = field(&fields, "title").map(|(_, v)| v.to_string()).unwrap_or_default();
    if title.is_empty() {
        errors.add(block[0].number, "a case study needs a `title:` line");
    }
    if let Some(sub) = rest.iter().find(|l| l.text.starts_with("### ")) {
        errors.add(sub.number, "a case study holds only its scenario; its questions follow as `## Question` blocks");
    }
    let scenario = join(rest);
    if scenario.is_empty() {
        errors.add(block[0].number, "the case study has no scenario text");
    }
    Some(CaseStudy { id: id.to_string(), title, scenario })
}

struct Section<'a, 'b> {
    number: usize,
    name: &'a str,
    lines: &'b [Line<'a>],
}

fn sections<'a, 'b>(lines: &'b [Line<'a>]) -> (&'b [Line<'a>], Vec<Section<'a, 'b>>) {
    let mut starts = Vec::new();
    let mut in_fence = false;
    for (i, line) in lines.iter().enumerate() {
        if is_fence(line.text) {
            in_fence = !in_fence;
        } else if !in_fence && line.text.starts_with("### ") {
            starts.push(i);
        }
    }
    let head = &lines[..starts.first().copied().unwrap_or(lines.len())];
    let sections = starts
        .iter()
        .enumerate()
        .map(|(n, &s)| Section {
            number: lines[s].number,
            name: lines[s].text["### ".len()..].trim(),
            lines: &lines[s + 1..starts.get(n + 1).copied().unwrap_or(lines.len())],
        })
        .collect();
    (head, sections)
}

/// One list entry and its rationale line.
struct Entry<'a> {
    line: usize,
    raw: &'a str,
    text: &'a str,
    rationale: Option<&'a str>,
}

/// Reads a list whose entries `item` recognises, each optionally followed
/// by an indented `> rationale` line.
fn read_entries<'a>(
    section: &Section<'a, '_>,
    expected: &str,
    item: impl Fn(&'a str) -> Option<&'a str>,
    errors: &mut Errors,
) -> Vec<Entry<'a>> {
    let mut out: Vec<Entry> = Vec::new();
    for line in section.lines {
        let text = line.text;
        if text.trim().is_empty() {
            continue;
        }
        let indented = text.starts_with("  ") || text.starts_with('\t');
        if indented && text.trim_start().starts_with('>') {
            let rationale = text.trim_start()[1..].trim();
            match out.last_mut() {
                Some(entry) if entry.rationale.is_none() => entry.rationale = Some(rationale),
                Some(_) => errors.add(line.number, "only one rationale line per entry"),
                None => errors.add(line.number, format!("a rationale must follow {expected}")),
            }
        } else if let Some(body) = item(text) {
            if body.trim().is_empty() {
                errors.add(line.number, "this entry has no text");
            }
            out.push(Entry { line: line.number, raw: text, text: body.trim(), rationale: None });
        } else {
            errors.add(
                line.number,
                format!("expected {expected} or an indented `> rationale` line, found `{}`", text.trim()),
            );
        }
    }
    out
}

fn parse_question(id: &str, block: &[Line], errors: &mut Errors) -> Option<Question> {
    let start = block[0].number;
    if !is_valid_id(id) {
        errors.add(start, "a question id is lowercase letters, digits and hyphens, like `d1-glue-vs-emr`");
    }
    let (fields, rest) = metadata(block, &["domain", "kind", "difficulty", "tags", "references", "case"], errors);
    let mut missing = |name: &str| {
        let v = field(&fields, name);
        if v.is_none_or(|(_, v)| v.is_empty()) {
            errors.add(start, format!("missing `{name}:`"));
        }
        v
    };
    let domain = missing("domain").map(|(_, v)| v.to_string());
    let kind_field = missing("kind");
    let difficulty_field = missing("difficulty");
    let tags_field = field(&fields, "tags");
    if tags_field.is_none_or(|(_, v)| v.is_empty()) {
        errors.house_rule(start, "missing `tags:`");
    }

    let kind = kind_field.and_then(|(line, v)| {
        let k = Kind::parse(v);
        if k.is_none() {
            errors.add(line, format!("unknown kind `{v}`: expected single, multiple, ordering or matching"));
        }
        k
    });
    let difficulty = difficulty_field.and_then(|(line, v)| {
        let d = Difficulty::parse(v);
        if d.is_none() {
            errors.add(line, format!("unknown difficulty `{v}`: expected easy, medium or hard"));
        }
        d
    });
    let tags = tags_field.map(|(line, v)| {
        let tags = list(v);
        for tag in &tags {
            if !is_valid_id(tag) {
                errors.add(line, format!("tag `{tag}` must be lowercase words joined by hyphens"));
            }
        }
        tags
    });
    let references = field(&fields, "references")
        .map(|(line, v)| {
            let refs = list(v);
            for r in &refs {
                if !(r.starts_with("https://") || r.starts_with("http://")) {
                    errors.add(line, format!("reference `{r}` is not a URL"));
                }
            }
            refs
        })
        .unwrap_or_default();
    let case = field(&fields, "case").map(|(_, v)| v.to_string());

    let (stem_lines, sections) = sections(rest);
    let stem = join(stem_lines);
    if stem.is_empty() {
        errors.add(start, "the question has no stem: write it after the fields, before `### Options`");
    }

    let mut explanation = None;
    let mut options = None;
    let mut steps = None;
    let mut pairs = None;
    let mut extra = None;
    for section in &sections {
        let slot = match section.name {
            "Explanation" => {
                if explanation.is_some() {
                    errors.add(section.number, "`### Explanation` is given twice");
                }
                explanation = Some((section.number, join(section.lines)));
                continue;
            }
            "Options" => &mut options,
            "Steps" => &mut steps,
            "Pairs" => &mut pairs,
            "Extra answers" => &mut extra,
            other => {
                errors.add(
                    section.number,
                    format!(
                        "unknown section `### {other}`: expected Options, Steps, Pairs, Extra answers or Explanation"
                    ),
                );
                continue;
            }
        };
        if slot.is_some() {
            errors.add(section.number, format!("`### {}` is given twice", section.name));
        }
        *slot = Some(section);
    }
    let explanation = match explanation {
        Some((_, text)) if !text.is_empty() => text,
        Some((line, _)) => {
            errors.house_rule(line, "the explanation is empty");
            String::new()
        }
        None => {
            errors.house_rule(start, "missing `### Explanation`");
            String::new()
        }
    };

    let kind = kind?;
    let allowed: &[&str] = match kind {
        Kind::Single | Kind::Multiple => &["Options"],
        Kind::Ordering => &["Steps"],
        Kind::Matching => &["Pairs", "Extra answers"],
    };
    for (name, present) in [("Options", &options), ("Steps", &steps), ("Pairs", &pairs), ("Extra answers", &extra)] {
        if let Some(section) = present
            && !allowed.contains(&name)
        {
            errors.add(section.number, format!("`### {name}` does not belong in a `{}` question", kind.as_str()));
        }
    }
    let needed = allowed[0];
    let section = match kind {
        Kind::Single | Kind::Multiple => options,
        Kind::Ordering => steps,
        Kind::Matching => pairs,
    };
    let Some(section) = section else {
        errors.add(start, format!("missing `### {needed}`"));
        return None;
    };

    let body = match kind {
        Kind::Single | Kind::Multiple => parse_options(kind, section, &stem, start, errors),
        Kind::Ordering => parse_steps(section, errors),
        Kind::Matching => parse_pairs(section, extra, errors),
    }?;

    Some(Question {
        id: id.to_string(),
        domain: domain?,
        difficulty: difficulty?,
        tags: tags.unwrap_or_default(),
        references,
        case,
        stem,
        explanation,
        body,
    })
}

fn require_rationales(entries: &[Entry], what: &str, errors: &mut Errors) {
    for e in entries.iter().filter(|e| e.rationale.is_none_or(str::is_empty)) {
        errors.house_rule(
            e.line,
            format!("this {what} has no rationale: add a line `  > why it is right or wrong` under it"),
        );
    }
}

fn require_distinct<'a>(items: impl Iterator<Item = (usize, &'a str)>, what: &str, errors: &mut Errors) {
    let mut seen = HashSet::new();
    for (line, text) in items {
        if !seen.insert(text.to_lowercase()) {
            errors.add(line, format!("this {what} repeats an earlier one"));
        }
    }
}

fn count_range(n: usize, min: usize, max: usize, what: &str, line: usize, errors: &mut Errors) {
    if n < min || n > max {
        errors.house_rule(line, format!("needs {min} to {max} {what}, found {n}"));
    }
}

pub(crate) const COUNT_WORDS: [&str; 8] = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN"];

/// The number a stem asks for in "Select TWO", if any.
pub(crate) fn stated_count(stem: &str) -> Option<usize> {
    let upper = stem.to_uppercase();
    let after = upper.split("SELECT ").skip(1);
    for rest in after {
        let word: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if let Some(n) = COUNT_WORDS.iter().position(|w| *w == word) {
            return Some(n);
        }
    }
    None
}

fn parse_options(kind: Kind, section: &Section, stem: &str, start: usize, errors: &mut Errors) -> Option<Body> {
    let entries = read_entries(
        section,
        "an option `- [ ] text` or `- [x] text`",
        |t| t.strip_prefix("- [ ] ").or_else(|| t.strip_prefix("- [x] ")).or_else(|| t.strip_prefix("- [X] ")),
        errors,
    );
    let keyed: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.raw.starts_with("- [x]") || e.raw.starts_with("- [X]"))
        .map(|(i, _)| i)
        .collect();
    require_rationales(&entries, "option", errors);
    require_distinct(entries.iter().map(|e| (e.line, e.text)), "option", errors);
    let options: Vec<Choice> = entries
        .iter()
        .map(|e| Choice { text: e.text.to_string(), rationale: e.rationale.unwrap_or_default().to_string() })
        .collect();
    match kind {
        Kind::Single => {
            count_range(options.len(), 3, 6, "options", section.number, errors);
            if keyed.len() != 1 {
                errors.add(
                    section.number,
                    format!("a single question has exactly one `[x]` option, found {}", keyed.len()),
                );
                return None;
            }
            Some(Body::Single { options, key: keyed[0] })
        }
        _ => {
            count_range(options.len(), 5, 7, "options", section.number, errors);
            if keyed.len() < 2 {
                errors.add(
                    section.number,
                    format!("a multiple question has two or more `[x]` options, found {}", keyed.len()),
                );
                return None;
            }
            match stated_count(stem) {
                Some(n) if n == keyed.len() => {}
                Some(n) => errors.add(
                    start,
                    format!("the stem says Select {} but {} options are marked `[x]`", COUNT_WORDS[n], keyed.len()),
                ),
                None => errors.house_rule(
                    start,
                    format!(
                        "the stem must say how many to choose: `(Select {}.)`",
                        COUNT_WORDS.get(keyed.len()).unwrap_or(&"N")
                    ),
                ),
            }
            Some(Body::Multiple { options, key: keyed })
        }
    }
}

fn parse_steps(section: &Section, errors: &mut Errors) -> Option<Body> {
    let entries = read_entries(
        section,
        "a numbered step `1. text`",
        |t| {
            let (n, rest) = t.split_once(". ")?;
            n.chars().all(|c| c.is_ascii_digit()).then_some(rest).filter(|_| !n.is_empty())
        },
        errors,
    );
    for (i, e) in entries.iter().enumerate() {
        let n = e.raw.split_once(". ").map(|(n, _)| n).unwrap_or_default();
        if n != (i + 1).to_string() {
            errors.add(e.line, format!("steps are numbered 1, 2, 3… in the correct order; expected {}", i + 1));
        }
    }
    require_rationales(&entries, "step", errors);
    require_distinct(entries.iter().map(|e| (e.line, e.text)), "step", errors);
    count_range(entries.len(), 3, 5, "steps", section.number, errors);
    let steps = entries
        .iter()
        .map(|e| Choice { text: e.text.to_string(), rationale: e.rationale.unwrap_or_default().to_string() })
        .collect();
    Some(Body::Ordering { steps })
}

fn parse_pairs(section: &Section, extra: Option<&Section>, errors: &mut Errors) -> Option<Body> {
    let entries = read_entries(section, "a pair `- prompt => answer`", |t| t.strip_prefix("- "), errors);
    require_rationales(&entries, "pair", errors);
    let mut pairs = Vec::new();
    for e in &entries {
        match e.text.split_once("=>") {
            Some((prompt, answer)) if !prompt.trim().is_empty() && !answer.trim().is_empty() => pairs.push(Pair {
                prompt: prompt.trim().to_string(),
                answer: answer.trim().to_string(),
                rationale: e.rationale.unwrap_or_default().to_string(),
            }),
            _ => errors.add(e.line, "a pair is `- prompt => answer`"),
        }
    }
    require_distinct(entries.iter().zip(&pairs).map(|(e, p)| (e.line, p.prompt.as_str())), "prompt", errors);
    count_range(pairs.len(), 3, 7, "pairs", section.number, errors);
    let extra_answers: Vec<Choice> = match extra {
        None => Vec::new(),
        Some(section) => {
            let extras = read_entries(section, "an answer `- text`", |t| t.strip_prefix("- "), errors);
            for e in &extras {
                if pairs.iter().any(|p| p.answer.eq_ignore_ascii_case(e.text)) {
                    errors.add(e.line, "this extra answer is already the answer of a pair");
                }
            }
            require_distinct(extras.iter().map(|e| (e.line, e.text)), "extra answer", errors);
            extras
                .iter()
                .map(|e| Choice { text: e.text.to_string(), rationale: e.rationale.unwrap_or_default().to_string() })
                .collect()
        }
    };
    let distinct_answers: HashSet<&str> = pairs.iter().map(|p| p.answer.as_str()).collect();
    if pairs.len() >= 3 && distinct_answers.len() + extra_answers.len() < 2 {
        errors.add(section.number, "a matching question needs at least two different answers");
    }
    Some(Body::Matching { pairs, extra_answers })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SINGLE: &str = "# Notes before the first question are ignored

## Question d1-sample

domain: D1
kind: single
difficulty: easy
tags: glue, etl

Which service runs serverless Spark ETL?

```
## not a heading inside code
```

### Options

- [ ] Amazon EMR
  > Needs a cluster.
- [x] AWS Glue
  > Serverless Spark.
- [ ] Amazon Kinesis
  > Streams, not ETL.

### Explanation

Glue is serverless.
";

    #[test]
    fn a_well_formed_single_question_parses() {
        let (parsed, errors) = parse_file("a.md", SINGLE);
        assert!(errors.is_empty(), "{errors:?}");
        let q = &parsed.questions[0].value;
        assert_eq!(parsed.questions[0].line, 3);
        assert_eq!(q.id, "d1-sample");
        assert_eq!(q.tags, vec!["glue", "etl"]);
        assert!(q.stem.contains("## not a heading inside code"));
        let Body::Single { options, key } = &q.body else { panic!("not single") };
        assert_eq!(*key, 1);
        assert_eq!(options[2].rationale, "Streams, not ETL.");
        assert_eq!(q.explanation, "Glue is serverless.");
    }

    #[test]
    fn every_error_is_reported_with_line_and_id() {
        let broken = SINGLE
            .replace("domain: D1\n", "")
            .replace("kind: single", "kind: singel")
            .replace("  > Needs a cluster.\n", "");
        let text = format!("{broken}\n{}", SINGLE.replace("d1-sample", "D1_bad"));
        let (_, errors) = parse_file("bank/a.md", &text);
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown[..3],
            [
                "bank/a.md:3: [d1-sample] missing `domain:`",
                "bank/a.md:5: [d1-sample] unknown kind `singel`: expected single, multiple, ordering or matching",
                "bank/a.md:29: [D1_bad] a question id is lowercase letters, digits and hyphens, like `d1-glue-vs-emr`",
            ],
            "{shown:#?}"
        );
        assert_eq!(shown.len(), 3, "{shown:#?}");
        let (_, errors) = parse_file("bank/a.md", &SINGLE.replace("  > Needs a cluster.\n", ""));
        assert_eq!(
            errors[0].to_string(),
            "bank/a.md:18: [d1-sample] this option has no rationale: add a line `  > why it is right or wrong` under it"
        );
    }

    #[test]
    fn multiple_needs_its_count_in_the_stem() {
        let text = "## Question d2-m

domain: D2
kind: multiple
difficulty: hard
tags: x

Pick the right ones. (Select THREE.)

### Options

- [x] a
  > r
- [x] b
  > r
- [ ] c
  > r
- [ ] d
  > r
- [ ] e
  > r

### Explanation

e
";
        let (_, errors) = parse_file("m.md", text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("Select THREE but 2"));
        let (parsed, errors) = parse_file("m.md", &text.replace("THREE", "TWO"));
        assert!(errors.is_empty());
        assert_eq!(parsed.questions[0].value.body.select_count(), Some(2));
    }

    #[test]
    fn ordering_and_matching_parse() {
        let text = "## Question d3-o

domain: D3
kind: ordering
difficulty: medium
tags: pipelines

Order these.

### Steps

1. first
   > r1
2. second
   > r2
3. third
   > r3

### Explanation

Because.

## Question d4-m

domain: D4
kind: matching
difficulty: medium
tags: drift

Match.

### Pairs

- p1 => a1
  > r
- p2 => a2
  > r
- p3 => a1
  > r

### Extra answers

- a3

### Explanation

Because.
";
        let (parsed, errors) = parse_file("o.md", text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(parsed.questions.len(), 2);
        assert!(matches!(&parsed.questions[0].value.body, Body::Ordering { steps } if steps.len() == 3));
        assert_eq!(parsed.questions[1].value.body.answers(), vec!["a1", "a2", "a3"]);

        let (_, errors) = parse_file("o.md", &text.replace("2. second", "3. second"));
        assert!(errors.iter().any(|e| e.line == 14 && e.message.contains("expected 2")), "{errors:?}");
    }

    #[test]
    fn case_studies_parse() {
        let text = "## Case study cs-shop

title: A shop

The shop sells things.
";
        let (parsed, errors) = parse_file("c.md", text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(parsed.cases[0].value.title, "A shop");
        assert_eq!(parsed.cases[0].value.scenario, "The shop sells things.");
    }
}
