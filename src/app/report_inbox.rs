//! The problem-report inbox of an exam: its editors read the reports
//! learners filed about its questions and answer them: Acknowledged
//! (read, being worked on), or resolved as Fixed, Not a problem or
//! Duplicate with a reply the learner reads; a resolved report may be
//! reopened. Every use case first checks that the actor may edit the exam.

use uuid::Uuid;

use super::exams::{self, Actor};
use super::misses::stem_line;
use super::{App, Error, Result};
use crate::exam::VersionContent;
use crate::store::exams::Exam;
use crate::store::report_inbox::{self, InboxFilter, InboxReport, NewState};
use crate::store::reports::Status;

/// The longest reply kept, in characters.
pub const MAX_REPLY_CHARS: usize = 2000;
/// The longest reference to the report or question a duplicate repeats.
pub const MAX_DUPLICATE_OF_CHARS: usize = 200;

/// A report with its question's first line.
pub struct InboxEntry {
    pub report: InboxReport,
    pub stem_line: String,
}

fn entry(report: InboxReport) -> InboxEntry {
    InboxEntry { stem_line: stem_line(&report.stem), report }
}

/// One page of an exam's inbox.
pub struct Inbox {
    pub exam: Exam,
    pub total: usize,
    /// The page shown, moved into range (1-based).
    pub page: usize,
    pub reports: Vec<InboxEntry>,
    /// The id in the exam of the question filtered to, when it is one of
    /// the exam's questions.
    pub question_key: Option<String>,
}

pub async fn inbox(
    app: &App,
    actor: &Actor,
    slug: &str,
    filter: &InboxFilter,
    page: usize,
    per_page: usize,
) -> Result<Inbox> {
    let exam = exams::editable(app, actor, slug).await?;
    let total = report_inbox::count(&app.db, exam.id, filter).await? as usize;
    let per_page = per_page.max(1);
    let page = page.clamp(1, total.div_ceil(per_page).max(1));
    let offset = ((page - 1) * per_page) as i64;
    let reports = report_inbox::list(&app.db, exam.id, filter, None, offset, per_page as i64).await?;
    let question_key = match filter.question {
        Some(question) => report_inbox::question_key(&app.db, exam.id, question).await?,
        None => None,
    };
    Ok(Inbox { exam, total, page, reports: reports.into_iter().map(entry).collect(), question_key })
}

/// One report with the question as its learner saw it.
pub struct ReportDetail {
    pub exam: Exam,
    pub entry: InboxEntry,
    pub seen: VersionContent,
}

/// Report `id` of exam `slug`; a report on another exam's question is not
/// found here.
pub async fn report(app: &App, actor: &Actor, slug: &str, id: Uuid) -> Result<ReportDetail> {
    let exam = exams::editable(app, actor, slug).await?;
    let report = report_inbox::list(&app.db, exam.id, &InboxFilter::default(), Some(id), 0, 1)
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    let seen = report_inbox::version_content(&app.db, report.version_id).await?.ok_or(Error::NotFound)?;
    Ok(ReportDetail { exam, entry: entry(report), seen })
}

/// How many reports of `exam` (or of one question of it) wait for an
/// answer: open or acknowledged. The caller has checked the actor may
/// edit the exam.
pub async fn unresolved(app: &App, exam: &Exam, question: Option<Uuid>) -> Result<i64> {
    Ok(report_inbox::unresolved(&app.db, exam.id, question).await?)
}

/// An answer as the instructor typed it.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnswerRequest<'a> {
    /// The stored word of the new status.
    pub status: &'a str,
    pub reply: &'a str,
    pub duplicate_of: &'a str,
}

/// An answer that may be stored: resolutions carry their reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub status: Status,
    pub reply: Option<String>,
    pub duplicate_of: Option<String>,
}

/// What is wrong with an answer, by field (`status`, `reply`,
/// `duplicate_of`), in words for the form.
pub type Problems = Vec<(&'static str, String)>;

/// Reads an answer: the status must be known, a reply is needed for Not a
/// problem and Duplicate (the learner is owed a reason) and kept to
/// [`MAX_REPLY_CHARS`]; only a resolution keeps a reply, only a duplicate
/// its reference.
pub fn check(req: AnswerRequest<'_>) -> Result<Checked, Problems> {
    let mut problems = Problems::new();
    let status = Status::parse(req.status.trim());
    if status.is_none() {
        problems.push(("status", "Choose how to resolve it: Fixed, Not a problem or Duplicate.".into()));
    }
    let reply = req.reply.replace("\r\n", "\n");
    let reply = reply.trim();
    let chars = reply.chars().count();
    if chars > MAX_REPLY_CHARS {
        problems
            .push(("reply", format!("The reply is {chars} characters long; keep it to {MAX_REPLY_CHARS} or fewer.")));
    }
    let duplicate_of = req.duplicate_of.trim();
    let reference_chars = duplicate_of.chars().count();
    if status == Some(Status::Duplicate) && reference_chars > MAX_DUPLICATE_OF_CHARS {
        problems.push((
            "duplicate_of",
            format!(
                "The reference is {reference_chars} characters long; keep it to {MAX_DUPLICATE_OF_CHARS} or fewer."
            ),
        ));
    }
    if reply.is_empty() {
        match status {
            Some(Status::Rejected) => {
                problems.push(("reply", "Write a reply: tell the learner why the question is right as it is.".into()))
            }
            Some(Status::Duplicate) => problems
                .push(("reply", "Write a reply: tell the learner where this problem is already followed.".into())),
            _ => {}
        }
    }
    match status {
        Some(status) if problems.is_empty() => {
            let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
            Ok(Checked {
                status,
                reply: if status.is_resolved() { some(reply) } else { None },
                duplicate_of: if status == Status::Duplicate { some(duplicate_of) } else { None },
            })
        }
        _ => Err(problems),
    }
}

/// What answering a report came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerOutcome {
    Saved(Status),
    /// Nothing stored; each problem names its field.
    Invalid(Problems),
}

