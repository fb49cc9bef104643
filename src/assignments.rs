//! Assignments in the product's terms: what a group is asked to take, how
//! it reads ("Drill of D3, 20 questions"), when it is due, and the rule of
//! "done" that turns a learner's attempts into their status. No I/O: the
//! attempts and the time come in as arguments.

use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};
use uuid::Uuid;

use crate::exam::Mode;

/// What an assignment asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    /// A full mock under exam conditions (exam mode).
    Mock,
    /// A full mock with feedback after each answer (practice mode, the
    /// exam's question count).
    PracticeMock,
    /// A drill of `count` questions from `domains` (empty: any domain).
    Drill { domains: Vec<String>, count: u32 },
}

impl Work {
    /// Reads what the database keeps; `None` for a combination it cannot
    /// hold (a check constraint rules them out).
    pub fn from_stored(mode: &str, domains: Vec<String>, count: Option<i32>) -> Option<Work> {
        match (Mode::parse(mode)?, count) {
            (Mode::Exam, None) => Some(Work::Mock),
            (Mode::Practice, None) => Some(Work::PracticeMock),
            (Mode::Drill, Some(n)) if n > 0 => Some(Work::Drill { domains, count: n as u32 }),
            _ => None,
        }
    }

    pub fn mode(&self) -> Mode {
        match self {
            Work::Mock => Mode::Exam,
            Work::PracticeMock => Mode::Practice,
            Work::Drill { .. } => Mode::Drill,
        }
    }

    /// "Full mock", "Practice mock", "Drill of D3, 20 questions".
    pub fn describe(&self) -> String {
        match self {
            Work::Mock => "Full mock".into(),
            Work::PracticeMock => "Practice mock".into(),
            Work::Drill { domains, count } if domains.is_empty() => format!("Drill, {count} questions"),
            Work::Drill { domains, count } => format!("Drill of {}, {count} questions", domains.join(", ")),
        }
    }

    /// Whether the result of this work is a mock's, with a scaled score
    /// and a pass or fail worth showing.
    pub fn is_mock(&self) -> bool {
        !matches!(self, Work::Drill { .. })
    }
}

/// What the rule of "done" needs to know of one of the learner's attempts
/// of the assignment's exam.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptFacts {
    pub id: Uuid,
    pub mode: Mode,
    /// The domains it drew from, as the attempt's settings keep them.
    pub domains: Vec<String>,
    /// How many questions it holds.
    pub item_count: u32,
    pub started_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
    /// The scaled score and pass or fail, once graded.
    pub result: Option<(u32, bool)>,
}

/// Whether `attempt` is the work asked for, finished or not: the same
/// mode, started at or after the assignment was set (an older attempt was
/// not taken for it), and for a practice mock at least the exam's
/// `full_count` questions, for a drill only the assigned domains (when
/// given) and at least the assigned count.
pub fn matches(work: &Work, full_count: u32, set_at: OffsetDateTime, attempt: &AttemptFacts) -> bool {
    if attempt.mode != work.mode() || attempt.started_at < set_at {
        return false;
    }
    match work {
        Work::Mock => true,
        Work::PracticeMock => attempt.item_count >= full_count,
        Work::Drill { domains, count } => {
            let covered = domains.is_empty() || attempt.domains.iter().all(|d| domains.contains(d));
            covered && attempt.item_count >= *count
        }
    }
}

/// Where one learner stands on one assignment.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Finished a matching attempt: the first one, when it ended, and for
    /// a mock its scaled score and pass or fail.
    Done {
        attempt: Uuid,
        on: OffsetDateTime,
        result: Option<(u32, bool)>,
    },
    /// Not done, and the due time has passed.
    Overdue,
    /// A matching attempt is open.
    InProgress {
        attempt: Uuid,
    },
    NotStarted,
}

impl Status {
    /// The status as one word or two, for the status column.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Done { .. } => "Done",
            Status::Overdue => "Overdue",
            Status::InProgress { .. } => "In progress",
            Status::NotStarted => "Not started",
        }
    }
}

