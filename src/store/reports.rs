//! Learners' reports of problems with a question. The question and the
//! version a report is about are read from the reported item, never taken
//! from the learner; each statement names the learner, so reports stay
//! their author's to read.

use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

/// What a learner says is wrong with a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    WrongKey,
    Unclear,
    Outdated,
    Typo,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 5] = [Reason::WrongKey, Reason::Unclear, Reason::Outdated, Reason::Typo, Reason::Other];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::WrongKey => "wrong-key",
            Reason::Unclear => "unclear",
            Reason::Outdated => "outdated",
            Reason::Typo => "typo",
            Reason::Other => "other",
        }
    }

    /// As the learner reads it.
    pub fn label(self) -> &'static str {
        match self {
            Reason::WrongKey => "The answer key is wrong",
            Reason::Unclear => "The question is unclear",
            Reason::Outdated => "It is out of date",
            Reason::Typo => "A typo",
            Reason::Other => "Something else",
        }
    }
}

/// Where a report stands; instructors move it on. `Rejected` is stored as
/// "rejected" and reads "Not a problem".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Acknowledged,
    Fixed,
    Rejected,
    Duplicate,
}

impl Status {
    pub const ALL: [Status; 5] =
        [Status::Open, Status::Acknowledged, Status::Fixed, Status::Rejected, Status::Duplicate];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Acknowledged => "acknowledged",
            Status::Fixed => "fixed",
            Status::Rejected => "rejected",
            Status::Duplicate => "duplicate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "Open",
            Status::Acknowledged => "Acknowledged",
            Status::Fixed => "Fixed",
            Status::Rejected => "Not a problem",
            Status::Duplicate => "Duplicate",
        }
    }

    /// What it means for the learner.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Open => "sent; no one has read it yet",
            Status::Acknowledged => "an instructor has read it and is working on it",
            Status::Fixed => "the question was corrected; new attempts get the corrected version",
            Status::Rejected => "an instructor found the question right as it is; their reply says why",
            Status::Duplicate => "the same problem was reported before and is followed there; the reply says where",
        }
    }

    /// Whether an instructor has answered it for good (until reopened).
    pub fn is_resolved(self) -> bool {
        matches!(self, Status::Fixed | Status::Rejected | Status::Duplicate)
    }
}

pub(super) fn reason(s: &str) -> Reason {
    Reason::parse(s).expect("the problem_reports.reason check admits only known reasons")
}

pub(super) fn status(s: &str) -> Status {
    Status::parse(s).expect("the problem_reports.status check admits only known statuses")
}

/// A report to file about an item of the learner's own attempt.
pub struct NewReport<'a> {
    pub user: Uuid,
    pub attempt: Uuid,
    pub position: i32,
    pub reason: Reason,
    pub comment: &'a str,
    pub now: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    Created(Uuid),
    /// The learner had reported this item for this reason before: that
    /// report now has the new comment.
    Updated(Uuid),
}

