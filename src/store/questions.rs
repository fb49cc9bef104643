//! One exam's question bank as its editors see it: the list with its
//! search and filters (done here, in SQL: a bank may hold thousands of
//! questions), one question with its versions, retiring and restoring, and
//! a new version written from the browser.

use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::exams::content_hash;
use crate::exam::VersionContent;

/// Which questions the list shows. Every field narrows it; None: any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Part of the stem text or of the question id, in any case.
    pub text: Option<String>,
    pub domain: Option<String>,
    pub kind: Option<String>,
    pub tag: Option<String>,
    pub difficulty: Option<String>,
    /// The import that last wrote the question.
    pub import: Option<Uuid>,
    /// Some(false): live only; Some(true): retired only; None: both.
    pub retired: Option<bool>,
}

impl Filter {
    /// `text` as an ILIKE pattern matching it anywhere, its own `%`, `_`
    /// and `\` taken literally.
    fn pattern(&self) -> Option<String> {
        self.text.as_ref().map(|t| {
            let escaped = t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{escaped}%")
        })
    }
}

/// A row of the list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub key: String,
    pub domain: String,
    pub kind: String,
    pub difficulty: String,
    pub tags: Vec<String>,
    pub version: i32,
    pub retired: bool,
}

/// How many questions of `exam` the filter lets through, for the pager.
pub async fn count(db: impl PgExecutor<'_>, exam: Uuid, f: &Filter) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!"
           FROM questions q JOIN question_versions v ON v.id = q.current_version
           WHERE q.exam_id = $1
             AND ($2::text IS NULL OR q.key ILIKE $2 OR v.content->'question'->>'stem' ILIKE $2)
             AND ($3::text IS NULL OR q.domain = $3)
             AND ($4::text IS NULL OR q.kind = $4)
             AND ($5::text IS NULL OR $5 = ANY(q.tags))
             AND ($6::text IS NULL OR v.content->'question'->>'difficulty' = $6)
             AND ($7::uuid IS NULL OR q.import_id = $7)
             AND ($8::bool IS NULL OR q.retired = $8)"#,
        exam,
        f.pattern(),
        f.domain,
        f.kind,
        f.tag,
        f.difficulty,
        f.import,
        f.retired
    )
    .fetch_one(db)
    .await
}

/// One page of the questions the filter lets through, by id.
pub async fn list(
    db: impl PgExecutor<'_>,
    exam: Uuid,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Listed>> {
    let rows = sqlx::query!(
        r#"SELECT q.key, q.domain, q.kind, q.tags, q.retired, v.number,
                  v.content->'question'->>'difficulty' AS "difficulty!"
           FROM questions q JOIN question_versions v ON v.id = q.current_version
           WHERE q.exam_id = $1
             AND ($2::text IS NULL OR q.key ILIKE $2 OR v.content->'question'->>'stem' ILIKE $2)
             AND ($3::text IS NULL OR q.domain = $3)
             AND ($4::text IS NULL OR q.kind = $4)
             AND ($5::text IS NULL OR $5 = ANY(q.tags))
             AND ($6::text IS NULL OR v.content->'question'->>'difficulty' = $6)
             AND ($7::uuid IS NULL OR q.import_id = $7)
             AND ($8::bool IS NULL OR q.retired = $8)
           ORDER BY q.key
           LIMIT $9 OFFSET $10"#,
        exam,
        f.pattern(),
        f.domain,
        f.kind,
        f.tag,
        f.difficulty,
        f.import,
        f.retired,
        limit,
        offset
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Listed {
            key: r.key,
            domain: r.domain,
            kind: r.kind,
            difficulty: r.difficulty,
            tags: r.tags,
            version: r.number,
            retired: r.retired,
        })
        .collect())
}

/// Every tag of an exam's questions, retired ones included, for the filter.
pub async fn all_tags(db: impl PgExecutor<'_>, exam: Uuid) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"SELECT DISTINCT tag AS "tag!" FROM questions, unnest(tags) AS tag WHERE exam_id = $1 ORDER BY 1"#,
        exam
    )
    .fetch_all(db)
    .await
}

