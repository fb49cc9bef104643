//! Question files: parse, validate and summarise an exam's content. Pure
//! apart from [`load_dir`], which only reads files.

#[cfg(test)]
mod bank_checks;
pub mod formats;
pub mod import;
pub mod markdown;
pub mod parse;
pub mod tags;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::exam::{Blueprint, CaseStudy, CreditRule, Domain, Question, Scale, blueprint, kind::Kind};
pub use parse::ContentError;
pub use tags::TagInfo;

/// A question with the place it came from.
#[derive(Debug, Clone)]
pub struct SourcedQuestion {
    pub file: String,
    pub line: usize,
    pub question: Question,
}

/// An exam's blueprint and every question of its question sets, checked.
#[derive(Debug, Clone)]
pub struct ExamContent {
    pub blueprint: Blueprint,
    pub questions: Vec<SourcedQuestion>,
    pub cases: Vec<CaseStudy>,
    /// The topics `exam.toml` declares; empty when it declares none.
    pub tags: Vec<TagInfo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExamFile {
    slug: String,
    title: String,
    question_count: u32,
    time_limit_minutes: u32,
    #[serde(default)]
    unscored_count: u32,
    #[serde(default)]
    description: String,
    #[serde(default)]
    credit: CreditRule,
    #[serde(default = "shown")]
    explanations_in_practice: bool,
    scale: Scale,
    domains: Vec<Domain>,
    #[serde(default)]
    tags: Vec<TagInfo>,
}

fn shown() -> bool {
    true
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parses and checks an `exam.toml`.
pub fn parse_blueprint(file: &str, text: &str) -> Result<Blueprint, Vec<ContentError>> {
    parse_exam(file, text).map(|(blueprint, _)| blueprint)
}

/// Parses and checks an `exam.toml`: its blueprint and its declared tags.
pub fn parse_exam(file: &str, text: &str) -> Result<(Blueprint, Vec<TagInfo>), Vec<ContentError>> {
    let error = |line: usize, message: String| ContentError {
        file: file.to_string(),
        line,
        question: None,
        message,
        house_rule: false,
    };
    let exam: ExamFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        vec![error(line, e.message().to_string())]
    })?;
    // Points at the line that defines `name`, for messages about values.
    let line_with = |name: &str| text.lines().position(|l| l.trim_start().starts_with(name)).map_or(1, |i| i + 1);
    let blueprint = Blueprint {
        slug: exam.slug,
        title: exam.title,
        domains: exam.domains,
        question_count: exam.question_count,
        time_limit_minutes: exam.time_limit_minutes,
        scale: exam.scale,
        unscored_count: exam.unscored_count,
        description: exam.description,
        credit: exam.credit,
        explanations_in_practice: exam.explanations_in_practice,
    };
    // The same checks as the browser's editor; each problem is placed on
    // the line of the key it names (a domain's on the line of its code).
    let mut errors: Vec<ContentError> = blueprint::check(&blueprint)
        .into_iter()
        .map(|p| {
            let line = match p.field.strip_prefix("domains[").and_then(|rest| rest.split(']').next()) {
                Some(i) => {
                    let code = i.parse::<usize>().ok().and_then(|i| blueprint.domains.get(i)).map(|d| d.code.as_str());
                    code.map_or(1, |code| line_with(&format!("code = \"{code}\"")))
                }
                None if p.field == "domains" => 1,
                None => line_with(p.field.rsplit('.').next().unwrap_or(&p.field)),
            };
            error(line, p.message)
        })
        .collect();
    let codes: Vec<&str> = blueprint.domains.iter().map(|d| d.code.as_str()).collect();
    errors.extend(tags::check_declared(file, text, &exam.tags, &codes));
    if errors.is_empty() { Ok((blueprint, exam.tags)) } else { Err(errors) }
}

