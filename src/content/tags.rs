//! An exam's declared topics: the tags a learner can drill, each with the
//! name shown in the drill picker. Declared in `exam.toml` as
//!
//! ```toml
//! [[tags]]
//! tag = "feature-store"
//! name = "SageMaker Feature Store"
//! domain = "D1"
//! ```
//!
//! The domain places the topic in the drill picker; a topic without one
//! spans the domains (e.g. `trade-off`).
//!
//! An exam that declares tags must use only those: a tag spelled two ways
//! (`multi-model-endpoint`, `multi-model-endpoints`) splits a topic in the
//! picker, so an undeclared tag is an error with the nearest declared one.
//! An exam that declares none (a set brought in from elsewhere) is not
//! checked.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{ContentError, SourcedQuestion};

/// A declared tag and its display name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TagInfo {
    pub tag: String,
    pub name: String,
    /// The domain the drill picker lists it under; None: across domains.
    #[serde(default)]
    pub domain: Option<String>,
}

/// Problems with the declarations themselves: a tag declared twice, an
/// empty name, a tag that is not lower-case words joined by hyphens, a
/// domain that is not one of `domains`. Each is placed on the line of the
/// tag in `exam.toml` (`text`).
pub fn check_declared(file: &str, text: &str, declared: &[TagInfo], domains: &[&str]) -> Vec<ContentError> {
    let line_of = |tag: &str| {
        let needle = format!("\"{tag}\"");
        text.lines().position(|l| l.trim_start().starts_with("tag") && l.contains(&needle)).map_or(1, |i| i + 1)
    };
    let error = |tag: &str, message: String| ContentError {
        file: file.to_string(),
        line: line_of(tag),
        question: None,
        message,
        house_rule: false,
    };
    let mut errors = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, t) in declared.iter().enumerate() {
        if seen.insert(t.tag.as_str(), i).is_some() {
            errors.push(error(&t.tag, format!("the tag `{}` is declared twice", t.tag)));
        }
        if !is_tag(&t.tag) {
            errors.push(error(
                &t.tag,
                format!("the tag `{}` must be lower-case letters and digits joined by single hyphens", t.tag),
            ));
        }
        if t.name.trim().is_empty() {
            errors.push(error(&t.tag, format!("the tag `{}` needs a name to show learners", t.tag)));
        }
        if let Some(d) = t.domain.as_deref().filter(|d| !domains.contains(d)) {
            errors.push(error(
                &t.tag,
                format!("the tag `{}` names the domain `{d}`: this exam has {}", t.tag, domains.join(", ")),
            ));
        }
    }
    errors
}

/// Lower-case letters and digits in words joined by single hyphens.
fn is_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.split('-').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// Every use of an undeclared tag, at its question's line, naming the
/// nearest declared tag when one is close. Nothing when none are declared.
pub fn check_used(declared: &[TagInfo], questions: &[SourcedQuestion]) -> Vec<ContentError> {
    if declared.is_empty() {
        return Vec::new();
    }
    let known: HashMap<&str, ()> = declared.iter().map(|t| (t.tag.as_str(), ())).collect();
    let mut errors = Vec::new();
    for q in questions {
        for tag in q.question.tags.iter().filter(|t| !known.contains_key(t.as_str())) {
            let hint = match nearest(tag, declared) {
                Some(near) => format!("; did you mean `{near}`?"),
                None => String::new(),
            };
            errors.push(ContentError {
                file: q.file.clone(),
                line: q.line,
                question: Some(q.question.id.clone()),
                message: format!("the tag `{tag}` is not declared in exam.toml's [[tags]]{hint}"),
                house_rule: false,
            });
        }
    }
    errors
}

/// The declared tag the same as `tag` once hyphens and a plural or "-ing"
/// ending are set aside (`accessdenied`, `access-denied`; `checkpoints`,
/// `checkpointing`); else the one at the smallest edit distance, if at most
/// 2 edits away.
fn nearest<'a>(tag: &str, declared: &'a [TagInfo]) -> Option<&'a str> {
    let wanted = stem(tag);
    if let Some(t) = declared.iter().find(|t| stem(&t.tag) == wanted) {
        return Some(&t.tag);
    }
    declared.iter().map(|t| (distance(tag, &t.tag), t.tag.as_str())).filter(|&(d, _)| d <= 2).min().map(|(_, t)| t)
}