/// A question of an exam, as stored.
#[derive(Debug, Clone)]
pub struct StoredQuestion {
    pub id: Uuid,
    pub key: String,
    /// The file it came from: its question set.
    pub source: String,
    pub retired: bool,
}

pub async fn by_key(db: impl PgExecutor<'_>, exam: Uuid, key: &str) -> sqlx::Result<Option<StoredQuestion>> {
    let row = sqlx::query!("SELECT id, key, source, retired FROM questions WHERE exam_id = $1 AND key = $2", exam, key)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| StoredQuestion { id: r.id, key: r.key, source: r.source, retired: r.retired }))
}

/// One version of a question, with who made it.
#[derive(Debug, Clone)]
pub struct Version {
    pub id: Uuid,
    pub number: i32,
    pub created_at: OffsetDateTime,
    /// The version's own author; else the actor of the import that wrote
    /// it (an import and its versions share their time); else `content/`.
    pub author: String,
    pub content_hash: String,
    pub content: VersionContent,
}

/// Every version of a question, the newest first.
pub async fn versions(db: impl PgExecutor<'_>, question: Uuid) -> sqlx::Result<Vec<Version>> {
    let rows = sqlx::query!(
        r#"SELECT v.id, v.number, v.created_at, v.content_hash,
                  v.content AS "content: Json<VersionContent>",
                  coalesce(v.author, i.actor, 'content/') AS "author!"
           FROM question_versions v
           JOIN questions q ON q.id = v.question_id
           LEFT JOIN LATERAL (
               SELECT actor FROM imports WHERE exam_id = q.exam_id AND created_at = v.created_at LIMIT 1
           ) i ON true
           WHERE v.question_id = $1
           ORDER BY v.number DESC"#,
        question
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Version {
            id: r.id,
            number: r.number,
            created_at: r.created_at,
            author: r.author,
            content_hash: r.content_hash,
            content: r.content.0,
        })
        .collect())
}

/// Retires (or restores) a question: a retired one is not drawn, and
/// keeps its versions and the attempts that used them. False when there is
/// no such question.
pub async fn set_retired(db: impl PgExecutor<'_>, exam: Uuid, key: &str, retired: bool) -> sqlx::Result<bool> {
    let done = sqlx::query!("UPDATE questions SET retired = $3 WHERE exam_id = $1 AND key = $2", exam, key, retired)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// What writing an edited question came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Stored as this version number.
    Version(i32),
    /// Same content as the current version: nothing stored.
    Unchanged,
}

/// Writes `content` as the question's next version, by `author`, unless it
/// equals the current one. The question's row is locked first, so two
/// saves at once get consecutive numbers; its domain, kind, tags and case
/// follow the new version, as an import's would.
pub async fn write_version(
    tx: &mut PgConnection,
    question: Uuid,
    content: &VersionContent,
    author: &str,
    now: OffsetDateTime,
) -> sqlx::Result<Written> {
    let current = sqlx::query!(
        r#"SELECT v.content_hash AS "hash?", v.number AS "number?"
           FROM questions q LEFT JOIN question_versions v ON v.id = q.current_version
           WHERE q.id = $1 FOR UPDATE OF q"#,
        question
    )
    .fetch_one(&mut *tx)
    .await?;
    let hash = content_hash(content);
    if current.hash.as_deref() == Some(hash.as_str()) {
        return Ok(Written::Unchanged);
    }
    let number = current.number.unwrap_or(0) + 1;
    let version_id = Uuid::new_v4();
    sqlx::query!(
        r#"INSERT INTO question_versions (id, question_id, number, content_hash, content, created_at, author)
           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
        version_id,
        question,
        number,
        hash,
        Json(content) as _,
        now,
        author
    )
    .execute(&mut *tx)
    .await?;
    let q = &content.question;
    sqlx::query!(
        "UPDATE questions SET current_version = $2, domain = $3, kind = $4, case_key = $5, tags = $6 WHERE id = $1",
        question,
        version_id,
        q.domain,
        q.body.kind().as_str(),
        q.case,
        &q.tags
    )
    .execute(&mut *tx)
    .await?;
    Ok(Written::Version(number))
}