/// Parses and cross-checks an exam's question files, given as (name, text):
/// domains exist, ids are unique, case studies are whole, and tags are
/// declared when the exam declares `tags`.
pub fn check_questions(
    (blueprint, tags): (Blueprint, Vec<TagInfo>),
    files: &[(String, String)],
) -> Result<ExamContent, Vec<ContentError>> {
    let mut errors = Vec::new();
    let mut questions: Vec<SourcedQuestion> = Vec::new();
    let mut cases: Vec<CaseStudy> = Vec::new();
    let mut first_seen: HashMap<String, (String, usize)> = HashMap::new();

    for (file, text) in files {
        let (parsed, file_errors) = parse::parse_file(file, text);
        errors.extend(file_errors);
        let error = |line: usize, id: &str, message: String| ContentError {
            file: file.clone(),
            line,
            question: Some(id.to_string()),
            message,
            house_rule: false,
        };
        for q in &parsed.questions {
            let id = &q.value.id;
            if blueprint.domain(&q.value.domain).is_none() {
                let codes: Vec<&str> = blueprint.domains.iter().map(|d| d.code.as_str()).collect();
                errors.push(error(
                    q.line,
                    id,
                    format!("unknown domain `{}`: this exam has {}", q.value.domain, codes.join(", ")),
                ));
            }
            match first_seen.get(id) {
                Some((f, l)) => errors.push(error(q.line, id, format!("question id already used at {f}:{l}"))),
                None => {
                    first_seen.insert(id.clone(), (file.clone(), q.line));
                }
            }
            if let Some(case) = &q.value.case
                && !parsed.cases.iter().any(|c| c.value.id == *case)
            {
                errors.push(error(q.line, id, format!("case study `{case}` is not defined in this file")));
            }
        }
        for c in &parsed.cases {
            let members: Vec<&Question> = parsed
                .questions
                .iter()
                .map(|q| &q.value)
                .filter(|q| q.case.as_deref() == Some(c.value.id.as_str()))
                .collect();
            if members.len() < 2 {
                errors.push(error(
                    c.line,
                    &c.value.id,
                    format!("a case study needs two or more questions with `case: {}`", c.value.id),
                ));
            }
            if cases.iter().any(|d| d.id == c.value.id) {
                errors.push(error(c.line, &c.value.id, "case study id already used".into()));
            }
            cases.push(c.value.clone());
        }
        questions.extend(parsed.questions.into_iter().map(|q| SourcedQuestion {
            file: file.clone(),
            line: q.line,
            question: q.value,
        }));
    }
    errors.extend(tags::check_used(&tags, &questions));
    if errors.is_empty() { Ok(ExamContent { blueprint, questions, cases, tags }) } else { Err(errors) }
}

