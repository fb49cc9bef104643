//! A question's id when it comes from a foreign file. It must stay the same
//! across imports of the same file, so that a second import changes nothing
//! and an edited question becomes a new version of the same question.
//!
//! - A question with a name of its own (GIFT's `::title::`, Moodle XML's
//!   `<idnumber>` or `<name>`, a CSV `id` column) gets that name as a slug:
//!   lowercase ASCII letters and digits, everything else a hyphen, at most
//!   [`MAX_LEN`] characters. "Glue vs EMR (1)" becomes `glue-vs-emr-1`.
//! - A question without one (Aiken, an unnamed GIFT question) gets
//!   `q-` and the first 12 hex digits of the SHA-256 of its stem, a newline,
//!   and each option's text followed by a newline, in file order ([`texts`]:
//!   the steps of an ordering question; each prompt then its answer, then
//!   the extra answers, of a matching one). Editing
//!   the stem or an option of such a question therefore makes a new
//!   question, not a new version: the file gives nothing else to know it by.

use sha2::{Digest, Sha256};

use crate::exam::Body;

pub const MAX_LEN: usize = 64;

/// The slug of a name, or `None` when nothing of it is left.
pub fn slug(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(MAX_LEN);
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty()).then_some(out)
}

/// The id of an unnamed question, from its stem and option texts.
pub fn hashed<'a>(stem: &str, options: impl IntoIterator<Item = &'a str>) -> String {
    let mut hash = Sha256::new();
    hash.update(stem.as_bytes());
    hash.update(b"\n");
    for option in options {
        hash.update(option.as_bytes());
        hash.update(b"\n");
    }
    format!("q-{}", &hex::encode(hash.finalize())[..12])
}

/// The texts an unnamed question's hash covers besides its stem, in file
/// order.
pub fn texts(body: &Body) -> Vec<&str> {
    match body {
        Body::Single { options, .. } | Body::Multiple { options, .. } => {
            options.iter().map(|o| o.text.as_str()).collect()
        }
        Body::Ordering { steps } => steps.iter().map(|s| s.text.as_str()).collect(),
        Body::Matching { pairs, extra_answers } => pairs
            .iter()
            .flat_map(|p| [p.prompt.as_str(), p.answer.as_str()])
            .chain(extra_answers.iter().map(|e| e.text.as_str()))
            .collect(),
    }
}

/// The id for a question: its name's slug when it has one, else the hash.
pub fn id_for<'a>(name: Option<&str>, stem: &str, options: impl IntoIterator<Item = &'a str>) -> String {
    name.and_then(slug).unwrap_or_else(|| hashed(stem, options))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse::is_valid_id;

    #[test]
    fn names_become_valid_ids() {
        assert_eq!(slug("Glue vs EMR (1)").as_deref(), Some("glue-vs-emr-1"));
        assert_eq!(slug("  --d1-etl--  ").as_deref(), Some("d1-etl"));
        assert_eq!(slug("Überprüfung").as_deref(), Some("berpr-fung"));
        assert_eq!(slug("¿?"), None);
        let long = slug(&"ab ".repeat(40)).unwrap();
        assert!(long.len() <= MAX_LEN && is_valid_id(&long), "{long}");
    }

    #[test]
    fn unnamed_questions_hash_their_text() {
        let a = hashed("Which?", ["x", "y"]);
        assert_eq!(a, hashed("Which?", ["x", "y"]));
        assert!(is_valid_id(&a) && a.len() == 14, "{a}");
        assert_ne!(a, hashed("Which?", ["x", "z"]));
        assert_ne!(a, hashed("Which?", ["xy"]), "option boundaries count");
        assert_eq!(id_for(Some("Named"), "s", ["o"]), "named");
        assert_eq!(id_for(Some("!!"), "s", ["o"]), hashed("s", ["o"]));
        assert_eq!(id_for(None, "s", ["o"]), hashed("s", ["o"]));
    }
}
