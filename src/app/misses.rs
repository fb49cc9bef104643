//! Notes on misses: the learner tags why they missed an item (from their
//! own list of error tags, which name the decision error, not the service)
//! and writes what to remember; their misses are listed and counted by tag.

use std::collections::HashSet;

use uuid::Uuid;

use super::attempts;
use super::{App, Error, Result};
use crate::store::misses::{self, Facets, Miss, MissFilter, Note, NoteWrite};

/// Every learner's list until they change it.
pub const DEFAULT_ERROR_TAGS: [&str; 7] = [
    "Misread the constraint",
    "Knowledge gap",
    "Confused two services",
    "Wrong metric",
    "Security or permissions overlooked",
    "Ran out of time",
    "Other",
];
/// At most this many tags in a list…
pub const MAX_TAGS: usize = 20;
/// …of at most this many characters each.
pub const MAX_TAG_CHARS: usize = 60;
/// The longest note kept.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Misses listed per page.
pub const PER_PAGE: u32 = 50;

/// The learner's error tags, and whether they are the default list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorTags {
    pub tags: Vec<String>,
    pub is_default: bool,
}

pub async fn error_tags(app: &App, user: Uuid) -> Result<ErrorTags> {
    Ok(match misses::error_tags(&app.db, user).await? {
        Some(tags) => ErrorTags { tags, is_default: false },
        None => ErrorTags { tags: DEFAULT_ERROR_TAGS.map(String::from).to_vec(), is_default: true },
    })
}

/// What is wrong with a list of error tags as typed (one a line); lines
/// are counted from 1 as the learner sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagListProblem {
    /// No tag at all.
    Empty,
    TooMany {
        count: usize,
    },
    TooLong {
        line: usize,
        chars: usize,
    },
    /// The same tag (ignoring case) on two lines.
    Repeated {
        line: usize,
        first: usize,
    },
    ControlCharacter {
        line: usize,
    },
}

/// Reads a list of error tags, one a line: blank lines are skipped and
/// each tag is trimmed. Every problem is reported, not only the first.
pub fn parse_error_tags(text: &str) -> Result<Vec<String>, Vec<TagListProblem>> {
    let mut problems = Vec::new();
    let mut tags = Vec::new();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let tag = raw.trim();
        if tag.is_empty() {
            continue;
        }
        let chars = tag.chars().count();
        if chars > MAX_TAG_CHARS {
            problems.push(TagListProblem::TooLong { line, chars });
        }
        if tag.chars().any(char::is_control) {
            problems.push(TagListProblem::ControlCharacter { line });
        }
        let folded = tag.to_lowercase();
        match seen.iter().find(|(s, _)| *s == folded) {
            Some((_, first)) => problems.push(TagListProblem::Repeated { line, first: *first }),
            None => seen.push((folded, line)),
        }
        tags.push(tag.to_string());
    }
    if tags.is_empty() {
        problems.push(TagListProblem::Empty);
    } else if tags.len() > MAX_TAGS {
        problems.insert(0, TagListProblem::TooMany { count: tags.len() });
    }
    if problems.is_empty() { Ok(tags) } else { Err(problems) }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagsOutcome {
    Saved,
    /// Nothing was saved.
    Refused(Vec<TagListProblem>),
}

/// Replaces the learner's error tags with the list typed in `text`. Notes
/// keep the tags they have, even ones no longer in the list.
pub async fn set_error_tags(app: &App, user: Uuid, text: &str) -> Result<TagsOutcome> {
    match parse_error_tags(text) {
        Ok(tags) => {
            misses::set_error_tags(&app.db, user, Some(&tags)).await?;
            Ok(TagsOutcome::Saved)
        }
        Err(problems) => Ok(TagsOutcome::Refused(problems)),
    }
}

/// Goes back to the default list.
pub async fn reset_error_tags(app: &App, user: Uuid) -> Result<()> {
    Ok(misses::set_error_tags(&app.db, user, None).await?)
}

/// A note as the learner sent it: an error tag (empty: none) and text.
#[derive(Debug, Clone, Copy)]
pub struct NoteRequest<'a> {
    pub error_tag: &'a str,
    pub note: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteOutcome {
    Saved,
    /// Neither a tag nor any text: the note is gone.
    Cleared,
    TooLong {
        chars: usize,
    },
    /// Not one of the learner's error tags (nor the note's own tag).
    UnknownTag(String),
    /// The attempt is still running: notes are for results.
    NotFinished,
}

