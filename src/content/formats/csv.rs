//! CSV as an instructor makes it in a spreadsheet (docs/formats/csv.md): a
//! header row, then one question per row. It stays whole: the reader and
//! the writer of one column layout must agree cell by cell (key letters,
//! `prompt => answer`, the `'` before a formula), and read best side by side.
//! Case studies are rows of kind `case`; `,`, `;` and tab files are read.

use std::collections::HashMap;

use ::csv::{ReaderBuilder, StringRecord, WriterBuilder};

use super::{Problem, ReadQuestion, ReadSet, Written, check, identity};
use crate::exam::{Body, CaseStudy, Choice, Difficulty, Pair, Question};

/// Option (and rationale) columns the writer and the template have. The
/// reader takes up to `check::MAX_CHOICES` if a spreadsheet adds some.
pub const OPTION_COLUMNS: usize = 8;

pub const LOSES: &str = "Questions with more than 8 options, steps or matching answers, tags holding a comma, \
    references holding a space, matching prompts holding `=>`, ids that are not slugs, or texts that begin or end with spaces are left out \
    and named; everything else is kept, case studies included.";

const FIXED: [&str; 9] = ["id", "domain", "kind", "difficulty", "tags", "references", "case", "stem", "explanation"];
const REQUIRED: [&str; 3] = ["stem", "option_1", "key"];

/// Kinds other tools have that we cannot represent: named and left out.
const FOREIGN_KINDS: &[&str] =
    &["essay", "numerical", "short answer", "shortanswer", "cloze", "description", "missing word", "missingword"];

/// The header the writer and the template use.
pub fn header() -> Vec<String> {
    let mut columns: Vec<String> = FIXED.iter().map(|c| c.to_string()).collect();
    columns.extend((1..=OPTION_COLUMNS).map(|n| format!("option_{n}")));
    columns.extend((1..=OPTION_COLUMNS).map(|n| format!("rationale_{n}")));
    columns.push("key".into());
    columns
}

fn is_known(name: &str) -> bool {
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| (1..=check::MAX_CHOICES).contains(&n))
    };
    FIXED.contains(&name) || name == "key" || numbered("option_") || numbered("rationale_")
}

/// The separator a file uses: whichever of `,` `;` and tab its header
/// line has most of (Excel in many European locales writes `;`).
fn sniff(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    [b',', b';', b'\t'].into_iter().max_by_key(|&d| (first.matches(d as char).count(), d == b',')).unwrap_or(b',')
}

/// Spreadsheets run a cell that begins with `=`, `+`, `-` or `@` as a
/// formula, so the writer puts a `'` before such a text (and before one
/// that begins with `'`), and the reader takes one off.
fn protect(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\'']) { format!("'{text}") } else { text.to_string() }
}

fn unprotect(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\'']) => rest,
        _ => text,
    }
}

/// Column positions by name, from the header row.
struct Columns {
    index: HashMap<String, usize>,
    options: usize,
    count: usize,
}

impl Columns {
    fn parse(header: &StringRecord) -> Result<Columns, String> {
        let expected = format!("the header is `{}`", header_line());
        let names: Vec<String> = header.iter().map(|c| c.trim().to_ascii_lowercase()).collect();
        if !names.iter().any(|n| is_known(n)) {
            return Err(format!("the first row must be the header: {expected}"));
        }
        let mut index = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if !is_known(name) {
                return Err(format!("unknown column `{name}` in the header: {expected}"));
            }
            if index.insert(name.clone(), i).is_some() {
                return Err(format!("the column `{name}` is in the header twice: {expected}"));
            }
        }
        if let Some(missing) = REQUIRED.iter().find(|r| !index.contains_key(**r)) {
            return Err(format!("the header has no `{missing}` column: {expected}"));
        }
        let options = (1..=check::MAX_CHOICES).take_while(|n| index.contains_key(&format!("option_{n}"))).count();
        Ok(Columns { index, options, count: names.len() })
    }
}

