//! Assignments, and the attempts that may have done them.

use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::assignments::{AttemptFacts, Work};
use crate::exam::Mode;

/// An assignment with what its pages show of its exam.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub id: Uuid,
    pub group_id: Uuid,
    pub exam_id: Uuid,
    pub exam_slug: String,
    pub exam_title: String,
    /// The exam's question count: a practice mock's length.
    pub full_count: u32,
    pub work: Work,
    pub due_at: Option<OffsetDateTime>,
    pub note: String,
    /// When it was set: only attempts started since can do it.
    pub created_at: OffsetDateTime,
}

pub struct NewAssignment<'a> {
    pub group_id: Uuid,
    pub exam_id: Uuid,
    pub work: &'a Work,
    pub due_at: Option<OffsetDateTime>,
    pub note: &'a str,
    pub created_by: Option<Uuid>,
    pub now: OffsetDateTime,
}

pub async fn insert(db: impl PgExecutor<'_>, new: &NewAssignment<'_>) -> sqlx::Result<Uuid> {
    let id = Uuid::new_v4();
    let (domains, count) = match new.work {
        Work::Drill { domains, count } => (domains.clone(), Some(*count as i32)),
        Work::Mock | Work::PracticeMock => (Vec::new(), None),
    };
    sqlx::query!(
        "INSERT INTO assignments (id, group_id, exam_id, mode, domains, question_count, due_at, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        id,
        new.group_id,
        new.exam_id,
        new.work.mode().as_str(),
        &domains,
        count,
        new.due_at,
        new.note,
        new.created_by,
        new.now
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// One row of the queries below, before its work is read.
struct Row {
    id: Uuid,
    group_id: Uuid,
    exam_id: Uuid,
    exam_slug: String,
    exam_title: String,
    full_count: i32,
    mode: String,
    domains: Vec<String>,
    question_count: Option<i32>,
    due_at: Option<OffsetDateTime>,
    note: String,
    created_at: OffsetDateTime,
}

impl Row {
    fn assignment(self) -> sqlx::Result<Assignment> {
        let work = Work::from_stored(&self.mode, self.domains, self.question_count)
            .ok_or_else(|| sqlx::Error::Decode(format!("assignment {} holds no work we know", self.id).into()))?;
        Ok(Assignment {
            id: self.id,
            group_id: self.group_id,
            exam_id: self.exam_id,
            exam_slug: self.exam_slug,
            exam_title: self.exam_title,
            full_count: self.full_count.max(0) as u32,
            work,
            due_at: self.due_at,
            note: self.note,
            created_at: self.created_at,
        })
    }
}

/// The assignments of group `id`, the soonest due first, undated last.
pub async fn of_group(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Assignment>> {
    sqlx::query_as!(
        Row,
        r#"SELECT a.id, a.group_id, a.exam_id, e.slug AS exam_slug, e.blueprint->>'title' AS "exam_title!",
                  (e.blueprint->>'question_count')::int AS "full_count!", a.mode, a.domains,
                  a.question_count, a.due_at, a.note, a.created_at
           FROM assignments a JOIN exams e ON e.id = a.exam_id
           WHERE a.group_id = $1
           ORDER BY a.due_at NULLS LAST, a.created_at"#,
        id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(Row::assignment)
    .collect()
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Assignment>> {
    sqlx::query_as!(
        Row,
        r#"SELECT a.id, a.group_id, a.exam_id, e.slug AS exam_slug, e.blueprint->>'title' AS "exam_title!",
                  (e.blueprint->>'question_count')::int AS "full_count!", a.mode, a.domains,
                  a.question_count, a.due_at, a.note, a.created_at
           FROM assignments a JOIN exams e ON e.id = a.exam_id
           WHERE a.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?
    .map(Row::assignment)
    .transpose()
}

/// The assignments of every group `user` is in, with the group's name:
/// leaving a group takes its assignments off their list.
pub async fn of_member(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<(Assignment, String)>> {
    let rows = sqlx::query!(
        r#"SELECT a.id, a.group_id, a.exam_id, e.slug AS exam_slug, e.blueprint->>'title' AS "exam_title!",
                  (e.blueprint->>'question_count')::int AS "full_count!", a.mode, a.domains,
                  a.question_count, a.due_at, a.note, a.created_at, g.name AS group_name
           FROM group_members m
           JOIN assignments a ON a.group_id = m.group_id
           JOIN groups g ON g.id = m.group_id
           JOIN exams e ON e.id = a.exam_id
           WHERE m.user_id = $1
           ORDER BY a.due_at NULLS LAST, a.created_at"#,
        user
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            let row = Row {
                id: r.id,
                group_id: r.group_id,
                exam_id: r.exam_id,
                exam_slug: r.exam_slug,
                exam_title: r.exam_title,
                full_count: r.full_count,
                mode: r.mode,
                domains: r.domains,
                question_count: r.question_count,
                due_at: r.due_at,
                note: r.note,
                created_at: r.created_at,
            };
            Ok((row.assignment()?, r.group_name))
        })
        .collect()
}

/// Deletes assignment `id` of group `group`; false when there was none.
pub async fn delete(db: impl PgExecutor<'_>, group: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query!("DELETE FROM assignments WHERE id = $1 AND group_id = $2", id, group).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// The attempts of `exam` by `users` started at or after `since`: what the
/// rule of "done" reads, each with its learner.
pub async fn attempts_since(
    db: impl PgExecutor<'_>,
    users: &[Uuid],
    exam: Uuid,
    since: OffsetDateTime,
) -> sqlx::Result<Vec<(Uuid, AttemptFacts)>> {
    let rows = sqlx::query!(
        r#"SELECT id, user_id, mode,
                  ARRAY(SELECT jsonb_array_elements_text(settings->'domains')) AS "domains!",
                  item_count, started_at, finished_at,
                  (score->>'scaled')::int AS scaled, (score->>'passed')::boolean AS passed
           FROM attempts
           WHERE user_id = ANY($1) AND exam_id = $2 AND started_at >= $3
           ORDER BY started_at"#,
        users,
        exam,
        since
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            let mode = Mode::parse(&r.mode)
                .ok_or_else(|| sqlx::Error::Decode(format!("attempt {} has mode {}", r.id, r.mode).into()))?;
            let result = r.scaled.zip(r.passed).map(|(s, p)| (s.max(0) as u32, p));
            Ok((
                r.user_id,
                AttemptFacts {
                    id: r.id,
                    mode,
                    domains: r.domains,
                    item_count: r.item_count.max(0) as u32,
                    started_at: r.started_at,
                    finished_at: r.finished_at,
                    result,
                },
            ))
        })
        .collect()
}
