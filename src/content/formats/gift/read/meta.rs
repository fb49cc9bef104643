//! Our `// mockexam: key=value` comment lines: what a question or a case
//! study carries that GIFT has no place for. Values are escaped as GIFT
//! texts are, so a multi-line scenario stays on its line.

use super::super::{META, unescape};
use crate::content::formats::Problem;
use crate::exam::{CaseStudy, Difficulty};

#[derive(Default)]
pub struct Meta {
    pub difficulty: Option<Difficulty>,
    pub tags: Vec<String>,
    pub references: Vec<String>,
    /// The line that names the case study, and its id.
    pub case: Option<(usize, String)>,
    /// `(line, n, rationale)` for the n-th pair (1-based).
    pub pairs: Vec<(usize, usize, String)>,
    pub extras: Vec<(usize, usize, String)>,
    /// A block of comments alone that defines a case study.
    pub case_study: Option<CaseStudy>,
}

fn list(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect()
}

impl Meta {
    pub fn parse(comments: &[(usize, &str)], problems: &mut Vec<Problem>) -> Meta {
        let mut meta = Meta::default();
        let (mut title, mut scenario) = (String::new(), String::new());
        for &(line, text) in comments {
            let Some(rest) = text.strip_prefix(META) else { continue };
            let Some((key, value)) = rest.split_once('=') else {
                problems.push(Problem::warning(line, "a `// mockexam:` comment without `key=value`: ignored"));
                continue;
            };
            let (key, value) = (key.trim(), unescape(value.trim()));
            let numbered = |prefix: &str| key.strip_prefix(prefix).and_then(|n| n.trim().parse::<usize>().ok());
            match key {
                "difficulty" => match Difficulty::parse(&value) {
                    Some(d) => meta.difficulty = Some(d),
                    None => problems.push(Problem::error(
                        line,
                        format!("unknown difficulty `{value}`: write easy, medium or hard"),
                    )),
                },
                "tags" => meta.tags = list(&value),
                "references" => meta.references = list(&value),
                "case" => meta.case = Some((line, value)),
                "case-study" => {
                    meta.case_study = Some(CaseStudy { id: value, title: String::new(), scenario: String::new() })
                }
                "title" => title = value,
                "scenario" => scenario = value,
                _ => match (numbered("pair "), numbered("extra ")) {
                    (Some(n), _) => meta.pairs.push((line, n, value)),
                    (_, Some(n)) => meta.extras.push((line, n, value)),
                    _ => problems.push(Problem::warning(line, format!("unknown `// mockexam:` key `{key}`: ignored"))),
                },
            }
        }
        if let Some(case) = &mut meta.case_study {
            case.title = title;
            case.scenario = scenario;
        }
        meta
    }
}