fn header_line() -> String {
    header().join(",")
}

/// One data row, read by column name.
struct Row<'a> {
    record: &'a StringRecord,
    columns: &'a Columns,
    line: usize,
    problems: Vec<Problem>,
}

impl Row<'_> {
    fn get(&self, name: &str) -> &str {
        self.columns.index.get(name).and_then(|&i| self.record.get(i)).map(|c| unprotect(c.trim())).unwrap_or_default()
    }

    fn error(&mut self, column: &str, message: impl std::fmt::Display) {
        let mut problem = Problem::error(self.line, format!("`{column}`: {message}"));
        if let Some(&i) = self.columns.index.get(column) {
            problem = problem.at_column(i + 1);
        }
        self.problems.push(problem);
    }

    fn is_blank(&self) -> bool {
        self.record.iter().all(|c| c.trim().is_empty())
    }

    /// The filled option columns as (text, rationale), checking that none
    /// is skipped and no rationale stands alone.
    fn options(&mut self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut gap = None;
        for n in 1..=self.columns.options {
            let (option, rationale) = (format!("option_{n}"), format!("rationale_{n}"));
            let (text, why) = (self.get(&option).to_string(), self.get(&rationale).to_string());
            if text.is_empty() {
                if !why.is_empty() {
                    self.error(&rationale, format!("a rationale without `{option}`"));
                }
                gap.get_or_insert(n);
                continue;
            }
            if let Some(empty) = gap.take() {
                self.error(
                    &option,
                    format!("`option_{empty}` before it is empty: fill the options from `option_1` on"),
                );
            }
            out.push((text, why));
        }
        out
    }
}

