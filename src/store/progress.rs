//! What a learner's progress is computed from: their graded answers and
//! finished attempts of one exam, the exam's live questions, and the exam
//! date they set. Read fresh on each request; nothing is kept in the
//! process.

use sqlx::PgExecutor;
use sqlx::types::Json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::exam::Mode;
use crate::exam::scoring::Score;
use crate::progress::{Answer, AttemptRecord, Confidence};

/// Every graded answer of `user` in `exam`: the items of finished attempts
/// and the checked items of running ones. An item a practice, drill or
/// review skipped is not an answer; a mock's unanswered item is (it scores
/// as wrong).
pub async fn answers(db: impl PgExecutor<'_>, user: Uuid, exam: Uuid) -> sqlx::Result<Vec<Answer>> {
    let rows = sqlx::query!(
        r#"SELECT a.id AS attempt, a.mode, v.question_id, i.domain, i.scored,
                  COALESCE(i.checked_at, a.finished_at) AS "at!", i.correct AS "correct!", i.confidence
           FROM attempts a
           JOIN items i ON i.attempt_id = a.id
           JOIN question_versions v ON v.id = i.version_id
           WHERE a.user_id = $1 AND a.exam_id = $2 AND i.correct IS NOT NULL
             AND (i.checked_at IS NOT NULL OR a.finished_at IS NOT NULL)
             AND (a.mode = 'exam' OR i.answered OR i.checked_at IS NOT NULL)"#,
        user,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Answer {
            attempt: r.attempt,
            mode: Mode::parse(&r.mode).expect("known mode"),
            question: r.question_id,
            domain: r.domain,
            scored: r.scored,
            at: r.at,
            correct: r.correct,
            confidence: r.confidence.as_deref().and_then(Confidence::parse),
            fresh: false,
        })
        .collect())
}

/// The finished attempts of `user` in `exam`, with their scores.
pub async fn finished_attempts(db: impl PgExecutor<'_>, user: Uuid, exam: Uuid) -> sqlx::Result<Vec<AttemptRecord>> {
    let rows = sqlx::query!(
        r#"SELECT id, mode, started_at, finished_at AS "finished_at!", score AS "score!: Json<Score>"
           FROM attempts
           WHERE user_id = $1 AND exam_id = $2 AND finished_at IS NOT NULL AND score IS NOT NULL
           ORDER BY finished_at"#,
        user,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AttemptRecord {
            id: r.id,
            mode: Mode::parse(&r.mode).expect("known mode"),
            started_at: r.started_at,
            finished_at: r.finished_at,
            score: r.score.0,
        })
        .collect())
}

/// The exam's live questions with their tags.
pub async fn bank(db: impl PgExecutor<'_>, exam: Uuid) -> sqlx::Result<Vec<(Uuid, Vec<String>)>> {
    let rows =
        sqlx::query!("SELECT id, tags FROM questions WHERE exam_id = $1 AND NOT retired", exam).fetch_all(db).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.tags)).collect())
}

pub async fn exam_date(db: impl PgExecutor<'_>, user: Uuid, exam: Uuid) -> sqlx::Result<Option<Date>> {
    sqlx::query_scalar!("SELECT exam_date FROM exam_dates WHERE user_id = $1 AND exam_id = $2", user, exam)
        .fetch_optional(db)
        .await
}

/// Sets the learner's exam date, or clears it with None.
pub async fn set_exam_date(db: impl PgExecutor<'_>, user: Uuid, exam: Uuid, date: Option<Date>) -> sqlx::Result<()> {
    match date {
        Some(date) => {
            sqlx::query!(
                r#"INSERT INTO exam_dates (user_id, exam_id, exam_date) VALUES ($1, $2, $3)
               ON CONFLICT (user_id, exam_id) DO UPDATE SET exam_date = EXCLUDED.exam_date"#,
                user,
                exam,
                date
            )
            .execute(db)
            .await?
        }
        None => {
            sqlx::query!("DELETE FROM exam_dates WHERE user_id = $1 AND exam_id = $2", user, exam).execute(db).await?
        }
    };
    Ok(())
}

/// One item response, as exported: the learner's own data, one row each.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ResponseRow {
    pub attempt_id: Uuid,
    pub exam: String,
    pub mode: Mode,
    pub position: i32,
    /// The question's id in its exam, e.g. `d3-async-inference`.
    pub question: String,
    pub version: i32,
    pub domain: String,
    pub scored: bool,
    pub answered: bool,
    /// Null until graded.
    #[schema(required = true)]
    pub correct: Option<bool>,
    #[schema(required = true)]
    pub confidence: Option<Confidence>,
    pub flagged: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub saved_at: Option<OffsetDateTime>,
}

/// Every item of every attempt of `user`, oldest attempt first.
pub async fn responses(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<ResponseRow>> {
    let rows = sqlx::query!(
        r#"SELECT a.id, e.slug, a.mode, i.position, q.key, v.number, i.domain, i.scored, i.answered,
                  i.correct, i.confidence, i.flagged, i.saved_at
           FROM attempts a
           JOIN exams e ON e.id = a.exam_id
           JOIN items i ON i.attempt_id = a.id
           JOIN question_versions v ON v.id = i.version_id
           JOIN questions q ON q.id = v.question_id
           WHERE a.user_id = $1
           ORDER BY a.started_at, a.id, i.position"#,
        user
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ResponseRow {
            attempt_id: r.id,
            exam: r.slug,
            mode: Mode::parse(&r.mode).expect("known mode"),
            position: r.position,
            question: r.key,
            version: r.number,
            domain: r.domain,
            scored: r.scored,
            answered: r.answered,
            correct: r.correct,
            confidence: r.confidence.as_deref().and_then(Confidence::parse),
            flagged: r.flagged,
            saved_at: r.saved_at,
        })
        .collect())
}