/// Files a report, or updates the learner's earlier report of the same
/// item for the same reason; None when the item is not theirs.
pub async fn file(db: &PgPool, r: &NewReport<'_>) -> sqlx::Result<Option<Filed>> {
    let mut tx = db.begin().await?;
    // The item's row lock makes two reports of one item (a double click,
    // two tabs) take turns: the second reads the first, committed, and
    // updates it rather than adding a twin.
    let Some(target) = sqlx::query!(
        r#"SELECT v.question_id, i.version_id
           FROM items i
           JOIN attempts a ON a.id = i.attempt_id
           JOIN question_versions v ON v.id = i.version_id
           WHERE i.attempt_id = $1 AND i.position = $2 AND a.user_id = $3
           FOR NO KEY UPDATE OF i"#,
        r.attempt,
        r.position,
        r.user
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let earlier = sqlx::query_scalar!(
        r#"UPDATE problem_reports SET comment = $5, updated_at = $6
           WHERE user_id = $1 AND attempt_id = $2 AND position = $3 AND reason = $4
           RETURNING id"#,
        r.user,
        r.attempt,
        r.position,
        r.reason.as_str(),
        r.comment,
        r.now
    )
    .fetch_optional(&mut *tx)
    .await?;
    let filed = match earlier {
        Some(id) => Filed::Updated(id),
        None => {
            let id = Uuid::new_v4();
            sqlx::query!(
                r#"INSERT INTO problem_reports
                     (id, user_id, question_id, version_id, attempt_id, position, reason, comment, created_at, updated_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"#,
                id,
                r.user,
                target.question_id,
                target.version_id,
                r.attempt,
                r.position,
                r.reason.as_str(),
                r.comment,
                r.now
            )
            .execute(&mut *tx)
            .await?;
            Filed::Created(id)
        }
    };
    tx.commit().await?;
    Ok(Some(filed))
}

/// A report as its author sees it.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: Uuid,
    pub reason: Reason,
    pub comment: String,
    pub status: Status,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// The item reported from; None once that attempt is gone.
    pub attempt_id: Option<Uuid>,
    pub position: Option<i32>,
    /// The question's id in its exam, e.g. `d3-async-inference-timeout`.
    pub question_key: String,
    pub exam_title: String,
    pub version_number: i32,
    /// The reported version's stem as written (Markdown).
    pub stem: String,
    pub answer: Answer,
}

/// An instructor's answer to a report: set when it was resolved, empty
/// while it is open or acknowledged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// Plain text, as typed.
    pub reply: Option<String>,
    /// For a duplicate: the report or question it repeats, in words.
    pub duplicate_of: Option<String>,
    pub resolved_at: Option<OffsetDateTime>,
}

/// The learner's own reports, newest first (at most `limit`), or only the
/// one with `id`.
pub async fn own(db: impl PgExecutor<'_>, user: Uuid, id: Option<Uuid>, limit: i64) -> sqlx::Result<Vec<Report>> {
    let rows = sqlx::query!(
        r#"SELECT r.id, r.reason, r.comment, r.status, r.created_at, r.updated_at, r.attempt_id, r.position,
                  q.key AS question_key, e.blueprint->>'title' AS "exam_title!", v.number AS version_number,
                  v.content->'question'->>'stem' AS "stem!", r.reply, r.duplicate_of, r.resolved_at
           FROM problem_reports r
           JOIN questions q ON q.id = r.question_id
           JOIN exams e ON e.id = q.exam_id
           JOIN question_versions v ON v.id = r.version_id
           WHERE r.user_id = $1 AND ($2::uuid IS NULL OR r.id = $2)
           ORDER BY r.created_at DESC, r.id
           LIMIT $3"#,
        user,
        id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Report {
            id: r.id,
            reason: reason(&r.reason),
            comment: r.comment,
            status: status(&r.status),
            created_at: r.created_at,
            updated_at: r.updated_at,
            attempt_id: r.attempt_id,
            position: r.position,
            question_key: r.question_key,
            exam_title: r.exam_title,
            version_number: r.version_number,
            stem: r.stem,
            answer: Answer { reply: r.reply, duplicate_of: r.duplicate_of, resolved_at: r.resolved_at },
        })
        .collect())
}

/// A report as an item shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemReport {
    pub id: Uuid,
    pub position: i32,
    pub reason: Reason,
    pub status: Status,
}

/// The learner's reports on the items of one attempt (or one item of it).
pub async fn of_attempt(
    db: impl PgExecutor<'_>,
    user: Uuid,
    attempt: Uuid,
    position: Option<i32>,
) -> sqlx::Result<Vec<ItemReport>> {
    let rows = sqlx::query!(
        r#"SELECT id, position AS "position!", reason, status FROM problem_reports
           WHERE user_id = $1 AND attempt_id = $2 AND ($3::int IS NULL OR position = $3)
           ORDER BY position, created_at"#,
        user,
        attempt,
        position
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ItemReport { id: r.id, position: r.position, reason: reason(&r.reason), status: status(&r.status) })
        .collect())
}
