//! Reporting a problem with a question, from an item the learner has seen:
//! the question and its version come from the item, never from the
//! learner. A learner reports an item once per reason: reporting it again
//! for the same reason updates that report's comment (a double click or a
//! second thought adds no twin, and keeps the status it has).

use uuid::Uuid;

use super::misses::stem_line;
use super::{App, Error, Result};
use crate::store::reports::{self, Filed, ItemReport, NewReport, Reason, Report};

/// The longest comment kept.
pub const MAX_COMMENT_CHARS: usize = 2000;
/// The most reports the learner's list shows, newest first.
pub const LIST_LIMIT: i64 = 200;

/// A report as the learner sent it.
#[derive(Debug, Clone, Copy)]
pub struct ReportRequest<'a> {
    pub reason: &'a str,
    pub comment: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportOutcome {
    Filed {
        id: Uuid,
    },
    /// The learner had reported this item for this reason: its comment is
    /// now this one.
    Updated {
        id: Uuid,
    },
    UnknownReason(String),
    CommentTooLong {
        chars: usize,
    },
    /// "Something else" says nothing without a comment.
    CommentNeeded,
}

/// Reports a problem with the question of item `position` of the learner's
/// own attempt; another learner's attempt, or an item it does not have, is
/// not found.
pub async fn report(
    app: &App,
    user: Uuid,
    attempt: Uuid,
    position: i32,
    req: ReportRequest<'_>,
) -> Result<ReportOutcome> {
    let Some(reason) = Reason::parse(req.reason.trim()) else {
        return Ok(ReportOutcome::UnknownReason(req.reason.to_string()));
    };
    let comment = req.comment.replace("\r\n", "\n");
    let comment = comment.trim();
    let chars = comment.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Ok(ReportOutcome::CommentTooLong { chars });
    }
    if reason == Reason::Other && comment.is_empty() {
        return Ok(ReportOutcome::CommentNeeded);
    }
    let new = NewReport { user, attempt, position, reason, comment, now: app.clock.now() };
    Ok(match reports::file(&app.db, &new).await?.ok_or(Error::NotFound)? {
        Filed::Created(id) => ReportOutcome::Filed { id },
        Filed::Updated(id) => ReportOutcome::Updated { id },
    })
}

/// A report with its question's first line.
pub struct ReportEntry {
    pub report: Report,
    pub stem_line: String,
}

fn entry(report: Report) -> ReportEntry {
    ReportEntry { stem_line: stem_line(&report.stem), report }
}

/// The learner's own reports, newest first (at most [`LIST_LIMIT`]).
pub async fn list(app: &App, user: Uuid) -> Result<Vec<ReportEntry>> {
    Ok(reports::own(&app.db, user, None, LIST_LIMIT).await?.into_iter().map(entry).collect())
}

/// One of the learner's own reports; anyone else's is not found.
pub async fn get(app: &App, user: Uuid, id: Uuid) -> Result<ReportEntry> {
    reports::own(&app.db, user, Some(id), 1).await?.pop().map(entry).ok_or(Error::NotFound)
}

/// The learner's reports on the items of their attempt (or one item).
pub async fn of_attempt(app: &App, user: Uuid, attempt: Uuid, position: Option<i32>) -> Result<Vec<ItemReport>> {
    Ok(reports::of_attempt(&app.db, user, attempt, position).await?)
}
