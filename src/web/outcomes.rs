//! Every typed outcome of a use case, mapped to an HTTP status and the
//! words a learner reads, in this one place: the pages and the JSON API
//! both take their statuses and messages from here.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::AppError;
use crate::app;
use crate::app::accounts::Throttled;
use crate::app::attempts::{SaveOutcome, SaveStatus, StartRefusal};
use crate::app::misses::{NoteOutcome, TagListProblem};
use crate::app::reports::ReportOutcome;
use crate::store::reports::Reason;

impl From<app::Error> for AppError {
    fn from(e: app::Error) -> Self {
        match e {
            app::Error::NotFound => AppError::NotFound,
            app::Error::Forbidden(why) => AppError::Forbidden(why.into()),
            app::Error::Busy => AppError::Busy,
            app::Error::Db(e) => e.into(),
            app::Error::Internal(e) => AppError::Internal(e),
        }
    }
}

/// Why an attempt was not started, as the learner reads it (422).
pub fn start_refusal(refusal: &StartRefusal) -> AppError {
    AppError::Invalid(match refusal {
        StartRefusal::UnknownDomain(d) => format!("This exam has no domain {d}."),
        StartRefusal::DrillNeedsOneFocus => "A drill is on one domain or one tag: choose one of them.".into(),
        StartRefusal::CountOutOfRange => {
            format!("Choose between 1 and {} questions.", app::attempts::MAX_COUNT)
        }
        StartRefusal::NothingToReview { next_due: Some(at) } => {
            format!("Nothing is due for review yet: the next question comes due on {}.", super::format::utc_minute(*at))
        }
        StartRefusal::NothingToReview { next_due: None } => {
            "You have no missed questions to review yet. Take a mock or a practice first.".into()
        }
        StartRefusal::NothingToDraw => "There are no questions to draw for that choice.".into(),
    })
}

/// A refused save's status code and message. A response that names
/// options the question does not have is not a save at all: an error.
pub fn save_refusal(outcome: SaveOutcome) -> Result<(StatusCode, String), AppError> {
    Ok(match outcome {
        SaveOutcome::Saved { .. } => (StatusCode::OK, "Saved".into()),
        SaveOutcome::TooManyChoices { allowed } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Choose at most {allowed} options; your previous answer is kept."),
        ),
        SaveOutcome::DoesNotFit => return Err(AppError::Invalid("That answer does not fit this question.".into())),
        SaveOutcome::RepeatedPlace => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Each step needs a place of its own: two steps were given the same place. Your previous answer is kept."
                .into(),
        ),
        SaveOutcome::SeqTooLarge => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "This save's sequence number is above the largest one taken ({}); nothing was saved. Reload the \
                 question and save again.",
                app::attempts::MAX_SEQ
            ),
        ),
        SaveOutcome::NothingToCheck => {
            (StatusCode::UNPROCESSABLE_ENTITY, "Answer the question before checking it.".into())
        }
        SaveOutcome::ConfidenceNotOffered => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "This mock exam was started without confidence marks, so `confidence` is not taken; nothing was saved. \
             Send the save without it."
                .into(),
        ),
        SaveOutcome::TimeUp { .. } => (
            StatusCode::CONFLICT,
            "Time is up: this answer arrived after the deadline and was not saved. Every answer saved before it counts."
                .into(),
        ),
        SaveOutcome::Finished { .. } => {
            (StatusCode::CONFLICT, "This attempt was already submitted; answers can no longer change.".into())
        }
        // A form with the answer fieldset disabled sends no answer at all,
        // so this is a real attempt to change a checked practice answer.
        SaveOutcome::Locked { .. } => {
            (StatusCode::CONFLICT, "This answer was already checked and can no longer change.".into())
        }
        SaveOutcome::Stale { .. } => (
            StatusCode::CONFLICT,
            "A newer answer to this question was saved (another tab or a retry); reload to see it.".into(),
        ),
    })
}

/// The JSON answer to a save, the same for the page's script and the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SaveReply {
    pub status: SaveStatus,
    /// The stored seq; null when the save was refused before reaching the
    /// item (an invalid response).
    #[schema(required = true)]
    pub seq: Option<i64>,
    pub message: String,
}

/// The refusal's status code with its reason, or 200 with the stored seq.
pub fn save_reply(outcome: SaveOutcome) -> Result<Response, AppError> {
    let (code, message) = save_refusal(outcome)?;
    let reply = SaveReply { status: outcome.status(), seq: outcome.seq(), message };
    Ok((code, Json(reply)).into_response())
}

/// Too many failed logins, as the login page says it (429).
pub fn login_locked(who: Throttled, minutes: i64) -> String {
    let whose = match who {
        Throttled::Account => "this account",
        Throttled::Address => "your network address",
    };
    format!(
        "Too many failed logins for {whose}. Wait {minutes} minute{} and try again; nothing else is affected.",
        if minutes == 1 { "" } else { "s" }
    )
}

/// What a learner is told on an item after saving a note or sending a
/// report; carried in the redirect's query (`notice=…&item=N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemNotice {
    NoteSaved,
    NoteCleared,
    ReportFiled,
    ReportUpdated,
}