/// Saves the learner's note on item `position` of their own finished
/// attempt; another learner's attempt, or an item it does not have, is not
/// found.
pub async fn save_note(
    app: &App,
    user: Uuid,
    attempt: Uuid,
    position: i32,
    req: NoteRequest<'_>,
) -> Result<NoteOutcome> {
    // The attempt as it stands (graded first if its time ran out).
    let (found, items) = attempts::open(app, user, attempt).await?;
    if !items.iter().any(|i| i.position == position) {
        return Err(Error::NotFound);
    }
    if !found.is_finished() {
        return Ok(NoteOutcome::NotFinished);
    }
    // Line breaks as sent by browsers (CRLF) count as one character.
    let note = req.note.replace("\r\n", "\n");
    let note = note.trim();
    let chars = note.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Ok(NoteOutcome::TooLong { chars });
    }
    let tag = req.error_tag.trim();
    let tag = (!tag.is_empty()).then_some(tag);
    if let Some(tag) = tag {
        // A tag that has left the list stays valid on the notes that carry it.
        let known = error_tags(app, user).await?.tags.iter().any(|t| t == tag)
            || misses::note_tag(&app.db, user, attempt, position).await?.as_deref() == Some(tag);
        if !known {
            return Ok(NoteOutcome::UnknownTag(tag.to_string()));
        }
    }
    if tag.is_none() && note.is_empty() {
        misses::delete_note(&app.db, user, attempt, position).await?;
        return Ok(NoteOutcome::Cleared);
    }
    let write = NoteWrite { user, attempt, position, error_tag: tag, note, now: app.clock.now() };
    if !misses::save_note(&app.db, &write).await? {
        return Err(Error::NotFound);
    }
    Ok(NoteOutcome::Saved)
}

/// What a result page shows of the learner's notes: the notes on that
/// attempt and the tags they can choose from.
pub struct ResultNotes {
    pub notes: Vec<Note>,
    pub tags: Vec<String>,
}

/// The learner's notes on their own attempt (someone else's has none to
/// show: every read names the learner).
pub async fn for_result(app: &App, user: Uuid, attempt: Uuid) -> Result<ResultNotes> {
    let notes = misses::notes_of_attempt(&app.db, user, attempt).await?;
    let tags = error_tags(app, user).await?.tags;
    Ok(ResultNotes { notes, tags })
}

/// A miss as listed: its question's first line instead of the whole stem.
pub struct MissEntry {
    pub miss: Miss,
    pub stem_line: String,
}

/// One page of the learner's misses and what they can be filtered by.
pub struct MissPage {
    pub misses: Vec<MissEntry>,
    /// How many misses match the filter in all.
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub facets: Facets,
}

/// The learner's misses matching `filter`, newest first, [`PER_PAGE`] a
/// page (`page` counts from 1).
pub async fn list(app: &App, user: Uuid, filter: &MissFilter, page: u32) -> Result<MissPage> {
    let page = page.max(1);
    let offset = i64::from(page - 1) * i64::from(PER_PAGE);
    let (found, total) = misses::misses(&app.db, user, filter, i64::from(PER_PAGE), offset).await?;
    let mut facets = misses::facets(&app.db, user).await?;
    // The filter offers the learner's list and any other tag still on a note.
    let mut error_tags = error_tags(app, user).await?.tags;
    let listed: HashSet<String> = error_tags.iter().cloned().collect();
    error_tags.extend(facets.error_tags.drain(..).filter(|t| !listed.contains(t)));
    facets.error_tags = error_tags;
    let total = u64::try_from(total).unwrap_or(0);
    Ok(MissPage {
        misses: found.into_iter().map(|miss| MissEntry { stem_line: stem_line(&miss.stem), miss }).collect(),
        total,
        page,
        pages: total.div_ceil(u64::from(PER_PAGE)).max(1) as u32,
        facets,
    })
}

/// The learner's misses of one exam by error tag, for `/me`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// Each error tag with its misses, most first (then by name).
    pub by_tag: Vec<(String, u32)>,
    /// Misses not tagged yet.
    pub untagged: u32,
}

impl Breakdown {
    pub fn total(&self) -> u32 {
        self.untagged + self.by_tag.iter().map(|(_, n)| n).sum::<u32>()
    }
}