/// Whether work due at `due_at` is late at `now`: the due time itself is
/// still in time.
pub fn is_past_due(due_at: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    due_at.is_some_and(|due| now > due)
}

/// One learner's status from their attempts of the assignment's exam.
pub fn status(
    work: &Work,
    full_count: u32,
    set_at: OffsetDateTime,
    due_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
    attempts: &[AttemptFacts],
) -> Status {
    let matching = || attempts.iter().filter(|a| matches(work, full_count, set_at, a));
    let first_done = matching().filter_map(|a| a.finished_at.map(|on| (on, a))).min_by_key(|(on, _)| *on);
    if let Some((on, a)) = first_done {
        let result = if work.is_mock() { a.result } else { None };
        return Status::Done { attempt: a.id, on, result };
    }
    if is_past_due(due_at, now) {
        return Status::Overdue;
    }
    match matching().find(|a| a.finished_at.is_none()) {
        Some(a) => Status::InProgress { attempt: a.id },
        None => Status::NotStarted,
    }
}

/// How a group stands on one assignment: "7 of 12 done, 2 overdue".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub done: usize,
    pub overdue: usize,
    pub members: usize,
}

impl Tally {
    pub fn of<'a>(statuses: impl IntoIterator<Item = &'a Status>) -> Tally {
        let mut tally = Tally::default();
        for s in statuses {
            tally.members += 1;
            match s {
                Status::Done { .. } => tally.done += 1,
                Status::Overdue => tally.overdue += 1,
                Status::InProgress { .. } | Status::NotStarted => {}
            }
        }
        tally
    }

    pub fn describe(&self) -> String {
        let done = format!("{} of {} done", self.done, self.members);
        if self.overdue == 0 { done } else { format!("{done}, {} overdue", self.overdue) }
    }
}

/// The longest note an assignment takes.
pub const NOTE_MAX: usize = 200;

/// A short note for the learners, trimmed; too long says so.
pub fn parse_note(input: &str) -> Result<String, String> {
    let note = input.trim();
    if note.chars().count() > NOTE_MAX {
        return Err(format!("Keep the note to {NOTE_MAX} characters; it has {}.", note.chars().count()));
    }
    Ok(note.to_string())
}

/// The due time from the form's date (`2026-12-04`) and optional time
/// (`17:30`), read as UTC as every time on the site is shown. A date
/// without a time is due at the end of that day. No date: no due time.
/// A due time already past at `now` is refused: no one could meet it.
pub fn parse_due(date: &str, time: &str, now: OffsetDateTime) -> Result<Option<OffsetDateTime>, String> {
    let (date, time) = (date.trim(), time.trim());
    if date.is_empty() {
        if time.is_empty() {
            return Ok(None);
        }
        return Err("Give the day too, or clear the time.".into());
    }
    let day = Date::parse(date, format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("“{date}” is not a date: give it as year-month-day, e.g. 2027-01-15."))?;
    let at = if time.is_empty() {
        Time::from_hms(23, 59, 0).expect("23:59 is a time of day")
    } else {
        Time::parse(time, format_description!("[hour]:[minute]"))
            .map_err(|_| format!("“{time}” is not a time: give it as hours:minutes, e.g. 17:30."))?
    };
    let due = PrimitiveDateTime::new(day, at).assume_utc();
    if due < now {
        return Err("That due time has passed: choose a later one.".into());
    }
    Ok(Some(due))
}

/// The drill's count from the form: a whole number from 1 to `available`,
/// the live questions of the chosen domains.
pub fn parse_count(input: &str, available: u32) -> Result<u32, String> {
    let text = input.trim();
    let count: u32 = text.parse().map_err(|_| format!("“{text}” is not a number of questions."))?;
    if available == 0 {
        return Err("Those domains have no questions to drill.".into());
    }
    if count == 0 || count > available {
        return Err(format!("Choose from 1 to {available} questions: that many are in the bank for those domains."));
    }
    Ok(count)
}

#[cfg(test)]
mod tests;
