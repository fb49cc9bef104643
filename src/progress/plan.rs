//! A plan to exam day: today's suggested work and whether the learner is on
//! track, by a rule stated on the page.

use time::Date;

use super::History;
use super::readiness::Readiness;
use super::weak_spots::WeakSpot;
use crate::exam::Blueprint;

pub const RULE: &str = "TODO";

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

pub fn plan(_blueprint: &Blueprint, _history: &History, _input: &PlanInput<'_>) -> DayPlan {
    todo!()
}
