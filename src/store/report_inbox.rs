//! An exam's problem reports as its instructors read and answer them.
//! Every statement names the exam, so a report on another exam's question
//! is not found through this one.

use sqlx::PgExecutor;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::reports::{Answer, Reason, Status, reason, status};
use crate::exam::VersionContent;

/// Which of an exam's reports the inbox shows; None: any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxFilter {
    pub status: Option<Status>,
    pub reason: Option<Reason>,
    pub question: Option<Uuid>,
}

/// A report as its exam's instructor sees it.
#[derive(Debug, Clone)]
pub struct InboxReport {
    pub id: Uuid,
    pub question_id: Uuid,
    /// The question's id in its exam, e.g. `d3-async-inference-timeout`.
    pub question_key: String,
    /// The reported version's stem as written (Markdown).
    pub stem: String,
    pub reason: Reason,
    pub comment: String,
    pub status: Status,
    pub created_at: OffsetDateTime,
    pub version_id: Uuid,
    pub version_number: i32,
    /// Whether the version the learner saw is still the question's current one.
    pub version_current: bool,
    /// The learner's display name.
    pub learner: String,
    pub answer: Answer,
    /// Who resolved it; None while unresolved or once their account is gone.
    pub resolver: Option<String>,
    /// How many reports its question has in all, and how many unresolved.
    pub question_reports: i64,
    pub question_unresolved: i64,
}

/// How many of the exam's reports pass the filter.
pub async fn count(db: impl PgExecutor<'_>, exam: Uuid, f: &InboxFilter) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!"
           FROM problem_reports r JOIN questions q ON q.id = r.question_id
           WHERE q.exam_id = $1 AND ($2::text IS NULL OR r.status = $2)
             AND ($3::text IS NULL OR r.reason = $3) AND ($4::uuid IS NULL OR r.question_id = $4)"#,
        exam,
        f.status.map(Status::as_str),
        f.reason.map(Reason::as_str),
        f.question
    )
    .fetch_one(db)
    .await
}

/// The exam's reports that pass the filter, open and acknowledged ones
/// first, each part newest first; or only the one with `id`.
pub async fn list(
    db: impl PgExecutor<'_>,
    exam: Uuid,
    f: &InboxFilter,
    id: Option<Uuid>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<InboxReport>> {
    let rows = sqlx::query!(
        r#"SELECT r.id, r.question_id, q.key AS question_key, v.content->'question'->>'stem' AS "stem!",
                  r.reason, r.comment, r.status, r.created_at, r.version_id, v.number AS version_number,
                  (q.current_version = r.version_id) AS "version_current!", u.display_name AS learner,
                  r.reply, r.duplicate_of, r.resolved_at, ru.display_name AS "resolver?",
                  counts.total AS "question_reports!", counts.unresolved AS "question_unresolved!"
           FROM problem_reports r
           JOIN questions q ON q.id = r.question_id
           JOIN question_versions v ON v.id = r.version_id
           JOIN users u ON u.id = r.user_id
           LEFT JOIN users ru ON ru.id = r.resolved_by
           CROSS JOIN LATERAL (
               SELECT count(*) AS total, count(*) FILTER (WHERE x.status IN ('open', 'acknowledged')) AS unresolved
               FROM problem_reports x WHERE x.question_id = r.question_id
           ) counts
           WHERE q.exam_id = $1 AND ($2::text IS NULL OR r.status = $2)
             AND ($3::text IS NULL OR r.reason = $3) AND ($4::uuid IS NULL OR r.question_id = $4)
             AND ($5::uuid IS NULL OR r.id = $5)
           ORDER BY (r.status IN ('open', 'acknowledged')) DESC, r.created_at DESC, r.id
           OFFSET $6 LIMIT $7"#,
        exam,
        f.status.map(Status::as_str),
        f.reason.map(Reason::as_str),
        f.question,
        id,
        offset,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InboxReport {
            id: r.id,
            question_id: r.question_id,
            question_key: r.question_key,
            stem: r.stem,
            reason: reason(&r.reason),
            comment: r.comment,
            status: status(&r.status),
            created_at: r.created_at,
            version_id: r.version_id,
            version_number: r.version_number,
            version_current: r.version_current,
            learner: r.learner,
            answer: Answer { reply: r.reply, duplicate_of: r.duplicate_of, resolved_at: r.resolved_at },
            resolver: r.resolver,
            question_reports: r.question_reports,
            question_unresolved: r.question_unresolved,
        })
        .collect())
}

/// The id in the exam (`key`) of question `question`, when it is one of
/// the exam's.
pub async fn question_key(db: impl PgExecutor<'_>, exam: Uuid, question: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("SELECT key FROM questions WHERE exam_id = $1 AND id = $2", exam, question)
        .fetch_optional(db)
        .await
}

/// A version's content: what a report's learner saw.
pub async fn version_content(db: impl PgExecutor<'_>, version: Uuid) -> sqlx::Result<Option<VersionContent>> {
    let row = sqlx::query_scalar!(
        r#"SELECT content AS "content: Json<VersionContent>" FROM question_versions WHERE id = $1"#,
        version
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|c| c.0))
}

/// How many of the exam's reports (or one question's) are open or
/// acknowledged: waiting for an answer.
pub async fn unresolved(db: impl PgExecutor<'_>, exam: Uuid, question: Option<Uuid>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!"
           FROM problem_reports r JOIN questions q ON q.id = r.question_id
           WHERE q.exam_id = $1 AND ($2::uuid IS NULL OR r.question_id = $2)
             AND r.status IN ('open', 'acknowledged')"#,
        exam,
        question
    )
    .fetch_one(db)
    .await
}

/// A report's new state: its status and, for a resolution, the answer
/// and who gave it (all None otherwise, so a reopened report carries no
/// stale reply).
pub struct NewState<'a> {
    pub status: Status,
    pub reply: Option<&'a str>,
    pub duplicate_of: Option<&'a str>,
    pub resolved_by: Option<Uuid>,
    pub resolved_at: Option<OffsetDateTime>,
}

/// Moves report `id` of exam `exam` to a new state; false when the exam
/// has no such report.
pub async fn set_state(db: impl PgExecutor<'_>, exam: Uuid, id: Uuid, s: &NewState<'_>) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        r#"UPDATE problem_reports r
           SET status = $3, reply = $4, duplicate_of = $5, resolved_by = $6, resolved_at = $7
           FROM questions q
           WHERE q.id = r.question_id AND q.exam_id = $1 AND r.id = $2"#,
        exam,
        id,
        s.status.as_str(),
        s.reply,
        s.duplicate_of,
        s.resolved_by,
        s.resolved_at
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
