//! A plan to exam day: today's suggested work and whether the learner is on
//! track, by a rule stated on the page.

use time::{Date, OffsetDateTime, UtcOffset};

use super::History;
use super::readiness::{Readiness, Verdict};
use super::weak_spots::{self, Focus, WeakSpot};
use crate::exam::{Blueprint, Mode, Scale};

// The numbers live in macros so that the code and the words of `RULE` read
// the same literal.
macro_rules! drill_count {
    () => {
        20
    };
}
macro_rules! cadence_days {
    () => {
        3
    };
}
macro_rules! last_week_cadence_days {
    () => {
        2
    };
}
macro_rules! last_week_days {
    () => {
        7
    };
}
macro_rules! trend_mocks {
    () => {
        5
    };
}

/// Questions in the day's drill.
pub const DRILL_COUNT: u32 = drill_count!();
/// Days between full mocks.
pub const CADENCE_DAYS: i64 = cadence_days!();
/// Days between full mocks in the last week before the exam.
pub const LAST_WEEK_CADENCE_DAYS: i64 = last_week_cadence_days!();
/// How many days before the exam the last week starts.
pub const LAST_WEEK_DAYS: i64 = last_week_days!();
/// No mock with fewer days left than this: the exam day and the day before
/// are for rest.
pub const REST_DAYS: i64 = 2;
/// How many of the latest mocks the trend line runs through.
pub const TREND_MOCKS: usize = trend_mocks!();
/// How many mocks a trend line needs.
pub const MIN_TREND_MOCKS: usize = 2;

