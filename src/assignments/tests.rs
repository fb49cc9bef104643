//! The rule of "done", the labels and the form's checks, on plain data.

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
        assert_eq!(s, Status::Done { attempt: early.id, on: early.finished_at.unwrap(), result: Some((600, false)) });
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
    assert_eq!(all.iter().map(Status::label).collect::<Vec<_>>(), ["Done", "Overdue", "In progress", "Not started"]);
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
