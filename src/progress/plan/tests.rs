//! The day plan on hand-made histories.

use super::*;
use crate::progress::testing::{Learner, answer, at, attempt_scaled, blueprint, date, right, wrong};
use crate::progress::{Answer, Confidence};

fn not_ready() -> Readiness {
    Readiness { verdict: Verdict::NotYet, statement: String::new(), items: 0 }
}

fn ready() -> Readiness {
    Readiness { verdict: Verdict::Ready, statement: String::new(), items: 0 }
}

/// The plan for `today` (a day number), with an exam on `exam` if any.
fn plan_on(history: &History, today: i64, exam: Option<i64>) -> DayPlan {
    plan_with(history, today, exam, 0, None, &not_ready())
}

fn plan_with(
    history: &History,
    today: i64,
    exam: Option<i64>,
    due_reviews: usize,
    weakest: Option<&WeakSpot>,
    readiness: &Readiness,
) -> DayPlan {
    let input = PlanInput { today: date(today), exam_date: exam.map(date), due_reviews, weakest, readiness };
    plan(&blueprint(), history, &input)
}

fn todo(task: Task) -> PlannedTask {
    PlannedTask { task, done: false }
}

fn done(task: Task) -> PlannedTask {
    PlannedTask { task, done: true }
}

fn drill(domain: &str) -> Task {
    Task::Drill { domain: domain.into(), count: DRILL_COUNT }
}

/// Mocks with these stored scaled scores, finished on these days.
fn mocks(scores: &[(i64, u32)]) -> History {
    let attempts = scores.iter().enumerate().map(|(n, &(day, s))| attempt_scaled(n as u128, Mode::Exam, at(day, 0), s));
    History::new(vec![], attempts.collect())
}

fn history(answers: Vec<Answer>) -> History {
    History::new(answers, vec![])
}

fn has_mock(plan: &DayPlan) -> bool {
    plan.tasks.iter().any(|t| t.task == Task::Mock)
}

#[test]
fn the_rule_states_the_numbers_the_code_uses() {
    for phrase in [
        format!("with {DRILL_COUNT} questions"),
        format!("every {CADENCE_DAYS} days"),
        format!("every {LAST_WEEK_CADENCE_DAYS} days in the last {LAST_WEEK_DAYS} days"),
        format!("your last {TREND_MOCKS} mocks"),
    ] {
        assert!(RULE.contains(&phrase), "{phrase:?} not in {RULE}");
    }
}

#[test]
fn no_history_and_no_date_plans_a_first_mock() {
    let p = plan_on(&History::default(), 0, None);
    assert_eq!(p, DayPlan { days_left: None, tasks: vec![todo(Task::Mock)], on_track: None, statement: None });
}

#[test]
fn no_history_with_a_date_asks_for_two_mocks() {
    let p = plan_on(&History::default(), 0, Some(30));
    assert_eq!(p.days_left, Some(30));
    assert_eq!(p.on_track, None);
    assert_eq!(p.statement.as_deref(), Some("Take 2 full mocks to see whether you are on track."));
}

#[test]
fn one_mock_today_is_done_and_asks_for_one_more() {
    let mut learner = Learner::default();
    learner.mock(at(5, 0), [5, 6, 7, 8], 10);
    let p = plan_on(&learner.history(), 5, Some(40));
    assert_eq!(p.tasks, vec![todo(drill("D1")), done(Task::Mock)]);
    assert_eq!(p.on_track, None);
    assert_eq!(p.statement.as_deref(), Some("Take 1 more full mock to see whether you are on track."));
}

#[test]
fn due_reviews_come_first() {
    let h = history(vec![wrong(1, "D2", at(0, 0))]);
    let p = plan_with(&h, 1, None, 4, None, &not_ready());
    assert_eq!(p.tasks, vec![todo(Task::Review { due: 4 }), todo(drill("D2")), todo(Task::Mock)]);
}

#[test]
fn the_review_is_done_after_a_review_today_leaves_nothing_due() {
    let mut learner = Learner::default();
    learner.finished(Mode::Exam, at(1, 0));
    let before = plan_with(&learner.history(), 2, None, 3, None, &not_ready());
    assert_eq!(before.tasks, vec![todo(Task::Review { due: 3 })]);
    learner.finished(Mode::Review, at(2, 0));
    let after = plan_with(&learner.history(), 2, None, 0, None, &not_ready());
    assert_eq!(after.tasks, vec![done(Task::Review { due: 0 })]);
    // Still due after today's review: not done.
    let still = plan_with(&learner.history(), 2, None, 1, None, &not_ready());
    assert_eq!(still.tasks, vec![todo(Task::Review { due: 1 })]);
}

