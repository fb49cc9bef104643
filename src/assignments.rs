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
mod tests {
    use super::*;
    use time::macros::datetime;

    const SET: OffsetDateTime = datetime!(2026-11-02 09:00 UTC);
    const DUE: OffsetDateTime = datetime!(2026-11-06 23:59 UTC);

    fn drill(domains: &[&str], count: u32) -> Work {
        Work::Drill { domains: domains.iter().map(|d| d.to_string()).collect(), count }
    }

    fn attempt(mode: Mode, domains: &[&str], items: u32) -> AttemptFacts {
        AttemptFacts {
            id: Uuid::from_u128(1),
            mode,
            domains: domains.iter().map(|d| d.to_string()).collect(),
            item_count: items,
            started_at: datetime!(2026-11-03 10:00 UTC),
            finished_at: Some(datetime!(2026-11-03 12:00 UTC)),
            result: Some((780, true)),
        }
    }

    #[test]
    fn stored_assignments_read_back_and_describe_themselves() {
        assert_eq!(Work::from_stored("exam", vec![], None), Some(Work::Mock));
        assert_eq!(Work::from_stored("practice", vec![], None), Some(Work::PracticeMock));
        assert_eq!(Work::from_stored("drill", vec!["D3".into()], Some(20)), Some(drill(&["D3"], 20)));
        assert_eq!(Work::from_stored("drill", vec![], None), None);
        assert_eq!(Work::from_stored("drill", vec![], Some(0)), None);
        assert_eq!(Work::from_stored("exam", vec![], Some(5)), None);
        assert_eq!(Work::from_stored("review", vec![], None), None);
        assert_eq!(Work::Mock.describe(), "Full mock");
        assert_eq!(Work::PracticeMock.describe(), "Practice mock");
        assert_eq!(drill(&["D3"], 20).describe(), "Drill of D3, 20 questions");
        assert_eq!(drill(&["D1", "D3"], 5).describe(), "Drill of D1, D3, 5 questions");
        assert_eq!(drill(&[], 10).describe(), "Drill, 10 questions");
        assert_eq!(
            [Work::Mock.mode(), Work::PracticeMock.mode(), drill(&[], 1).mode()],
            [Mode::Exam, Mode::Practice, Mode::Drill]
        );
        assert!(Work::Mock.is_mock() && Work::PracticeMock.is_mock() && !drill(&[], 1).is_mock());
    }

    #[test]
    fn a_mock_is_done_by_a_finished_mock_started_after_it_was_set() {
        let mock = attempt(Mode::Exam, &["D1", "D2", "D3", "D4"], 65);
        let at = mock.finished_at.unwrap();
        assert_eq!(
            status(&Work::Mock, 65, SET, Some(DUE), SET, std::slice::from_ref(&mock)),
            Status::Done { attempt: mock.id, on: at, result: Some((780, true)) }
        );
        // Started exactly when it was set counts; a second earlier does not.
        let on_the_dot = AttemptFacts { started_at: SET, ..mock.clone() };
        assert!(matches(&Work::Mock, 65, SET, &on_the_dot));
        let before = AttemptFacts { started_at: SET - time::Duration::seconds(1), ..mock.clone() };
        assert!(!matches(&Work::Mock, 65, SET, &before));
        // Another mode is not the work asked for.
        assert!(!matches(&Work::Mock, 65, SET, &attempt(Mode::Practice, &["D1"], 65)));
        assert!(!matches(&Work::PracticeMock, 65, SET, &mock));
    }

    #[test]
    fn a_practice_mock_needs_the_exams_full_count() {
        let work = Work::PracticeMock;
        assert!(matches(&work, 65, SET, &attempt(Mode::Practice, &["D1"], 65)));
        assert!(matches(&work, 65, SET, &attempt(Mode::Practice, &["D1"], 66)));
        assert!(!matches(&work, 65, SET, &attempt(Mode::Practice, &["D1"], 64)));
    }

    #[test]
    fn a_drill_is_done_only_by_a_drill_of_its_domains_and_count() {
        let work = drill(&["D3"], 20);
        assert!(matches(&work, 65, SET, &attempt(Mode::Drill, &["D3"], 20)));
        assert!(matches(&work, 65, SET, &attempt(Mode::Drill, &["D3"], 25)));
        assert!(!matches(&work, 65, SET, &attempt(Mode::Drill, &["D3"], 19)), "too few");
        assert!(!matches(&work, 65, SET, &attempt(Mode::Drill, &["D2"], 20)), "another domain");
        assert!(!matches(&work, 65, SET, &attempt(Mode::Drill, &["D2", "D3"], 20)), "wider");
        assert!(!matches(&work, 65, SET, &attempt(Mode::Practice, &["D3"], 20)), "practice");
        // Any domain when none is named.
        assert!(matches(&drill(&[], 5), 65, SET, &attempt(Mode::Drill, &["D1", "D2", "D3", "D4"], 5)));
        // A drill's result is no mock's score.
        let done = status(&work, 65, SET, None, SET, &[attempt(Mode::Drill, &["D3"], 20)]);
        assert!(matches!(done, Status::Done { result: None, .. }), "{done:?}");
    }

