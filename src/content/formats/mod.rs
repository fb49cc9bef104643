//! Question sets in the formats instructors already hold (GIFT, Moodle XML,
//! Aiken, CSV, JSON) and in our own Markdown. Each reader turns one file
//! into questions and the problems it found, never stopping at the first;
//! each writer turns questions back into a file and names what the format
//! cannot carry. All pure: the import pipeline (`app::imports`) settles
//! domains, checks the set as a whole and stores it.

pub mod aiken;
pub mod check;
pub mod csv;
pub mod gift;
pub mod identity;
pub mod json;
pub mod markdown;
pub mod moodle_xml;
#[cfg(test)]
pub mod testing;

use crate::exam::{CaseStudy, Question};

/// A file format a question set can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Json,
    Gift,
    MoodleXml,
    Aiken,
    Csv,
}

impl Format {
    pub const ALL: [Format; 6] =
        [Format::Markdown, Format::Json, Format::Gift, Format::MoodleXml, Format::Aiken, Format::Csv];

    /// The name used on the command line, in the API and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Gift => "gift",
            Format::MoodleXml => "moodle-xml",
            Format::Aiken => "aiken",
            Format::Csv => "csv",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "xml" | "moodle" => Some(Format::MoodleXml),
            "md" => Some(Format::Markdown),
            other => Format::ALL.into_iter().find(|f| f.as_str() == other),
        }
    }

    /// The format of a file: the one its extension names, else the one its
    /// text looks like (a `.txt` file, pasted text, no extension).
    pub fn guess(file_name: &str, text: &str) -> Option<Format> {
        let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match extension.as_deref() {
            Some("md" | "markdown") => Some(Format::Markdown),
            Some("json") => Some(Format::Json),
            Some("gift") => Some(Format::Gift),
            Some("xml") => Some(Format::MoodleXml),
            Some("csv") => Some(Format::Csv),
            Some("aiken") => Some(Format::Aiken),
            _ => Format::sniff(text),
        }
    }

    /// The format a text looks like: XML by its declaration or `<quiz>`,
    /// JSON by its opening brace, our Markdown by a `## Question` heading,
    /// CSV by a header naming `stem` and `key`, Aiken by `ANSWER:` lines
    /// without GIFT's answer marks, GIFT by an answer block.
    pub fn sniff(text: &str) -> Option<Format> {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        let first_line = start.lines().next().unwrap_or_default().to_ascii_lowercase();
        let gift_marks = ["{=", "{~", "{T}", "{F}", "{TRUE}", "{FALSE}", "{#", "{}"].iter().any(|m| text.contains(m));
        if start.starts_with("<?xml") || start.starts_with("<quiz") {
            Some(Format::MoodleXml)
        } else if start.starts_with('{') && !gift_marks {
            Some(Format::Json)
        } else if text.lines().any(|l| l.starts_with("## Question ")) {
            Some(Format::Markdown)
        } else if first_line.split([',', ';', '\t']).any(|c| c.trim() == "stem")
            && first_line.split([',', ';', '\t']).any(|c| c.trim() == "key")
        {
            Some(Format::Csv)
        } else if text.lines().any(|l| l.trim_start().starts_with("ANSWER:")) && !gift_marks {
            Some(Format::Aiken)
        } else if text.contains('{') {
            Some(Format::Gift)
        } else {
            None
        }
    }

    /// Whether questions can be written in this format (Aiken is read only:
    /// it holds nothing but single-answer questions without feedback).
    pub fn writable(self) -> bool {
        self != Format::Aiken
    }

    /// Reads one file's text in this format.
    pub fn read(self, text: &str) -> ReadSet {
        match self {
            Format::Markdown => markdown::read(text),
            Format::Json => json::read(text),
            Format::Gift => gift::read(text),
            Format::MoodleXml => moodle_xml::read(text),
            Format::Aiken => aiken::read(text),
            Format::Csv => csv::read(text),
        }
    }

    /// Writes questions in this format; None for a format that is read only.
    pub fn write(self, questions: &[Question], cases: &[CaseStudy]) -> Option<Written> {
        Some(match self {
            Format::Markdown => markdown::write(questions, cases),
            Format::Json => json::write(questions, cases),
            Format::Gift => gift::write(questions, cases),
            Format::MoodleXml => moodle_xml::write(questions, cases),
            Format::Csv => csv::write(questions, cases),
            Format::Aiken => return None,
        })
    }

    /// What a file written in this format cannot carry, in one sentence.
    pub fn loses(self) -> &'static str {
        match self {
            Format::Markdown => markdown::LOSES,
            Format::Json => json::LOSES,
            Format::Gift => gift::LOSES,
            Format::MoodleXml => moodle_xml::LOSES,
            Format::Csv => csv::LOSES,
            Format::Aiken => "Aiken is read only: it holds single-answer questions without feedback.",
        }
    }

    /// The media type an export is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Json => "application/json",
            Format::MoodleXml => "application/xml",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Gift | Format::Aiken => "text/plain; charset=utf-8",
        }
    }

    /// The file extension an export gets.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Gift => "gift",
            Format::MoodleXml => "xml",
            Format::Aiken => "txt",
            Format::Csv => "csv",
        }
    }
}