/// A key as the instructor writes it: letters (`B`, `A,C`, `a c`) or
/// 1-based numbers (`2`, `1;3`).
fn parse_key(key: &str) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for token in key.split([',', ';', ' ', '/']).filter(|t| !t.is_empty()) {
        let index = match token.parse::<usize>() {
            Ok(n) if n >= 1 => n - 1,
            _ => match token.as_bytes() {
                [c] if c.is_ascii_alphabetic() => (c.to_ascii_uppercase() - b'A') as usize,
                _ => return Err(format!("`{token}` is not an option letter: write `B`, or `A,C` for several")),
            },
        };
        out.push(index);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// An option's letter, `A` for the first; past `Z` its number.
fn letter(index: usize) -> String {
    match u8::try_from(index) {
        Ok(i) if i < 26 => ((b'A' + i) as char).to_string(),
        _ => (index + 1).to_string(),
    }
}

fn list(value: &str, separators: &[char]) -> Vec<String> {
    value
        .split(separators)
        .map(|t| t.trim().trim_end_matches(','))
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

pub fn read(text: &str) -> ReadSet {
    let mut set = ReadSet::default();
    let mut reader =
        ReaderBuilder::new().delimiter(sniff(text)).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let columns = match records.next() {
        Some(Ok(header)) => Columns::parse(&header),
        _ => Err(format!("the first row must be the header: the header is `{}`", header_line())),
    };
    let columns = match columns {
        Ok(columns) => columns,
        Err(message) => {
            set.problems.push(Problem::error(1, message));
            return set;
        }
    };
    let rows = rows_with_lines(text, records, &mut set.problems);
    // Case study rows first, so questions may come before their case.
    for (record, line) in &rows {
        let mut row = Row { record, columns: &columns, line: *line, problems: Vec::new() };
        if row.get("kind").eq_ignore_ascii_case("case") {
            if let Some(case) = read_case(&mut row) {
                set.cases.push(case);
            }
            set.problems.append(&mut row.problems);
        }
    }
    for (record, line) in &rows {
        let mut row = Row { record, columns: &columns, line: *line, problems: Vec::new() };
        if row.is_blank() || row.get("kind").eq_ignore_ascii_case("case") {
            continue;
        }
        let extra = record.iter().skip(columns.count).filter(|c| !c.trim().is_empty()).count();
        if extra > 0 {
            row.problems.push(Problem::error(
                row.line,
                format!("this row has {extra} filled cells right of the last column of the header"),
            ));
        }
        let question = read_question(&mut row, &set.cases);
        let name = question.as_ref().map(|q| q.id.clone()).or_else(|| Some(row.get("id").to_string()));
        let name = name.filter(|n| !n.is_empty());
        let problems = std::mem::take(&mut row.problems);
        let sound = !problems.iter().any(|p| p.severity == super::Severity::Error);
        set.problems.extend(problems.into_iter().map(|p| match &name {
            Some(n) => p.for_question(n),
            None => p,
        }));
        if let Some(question) = question
            && sound
        {
            let domain = question.domain.clone();
            set.questions.push(ReadQuestion {
                line: row.line,
                category: (!domain.is_empty()).then_some(domain),
                question,
            });
        }
    }
    if set.questions.is_empty()
        && !set.has_errors()
        && !set.problems.iter().any(|p| p.severity == super::Severity::Skipped)
    {
        set.problems.push(Problem::error(1, "no questions found: after the header, write one question per row"));
    }
    set
}

/// The data rows, each with the line it starts at. The csv crate's own
/// line count skips blank lines and some line breaks inside quotes; its byte
/// offset is exact, so lines are counted from it, onward from the row before.
fn rows_with_lines(
    text: &str,
    records: impl Iterator<Item = ::csv::Result<StringRecord>>,
    problems: &mut Vec<Problem>,
) -> Vec<(StringRecord, usize)> {
    let (mut counted_to, mut line) = (0, 1);
    let mut rows = Vec::new();
    for record in records {
        match record {
            Ok(record) => {
                let byte = record.position().map_or(0, |p| p.byte() as usize).clamp(counted_to, text.len());
                let rest = &text.as_bytes()[byte..];
                let start = byte + rest.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
                line += text.as_bytes()[counted_to..start].iter().filter(|&&b| b == b'\n').count();
                counted_to = start;
                rows.push((record, line));
            }
            Err(e) => {
                // Reading from a `&str`, only a broken record can get here.
                let line = e.position().map_or(1, |p| p.line() as usize);
                problems.push(Problem::error(line, format!("this row cannot be read: {e}")));
                break;
            }
        }
    }
    rows
}

fn read_case(row: &mut Row) -> Option<CaseStudy> {
    let id = row.get("id").to_string();
    let (title, scenario) = (row.get("stem").to_string(), row.get("explanation").to_string());
    let Some(id) = identity::slug(&id) else {
        row.error("id", "a case study row needs an id, such as `cs-grocery`");
        return None;
    };
    if title.is_empty() {
        row.error("stem", "a case study row holds its title in `stem`");
    }
    if scenario.is_empty() {
        row.error("explanation", "a case study row holds its scenario in `explanation`");
    }
    row.problems = std::mem::take(&mut row.problems).into_iter().map(|p| p.for_question(&id)).collect();
    Some(CaseStudy { id, title, scenario })
}

fn read_question(row: &mut Row, cases: &[CaseStudy]) -> Option<Question> {
    let stem = row.get("stem").to_string();
    let key_cell = row.get("key").to_string();
    let kind = row.get("kind").to_ascii_lowercase();
    let keyed = parse_key(&key_cell);
    let kind = match kind.as_str() {
        "" => match &keyed {
            Ok(k) if k.len() == 1 => "single".to_string(),
            Ok(k) if k.len() > 1 => "multiple".to_string(),
            _ => {
                row.error("kind", "empty: write single, multiple, ordering, matching or case");
                return None;
            }
        },
        k if FOREIGN_KINDS.contains(&k) => {
            let name = row.get("id");
            let name = if name.is_empty() { stem.chars().take(40).collect() } else { name.to_string() };
            row.problems.push(
                Problem::skipped(row.line, format!("{} {k} question (`{name}`) cannot be imported", article(k)))
                    .at_column(row.columns.index["kind"] + 1),
            );
            return None;
        }
        k => k.to_string(),
    };
    let options = row.options();
    let choice = |(text, rationale): &(String, String)| Choice { text: text.clone(), rationale: rationale.clone() };
    let body = match kind.as_str() {
        "single" | "multiple" => {
            let key = match keyed {
                Ok(key) if key.is_empty() => {
                    row.error("key", "empty: write the letter of the correct option, such as `B` (or `A,C`)");
                    return None;
                }
                Ok(key) => key,
                Err(message) => {
                    row.error("key", message);
                    return None;
                }
            };
            if let Some(&k) = key.iter().find(|&&k| k >= options.len()) {
                row.error("key", format!("`{}` names no option: there are {} options", letter(k), options.len()));
                return None;
            }
            let options = options.iter().map(choice).collect();
            if kind == "single" {
                if key.len() > 1 {
                    row.error("key", format!("a single question has one correct option, the key names {}", key.len()));
                    return None;
                }
                Body::Single { options, key: key[0] }
            } else {
                Body::Multiple { options, key }
            }
        }
        "ordering" => {
            if !key_cell.is_empty() {
                row.problems.push(Problem::warning(
                    row.line,
                    "`key`: not used for ordering: the options are the steps in the correct order",
                ));
            }
            Body::Ordering { steps: options.iter().map(choice).collect() }
        }
        "matching" => {
            let mut pairs = Vec::new();
            let mut extra_answers = Vec::new();
            for (n, (text, rationale)) in options.iter().enumerate() {
                match text.split_once("=>") {
                    Some((prompt, answer)) if prompt.trim().is_empty() => {
                        extra_answers.push(Choice { text: answer.trim().to_string(), rationale: rationale.clone() })
                    }
                    Some((prompt, answer)) => pairs.push(Pair {
                        prompt: prompt.trim().to_string(),
                        answer: answer.trim().to_string(),
                        rationale: rationale.clone(),
                    }),
                    None => row.error(
                        &format!("option_{}", n + 1),
                        "a matching option is `prompt => answer`, or `=> answer` for an extra answer",
                    ),
                }
            }
            Body::Matching { pairs, extra_answers }
        }
        other => {
            row.error("kind", format!("unknown kind `{other}`: expected single, multiple, ordering, matching or case"));
            return None;
        }
    };
    let difficulty = match row.get("difficulty").to_ascii_lowercase().as_str() {
        "" => Difficulty::Medium,
        d => match Difficulty::parse(d) {
            Some(d) => d,
            None => {
                row.error("difficulty", format!("unknown difficulty `{d}`: expected easy, medium or hard"));
                Difficulty::Medium
            }
        },
    };
    let case = Some(row.get("case").to_string()).filter(|c| !c.is_empty());
    if let Some(case) = &case
        && !cases.iter().any(|c| &c.id == case)
    {
        row.error("case", format!("no case study row has the id `{case}`"));
    }
    let texts: Vec<String> = options.iter().map(|(t, _)| t.clone()).collect();
    let name = Some(row.get("id")).filter(|n| !n.is_empty());
    let question = Question {
        id: identity::id_for(name, &stem, texts.iter().map(String::as_str)),
        domain: row.get("domain").to_string(),
        difficulty,
        tags: list(row.get("tags"), &[',']),
        references: list(row.get("references"), &[' ', '\n', '\t', '\r']),
        case,
        stem,
        explanation: row.get("explanation").to_string(),
        body,
    };
    let findings = check::check(&question);
    row.problems.extend(findings.errors.into_iter().map(|m| Problem::error(row.line, m)));
    row.problems.extend(findings.warnings.into_iter().map(|m| Problem::warning(row.line, m)));
    Some(question)
}

/// Why the layout cannot carry `q` as it is, if it cannot.
fn loss(q: &Question) -> Option<String> {
    if identity::slug(&q.id).as_deref() != Some(q.id.as_str()) {
        return Some(format!("its id `{}` is not a slug and would be read back changed", q.id));
    }
    let count = match &q.body {
        Body::Single { options, .. } | Body::Multiple { options, .. } => options.len(),
        Body::Ordering { steps } => steps.len(),
        Body::Matching { pairs, extra_answers } => pairs.len() + extra_answers.len(),
    };
    if count > OPTION_COLUMNS {
        return Some(format!(
            "it has {count} options, steps or answers and the layout has {OPTION_COLUMNS} option columns"
        ));
    }
    if let Some(tag) = q.tags.iter().find(|t| t.contains(',') || t.trim() != t.as_str() || t.is_empty()) {
        return Some(format!("the tag `{tag}` holds a comma or spaces at its ends"));
    }
    if let Some(r) = q.references.iter().find(|r| r.contains(char::is_whitespace) || r.ends_with(',') || r.is_empty()) {
        return Some(format!("the reference `{r}` holds a space or ends with a comma"));
    }
    if let Body::Matching { pairs, .. } = &q.body
        && pairs.iter().any(|p| p.prompt.contains("=>"))
    {
        return Some("a prompt holds `=>`, which the layout puts between prompt and answer".into());
    }
    let mut texts = vec![q.domain.as_str(), q.stem.as_str(), q.explanation.as_str()];
    texts.extend(q.case.as_deref());
    match &q.body {
        Body::Single { options, .. } | Body::Multiple { options, .. } | Body::Ordering { steps: options } => {
            texts.extend(options.iter().flat_map(|o| [o.text.as_str(), o.rationale.as_str()]))
        }
        Body::Matching { pairs, extra_answers } => {
            texts.extend(pairs.iter().flat_map(|p| [p.prompt.as_str(), p.answer.as_str(), p.rationale.as_str()]));
            texts.extend(extra_answers.iter().flat_map(|o| [o.text.as_str(), o.rationale.as_str()]));
        }
    }
    texts
        .iter()
        .find(|t| t.trim() != **t)
        .map(|t| format!("the text `{}` begins or ends with spaces, which a cell does not keep", t.trim()))
}

fn question_row(q: &Question) -> Vec<String> {
    let (options, key): (Vec<(String, String)>, String) = match &q.body {
        Body::Single { options, key } => {
            (options.iter().map(|o| (o.text.clone(), o.rationale.clone())).collect(), letter(*key))
        }
        Body::Multiple { options, key } => (
            options.iter().map(|o| (o.text.clone(), o.rationale.clone())).collect(),
            key.iter().map(|&k| letter(k)).collect::<Vec<_>>().join(","),
        ),
        Body::Ordering { steps } => {
            (steps.iter().map(|o| (o.text.clone(), o.rationale.clone())).collect(), String::new())
        }
        Body::Matching { pairs, extra_answers } => {
            let mut options: Vec<(String, String)> =
                pairs.iter().map(|p| (format!("{} => {}", p.prompt, p.answer), p.rationale.clone())).collect();
            options.extend(extra_answers.iter().map(|a| (format!("=> {}", a.text), a.rationale.clone())));
            (options, String::new())
        }
    };
    let mut row = vec![
        q.id.clone(),
        q.domain.clone(),
        q.body.kind().to_string(),
        q.difficulty.as_str().to_string(),
        q.tags.join(", "),
        q.references.join(" "),
        q.case.clone().unwrap_or_default(),
        q.stem.clone(),
        q.explanation.clone(),
    ];
    row.extend((0..OPTION_COLUMNS).map(|i| options.get(i).map(|o| o.0.clone()).unwrap_or_default()));
    row.extend((0..OPTION_COLUMNS).map(|i| options.get(i).map(|o| o.1.clone()).unwrap_or_default()));
    row.push(key);
    row
}

fn case_row(case: &CaseStudy) -> Vec<String> {
    let mut row = vec![String::new(); FIXED.len() + 2 * OPTION_COLUMNS + 1];
    row[0] = case.id.clone();
    row[2] = "case".into();
    row[7] = case.title.clone();
    row[8] = case.scenario.clone();
    row
}

fn to_text(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = WriterBuilder::new().from_writer(Vec::new());
    let mut write = |row: Vec<String>| {
        let row: Vec<String> = row.iter().map(|cell| protect(cell)).collect();
        writer.write_record(&row).expect("writing to memory cannot fail");
    };
    write(header());
    rows.into_iter().for_each(&mut write);
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every cell was a String")
}

/// Case study rows first, then one row per question, in the order given.
pub fn write(questions: &[Question], cases: &[CaseStudy]) -> Written {
    let mut losses = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for case in cases {
        let bad = identity::slug(&case.id).as_deref() != Some(case.id.as_str())
            || case.title.trim() != case.title
            || case.scenario.trim() != case.scenario;
        if bad {
            losses.push((case.id.clone(), "its id is not a slug or its texts begin or end with spaces".into()));
        } else {
            rows.push(case_row(case));
        }
    }
    for q in questions {
        if let Some(id) = &q.case
            && !cases.iter().any(|c| &c.id == id)
        {
            losses.push((q.id.clone(), format!("its case study `{id}` is not in the set")));
            continue;
        }
        match loss(q) {
            Some(why) => losses.push((q.id.clone(), why)),
            None => rows.push(question_row(q)),
        }
    }
    Written { text: to_text(rows), losses }
}

/// A file an instructor downloads to start from: the header and two
/// example rows, a single and a multiple question.
pub fn template() -> String {
    let choice = |text: &str, rationale: &str| Choice { text: text.into(), rationale: rationale.into() };
    let single = Question {
        id: "d1-serverless-spark-etl".into(),
        domain: "D1".into(),
        difficulty: Difficulty::Easy,
        tags: vec!["glue".into(), "etl".into()],
        references: vec!["https://docs.aws.amazon.com/glue/latest/dg/what-is-glue.html".into()],
        case: None,
        stem: "Which AWS service runs serverless Spark ETL jobs?".into(),
        explanation: "AWS Glue runs Apache Spark jobs without servers or clusters to manage.".into(),
        body: Body::Single {
            options: vec![
                choice("Amazon EMR", "EMR runs Spark on a cluster you size and manage."),
                choice("AWS Glue", "Glue runs Spark ETL jobs serverlessly."),
                choice("Amazon Kinesis Data Streams", "Kinesis carries streams; it does not run ETL jobs."),
                choice("Amazon RDS", "RDS is a relational database, not an ETL engine."),
            ],
            key: 1,
        },
    };
    let multiple = Question {
        id: "d2-imbalanced-metrics".into(),
        domain: "D2".into(),
        difficulty: Difficulty::Medium,
        tags: vec!["metrics".into(), "class-imbalance".into()],
        references: vec![],
        case: None,
        stem: "A fraud dataset has 0.4% positive labels.\n\nWhich metrics judge a model on it well? (Select TWO.)"
            .into(),
        explanation: "On skewed data accuracy rewards predicting the majority class; recall and PR AUC look at the \
                      rare positives."
            .into(),
        body: Body::Multiple {
            options: vec![
                choice("Recall", "It counts how much fraud the model catches."),
                choice("Accuracy", "Predicting no fraud at all scores 99.6%."),
                choice("Area under the precision-recall curve", "It focuses on the positive class."),
                choice("Mean squared error", "A regression metric."),
                choice("Training time", "Not a measure of quality."),
            ],
            key: vec![0, 2],
        },
    };
    to_text([question_row(&single), question_row(&multiple)])
}

#[cfg(test)]
mod tests;
