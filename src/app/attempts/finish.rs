//! Ending an attempt: the learner's submit, and the grading of attempts
//! whose deadline passed.

use uuid::Uuid;

use super::open;
use crate::app::{App, Result};
use crate::exam::FinishReason;
use crate::exam::scoring::Score;
use crate::store::attempts::{self, Finished};

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
            grade(app, id, Some(user), FinishReason::Submitted).await?.ok_or(crate::app::Error::NotFound)?;
            SubmitOutcome::Submitted
        }
    })
}

/// Grades an attempt once, however often it is called: every path that ends
/// an attempt (a submit, a save or a page that finds the time up, the sweep)
/// comes through here, so whatever is kept up to date at grading time is
/// kept in one place. `user`, when given, must own the attempt. The score,
/// or None when there is no such attempt.
pub async fn grade(app: &App, id: Uuid, user: Option<Uuid>, reason: FinishReason) -> Result<Option<Score>> {
    let Some(finished) = score(app, id, user, reason).await? else { return Ok(None) };
    if finished.graded_now {
        app.metrics.graded(reason);
    }
    refresh_standing(app, id).await;
    Ok(Some(finished.score))
}

/// Grading's first part: the attempt scored, its items' credit written and
/// the attempt marked finished, in one transaction (the stored score if it
/// was already graded). None if the attempt is not `user`'s.
pub async fn score(app: &App, id: Uuid, user: Option<Uuid>, reason: FinishReason) -> Result<Option<Finished>> {
    // The questions from the version cache: decoding the 65 versions' whole
    // content in the transaction was most of a grade's time.
    let ids = attempts::versions_of(&app.db, id).await?;
    let versions = app.versions.get_many(&app.db, &ids).await?;
    let body_of = |v: Uuid| versions.get(&v).map(|v| &v.content.question.body);
    Ok(attempts::finish(&app.db, id, user, reason, app.clock.now(), body_of).await?)
}

/// Brings the learner's standing (the class dashboard's row) up to date
/// with the attempt just graded. The attempt is graded whatever happens
/// here: a failure is logged, and the sweep refreshes the standing later.
async fn refresh_standing(app: &App, id: Uuid) {
    let refreshed = async {
        let Some((user, exam)) = crate::store::standings::learner_and_exam(&app.db, id).await? else {
            return Ok(());
        };
        crate::app::standings::refresh(app, user, exam).await
    };
    if let Err(e) = refreshed.await {
        tracing::warn!(attempt = %id, error = %e, "standing not refreshed; the sweep will");
    }
}

/// Grades every attempt past its deadline that no request has touched:
/// the periodic sweep. Returns how many it graded.
pub async fn grade_expired(app: &App) -> Result<usize> {
    let now = app.clock.now();
    let due = attempts::expired(&app.db, now, app.grace()).await?;
    for id in &due {
        grade(app, *id, None, FinishReason::Expired).await?;
    }
    Ok(due.len())
}
