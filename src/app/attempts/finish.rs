//! Ending an attempt: the learner's submit, and the grading of attempts
//! whose deadline passed.

use uuid::Uuid;

use super::open;
use crate::app::{App, Result};
use crate::exam::FinishReason;
use crate::store::attempts;

/// How a submit ended; each leads to the same result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Graded now.
    Submitted,
    /// Already graded by an earlier submit (a double click, another tab, a
    /// retry): nothing changed.
    AlreadySubmitted,
    /// The deadline had passed: it was graded as it stood at the deadline,
    /// not by this late submit.
    Expired,
}

/// Submits the learner's own attempt, grading it once however often it is
/// called.
pub async fn submit(app: &App, user: Uuid, id: Uuid) -> Result<SubmitOutcome> {
    let (attempt, _) = open(app, user, id).await?;
    Ok(match attempt.finished_reason {
        Some(FinishReason::Expired) => SubmitOutcome::Expired,
        Some(FinishReason::Submitted) => SubmitOutcome::AlreadySubmitted,
        None => {
            attempts::finish(&app.db, id, Some(user), FinishReason::Submitted, app.clock.now())
                .await?
                .ok_or(crate::app::Error::NotFound)?;
            SubmitOutcome::Submitted
        }
    })
}

/// Grades every attempt past its deadline that no request has touched:
/// the periodic sweep. Returns how many it graded.
pub async fn grade_expired(app: &App) -> Result<usize> {
    let now = app.clock.now();
    let due = attempts::expired(&app.db, now, app.grace()).await?;
    for id in &due {
        attempts::finish(&app.db, *id, None, FinishReason::Expired, now).await?;
    }
    Ok(due.len())
}
