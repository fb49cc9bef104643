//! Misses and the learner's notes on them: why they missed an item (an
//! error tag from their own list) and what they want to remember.
//!
//! A miss is an item graded wrong in a finished attempt (unanswered items
//! count: they were graded wrong too). Notes hang off the item, so they
//! cascade with it, and every statement here names the learner, so no one
//! reads or writes another learner's notes.

use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

/// A learner's note on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub position: i32,
    pub error_tag: Option<String>,
    pub note: String,
}

/// One note to store.
pub struct NoteWrite<'a> {
    pub user: Uuid,
    pub attempt: Uuid,
    pub position: i32,
    pub error_tag: Option<&'a str>,
    pub note: &'a str,
    pub now: OffsetDateTime,
}

/// The learner's own list of error tags; None while they use the default.
pub async fn error_tags(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Option<Vec<String>>> {
    let row = sqlx::query_scalar!("SELECT error_tags FROM learner_settings WHERE user_id = $1", user)
        .fetch_optional(db)
        .await?;
    Ok(row.flatten())
}

/// Sets the learner's error tags; None goes back to the default list.
pub async fn set_error_tags(db: impl PgExecutor<'_>, user: Uuid, tags: Option<&[String]>) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO learner_settings (user_id, error_tags) VALUES ($1, $2)
           ON CONFLICT (user_id) DO UPDATE SET error_tags = EXCLUDED.error_tags"#,
        user,
        tags as Option<&[String]>
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The tag of the learner's note on an item, if the note has one.
pub async fn note_tag(
    db: impl PgExecutor<'_>,
    user: Uuid,
    attempt: Uuid,
    position: i32,
) -> sqlx::Result<Option<String>> {
    let tag = sqlx::query_scalar!(
        "SELECT error_tag FROM miss_notes WHERE attempt_id = $1 AND position = $2 AND user_id = $3",
        attempt,
        position,
        user
    )
    .fetch_optional(db)
    .await?;
    Ok(tag.flatten())
}

/// Writes (or replaces) the learner's note on an item of their own
/// finished attempt, in one statement; false when there is no such item.
pub async fn save_note(db: impl PgExecutor<'_>, w: &NoteWrite<'_>) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        r#"INSERT INTO miss_notes (attempt_id, position, user_id, error_tag, note, updated_at)
           SELECT i.attempt_id, i.position, a.user_id, $4, $5, $6
           FROM items i JOIN attempts a ON a.id = i.attempt_id
           WHERE i.attempt_id = $1 AND i.position = $2 AND a.user_id = $3 AND a.finished_at IS NOT NULL
           ON CONFLICT (attempt_id, position) DO UPDATE
             SET error_tag = EXCLUDED.error_tag, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at"#,
        w.attempt,
        w.position,
        w.user,
        w.error_tag,
        w.note,
        w.now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes the learner's note on an item (a note with neither tag nor text
/// is no note).
pub async fn delete_note(db: impl PgExecutor<'_>, user: Uuid, attempt: Uuid, position: i32) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM miss_notes WHERE attempt_id = $1 AND position = $2 AND user_id = $3",
        attempt,
        position,
        user
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The learner's notes on one attempt's items.
pub async fn notes_of_attempt(db: impl PgExecutor<'_>, user: Uuid, attempt: Uuid) -> sqlx::Result<Vec<Note>> {
    let rows = sqlx::query!(
        "SELECT position, error_tag, note FROM miss_notes WHERE attempt_id = $1 AND user_id = $2 ORDER BY position",
        attempt,
        user
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| Note { position: r.position, error_tag: r.error_tag, note: r.note }).collect())
}

/// Which misses to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MissFilter {
    pub error_tag: TagFilter,
    pub domain: Option<String>,
    /// A tag of the question version (a service or topic).
    pub tag: Option<String>,
}

/// Misses by their error tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TagFilter {
    #[default]
    Any,
    /// Misses with no error tag yet.
    Untagged,
    Tag(String),
}

/// A miss as the list shows it.
#[derive(Debug, Clone)]
pub struct Miss {
    pub attempt_id: Uuid,
    pub position: i32,
    pub finished_at: OffsetDateTime,
    pub exam_title: String,
    pub domain: String,
    /// The question's stem as written (Markdown).
    pub stem: String,
    /// The question version's tags.
    pub tags: Vec<String>,
    pub error_tag: Option<String>,
    pub note: String,
}