/// How the learner's misses of `exam` divide among their error tags, the
/// untagged ones counted apart. Counts every item graded wrong in a
/// finished attempt.
pub async fn breakdown(app: &App, user: Uuid, exam: Uuid) -> Result<Breakdown> {
    let mut result = Breakdown::default();
    for (tag, n) in misses::breakdown(&app.db, user, exam).await? {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        match tag {
            Some(tag) => result.by_tag.push((tag, n)),
            None => result.untagged = n,
        }
    }
    result.by_tag.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(result)
}

/// The most of a stem that lists show.
const STEM_LINE_CHARS: usize = 160;

/// A question's opening as plain text, for lists: its first paragraph
/// (question files wrap their lines), without Markdown's heading, quote,
/// list and emphasis marks, cut at a word to at most [`STEM_LINE_CHARS`].
pub fn stem_line(stem: &str) -> String {
    let paragraph: Vec<&str> =
        stem.lines().map(str::trim).skip_while(|l| l.is_empty()).take_while(|l| !l.is_empty()).collect();
    let joined = paragraph.join(" ");
    let line = joined.trim_start_matches(['#', '>', '-', '*', ' ']);
    let plain: String = line.replace("**", "").replace("__", "").replace('`', "");
    let plain = plain.trim();
    if plain.chars().count() <= STEM_LINE_CHARS {
        return plain.to_string();
    }
    let cut: String = plain.chars().take(STEM_LINE_CHARS - 1).collect();
    // At the last word break, unless that would leave too little.
    let cut = match cut.rfind(' ') {
        Some(at) if at > STEM_LINE_CHARS / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_list_is_read_one_tag_a_line_trimmed_without_blank_lines() {
        assert_eq!(
            parse_error_tags("  Misread the constraint \r\n\r\nKnowledge gap\n").unwrap(),
            ["Misread the constraint", "Knowledge gap"]
        );
    }

    #[test]
    fn every_problem_of_a_tag_list_is_named_with_its_line() {
        let long = "x".repeat(MAX_TAG_CHARS + 1);
        let text = format!("Knowledge gap\n{long}\nknowledge GAP\nbad\u{7}tag");
        assert_eq!(
            parse_error_tags(&text).unwrap_err(),
            [
                TagListProblem::TooLong { line: 2, chars: MAX_TAG_CHARS + 1 },
                TagListProblem::Repeated { line: 3, first: 1 },
                TagListProblem::ControlCharacter { line: 4 },
            ]
        );
        assert_eq!(parse_error_tags(" \n\n").unwrap_err(), [TagListProblem::Empty]);
        let many: Vec<String> = (1..=MAX_TAGS + 1).map(|i| format!("tag {i}")).collect();
        assert_eq!(parse_error_tags(&many.join("\n")).unwrap_err(), [TagListProblem::TooMany { count: MAX_TAGS + 1 }]);
        assert_eq!(parse_error_tags(&many[..MAX_TAGS].join("\n")).unwrap().len(), MAX_TAGS);
        let longest = "y".repeat(MAX_TAG_CHARS);
        assert_eq!(parse_error_tags(&longest).unwrap(), [longest]);
    }

    #[test]
    fn the_default_list_is_itself_a_valid_list() {
        assert_eq!(parse_error_tags(&DEFAULT_ERROR_TAGS.join("\n")).unwrap(), DEFAULT_ERROR_TAGS);
    }

    #[test]
    fn a_stem_line_is_the_first_paragraph_in_plain_text() {
        assert_eq!(stem_line("\n\n## A **team** uses\n`S3` daily.\n\nWhich option?"), "A team uses S3 daily.");
        assert_eq!(stem_line("> Quoted\n"), "Quoted");
        assert_eq!(stem_line(""), "");
    }

    #[test]
    fn a_long_stem_line_is_cut_at_a_word_with_an_ellipsis() {
        let long = "words, ".repeat(40);
        let line = stem_line(&long);
        assert!(line.chars().count() <= STEM_LINE_CHARS, "{line}");
        assert!(line.chars().count() > STEM_LINE_CHARS - 10, "{line}");
        assert!(line.ends_with("words…"), "cut at a word, without its comma: {line}");
        let unbroken = "x".repeat(300);
        assert_eq!(stem_line(&unbroken).chars().count(), STEM_LINE_CHARS, "a single long word is cut anyway");
    }
}