#[test]
fn a_review_done_on_another_day_is_not_shown() {
    let mut learner = Learner::default();
    learner.finished(Mode::Review, at(1, 0));
    learner.finished(Mode::Exam, at(2, 0));
    assert_eq!(plan_on(&learner.history(), 2, None).tasks, vec![done(Task::Mock)]);
    assert_eq!(plan_on(&learner.history(), 3, None).tasks, vec![]);
}

#[test]
fn the_drill_is_done_after_a_drill_today() {
    let mut learner = Learner::default();
    learner.practice(at(0, 0), "D3", 1, 5);
    learner.finished(Mode::Exam, at(0, 0));
    assert_eq!(plan_on(&learner.history(), 1, None).tasks, vec![todo(drill("D3"))]);
    learner.finished(Mode::Drill, at(1, 0));
    assert_eq!(plan_on(&learner.history(), 1, None).tasks, vec![done(drill("D3"))]);
    assert_eq!(plan_on(&learner.history(), 2, None).tasks, vec![todo(drill("D3"))]);
}

#[test]
fn the_mock_is_done_after_a_mock_today() {
    let mut learner = Learner::default();
    learner.finished(Mode::Exam, at(0, 0));
    assert_eq!(plan_on(&learner.history(), 3, None).tasks, vec![todo(Task::Mock)]);
    learner.finished(Mode::Exam, at(3, 0));
    assert_eq!(plan_on(&learner.history(), 3, None).tasks, vec![done(Task::Mock)]);
    assert_eq!(plan_on(&learner.history(), 4, None).tasks, vec![]);
}

#[test]
fn today_is_read_in_utc() {
    // 23:30 at UTC−2 on day 2 is 01:30 UTC on day 3.
    let mut learner = Learner::default();
    let late =
        date(2).with_hms(23, 30, 0).expect("a time").assume_offset(UtcOffset::from_hms(-2, 0, 0).expect("an offset"));
    learner.attempts.push(attempt_scaled(1, Mode::Exam, late, 700));
    assert_eq!(plan_on(&learner.history(), 3, None).tasks, vec![done(Task::Mock)]);
    assert_eq!(plan_on(&learner.history(), 2, None).tasks, vec![]);
}

#[test]
fn a_mock_is_due_every_three_days() {
    let h = mocks(&[(10, 700)]);
    assert!(!has_mock(&plan_on(&h, 12, None)));
    assert!(has_mock(&plan_on(&h, 13, None)));
    // A date more than a week away keeps the three-day cadence.
    assert!(!has_mock(&plan_on(&h, 12, Some(20))));
    assert!(has_mock(&plan_on(&h, 13, Some(21))));
}

#[test]
fn in_the_last_week_a_mock_is_due_every_two_days() {
    let h = mocks(&[(10, 700)]);
    // Exam on day 19: day 12 is 7 days before.
    assert!(has_mock(&plan_on(&h, 12, Some(19))));
    assert!(!has_mock(&plan_on(&h, 11, Some(18))));
    // 8 days before is not the last week yet.
    assert!(!has_mock(&plan_on(&h, 12, Some(20))));
    // 2 days before still has a mock.
    assert!(has_mock(&plan_on(&h, 12, Some(14))));
}

#[test]
fn no_mock_on_the_exam_day_or_the_day_before() {
    let h = mocks(&[(0, 700)]);
    assert!(!has_mock(&plan_on(&h, 20, Some(21))));
    assert!(!has_mock(&plan_on(&h, 21, Some(21))));
    // Not even one done that day.
    let h = mocks(&[(0, 700), (20, 710)]);
    assert!(!has_mock(&plan_on(&h, 20, Some(21))));
}

#[test]
fn a_past_date_plans_mocks_every_three_days_and_says_it_has_passed() {
    let h = mocks(&[(10, 700), (11, 720)]);
    let p = plan_on(&h, 14, Some(12));
    assert_eq!(p.days_left, Some(-2));
    assert!(has_mock(&p));
    assert!(!has_mock(&plan_on(&h, 13, Some(12))));
    assert_eq!(p.on_track, None);
    assert_eq!(
        p.statement.as_deref(),
        Some("Your exam date, 13 November, has passed; set a new date to plan toward it.")
    );
    // Even when ready.
    assert_eq!(plan_with(&h, 14, Some(12), 0, None, &ready()).on_track, None);
}