/// One page of the learner's misses, newest first, and how many match in all.
pub async fn misses(
    db: impl PgExecutor<'_>,
    user: Uuid,
    filter: &MissFilter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Miss>, i64)> {
    let (untagged, error_tag) = match &filter.error_tag {
        TagFilter::Any => (false, None),
        TagFilter::Untagged => (true, None),
        TagFilter::Tag(t) => (false, Some(t.as_str())),
    };
    let rows = sqlx::query!(
        r#"SELECT i.attempt_id, i.position, a.finished_at AS "finished_at!", a.blueprint->>'title' AS "exam_title!",
                  i.domain, v.content->'question'->>'stem' AS "stem!",
                  ARRAY(SELECT jsonb_array_elements_text(v.content->'question'->'tags')) AS "tags!",
                  n.error_tag AS "error_tag?", n.note AS "note?",
                  count(*) OVER () AS "total!"
           FROM attempts a
           JOIN items i ON i.attempt_id = a.id
           JOIN question_versions v ON v.id = i.version_id
           LEFT JOIN miss_notes n ON n.attempt_id = i.attempt_id AND n.position = i.position
           WHERE a.user_id = $1 AND a.finished_at IS NOT NULL AND i.correct = false
             AND ($2::text IS NULL OR i.domain = $2)
             AND ($3::text IS NULL OR v.content->'question'->'tags' @> jsonb_build_array($3::text))
             AND (NOT $4::bool OR n.error_tag IS NULL)
             AND ($5::text IS NULL OR n.error_tag = $5)
           ORDER BY a.finished_at DESC, a.id, i.position
           LIMIT $6 OFFSET $7"#,
        user,
        filter.domain.as_deref(),
        filter.tag.as_deref(),
        untagged,
        error_tag,
        limit,
        offset
    )
    .fetch_all(db)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let misses = rows
        .into_iter()
        .map(|r| Miss {
            attempt_id: r.attempt_id,
            position: r.position,
            finished_at: r.finished_at,
            exam_title: r.exam_title,
            domain: r.domain,
            stem: r.stem,
            tags: r.tags,
            error_tag: r.error_tag,
            note: r.note.unwrap_or_default(),
        })
        .collect();
    Ok((misses, total))
}

/// What the learner's misses can be filtered by.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub domains: Vec<String>,
    pub tags: Vec<String>,
    /// Error tags on the learner's notes (some may have left their list).
    pub error_tags: Vec<String>,
}

pub async fn facets(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Facets> {
    let row = sqlx::query!(
        r#"WITH missed AS (
               SELECT i.domain, i.version_id
               FROM attempts a JOIN items i ON i.attempt_id = a.id
               WHERE a.user_id = $1 AND a.finished_at IS NOT NULL AND i.correct = false
           )
           SELECT ARRAY(SELECT DISTINCT domain FROM missed ORDER BY 1) AS "domains!",
                  ARRAY(SELECT DISTINCT t FROM (SELECT DISTINCT version_id FROM missed) m
                        JOIN question_versions v ON v.id = m.version_id,
                        jsonb_array_elements_text(v.content->'question'->'tags') AS t ORDER BY 1) AS "tags!",
                  ARRAY(SELECT DISTINCT error_tag FROM miss_notes WHERE user_id = $1 AND error_tag IS NOT NULL
                        ORDER BY 1) AS "error_tags!""#,
        user
    )
    .fetch_one(db)
    .await?;
    Ok(Facets { domains: row.domains, tags: row.tags, error_tags: row.error_tags })
}

/// The learner's misses of one exam counted by error tag; the untagged
/// ones under None.
pub async fn breakdown(db: impl PgExecutor<'_>, user: Uuid, exam: Uuid) -> sqlx::Result<Vec<(Option<String>, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT n.error_tag AS "error_tag?", count(*) AS "misses!"
           FROM attempts a
           JOIN items i ON i.attempt_id = a.id
           LEFT JOIN miss_notes n ON n.attempt_id = i.attempt_id AND n.position = i.position
           WHERE a.user_id = $1 AND a.exam_id = $2 AND a.finished_at IS NOT NULL AND i.correct = false
           GROUP BY n.error_tag"#,
        user,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.error_tag, r.misses)).collect())
}
