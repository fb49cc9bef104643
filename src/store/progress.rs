//! What a learner's progress is computed from: their graded answers and
//! finished attempts of one exam, the exam's live questions, and the exam
//! date they set. Read fresh on each request; nothing is kept in the
//! process.

use std::collections::HashMap;

use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::exam::Mode;
use crate::exam::scoring::Score;
use crate::progress::{Answer, AttemptRecord, Confidence};

/// Every graded answer of `user` in `exam`: the items of finished attempts
/// and the checked items of running ones. An item a practice, drill or
/// review skipped is not an answer; a mock's unanswered item is (it scores
/// as wrong).
pub async fn answers(db: &PgPool, user: Uuid, exam: Uuid) -> sqlx::Result<Vec<Answer>> {
    // Versions are mapped to their questions here, from the exam's few
    // hundred versions, rather than joined to each of the learner's tens of
    // thousands of items.
    let (questions, rows) = tokio::try_join!(
        sqlx::query!(
            "SELECT v.id, v.question_id FROM question_versions v JOIN questions q ON q.id = v.question_id
             WHERE q.exam_id = $1",
            exam
        )
        .fetch_all(db),
        sqlx::query!(
            r#"SELECT a.id AS attempt, a.mode, i.version_id, i.domain, i.scored,
                      COALESCE(i.checked_at, a.finished_at) AS "at!", i.correct AS "correct!", i.confidence
               FROM attempts a
               JOIN items i ON i.attempt_id = a.id
               WHERE a.user_id = $1 AND a.exam_id = $2 AND i.correct IS NOT NULL
                 AND (i.checked_at IS NOT NULL OR a.finished_at IS NOT NULL)
                 AND (a.mode = 'exam' OR i.answered OR i.checked_at IS NOT NULL)"#,
            user,
            exam
        )
        .fetch_all(db)
    )?;
    let question_of: HashMap<Uuid, Uuid> = questions.into_iter().map(|r| (r.id, r.question_id)).collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Answer {
                attempt: r.attempt,
                mode: Mode::parse(&r.mode).expect("known mode"),
                question: *question_of.get(&r.version_id)?,
                domain: r.domain,
                scored: r.scored,
                at: r.at,
                correct: r.correct,
                confidence: r.confidence.as_deref().and_then(Confidence::parse),
                fresh: false,
            })
        })
        .collect())
}

/// One attempt as the progress page lists it.
#[derive(Debug, Clone)]
pub struct Attempted {
    pub id: Uuid,
    pub mode: Mode,
    pub started_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
    pub items: i32,
    /// Set once graded.
    pub score: Option<Score>,
}

impl Attempted {
    /// The attempt as the progress rules read it, once graded.
    pub fn record(&self) -> Option<AttemptRecord> {
        Some(AttemptRecord {
            id: self.id,
            mode: self.mode,
            started_at: self.started_at,
            finished_at: self.finished_at?,
            score: self.score.clone()?,
        })
    }
}

/// Every attempt of `user` in `exam`, newest first, running or finished.
pub async fn attempts(db: impl PgExecutor<'_>, user: Uuid, exam: Uuid) -> sqlx::Result<Vec<Attempted>> {
    let rows = sqlx::query!(
        r#"SELECT id, mode, started_at, finished_at, item_count, score AS "score: Json<Score>"
           FROM attempts WHERE user_id = $1 AND exam_id = $2 ORDER BY started_at DESC"#,
        user,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Attempted {
            id: r.id,
            mode: Mode::parse(&r.mode).expect("known mode"),
            started_at: r.started_at,
            finished_at: r.finished_at,
            items: r.item_count,
            score: r.score.map(|s| s.0),
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