fn stem(tag: &str) -> String {
    let joined: String = tag.chars().filter(|c| *c != '-').collect();
    for ending in ["ing", "s"] {
        if let Some(s) = joined.strip_suffix(ending)
            && s.len() >= 3
        {
            return s.to_string();
        }
    }
    joined
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::{Body, Question};

    fn info(tag: &str, name: &str) -> TagInfo {
        TagInfo { tag: tag.into(), name: name.into(), domain: None }
    }

    fn question(id: &str, line: usize, tags: &[&str]) -> SourcedQuestion {
        SourcedQuestion {
            file: "a.md".into(),
            line,
            question: Question {
                id: id.into(),
                domain: "D1".into(),
                difficulty: crate::exam::Difficulty::Easy,
                tags: tags.iter().map(|t| t.to_string()).collect(),
                references: Vec::new(),
                case: None,
                stem: "Stem".into(),
                body: Body::Single { options: Vec::new(), key: 0 },
                explanation: String::new(),
            },
        }
    }

    #[test]
    fn undeclared_tags_are_errors_at_their_question_with_the_nearest_declared_one() {
        let declared = [info("access-denied", "Access denied"), info("checkpoint", "Checkpoints"), info("kms", "KMS")];
        let questions = [
            question("q1", 3, &["access-denied", "accessdenied"]),
            question("q2", 40, &["checkpointing", "kms"]),
            question("q3", 77, &["kns", "glue"]),
        ];
        let errors: Vec<String> = check_used(&declared, &questions).iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "a.md:3: [q1] the tag `accessdenied` is not declared in exam.toml's [[tags]]; did you mean `access-denied`?",
                "a.md:40: [q2] the tag `checkpointing` is not declared in exam.toml's [[tags]]; did you mean `checkpoint`?",
                "a.md:77: [q3] the tag `kns` is not declared in exam.toml's [[tags]]; did you mean `kms`?",
                "a.md:77: [q3] the tag `glue` is not declared in exam.toml's [[tags]]",
            ]
        );
    }

    #[test]
    fn an_exam_that_declares_no_tags_is_not_checked() {
        assert!(check_used(&[], &[question("q", 1, &["anything"])]).is_empty());
    }

    #[test]
    fn declarations_must_be_unique_well_formed_and_named_each_on_its_line() {
        let text = "slug = \"x\"\n[[tags]]\ntag = \"kms\"\nname = \"KMS\"\n[[tags]]\ntag = \"kms\"\nname = \" \"\n\
                    [[tags]]\ntag = \"Bad Tag\"\nname = \"B\"\n";
        let mut declared = [info("kms", "KMS"), info("kms", " "), info("Bad Tag", "B"), info("a--b", "A")];
        declared[0].domain = Some("D1".into());
        declared[3].domain = Some("D7".into());
        let errors: Vec<String> =
            check_declared("exam.toml", text, &declared, &["D1", "D2"]).iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 5, "{errors:#?}");
        assert!(errors[0].starts_with("exam.toml:3: the tag `kms` is declared twice"), "{errors:#?}");
        assert!(errors[1].contains("the tag `kms` needs a name"), "{errors:#?}");
        assert!(errors[2].starts_with("exam.toml:9: the tag `Bad Tag` must be lower-case"), "{errors:#?}");
        assert!(errors[3].contains("`a--b` must be lower-case"), "{errors:#?}");
        assert!(errors[4].contains("the tag `a--b` names the domain `D7`: this exam has D1, D2"), "{errors:#?}");
        assert!(check_declared("exam.toml", text, &[info("ml-ops2", "MLOps")], &[]).is_empty());
    }

    #[test]
    fn nearest_prefers_the_same_stem_then_at_most_two_edits() {
        let declared = [info("multi-model-endpoint", "MME"), info("audit", "Audit"), info("s3", "S3")];
        assert_eq!(nearest("multi-model-endpoints", &declared), Some("multi-model-endpoint"));
        assert_eq!(nearest("auditing", &declared), Some("audit"));
        assert_eq!(nearest("s4", &declared), Some("s3"));
        assert_eq!(nearest("sagemaker", &declared), None);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", "abc"), 0);
    }
}
