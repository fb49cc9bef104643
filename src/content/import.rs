//! Validating uploaded question files against an exam, before anything is
//! stored: each file decoded and read in its format, each question's domain
//! settled from its category, and the set checked as a whole (ids unique
//! across the files, case studies whole). Pure: the caller stores the result
//! only when it has no errors.
//!
//! How a question's domain is settled, first match wins (paths compared
//! without case, and without Moodle's `$course$/` and `top/` prefixes):
//! 1. the longest `--domain-map` entry that is the question's category path
//!    or a parent of it (`MLA/Deployment=D3` covers `MLA/Deployment/Endpoints`);
//! 2. a `--domain-map` entry naming the path's last segment;
//! 3. the last segment (or the format's own domain field) being one of the
//!    exam's domain codes or names;
//! 4. `--all-in-domain`, when given.
//!
//! Otherwise the question is an error that names its category.

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

use super::SourcedQuestion;
use super::formats::{self, Format, Problem, Severity};
use crate::exam::kind::Kind;
use crate::exam::{Blueprint, CaseStudy};

/// What the uploader chose besides the files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The format of every file; guessed per file from its name when None.
    pub format: Option<Format>,
    /// `(category path, domain code)` pairs.
    pub domain_map: Vec<(String, String)>,
    /// The domain of every question whose category maps to none.
    pub all_in_domain: Option<String>,
}

impl Options {
    /// Parses `CATEGORY=D1` as typed on the command line or in a form.
    pub fn parse_mapping(entry: &str) -> Result<(String, String), String> {
        match entry.rsplit_once('=') {
            Some((category, domain)) if !category.trim().is_empty() && !domain.trim().is_empty() => {
                Ok((category.trim().to_string(), domain.trim().to_string()))
            }
            _ => Err(format!("`{entry}` is not a mapping: write CATEGORY=DOMAIN, such as `Data preparation=D1`")),
        }
    }
}

/// A problem in one of the uploaded files (or, with an empty file name, in
/// the options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub file: String,
    pub problem: Problem,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = &self.problem;
        write!(f, "{}:{}", self.file, p.line)?;
        if let Some(column) = p.column {
            write!(f, ":{column}")?;
        }
        write!(f, ": {}: ", p.severity.as_str())?;
        if let Some(id) = &p.question {
            write!(f, "[{id}] ")?;
        }
        f.write_str(&p.message)
    }
}

/// One uploaded file as the import records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub name: String,
    pub format: Option<Format>,
    pub bytes: usize,
    /// SHA-256 of the bytes, hex.
    pub checksum: String,
    pub questions: usize,
}

/// Everything the files hold, checked: the questions with their domains
/// settled, and every problem found.
#[derive(Debug, Clone, Default)]
pub struct Validated {
    pub files: Vec<FileSummary>,
    pub questions: Vec<SourcedQuestion>,
    pub cases: Vec<CaseStudy>,
    pub problems: Vec<FileProblem>,
}

impl Validated {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.problem.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.problems.iter().filter(|p| p.problem.severity == severity).count()
    }

    /// Questions per (domain, kind).
    pub fn counts(&self) -> BTreeMap<(String, Kind), usize> {
        let mut counts = BTreeMap::new();
        for q in &self.questions {
            *counts.entry((q.question.domain.clone(), q.question.body.kind())).or_insert(0) += 1;
        }
        counts
    }
}

/// Validates `files` (name, bytes) for the exam `blueprint`.
pub fn validate(blueprint: &Blueprint, files: &[(String, Vec<u8>)], options: &Options) -> Validated {
    let mut out = Validated::default();
    let option_error = |message: String| FileProblem { file: String::new(), problem: Problem::error(1, message) };
    for (category, domain) in &options.domain_map {
        if blueprint.domain(domain).is_none() {
            out.problems.push(option_error(format!(
                "the mapping `{category}={domain}` names no domain of {}: {}",
                blueprint.slug,
                codes(blueprint)
            )));
        }
    }
    if let Some(d) = &options.all_in_domain
        && blueprint.domain(d).is_none()
    {
        out.problems.push(option_error(format!("`{d}` is not a domain of {}: {}", blueprint.slug, codes(blueprint))));
    }
    if files.is_empty() {
        out.problems.push(option_error("no files were given".into()));
    }
    let mut first_seen: HashMap<String, (String, usize)> = HashMap::new();
    let mut unmapped: Vec<Unmapped> = Vec::new();
    for (name, bytes) in files {
        let mut summary = FileSummary {
            name: name.clone(),
            format: None,
            bytes: bytes.len(),
            checksum: hex::encode(Sha256::digest(bytes)),
            questions: 0,
        };
        let problem = |problem: Problem| FileProblem { file: name.clone(), problem };
        let first_problem = out.problems.len();
        let text = match formats::decode(bytes) {
            Ok(text) => text,
            Err(p) => {
                out.problems.push(problem(p));
                out.files.push(summary);
                continue;
            }
        };
        let Some(format) = options.format.or_else(|| Format::guess(name, text)) else {
            out.problems.push(problem(Problem::error(
                1,
                "cannot tell the format from the file's name or text: choose it (markdown, json, gift, moodle-xml, aiken or csv)",
            )));
            out.files.push(summary);
            continue;
        };
        summary.format = Some(format);
        let read = format.read(text);
        out.problems.extend(read.problems.into_iter().map(problem));
        for mut q in read.questions {
            let id = q.question.id.clone();
            let at = |message: String| problem(Problem::error(q.line, message).for_question(&id));
            match settle_domain(blueprint, &q.question.domain, q.category.as_deref(), options) {
                Some(code) => q.question.domain = code,
                None => {
                    let named = q.category.clone().filter(|c| !c.is_empty()).unwrap_or(q.question.domain.clone());
                    match unmapped.iter_mut().find(|u| u.category == named) {
                        Some(u) => u.ids.push(id.clone()),
                        None => unmapped.push(Unmapped { category: named, line: q.line, ids: vec![id.clone()] }),
                    }
                }
            }
            match first_seen.get(&id) {
                Some((file, line)) => out.problems.push(at(format!("the id `{id}` is already used at {file}:{line}"))),
                None => {
                    first_seen.insert(id.clone(), (name.clone(), q.line));
                }
            }
            summary.questions += 1;
            out.questions.push(SourcedQuestion { file: name.clone(), line: q.line, question: q.question });
        }
        for u in unmapped.drain(..) {
            out.problems.push(problem(unmapped_problem(blueprint, &u)));
        }
        // In the order of the file, as an author reads it.
        out.problems[first_problem..].sort_by_key(|p| (p.problem.line, p.problem.column));
        for case in read.cases {
            if out.cases.iter().any(|c| c.id == case.id) {
                out.problems.push(problem(
                    Problem::error(1, format!("the case study `{}` is defined twice", case.id)).for_question(&case.id),
                ));
            } else {
                out.cases.push(case);
            }
        }
        out.files.push(summary);
    }
    check_cases(&mut out);
    out
}

