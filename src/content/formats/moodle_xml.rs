//! Moodle XML (docs/formats/moodle-xml.md): read and write `<quiz>` files
//! of multichoice, truefalse, matching and ordering (qtype_ordering)
//! questions, with categories. What Moodle has no field for (difficulty,
//! case studies, references, matching rationales) rides in tags, in
//! `description` questions and in one XML comment per question, which
//! Moodle ignores and our reader reads back.

mod read;
mod tree;
mod write;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use read::read;
pub use write::write;

/// What this format loses, for the README and the CLI.
pub const LOSES: &str = "Nothing that mockexam reads back (domains ride in categories, difficulty and case studies in tags, references and matching rationales in a comment Moodle ignores); Moodle itself drops references, matching rationales and case-study links, gives partial credit on multiple-answer questions, and shows case studies as description questions.";

/// The tag that carries a question's difficulty: `mockexam-difficulty-hard`.
const DIFFICULTY_TAG_PREFIX: &str = "mockexam-difficulty-";
/// The tag that puts a question in a case study: `mockexam-case-<case id>`.
const CASE_TAG_PREFIX: &str = "mockexam-case-";
/// The tag that marks a `description` question as one of our case studies.
const SCENARIO_TAG: &str = "mockexam-scenario";
/// How our comment starts: `<!-- mockexam {"references":[…]} -->`.
const COMMENT_PREFIX: &str = "mockexam ";

/// What a question carries in our comment: texts too long or free for tags.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Extra {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    references: Vec<String>,
    /// Matching only: one per `<subquestion>`, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rationales: Vec<String>,
}

impl Extra {
    fn is_empty(&self) -> bool {
        self.references.is_empty() && self.rationales.is_empty()
    }

    /// The comment's text. A comment may not hold `--`, so every hyphen is
    /// written as the JSON escape `\u002d` (our keys have none).
    fn to_comment(&self) -> String {
        let json = serde_json::to_string(self).expect("strings and lists always serialize");
        format!("{COMMENT_PREFIX}{}", json.replace('-', "\\u002d"))
    }
}

/// Our comment's contents, if `comment` is ours; `Err` if it is ours but
/// broken.
fn extra_from_comment(comment: &str) -> Option<Result<Extra, String>> {
    let json = comment.trim().strip_prefix(COMMENT_PREFIX)?;
    Some(serde_json::from_str(json).map_err(|e| e.to_string()))
}