impl ItemNotice {
    const ALL: [ItemNotice; 4] =
        [ItemNotice::NoteSaved, ItemNotice::NoteCleared, ItemNotice::ReportFiled, ItemNotice::ReportUpdated];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemNotice::NoteSaved => "note-saved",
            ItemNotice::NoteCleared => "note-cleared",
            ItemNotice::ReportFiled => "report-filed",
            ItemNotice::ReportUpdated => "report-updated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.as_str() == s)
    }

    /// The notice a page's query string names as `notice=…`, if any; a
    /// query that names none, or names it twice, is no error.
    pub fn from_query(query: Option<&str>) -> Option<Self> {
        form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == "notice").and_then(|(_, v)| Self::parse(&v))
    }

    pub fn is_note(self) -> bool {
        matches!(self, ItemNotice::NoteSaved | ItemNotice::NoteCleared)
    }

    pub fn message(self) -> &'static str {
        match self {
            ItemNotice::NoteSaved => "Your note was saved.",
            ItemNotice::NoteCleared => "Your note was removed.",
            ItemNotice::ReportFiled => "Thank you: your report was sent. You can follow it under Your reports.",
            ItemNotice::ReportUpdated => {
                "You had already reported this question for that reason: that report now has this comment."
            }
        }
    }
}

/// The notice a result page's query names, on the item it names.
pub fn item_notice(notice: Option<&str>, item: Option<&str>) -> Option<(i32, ItemNotice)> {
    Some((item?.parse().ok()?, ItemNotice::parse(notice?)?))
}

/// Input a learner typed, quoted back in a message: at most 40 characters.
fn quoted(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= 40 { s.to_string() } else { format!("{}…", s.chars().take(39).collect::<String>()) }
}

/// A saved note's notice, or why it was not saved (422, 409).
pub fn note_outcome(outcome: NoteOutcome, position: i32) -> Result<ItemNotice, AppError> {
    Err(match outcome {
        NoteOutcome::Saved => return Ok(ItemNotice::NoteSaved),
        NoteOutcome::Cleared => return Ok(ItemNotice::NoteCleared),
        NoteOutcome::TooLong { chars } => AppError::Invalid(format!(
            "Your note on question {position} is {chars} characters long; at most {} are kept. Nothing was saved: \
             go back, shorten it and save it again.",
            app::misses::MAX_NOTE_CHARS
        )),
        NoteOutcome::UnknownTag(tag) => AppError::Invalid(format!(
            "“{}” is not one of your error tags, so the note on question {position} was not saved. Go back and \
             choose a tag from the list, or add it to your list on the error tags page (/me/error-tags).",
            quoted(&tag)
        )),
        NoteOutcome::NotFinished => AppError::Conflict(
            "This attempt is still running: notes go on its result, once it is submitted. Nothing was saved.".into(),
        ),
    })
}

/// A sent report's notice, or why it was not sent (422).
pub fn report_outcome(outcome: ReportOutcome) -> Result<ItemNotice, AppError> {
    Err(AppError::Invalid(match outcome {
        ReportOutcome::Filed { .. } => return Ok(ItemNotice::ReportFiled),
        ReportOutcome::Updated { .. } => return Ok(ItemNotice::ReportUpdated),
        ReportOutcome::UnknownReason(reason) => {
            let known: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
            format!(
                "“{}” is not a reason a report can give; choose one of {}. Nothing was sent.",
                quoted(&reason),
                known.join(", ")
            )
        }
        ReportOutcome::CommentTooLong { chars } => format!(
            "Your comment is {chars} characters long; at most {} are kept. Nothing was sent: go back, shorten it \
             and send it again.",
            app::reports::MAX_COMMENT_CHARS
        ),
        ReportOutcome::CommentNeeded => {
            "Say in the comment what is wrong: “Something else” needs a comment. Nothing was sent.".into()
        }
    }))
}

/// What is wrong with a list of error tags, in the learner's words.
pub fn tag_list_problem(problem: &TagListProblem) -> String {
    use app::misses::{MAX_TAG_CHARS, MAX_TAGS};
    match problem {
        TagListProblem::Empty => "The list is empty: write at least one tag, or restore the default list.".into(),
        TagListProblem::TooMany { count } => {
            format!("There are {count} tags; keep the list to {MAX_TAGS} or fewer.")
        }
        TagListProblem::TooLong { line, chars } => {
            format!("Line {line} is {chars} characters long; keep each tag to {MAX_TAG_CHARS} or fewer.")
        }
        TagListProblem::Repeated { line, first } => {
            format!("Line {line} repeats the tag on line {first}; keep each tag once.")
        }
        TagListProblem::ControlCharacter { line } => {
            format!("Line {line} holds a tab or another control character; remove it.")
        }
    }
}

/// What the error tags page says after a change.
pub fn error_tags_notice(reset: bool) -> &'static str {
    if reset {
        "Your error tags are the default list again. Notes keep the tags they have."
    } else {
        "Your error tags were saved. Notes keep the tags they have, even ones no longer listed."
    }
}