    #[test]
    fn the_first_finished_match_is_the_one_shown() {
        let early = AttemptFacts { id: Uuid::from_u128(2), result: Some((600, false)), ..attempt(Mode::Exam, &[], 65) };
        let late = AttemptFacts {
            id: Uuid::from_u128(3),
            finished_at: Some(datetime!(2026-11-04 12:00 UTC)),
            ..attempt(Mode::Exam, &[], 65)
        };
        for attempts in [[early.clone(), late.clone()], [late.clone(), early.clone()]] {
            let s = status(&Work::Mock, 65, SET, None, SET, &attempts);
            assert_eq!(
                s,
                Status::Done { attempt: early.id, on: early.finished_at.unwrap(), result: Some((600, false)) }
            );
        }
    }

    #[test]
    fn open_late_and_untouched_work_each_say_so() {
        let open = AttemptFacts { finished_at: None, ..attempt(Mode::Exam, &[], 65) };
        let before_due = datetime!(2026-11-05 12:00 UTC);
        let after_due = DUE + time::Duration::seconds(1);
        assert_eq!(
            status(&Work::Mock, 65, SET, Some(DUE), before_due, std::slice::from_ref(&open)),
            Status::InProgress { attempt: open.id }
        );
        assert_eq!(status(&Work::Mock, 65, SET, Some(DUE), after_due, std::slice::from_ref(&open)), Status::Overdue);
        assert_eq!(status(&Work::Mock, 65, SET, Some(DUE), before_due, &[]), Status::NotStarted);
        assert_eq!(status(&Work::Mock, 65, SET, Some(DUE), DUE, &[]), Status::NotStarted, "due time still in time");
        assert_eq!(status(&Work::Mock, 65, SET, Some(DUE), after_due, &[]), Status::Overdue);
        assert_eq!(status(&Work::Mock, 65, SET, None, after_due, &[]), Status::NotStarted, "no due time");
        // An open attempt of other work leaves it not started.
        let other = AttemptFacts { finished_at: None, ..attempt(Mode::Practice, &[], 65) };
        assert_eq!(status(&Work::Mock, 65, SET, None, before_due, &[other]), Status::NotStarted);
        // Done late is still done.
        let late = AttemptFacts { finished_at: Some(after_due), ..attempt(Mode::Exam, &[], 65) };
        assert!(matches!(status(&Work::Mock, 65, SET, Some(DUE), after_due, &[late]), Status::Done { .. }));
        assert!(!is_past_due(None, after_due));
        assert!(!is_past_due(Some(DUE), DUE));
        assert!(is_past_due(Some(DUE), after_due));
    }

    #[test]
    fn statuses_have_labels_and_a_group_tally_reads_plainly() {
        let done = Status::Done { attempt: Uuid::nil(), on: SET, result: None };
        let all = [done.clone(), Status::Overdue, Status::InProgress { attempt: Uuid::nil() }, Status::NotStarted];
        assert_eq!(
            all.iter().map(Status::label).collect::<Vec<_>>(),
            ["Done", "Overdue", "In progress", "Not started"]
        );
        let tally = Tally::of(&all);
        assert_eq!(tally, Tally { done: 1, overdue: 1, members: 4 });
        assert_eq!(tally.describe(), "1 of 4 done, 1 overdue");
        assert_eq!(Tally::of(&[done.clone(), done]).describe(), "2 of 2 done");
        assert_eq!(Tally::of(&[]).describe(), "0 of 0 done");
    }

    #[test]
    fn notes_are_trimmed_and_kept_short() {
        assert_eq!(parse_note("  before Friday's class \n").as_deref(), Ok("before Friday's class"));
        assert_eq!(parse_note(&"é".repeat(NOTE_MAX)).map(|n| n.chars().count()), Ok(NOTE_MAX));
        let long = parse_note(&"x".repeat(NOTE_MAX + 1)).unwrap_err();
        assert!(long.contains("200 characters; it has 201"), "{long}");
    }

    #[test]
    fn due_times_read_as_utc_end_of_day_unless_timed_and_never_past() {
        let now = datetime!(2026-11-02 09:00 UTC);
        assert_eq!(parse_due(" ", "", now), Ok(None));
        assert_eq!(parse_due("2026-11-06", "", now), Ok(Some(datetime!(2026-11-06 23:59 UTC))));
        assert_eq!(parse_due("2026-11-06", " 17:30 ", now), Ok(Some(datetime!(2026-11-06 17:30 UTC))));
        assert_eq!(parse_due("2026-11-02", "09:00", now), Ok(Some(now)), "now is not past");
        assert!(parse_due("2026-11-02", "08:59", now).unwrap_err().contains("has passed"));
        assert!(parse_due("2026-11-01", "", now).unwrap_err().contains("has passed"));
        assert!(parse_due("6/11/2026", "", now).unwrap_err().contains("is not a date"));
        assert!(parse_due("2026-11-06", "5pm", now).unwrap_err().contains("is not a time"));
        assert!(parse_due("", "17:30", now).unwrap_err().contains("Give the day too"));
    }

    #[test]
    fn a_drills_count_is_from_one_to_the_questions_in_the_bank() {
        assert_eq!(parse_count(" 20 ", 20), Ok(20));
        assert_eq!(parse_count("1", 20), Ok(1));
        assert!(parse_count("21", 20).unwrap_err().contains("from 1 to 20"));
        assert!(parse_count("0", 20).unwrap_err().contains("from 1 to 20"));
        assert!(parse_count("ten", 20).unwrap_err().contains("not a number"));
        assert!(parse_count("1", 0).unwrap_err().contains("no questions"));
    }
}