/// The questions of one file whose category maps to no domain: one error
/// for them all, at the first, rather than one per question.
struct Unmapped {
    category: String,
    line: usize,
    ids: Vec<String>,
}

fn unmapped_problem(blueprint: &Blueprint, u: &Unmapped) -> Problem {
    let (which, verb) = match u.ids.len() {
        1 => ("the question".to_string(), "maps"),
        n => (format!("{n} questions, from `{}`,", u.ids[0]), "map"),
    };
    let message = if u.category.trim().is_empty() {
        format!(
            "{which} with no category or domain {verb} to no domain: give --all-in-domain <domain> ({})",
            codes(blueprint)
        )
    } else {
        format!(
            "{which} in the category `{}` {verb} to no domain of {}: add --domain-map \"{}=<domain>\" or --all-in-domain <domain> ({})",
            u.category,
            blueprint.slug,
            last_segment(&normalize(&u.category)),
            codes(blueprint)
        )
    };
    Problem::error(u.line, message).for_question(&u.ids[0])
}

/// A case study needs two or more questions (of any domains: the draw counts
/// each against its own); a question may only name a case study the files
/// define.
fn check_cases(out: &mut Validated) {
    let mut problems = Vec::new();
    for q in &out.questions {
        if let Some(case) = &q.question.case
            && !out.cases.iter().any(|c| &c.id == case)
        {
            let p = Problem::error(q.line, format!("the case study `{case}` is not defined in these files"));
            problems.push(FileProblem { file: q.file.clone(), problem: p.for_question(&q.question.id) });
        }
    }
    for case in &out.cases {
        let members: Vec<&SourcedQuestion> =
            out.questions.iter().filter(|q| q.question.case.as_deref() == Some(case.id.as_str())).collect();
        let Some(first) = members.first() else {
            continue;
        };
        let at = |message: String| FileProblem {
            file: first.file.clone(),
            problem: Problem::error(first.line, message).for_question(&case.id),
        };
        if members.len() < 2 {
            problems.push(at(format!("the case study `{}` needs two or more questions", case.id)));
        }
    }
    out.problems.extend(problems);
}

fn codes(blueprint: &Blueprint) -> String {
    blueprint.domains.iter().map(|d| d.code.as_str()).collect::<Vec<_>>().join(", ")
}

/// A category path without Moodle's context prefix (`$course$/`, any
/// `$…$/`) and `top/`, without surrounding slashes and spaces, lowercased.
pub fn normalize(path: &str) -> String {
    let mut segments: Vec<String> =
        path.split('/').map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect();
    if segments.first().is_some_and(|s| s.len() > 1 && s.starts_with('$') && s.ends_with('$')) {
        segments.remove(0);
    }
    if segments.first().is_some_and(|s| s == "top") {
        segments.remove(0);
    }
    segments.join("/")
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The domain code for a question whose format gave `domain` (maybe empty)
/// and `category`, by the rules at the top of this file.
pub fn settle_domain(blueprint: &Blueprint, domain: &str, category: Option<&str>, options: &Options) -> Option<String> {
    let by_code_or_name = |s: &str| {
        blueprint
            .domains
            .iter()
            .find(|d| d.code.eq_ignore_ascii_case(s.trim()) || d.name.eq_ignore_ascii_case(s.trim()))
            .map(|d| d.code.clone())
    };
    let valid = |code: &String| blueprint.domain(code).is_some();
    for named in [category, Some(domain)].into_iter().flatten().filter(|n| !n.trim().is_empty()) {
        let path = normalize(named);
        let mapped = options
            .domain_map
            .iter()
            .map(|(c, d)| (normalize(c), d))
            .filter(|(c, _)| !c.is_empty() && (path == *c || path.starts_with(&format!("{c}/"))))
            .max_by_key(|(c, _)| c.len())
            .map(|(_, d)| d.clone())
            .or_else(|| {
                options.domain_map.iter().find(|(c, _)| normalize(c) == last_segment(&path)).map(|(_, d)| d.clone())
            });
        if let Some(code) = mapped.filter(valid) {
            return Some(code);
        }
        if let Some(code) = by_code_or_name(last_segment(&path)).or_else(|| by_code_or_name(named)) {
            return Some(code);
        }
    }
    options.all_in_domain.clone().filter(valid)
}

#[cfg(test)]
mod tests;