/// How much a problem matters to an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The file cannot be imported until this is fixed.
    Error,
    /// A question of a kind we cannot represent (essay, numerical, …): named
    /// and left out; the rest may still be imported.
    Skipped,
    /// Imported as is, but worth a look (a missing explanation, say).
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Skipped => "skipped",
            Severity::Warning => "warning",
        }
    }
}

/// A problem in a file, located for the author: 1-based line, and column
/// where the reader knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub line: usize,
    pub column: Option<usize>,
    /// The question's id (or name) where one is known.
    pub question: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn error(line: usize, message: impl Into<String>) -> Problem {
        Problem { severity: Severity::Error, line, column: None, question: None, message: message.into() }
    }

    pub fn warning(line: usize, message: impl Into<String>) -> Problem {
        Problem { severity: Severity::Warning, ..Problem::error(line, message) }
    }

    pub fn skipped(line: usize, message: impl Into<String>) -> Problem {
        Problem { severity: Severity::Skipped, ..Problem::error(line, message) }
    }

    pub fn at_column(self, column: usize) -> Problem {
        Problem { column: Some(column), ..self }
    }

    pub fn for_question(self, id: impl Into<String>) -> Problem {
        Problem { question: Some(id.into()), ..self }
    }
}

/// A question as a reader found it, before its domain is settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadQuestion {
    /// Where the question starts in its file (1-based).
    pub line: usize,
    /// What the file says the domain is: a category path (`top/Data
    /// preparation` from GIFT's `$CATEGORY:` or Moodle XML's `<category>`)
    /// or a domain column. The pipeline maps it to a domain code;
    /// `question.domain` is empty until then unless the format names
    /// domains itself (ours, JSON, CSV).
    pub category: Option<String>,
    pub question: Question,
}

/// Everything one file held: questions, case studies, and every problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadSet {
    pub questions: Vec<ReadQuestion>,
    pub cases: Vec<CaseStudy>,
    pub problems: Vec<Problem>,
}

impl ReadSet {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// A file written from questions, and the questions or parts the format
/// could not carry, each said in words (`(question id, what was lost)`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub text: String,
    pub losses: Vec<(String, String)>,
}

/// The text of an uploaded file: UTF-8, a leading byte-order mark dropped.
/// Invalid UTF-8 is an error at its byte offset and line; an empty file
/// (or one of only whitespace) is an error too.
pub fn decode(bytes: &[u8]) -> Result<&str, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Problem::error(line, format!("the file is not valid UTF-8: byte offset {at} is not part of any character"))
    })?;
    if text.trim().is_empty() {
        return Err(Problem::error(1, "the file is empty"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_named_and_guessed_from_the_file() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(f));
        }
        assert_eq!(Format::parse("XML"), Some(Format::MoodleXml));
        assert_eq!(Format::parse("docx"), None);
        assert_eq!(Format::guess("bank.gift", ""), Some(Format::Gift));
        assert_eq!(Format::guess("q.TXT", "What?\nA. x\nB. y\nANSWER: A\n"), Some(Format::Aiken));
        assert_eq!(Format::guess("q.txt", "::a:: What? {=x ~y}"), Some(Format::Gift));
        assert_eq!(Format::guess("q.txt", "Is {x} a set?\nA. yes\nB. no\nANSWER: A\n"), Some(Format::Aiken));
        assert_eq!(Format::guess("pasted", "<?xml version=\"1.0\"?>\n<quiz/>"), Some(Format::MoodleXml));
        assert_eq!(Format::guess("pasted", "  <quiz>"), Some(Format::MoodleXml));
        assert_eq!(Format::guess("pasted", "{\"format\": \"mockexam-questions\"}"), Some(Format::Json));
        assert_eq!(Format::guess("pasted", "# Set\n\n## Question d1-a\n"), Some(Format::Markdown));
        assert_eq!(Format::guess("sheet.txt", "id;domain;stem;option_1;key\n"), Some(Format::Csv));
        assert_eq!(Format::guess("sheet", "ID, Stem ,Key\n"), Some(Format::Csv));
        assert_eq!(Format::guess("a.json", "::a:: What? {=x ~y}"), Some(Format::Json), "the extension wins");
        assert_eq!(Format::guess("notes", "plain words"), None);
        assert_eq!(Format::guess("x.markdown", ""), Some(Format::Markdown));
        assert_eq!(Format::guess("q.xml", ""), Some(Format::MoodleXml));
        assert_eq!(Format::guess("README", ""), None);
        assert!(!Format::Aiken.writable() && Format::Gift.writable());
    }

    #[test]
    fn decode_drops_a_bom_and_locates_bad_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi").unwrap(), "hi");
        let e = decode(b"one\ntwo \xFF").unwrap_err();
        assert_eq!((e.line, e.severity), (2, Severity::Error));
        assert!(e.message.contains("byte offset 8"), "{}", e.message);
        assert_eq!(decode(b"  \n ").unwrap_err().message, "the file is empty");
    }
}
