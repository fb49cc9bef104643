//! A learner's progress in one exam: everything `/me` shows, computed from
//! their stored attempts on each request by the pure rules in
//! [`crate::progress`]; and their exam date.

use std::collections::HashMap;

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{App, Result};
use crate::progress::History;
use crate::progress::confidence::{self, ConfidenceGroups};
use crate::progress::coverage::{self, Coverage};
use crate::progress::plan::{self, DayPlan, PlanInput};
use crate::progress::readiness::{self, DomainFigure, Readiness};
use crate::progress::review::{self, ReviewEntry};
use crate::progress::weak_spots::{self, WeakSpot};
use crate::store::attempts::{self, Summary};
use crate::store::exams::Exam;
use crate::store::progress::{self as store, Attempted};

/// The most attempts a history lists; far more than a learner makes.
pub const MAX_HISTORY: i64 = 10_000;

/// Everything `/me` shows for one exam.
pub struct Progress {
    /// Every attempt of this exam, running or finished, newest first.
    pub attempts: Vec<Attempted>,
    pub history: History,
    pub readiness: Readiness,
    /// Each domain's figure as readiness reads it (its last new answers).
    pub domains: Vec<DomainFigure>,
    pub weak_spots: Vec<WeakSpot>,
    pub coverage: Coverage,
    /// The whole review queue, in the order a review takes it.
    pub queue: Vec<ReviewEntry>,
    /// How many of the queue are due now.
    pub due: usize,
    /// When the next question not yet due comes due.
    pub next_due: Option<OffsetDateTime>,
    pub confidence: ConfidenceGroups,
    pub exam_date: Option<Date>,
    pub plan: DayPlan,
    pub now: OffsetDateTime,
}

/// The learner's attempts and answers in `exam`, read in one go.
pub(crate) async fn history(app: &App, user: Uuid, exam: Uuid) -> Result<(Vec<Attempted>, History)> {
    let (answers, attempts) =
        tokio::try_join!(store::answers(&app.db, user, exam), store::attempts(&app.db, user, exam))?;
    let records = attempts.iter().filter_map(Attempted::record).collect();
    Ok((attempts, History::new(answers, records)))
}

pub async fn progress(app: &App, user: Uuid, exam: &Exam) -> Result<Progress> {
    let ((attempts, history), bank, exam_date) =
        tokio::try_join!(history(app, user, exam.id), async { Ok(store::bank(&app.db, exam.id).await?) }, async {
            Ok(store::exam_date(&app.db, user, exam.id).await?)
        },)?;
    let now = app.clock.now();
    let b = &exam.blueprint;
    let tags: HashMap<Uuid, Vec<String>> = bank.into_iter().collect();
    let ids: Vec<Uuid> = tags.keys().copied().collect();
    let readiness = readiness::readiness(b, &history);
    let weak_spots = weak_spots::weak_spots(b, &history, &tags);
    let queue = review::queue(&history);
    let due = review::due(&queue, now).len();
    let next_due = queue.iter().map(|e| e.due).filter(|d| *d > now).min();
    let plan = plan::plan(
        b,
        &history,
        &PlanInput {
            today: now.date(),
            exam_date,
            due_reviews: due,
            weakest: weak_spots.first(),
            readiness: &readiness,
        },
    );
    Ok(Progress {
        attempts,
        coverage: coverage::coverage(&ids, &history),
        domains: readiness::domain_figures(b, &history),
        confidence: confidence::groups(history.answers.iter().map(|a| (a.correct, a.confidence))),
        history,
        readiness,
        weak_spots,
        queue,
        due,
        next_due,
        exam_date,
        plan,
        now,
    })
}

/// The questions due for review now, in the order a review takes them,
/// and when the next one not yet due comes due.
pub async fn due_for_review(app: &App, user: Uuid, exam: Uuid) -> Result<(Vec<Uuid>, Option<OffsetDateTime>)> {
    let (_, history) = history(app, user, exam).await?;
    let queue = review::queue(&history);
    let now = app.clock.now();
    let due = review::due(&queue, now).into_iter().map(|e| e.question).collect();
    Ok((due, queue.iter().map(|e| e.due).filter(|d| *d > now).min()))
}

pub async fn set_exam_date(app: &App, user: Uuid, exam: Uuid, date: Option<Date>) -> Result<()> {
    Ok(store::set_exam_date(&app.db, user, exam, date).await?)
}

/// One attempt as exported, in CSV or JSON.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttemptRow {
    pub attempt_id: Uuid,
    /// The exam's slug.
    pub exam: String,
    pub mode: crate::exam::Mode,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// Null while it runs.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub finished_at: Option<OffsetDateTime>,
    #[schema(required = true)]
    pub duration_seconds: Option<i64>,
    pub items: i64,
    pub answered: i64,
    /// Scored items answered right; null while it runs.
    #[schema(required = true)]
    pub correct: Option<u32>,
    #[schema(required = true)]
    pub scored_items: Option<u32>,
    #[schema(required = true)]
    pub weighted_percent: Option<f64>,
    /// Only where a scaled estimate holds (a mock, or at least 5 scored
    /// items in every domain).
    #[schema(required = true)]
    pub scaled_score: Option<u32>,
    #[schema(required = true)]
    pub passed: Option<bool>,
}

impl AttemptRow {
    fn of(a: &Summary) -> Self {
        let estimate = a.score.as_ref().filter(|s| s.supports_estimate(a.mode));
        AttemptRow {
            attempt_id: a.id,
            exam: a.exam_slug.clone(),
            mode: a.mode,
            started_at: a.started_at,
            finished_at: a.finished_at,
            duration_seconds: a.finished_at.map(|f| (f - a.started_at).whole_seconds()),
            items: a.items,
            answered: a.answered,
            correct: a.score.as_ref().map(|s| s.correct),
            scored_items: a.score.as_ref().map(|s| s.total),
            weighted_percent: a.score.as_ref().map(|s| (s.weighted_percent * 10.0).round() / 10.0),
            scaled_score: estimate.map(|s| s.scaled),
            passed: estimate.map(|s| s.passed),
        }
    }
}

/// Every attempt of the learner, oldest first, for export.
pub async fn attempt_rows(app: &App, user: Uuid) -> Result<Vec<AttemptRow>> {
    Ok(attempts::list(&app.db, user, MAX_HISTORY).await?.iter().rev().map(AttemptRow::of).collect())
}

/// Every item of every attempt of the learner, for export.
pub async fn responses(app: &App, user: Uuid) -> Result<Vec<store::ResponseRow>> {
    Ok(store::responses(&app.db, user).await?)
}