#[test]
fn the_drill_follows_a_weakest_domain_focus() {
    let h = history(vec![wrong(1, "D1", at(0, 0)), right(2, "D2", at(0, 0))]);
    let weakest = WeakSpot { focus: Focus::Domain("D2".into()), correct: 1, total: 8 };
    let p = plan_with(&h, 0, None, 0, Some(&weakest), &not_ready());
    assert_eq!(p.tasks[0], todo(drill("D2")));
}

#[test]
fn a_tag_focus_falls_back_to_the_weakest_domain() {
    let h = history(vec![right(1, "D1", at(0, 0)), wrong(2, "D2", at(0, 0)), right(3, "D3", at(0, 0))]);
    let weakest = WeakSpot { focus: Focus::Tag("s3".into()), correct: 0, total: 8 };
    let p = plan_with(&h, 0, None, 0, Some(&weakest), &not_ready());
    assert_eq!(p.tasks[0], todo(drill("D2")));
}

#[test]
fn without_answers_there_is_no_drill() {
    let h = mocks(&[(0, 700)]);
    assert_eq!(plan_on(&h, 0, None).tasks, vec![done(Task::Mock)]);
    // Answers only outside the blueprint's domains.
    let h = history(vec![wrong(1, "D9", at(0, 0))]);
    assert_eq!(plan_on(&h, 0, None).tasks, vec![todo(Task::Mock)]);
}

#[test]
fn the_fallback_drill_reads_each_domains_last_forty_answers() {
    // D1: 10 old misses then 40 right; D2: 30 right of 40.
    let mut learner = Learner::default();
    learner.practice(at(0, 0), "D1", 0, 10);
    learner.practice(at(1, 0), "D1", 40, 40);
    learner.practice(at(1, 0), "D2", 30, 40);
    let p = plan_on(&learner.history(), 2, None);
    assert_eq!(p.tasks[0], todo(drill("D2")));
}

#[test]
fn the_fallback_drill_compares_accuracy_exactly() {
    // D1 2/3 (66.7%) against D2 13/20 (65%).
    let mut learner = Learner::default();
    learner.practice(at(0, 0), "D1", 2, 3);
    learner.practice(at(0, 0), "D2", 13, 20);
    assert_eq!(plan_on(&learner.history(), 1, None).tasks[0], todo(drill("D2")));
    let mut learner = Learner::default();
    learner.practice(at(0, 0), "D1", 13, 20);
    learner.practice(at(0, 0), "D2", 2, 3);
    assert_eq!(plan_on(&learner.history(), 1, None).tasks[0], todo(drill("D1")));
}

#[test]
fn the_fallback_drill_compares_each_pair_as_fractions() {
    // (D1 right, total), (D2 right, total), the domain to drill.
    for (d1, d2, weakest) in
        [((1, 2), (9, 10), "D1"), ((9, 10), (1, 2), "D2"), ((1, 2), (6, 10), "D1"), ((6, 10), (1, 2), "D2")]
    {
        let mut learner = Learner::default();
        learner.practice(at(0, 0), "D1", d1.0, d1.1);
        learner.practice(at(0, 0), "D2", d2.0, d2.1);
        assert_eq!(plan_on(&learner.history(), 1, None).tasks[0], todo(drill(weakest)), "{d1:?} {d2:?}");
    }
}

#[test]
fn on_equal_accuracy_the_fallback_drill_takes_more_answers_then_blueprint_order() {
    let mut learner = Learner::default();
    learner.practice(at(0, 0), "D1", 1, 2);
    learner.practice(at(0, 0), "D3", 4, 8);
    learner.practice(at(0, 0), "D4", 4, 8);
    assert_eq!(plan_on(&learner.history(), 1, None).tasks[0], todo(drill("D3")));
}

#[test]
fn a_domain_never_seen_is_not_drilled_by_the_fallback() {
    // D4 has no answers; D2 is the weakest seen.
    let mut learner = Learner::default();
    learner.practice(at(0, 0), "D1", 9, 10);
    learner.practice(at(0, 0), "D2", 5, 10);
    learner.practice(at(0, 0), "D3", 8, 10);
    assert_eq!(plan_on(&learner.history(), 1, None).tasks[0], todo(drill("D2")));
}

#[test]
fn all_unsure_answers_still_pick_the_drill_by_accuracy() {
    let answers = vec![
        answer(1, "D1", at(0, 0), true, Some(Confidence::Unsure)),
        answer(2, "D2", at(0, 0), false, Some(Confidence::Unsure)),
    ];
    assert_eq!(plan_on(&history(answers), 1, None).tasks[0], todo(drill("D2")));
}