pub const RULE: &str = concat!(
    "Each day: review the questions due, drill your weakest domain with ",
    drill_count!(),
    " questions, and take a full mock every ",
    cadence_days!(),
    " days (every ",
    last_week_cadence_days!(),
    " days in the last ",
    last_week_days!(),
    " days before the exam, and none on the exam day or the day before). You are on track if you are ready already, \
     or if a straight line through the scores of your last ",
    trend_mocks!(),
    " mocks reaches the pass mark by the exam date."
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Task {
    /// Take the review of the questions due.
    Review { due: usize },
    /// Drill the weakest domain.
    Drill { domain: String, count: u32 },
    /// Take a full mock exam.
    Mock,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PlannedTask {
    pub task: Task,
    /// Already done today.
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DayPlan {
    /// Days until the exam date (0 on the day); None without a date.
    pub days_left: Option<i64>,
    pub tasks: Vec<PlannedTask>,
    /// Whether the learner is on track for readiness by the exam date, in
    /// one sentence; None without a date.
    pub on_track: Option<bool>,
    pub statement: Option<String>,
}

/// What the plan reads besides the history.
pub struct PlanInput<'a> {
    pub today: Date,
    pub exam_date: Option<Date>,
    pub due_reviews: usize,
    pub weakest: Option<&'a WeakSpot>,
    pub readiness: &'a Readiness,
}

/// Today's tasks, in this order: the review (when questions are due, or
/// done when a review finished today and none are left), the drill of the
/// weakest domain, the full mock when the cadence calls for one (or done
/// when one finished today). Days are UTC days.
pub fn plan(blueprint: &Blueprint, history: &History, input: &PlanInput<'_>) -> DayPlan {
    let today = input.today;
    let finished_today = |mode| history.attempts.iter().any(|a| a.mode == mode && utc_date(a.finished_at) == today);
    let days_left = input.exam_date.map(|exam| (exam - today).whole_days());

    let mut tasks = Vec::new();
    if input.due_reviews > 0 {
        tasks.push(PlannedTask { task: Task::Review { due: input.due_reviews }, done: false });
    } else if finished_today(Mode::Review) {
        tasks.push(PlannedTask { task: Task::Review { due: 0 }, done: true });
    }
    if let Some(domain) = drill_domain(blueprint, history, input.weakest) {
        tasks.push(PlannedTask { task: Task::Drill { domain, count: DRILL_COUNT }, done: finished_today(Mode::Drill) });
    }
    if let Some(cadence) = mock_cadence(days_left) {
        let done = finished_today(Mode::Exam);
        let due = history.mocks().next_back().is_none_or(|m| (today - utc_date(m.finished_at)).whole_days() >= cadence);
        if due || done {
            tasks.push(PlannedTask { task: Task::Mock, done });
        }
    }

    let (on_track, statement) = match input.exam_date {
        None => (None, None),
        Some(exam) => {
            let (on_track, statement) = track(blueprint.scale, history, today, exam, input.readiness);
            (on_track, Some(statement))
        }
    };
    DayPlan { days_left, tasks, on_track, statement }
}

fn utc_date(at: OffsetDateTime) -> Date {
    at.to_offset(UtcOffset::UTC).date()
}

/// Days between mocks, or None on the rest days just before the exam. A
/// date already past plans like no date.
fn mock_cadence(days_left: Option<i64>) -> Option<i64> {
    match days_left {
        Some(days) if (0..REST_DAYS).contains(&days) => None,
        Some(days) if (REST_DAYS..=LAST_WEEK_DAYS).contains(&days) => Some(LAST_WEEK_CADENCE_DAYS),
        _ => Some(CADENCE_DAYS),
    }
}

/// The weakest domain focus when there is one; else the blueprint domain
/// with the lowest accuracy over its last answers (ties: more answers, then
/// blueprint order); None before any answer in the blueprint's domains.
fn drill_domain(blueprint: &Blueprint, history: &History, weakest: Option<&WeakSpot>) -> Option<String> {
    if let Some(WeakSpot { focus: Focus::Domain(code), .. }) = weakest {
        return Some(code.clone());
    }
    blueprint
        .domains
        .iter()
        .filter_map(|d| {
            let recent = history.answers.iter().rev().filter(|a| a.domain == d.code).take(weak_spots::RECENT);
            let (correct, total) = recent.fold((0usize, 0usize), |(c, t), a| (c + usize::from(a.correct), t + 1));
            (total > 0).then_some((d, correct, total))
        })
        .min_by(|a, b| (a.1 * b.2).cmp(&(b.1 * a.2)).then(b.2.cmp(&a.2)))
        .map(|(d, _, _)| d.code.clone())
}

/// Whether the learner is on track for `exam`, and the sentence saying so.
fn track(scale: Scale, history: &History, today: Date, exam: Date, readiness: &Readiness) -> (Option<bool>, String) {
    let when = format!("{} {}", exam.day(), exam.month());
    if exam < today {
        return (None, format!("Your exam date, {when}, has passed; set a new date to plan toward it."));
    }
    if readiness.verdict == Verdict::Ready {
        return (
            Some(true),
            "On track: you are ready; keep reviewing what is due and taking mocks until the exam.".into(),
        );
    }
    let points: Vec<(f64, f64)> = history
        .mocks()
        .rev()
        .take(TREND_MOCKS)
        .map(|m| ((utc_date(m.finished_at) - exam).whole_days() as f64, f64::from(m.score.scaled)))
        .collect();
    if points.len() < MIN_TREND_MOCKS {
        let more = MIN_TREND_MOCKS - points.len();
        let mocks = if more == 1 { "1 more full mock" } else { "2 full mocks" };
        return (None, format!("Take {mocks} to see whether you are on track."));
    }
    let reach = projection(&points, scale);
    let on_track = reach >= scale.pass;
    let verdict = if on_track { "On track" } else { "Not on track" };
    (
        Some(on_track),
        format!("{verdict}: at this pace your mocks reach {reach} by {when}; the pass mark is {}.", scale.pass),
    )
}

/// The least-squares line through (day, score) points, read at day 0 (the
/// exam date), rounded and clamped to the scale. Mocks all on one day give
/// a flat line at their mean.
fn projection(points: &[(f64, f64)], scale: Scale) -> u32 {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    // Σ(x − x̄)·y equals Σ(x − x̄)(y − ȳ), as Σ(x − x̄) = 0.
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * p.1).sum();
    let slope = if sxx == 0.0 { 0.0 } else { sxy / sxx };
    let at_exam = mean_y - slope * mean_x;
    at_exam.round().clamp(f64::from(scale.min), f64::from(scale.max)) as u32
}

#[cfg(test)]
mod tests;
