//! Learners' standings: one row per learner and exam, what the class
//! dashboard shows of them, written at grading time (and by the sweep)
//! and read one row per member.

use sqlx::PgExecutor;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::analysis::class::{Mark, Standing};
use crate::progress::readiness::{DomainFigure, Verdict};

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Ready => "ready",
        Verdict::NotYet => "not-yet",
        Verdict::TooLittleData => "too-little-data",
    }
}

fn verdict_of(word: &str) -> Verdict {
    match word {
        "ready" => Verdict::Ready,
        "not-yet" => Verdict::NotYet,
        _ => Verdict::TooLittleData,
    }
}

fn mark(scaled: Option<i32>, passed: Option<bool>) -> Option<Mark> {
    Some(Mark { scaled: u32::try_from(scaled?).unwrap_or(0), passed: passed? })
}

/// Writes `standing` of `exam`, computed from attempts finished up to
/// `through`. A row computed from later attempts is kept: two gradings at
/// once may finish their refreshes in either order.
pub async fn upsert(
    db: impl PgExecutor<'_>,
    exam: Uuid,
    s: &Standing,
    through: OffsetDateTime,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO learner_standings
             (user_id, exam_id, finished_mocks, finished_attempts, latest_scaled, latest_passed, latest_at,
              best_scaled, best_passed, domains, verdict, statement, through, computed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT (user_id, exam_id) DO UPDATE SET
             finished_mocks = EXCLUDED.finished_mocks, finished_attempts = EXCLUDED.finished_attempts,
             latest_scaled = EXCLUDED.latest_scaled, latest_passed = EXCLUDED.latest_passed,
             latest_at = EXCLUDED.latest_at, best_scaled = EXCLUDED.best_scaled,
             best_passed = EXCLUDED.best_passed, domains = EXCLUDED.domains, verdict = EXCLUDED.verdict,
             statement = EXCLUDED.statement, through = EXCLUDED.through, computed_at = EXCLUDED.computed_at
           WHERE learner_standings.through <= EXCLUDED.through"#,
        s.user,
        exam,
        s.finished_mocks as i32,
        s.finished_attempts as i32,
        s.latest.map(|m| m.scaled as i32),
        s.latest.map(|m| m.passed),
        s.latest_at,
        s.best.map(|m| m.scaled as i32),
        s.best.map(|m| m.passed),
        Json(&s.domains) as _,
        verdict_word(s.verdict),
        &s.statement,
        through,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The standings in `exam` of the members of `group` who have one, with
/// their names.
pub async fn of_group(db: impl PgExecutor<'_>, group: Uuid, exam: Uuid) -> sqlx::Result<Vec<Standing>> {
    let rows = sqlx::query!(
        r#"SELECT s.user_id, u.display_name, s.finished_mocks, s.finished_attempts, s.latest_scaled,
                  s.latest_passed, s.latest_at, s.best_scaled, s.best_passed,
                  s.domains AS "domains: Json<Vec<DomainFigure>>", s.verdict, s.statement
           FROM group_members m
           JOIN learner_standings s ON s.user_id = m.user_id AND s.exam_id = $2
           JOIN users u ON u.id = m.user_id
           WHERE m.group_id = $1"#,
        group,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Standing {
            user: r.user_id,
            name: r.display_name,
            finished_mocks: r.finished_mocks.max(0) as u32,
            finished_attempts: r.finished_attempts.max(0) as u32,
            latest: mark(r.latest_scaled, r.latest_passed),
            latest_at: r.latest_at,
            best: mark(r.best_scaled, r.best_passed),
            domains: r.domains.0,
            verdict: verdict_of(&r.verdict),
            statement: r.statement,
        })
        .collect())
}

/// The exams the members of `group` have finished attempts in, with how
/// many finished mocks they hold between them.
pub async fn exams_of_group(db: impl PgExecutor<'_>, group: Uuid) -> sqlx::Result<Vec<(Uuid, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT s.exam_id, COALESCE(sum(s.finished_mocks), 0) AS "mocks!"
           FROM group_members m JOIN learner_standings s ON s.user_id = m.user_id
           WHERE m.group_id = $1
           GROUP BY s.exam_id"#,
        group
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.exam_id, r.mocks)).collect())
}

/// Learners and exams whose standing is missing or older than their
/// latest finished attempt there, at most `limit`, the longest waiting
/// first.
pub async fn stale(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<(Uuid, Uuid)>> {
    let rows = sqlx::query!(
        r#"SELECT a.user_id, a.exam_id
           FROM attempts a
           LEFT JOIN learner_standings s ON s.user_id = a.user_id AND s.exam_id = a.exam_id
           WHERE a.finished_at IS NOT NULL
           GROUP BY a.user_id, a.exam_id, s.through
           HAVING s.through IS NULL OR s.through < max(a.finished_at)
           ORDER BY max(a.finished_at)
           LIMIT $1"#,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.exam_id)).collect())
}

/// The learner and exam of attempt `id`: whose standing its grading
/// changes.
pub async fn learner_and_exam(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<(Uuid, Uuid)>> {
    let row = sqlx::query!("SELECT user_id, exam_id FROM attempts WHERE id = $1", id).fetch_optional(db).await?;
    Ok(row.map(|r| (r.user_id, r.exam_id)))
}