#[test]
fn a_ready_learner_is_on_track() {
    let p = plan_with(&History::default(), 0, Some(10), 0, None, &ready());
    assert_eq!(p.on_track, Some(true));
    assert_eq!(
        p.statement.as_deref(),
        Some("On track: you are ready; keep reviewing what is due and taking mocks until the exam.")
    );
}

#[test]
fn a_rising_trend_that_reaches_the_pass_mark_is_on_track() {
    // 600, 650, 700 on days 0, 5, 10: 10 points a day, 800 on day 20.
    let h = mocks(&[(0, 600), (5, 650), (10, 700)]);
    let p = plan_on(&h, 12, Some(20));
    assert_eq!(p.days_left, Some(8));
    assert_eq!(p.on_track, Some(true));
    assert_eq!(
        p.statement.as_deref(),
        Some("On track: at this pace your mocks reach 800 by 21 November; the pass mark is 720.")
    );
}

#[test]
fn a_slow_trend_is_not_on_track() {
    // 600 then 610 ten days later: 1 a day, 640 on day 40.
    let h = mocks(&[(0, 600), (10, 610)]);
    let p = plan_on(&h, 12, Some(40));
    assert_eq!(p.on_track, Some(false));
    assert_eq!(
        p.statement.as_deref(),
        Some("Not on track: at this pace your mocks reach 640 by 11 December; the pass mark is 720.")
    );
}

#[test]
fn a_projection_exactly_on_the_pass_mark_is_on_track() {
    let h = mocks(&[(0, 700), (10, 710)]);
    assert_eq!(plan_on(&h, 10, Some(20)).on_track, Some(true));
    let h = mocks(&[(0, 699), (10, 709)]);
    assert_eq!(plan_on(&h, 10, Some(20)).on_track, Some(false));
}

#[test]
fn the_projection_is_clamped_to_the_scale() {
    let up = mocks(&[(0, 500), (1, 900)]);
    assert!(plan_on(&up, 1, Some(30)).statement.expect("a date").contains("reach 1000 by"));
    let down = mocks(&[(0, 900), (1, 500)]);
    assert!(plan_on(&down, 1, Some(30)).statement.expect("a date").contains("reach 100 by"));
}

#[test]
fn mocks_on_one_day_project_their_mean() {
    let h = mocks(&[(3, 700), (3, 760)]);
    let p = plan_on(&h, 3, Some(30));
    assert_eq!(p.on_track, Some(true));
    assert!(p.statement.expect("a date").contains("reach 730 by"));
}

#[test]
fn the_trend_reads_only_the_last_five_mocks() {
    // An early 100 would drag a line through all six down; the last
    // five are flat at 750.
    let h = mocks(&[(0, 100), (2, 750), (4, 750), (6, 750), (8, 750), (10, 750)]);
    let p = plan_on(&h, 10, Some(30));
    assert!(p.statement.expect("a date").contains("reach 750 by"));
}

#[test]
fn on_the_exam_day_the_trend_reads_today() {
    let h = mocks(&[(0, 600), (10, 700)]);
    let p = plan_on(&h, 12, Some(12));
    assert_eq!(p.days_left, Some(0));
    assert!(p.statement.expect("a date").contains("reach 720 by 13 November"));
}

#[test]
fn readiness_decides_before_the_trend() {
    let h = mocks(&[(0, 700), (10, 600)]);
    assert_eq!(plan_with(&h, 10, Some(20), 0, None, &ready()).on_track, Some(true));
    assert_eq!(plan_with(&h, 10, Some(20), 0, None, &not_ready()).on_track, Some(false));
}

#[test]
fn five_hundred_attempts_plan_from_the_latest() {
    // Mocks every day, scores rising by 1 a day from 200 over 500 days;
    // the last five (495–499) project 200 + 510 = 710 on day 510.
    let scores: Vec<(i64, u32)> = (0..500).map(|d| (d, 200 + d as u32)).collect();
    let mut h = mocks(&scores);
    h.answers = (0..500).map(|i| answer(i as u128, "D4", at(i, 1), i % 4 == 0, None)).collect();
    let p = plan_on(&h, 500, Some(510));
    assert_eq!(p.tasks, vec![todo(drill("D4"))]);
    assert_eq!(p.on_track, Some(false));
    assert!(p.statement.expect("a date").contains("reach 710 by"));
}
