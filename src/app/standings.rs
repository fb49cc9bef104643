//! Learners' standings, kept at grading time: what the class dashboard
//! shows of each member, computed by the same code as their `/me` (the
//! history it loads and the pure rules it applies), so that a dashboard
//! reads one row per member instead of every member's whole history.

use uuid::Uuid;

use super::{App, Result};
use crate::analysis::class::Standing;
use crate::store::{exams, standings};

/// How many standings one sweep refreshes at most: each reads a learner's
/// whole history in the exam, so a backlog is worked off over a few runs
/// rather than holding the sweep for long.
pub const SWEEP_BATCH: i64 = 200;

/// Recomputes `user`'s standing in exam `exam` from their history.
pub async fn refresh(app: &App, user: Uuid, exam: Uuid) -> Result<()> {
    let Some(exam) = exams::by_id(&app.db, exam).await? else { return Ok(()) };
    let (_, history) = super::progress::history(app, user, exam.id).await?;
    // Nothing finished yet: nothing to stand on.
    let Some(through) = history.attempts.iter().map(|a| a.finished_at).max() else { return Ok(()) };
    let standing = Standing::of(user, &exam.blueprint, &history);
    Ok(standings::upsert(&app.db, exam.id, &standing, through, app.clock.now()).await?)
}

/// Refreshes at most `limit` standings that are missing or older than
/// their learner's latest finished attempt in that exam: a refresh that
/// failed at grading time, or attempts written straight to the database
/// (the benchmark's generator). Returns how many it refreshed.
pub async fn refresh_stale(app: &App, limit: i64) -> Result<usize> {
    let stale = standings::stale(&app.db, limit).await?;
    for &(user, exam) in &stale {
        refresh(app, user, exam).await?;
    }
    Ok(stale.len())
}