/// Reads an exam folder: `exam.toml` and every `*.md` beneath it, in name
/// order. File names in errors are as given by `dir`.
pub fn load_dir(dir: &Path) -> Result<ExamContent, Vec<ContentError>> {
    let io_error = |path: &Path, e: std::io::Error| {
        vec![ContentError {
            file: path.display().to_string(),
            line: 1,
            question: None,
            message: e.to_string(),
            house_rule: false,
        }]
    };
    let toml_path = dir.join("exam.toml");
    let toml_text = std::fs::read_to_string(&toml_path).map_err(|e| io_error(&toml_path, e))?;
    let exam = parse_exam(&toml_path.display().to_string(), &toml_text);
    let mut paths = Vec::new();
    collect_markdown(dir, &mut paths).map_err(|e| io_error(dir, e))?;
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
        files.push((path.display().to_string(), text));
    }
    check_questions(exam?, &files)
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_markdown(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// The exam folders under `root`: `root` itself if it holds an `exam.toml`,
/// else each direct sub-folder that does.
pub fn exam_dirs(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    if root.join("exam.toml").is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("exam.toml").is_file())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Questions per domain and kind, for `content check` and the instructor.
pub fn counts(content: &ExamContent) -> BTreeMap<(String, Kind), usize> {
    let mut counts = BTreeMap::new();
    for q in &content.questions {
        *counts.entry((q.question.domain.clone(), q.question.body.kind())).or_insert(0) += 1;
    }
    counts
}

/// A table of the counts, one row per domain, for the terminal.
pub fn summary(content: &ExamContent) -> String {
    let domains: Vec<&str> = content.blueprint.domains.iter().map(|d| d.code.as_str()).collect();
    format!(
        "{}: {} questions, {} case studies\n{}",
        content.blueprint.slug,
        content.questions.len(),
        content.cases.len(),
        counts_table(&domains, &counts(content))
    )
}

/// Questions per domain (a row each, in `domains` order) and kind, with
/// totals, as the terminal shows them.
pub fn counts_table(domains: &[&str], counts: &BTreeMap<(String, Kind), usize>) -> String {
    let mut out =
        format!("{:<6}{:>8}{:>10}{:>10}{:>10}{:>8}\n", "domain", "single", "multiple", "ordering", "matching", "total");
    let row = |label: &str, get: &dyn Fn(Kind) -> usize| {
        let total: usize = Kind::ALL.iter().map(|&k| get(k)).sum();
        format!(
            "{:<6}{:>8}{:>10}{:>10}{:>10}{:>8}\n",
            label,
            get(Kind::Single),
            get(Kind::Multiple),
            get(Kind::Ordering),
            get(Kind::Matching),
            total
        )
    };
    for d in domains {
        out += &row(d, &|k| counts.get(&(d.to_string(), k)).copied().unwrap_or(0));
    }
    out += &row("all", &|k| counts.iter().filter(|((_, kk), _)| *kk == k).map(|(_, n)| n).sum());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAM: &str = r#"
slug = "t"
title = "Test"
question_count = 4
time_limit_minutes = 10
[scale]
min = 100
max = 1000
pass = 720
[[domains]]
code = "D1"
name = "One"
weight = 1
"#;

    fn q(id: &str, domain: &str, case: Option<&str>) -> String {
        let case = case.map(|c| format!("case: {c}\n")).unwrap_or_default();
        format!(
            "## Question {id}\n\ndomain: {domain}\nkind: single\ndifficulty: easy\ntags: t\n{case}\nStem.\n\n### Options\n\n- [x] a\n  > r\n- [ ] b\n  > r\n- [ ] c\n  > r\n\n### Explanation\n\nE.\n\n"
        )
    }

    #[test]
    fn a_blueprint_parses_and_bad_values_are_reported_with_their_line() {
        let b = parse_blueprint("exam.toml", EXAM).unwrap();
        assert_eq!(b.domains[0].weight, 1);
        let errors = parse_blueprint("exam.toml", &EXAM.replace("pass = 720", "pass = 2000")).unwrap_err();
        assert!(errors[0].message.contains("pass"), "{errors:?}");
        let errors = parse_blueprint("exam.toml", &EXAM.replace("weight = 1", "weight = \"x\"")).unwrap_err();
        assert_eq!(errors[0].line, 13, "{errors:?}");
        // A domain's problem is on the line of its code.
        let errors = parse_blueprint("exam.toml", &EXAM.replace("weight = 1", "weight = 0")).unwrap_err();
        assert_eq!((errors[0].line, errors.len()), (11, 1), "{errors:?}");
        assert!(errors[0].message.contains("weight of 1 or more"), "{errors:?}");
        let errors = parse_blueprint("exam.toml", &EXAM.replace("title = \"Test\"", "title = \"\"")).unwrap_err();
        assert_eq!(errors[0].line, 3, "{errors:?}");
    }

    #[test]
    fn unknown_domains_duplicate_ids_and_lonely_cases_are_errors() {
        let b = parse_blueprint("exam.toml", EXAM).unwrap();
        let files = vec![
            ("a.md".to_string(), q("x", "D1", None) + &q("y", "D9", None)),
            (
                "b.md".to_string(),
                "## Case study cs\n\ntitle: T\n\nScenario.\n\n".to_string() + &q("x", "D1", Some("cs")),
            ),
        ];
        let errors: Vec<String> =
            check_questions((b, Vec::new()), &files).unwrap_err().iter().map(ToString::to_string).collect();
        assert!(errors.iter().any(|e| e.contains("a.md:23: [y] unknown domain `D9`")), "{errors:#?}");
        assert!(errors.iter().any(|e| e.contains("[x] question id already used at a.md:1")), "{errors:#?}");
        assert!(errors.iter().any(|e| e.contains("b.md:1: [cs] a case study needs two")), "{errors:#?}");
    }
}