/// Answers report `id` of exam `slug`: marks it acknowledged, resolves
/// it with a reply, or reopens it. A report on another exam's question is
/// not found here.
pub async fn answer(app: &App, actor: &Actor, slug: &str, id: Uuid, req: AnswerRequest<'_>) -> Result<AnswerOutcome> {
    let exam = exams::editable(app, actor, slug).await?;
    let checked = match check(req) {
        Ok(checked) => checked,
        Err(problems) => {
            // A report that is not this exam's is not found, whatever was typed.
            report_inbox::list(&app.db, exam.id, &InboxFilter::default(), Some(id), 0, 1)
                .await?
                .pop()
                .ok_or(Error::NotFound)?;
            return Ok(AnswerOutcome::Invalid(problems));
        }
    };
    let resolved = checked.status.is_resolved();
    let state = NewState {
        status: checked.status,
        reply: checked.reply.as_deref(),
        duplicate_of: checked.duplicate_of.as_deref(),
        resolved_by: if resolved { actor.user_id } else { None },
        resolved_at: if resolved { Some(app.clock.now()) } else { None },
    };
    if !report_inbox::set_state(&app.db, exam.id, id, &state).await? {
        return Err(Error::NotFound);
    }
    Ok(AnswerOutcome::Saved(checked.status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(status: &'a str, reply: &'a str, duplicate_of: &'a str) -> AnswerRequest<'a> {
        AnswerRequest { status, reply, duplicate_of }
    }

    fn fields(problems: Problems) -> Vec<&'static str> {
        problems.into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn fixed_needs_no_reply_but_not_a_problem_and_duplicate_do() {
        assert_eq!(
            check(req("fixed", "  ", "")),
            Ok(Checked { status: Status::Fixed, reply: None, duplicate_of: None })
        );
        assert_eq!(fields(check(req("rejected", " \r\n ", "")).unwrap_err()), ["reply"]);
        assert_eq!(fields(check(req("duplicate", "", "report 12")).unwrap_err()), ["reply"]);
        assert_eq!(
            check(req("duplicate", " See Q7.\r\n", " q7 ")),
            Ok(Checked { status: Status::Duplicate, reply: Some("See Q7.".into()), duplicate_of: Some("q7".into()) })
        );
    }

    #[test]
    fn an_unknown_status_is_refused() {
        assert_eq!(fields(check(req("", "", "")).unwrap_err()), ["status"]);
        assert_eq!(fields(check(req("closed", "why", "")).unwrap_err()), ["status"]);
    }

    #[test]
    fn a_reply_is_kept_to_two_thousand_characters() {
        let at_most = "é".repeat(MAX_REPLY_CHARS);
        assert!(check(req("rejected", &at_most, "")).is_ok());
        let over = "é".repeat(MAX_REPLY_CHARS + 1);
        let problems = check(req("rejected", &over, "")).unwrap_err();
        assert_eq!(problems, [("reply", "The reply is 2001 characters long; keep it to 2000 or fewer.".to_string())]);
        let long_reference = "x".repeat(MAX_DUPLICATE_OF_CHARS + 1);
        assert_eq!(fields(check(req("duplicate", "dup", &long_reference)).unwrap_err()), ["duplicate_of"]);
    }

    #[test]
    fn only_a_resolution_keeps_a_reply_and_only_a_duplicate_its_reference() {
        assert_eq!(
            check(req("acknowledged", "on it", "q7")),
            Ok(Checked { status: Status::Acknowledged, reply: None, duplicate_of: None })
        );
        assert_eq!(check(req("open", "", "")), Ok(Checked { status: Status::Open, reply: None, duplicate_of: None }));
        assert_eq!(
            check(req("fixed", "Key corrected.", "q7")),
            Ok(Checked { status: Status::Fixed, reply: Some("Key corrected.".into()), duplicate_of: None })
        );
    }
}
