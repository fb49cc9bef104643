//! Exams and their question bank: importing content, listing exams,
//! reading versions and drawing candidates. It stays whole: every query on
//! the `exams` and `questions` tables, one aggregate.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::content::{ExamContent, SourcedQuestion};
use crate::exam::{Blueprint, CaseStudy, VersionContent};

#[derive(Debug, Clone)]
pub struct Exam {
    pub id: Uuid,
    pub blueprint: Blueprint,
    /// Who may edit it besides the admins; None: the admins' alone (an
    /// exam made from `content/`).
    pub owner_id: Option<Uuid>,
    /// Whether learners see it; a draft is seen by its editors only.
    pub published: bool,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub retired: usize,
}

/// The fingerprint of a version's content: equal content, equal hash.
pub fn content_hash(content: &VersionContent) -> String {
    let json = serde_json::to_vec(content).expect("question content serializes");
    hex::encode(Sha256::digest(json))
}

/// Loads an exam's content folder in one transaction, by stable question
/// id: unchanged questions are left alone, changed ones get a new version,
/// and questions gone from the files are retired (never those an import
/// brought in). Attempts keep the versions they drew. A blueprint edited in
/// the browser is kept: the editor's work outranks the file it began from.
pub async fn import(db: &PgPool, content: &ExamContent, now: OffsetDateTime) -> sqlx::Result<ImportReport> {
    let mut tx = db.begin().await?;
    let blueprint = &content.blueprint;
    let exam_id = sqlx::query_scalar!(
        r#"INSERT INTO exams (id, slug, blueprint, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (slug) DO UPDATE SET
             blueprint = CASE WHEN exams.blueprint_edited_at IS NULL THEN EXCLUDED.blueprint ELSE exams.blueprint END,
             updated_at = CASE WHEN exams.blueprint_edited_at IS NOT NULL OR exams.blueprint = EXCLUDED.blueprint
                               THEN exams.updated_at ELSE EXCLUDED.updated_at END
           RETURNING id"#,
        Uuid::new_v4(),
        blueprint.slug,
        Json(blueprint) as _,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut report = write_questions(&mut tx, exam_id, &content.questions, &content.cases, now, None).await?;
    sqlx::query!("DELETE FROM exam_tags WHERE exam_id = $1", exam_id).execute(&mut *tx).await?;
    let tags: Vec<&str> = content.tags.iter().map(|t| t.tag.as_str()).collect();
    let names: Vec<&str> = content.tags.iter().map(|t| t.name.as_str()).collect();
    let domains: Vec<Option<&str>> = content.tags.iter().map(|t| t.domain.as_deref()).collect();
    sqlx::query!(
        "INSERT INTO exam_tags (exam_id, tag, name, domain, position)
         SELECT $1, t.tag, t.name, t.domain, t.position
         FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(tag, name, domain, position)",
        exam_id,
        &tags as _,
        &names as _,
        &domains as _
    )
    .execute(&mut *tx)
    .await?;
    let seen: Vec<String> = content.questions.iter().map(|q| q.question.id.clone()).collect();
    report.retired = sqlx::query!(
        "UPDATE questions SET retired = true
         WHERE exam_id = $1 AND NOT retired AND import_id IS NULL AND NOT (key = ANY($2))",
        exam_id,
        &seen
    )
    .execute(&mut *tx)
    .await?
    .rows_affected() as usize;
    tx.commit().await?;
    Ok(report)
}

/// Each question's current content hash, by question id (key): what an
/// import compares against to say new, unchanged or a new version. Retired
/// questions count: an import that brings one back unchanged restores it
/// (see [`write_questions`]), it does not add it.
pub async fn current_hashes(db: impl PgExecutor<'_>, exam: Uuid) -> sqlx::Result<HashMap<String, String>> {
    let rows = sqlx::query!(
        r#"SELECT q.key, v.content_hash FROM questions q JOIN question_versions v ON v.id = q.current_version
           WHERE q.exam_id = $1"#,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.key, r.content_hash)).collect())
}

/// The current version of every question of an exam not retired, by
/// question id: what an export writes. With `set`, only the questions of
/// that question set: the file they came from, named whole or by its last
/// part (`d1-etl.md` for `content/mla-c01/d1-etl.md`).
pub async fn current_contents(
    db: impl PgExecutor<'_>,
    exam: Uuid,
    set: Option<&str>,
) -> sqlx::Result<Vec<VersionContent>> {
    let rows = sqlx::query!(
        r#"SELECT v.content AS "content: Json<VersionContent>"
           FROM questions q JOIN question_versions v ON v.id = q.current_version
           WHERE q.exam_id = $1 AND NOT q.retired
             AND ($2::text IS NULL OR q.source = $2 OR q.source LIKE '%/' || $2)
           ORDER BY q.key"#,
        exam,
        set
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.content.0).collect())
}

/// Writes questions as new or new versions, leaving unchanged ones alone
/// (a retired one comes back). `import` names the import that brought them
/// in; None for the content folder.
pub async fn write_questions(
    tx: &mut PgConnection,
    exam_id: Uuid,
    questions: &[SourcedQuestion],
    cases: &[CaseStudy],
    now: OffsetDateTime,
    import: Option<Uuid>,
) -> sqlx::Result<ImportReport> {
    let existing: HashMap<String, (Uuid, Option<String>, i32, bool)> = sqlx::query!(
        r#"SELECT q.id, q.key, q.retired, v.content_hash AS "hash?", v.number AS "number?"
           FROM questions q LEFT JOIN question_versions v ON v.id = q.current_version
           WHERE q.exam_id = $1"#,
        exam_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.key, (r.id, r.hash, r.number.unwrap_or(0), r.retired)))
    .collect();

    let cases: HashMap<&str, &CaseStudy> = cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut report = ImportReport::default();
    for sourced in questions {
        let q = &sourced.question;
        let version = VersionContent {
            question: q.clone(),
            case: q.case.as_deref().and_then(|c| cases.get(c)).map(|c| (*c).clone()),
        };
        let hash = content_hash(&version);
        let number = match existing.get(&q.id) {
            Some((id, Some(old), _, retired)) if *old == hash => {
                if *retired {
                    // An import that brings a question back owns it from
                    // then on, as it owns those it writes: without this, the
                    // next load of the content folder retires it again.
                    sqlx::query!(
                        "UPDATE questions SET retired = false, import_id = coalesce($2, import_id) WHERE id = $1",
                        id,
                        import
                    )
                    .execute(&mut *tx)
                    .await?;
                }
                report.unchanged += 1;
                continue;
            }
            Some((_, _, number, _)) => {
                report.changed += 1;
                number + 1
            }
            None => {
                report.added += 1;
                1
            }
        };
        let question_id = sqlx::query_scalar!(
            r#"INSERT INTO questions (id, exam_id, key, domain, kind, case_key, tags, source, import_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (exam_id, key) DO UPDATE SET domain = EXCLUDED.domain, kind = EXCLUDED.kind,
                 case_key = EXCLUDED.case_key, tags = EXCLUDED.tags, source = EXCLUDED.source,
                 import_id = EXCLUDED.import_id, retired = false
               RETURNING id"#,
            Uuid::new_v4(),
            exam_id,
            q.id,
            q.domain,
            q.body.kind().as_str(),
            q.case,
            &q.tags,
            sourced.file,
            import
        )
        .fetch_one(&mut *tx)
        .await?;
        let version_id = Uuid::new_v4();
        sqlx::query!(
            r#"INSERT INTO question_versions (id, question_id, number, content_hash, content, created_at)
               VALUES ($1, $2, $3, $4, $5, $6)"#,
            version_id,
            question_id,
            number,
            hash,
            Json(&version) as _,
            now
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("UPDATE questions SET current_version = $2 WHERE id = $1", question_id, version_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(report)
}

pub async fn list(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Exam>> {
    let rows = sqlx::query!(
        r#"SELECT id, blueprint AS "blueprint: Json<Blueprint>", owner_id, published FROM exams ORDER BY slug"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Exam { id: r.id, blueprint: r.blueprint.0, owner_id: r.owner_id, published: r.published })
        .collect())
}

pub async fn by_slug(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<Exam>> {
    let row = sqlx::query!(
        r#"SELECT id, blueprint AS "blueprint: Json<Blueprint>", owner_id, published FROM exams WHERE slug = $1"#,
        slug
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Exam { id: r.id, blueprint: r.blueprint.0, owner_id: r.owner_id, published: r.published }))
}

pub async fn by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Exam>> {
    let row = sqlx::query!(
        r#"SELECT id, blueprint AS "blueprint: Json<Blueprint>", owner_id, published FROM exams WHERE id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Exam { id: r.id, blueprint: r.blueprint.0, owner_id: r.owner_id, published: r.published }))
}

/// Why an exam could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the slug is taken")]
    SlugTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn slug_taken(e: sqlx::Error) -> WriteError {
    match e {
        sqlx::Error::Database(d) if d.constraint() == Some("exams_slug_key") => WriteError::SlugTaken,
        e => WriteError::Db(e),
    }
}

/// A new exam, a draft until published, owned by `owner`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    blueprint: &Blueprint,
    owner: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<Uuid, WriteError> {
    sqlx::query_scalar!(
        r#"INSERT INTO exams (id, slug, blueprint, updated_at, owner_id, published, blueprint_edited_at)
           VALUES ($1, $2, $3, $4, $5, false, $4) RETURNING id"#,
        Uuid::new_v4(),
        blueprint.slug,
        Json(blueprint) as _,
        now,
        owner
    )
    .fetch_one(db)
    .await
    .map_err(slug_taken)
}

/// Replaces an exam's blueprint (and so perhaps its slug), marked as edited
/// so that loading `content/` leaves it alone from now on.
pub async fn update(
    db: impl PgExecutor<'_>,
    exam: Uuid,
    blueprint: &Blueprint,
    now: OffsetDateTime,
) -> Result<(), WriteError> {
    sqlx::query!(
        "UPDATE exams SET slug = $2, blueprint = $3, blueprint_edited_at = $4, updated_at = $4 WHERE id = $1",
        exam,
        blueprint.slug,
        Json(blueprint) as _,
        now
    )
    .execute(db)
    .await
    .map_err(slug_taken)?;
    Ok(())
}

pub async fn set_published(db: impl PgExecutor<'_>, exam: Uuid, published: bool) -> sqlx::Result<()> {
    sqlx::query!("UPDATE exams SET published = $2 WHERE id = $1", exam, published).execute(db).await?;
    Ok(())
}

/// Live questions per domain code, as the draw would find them.
pub async fn live_counts(db: impl PgExecutor<'_>, exam: Uuid) -> sqlx::Result<Vec<(String, u32)>> {
    let rows = sqlx::query!(
        r#"SELECT domain, count(*) AS "n!" FROM questions WHERE exam_id = $1 AND NOT retired GROUP BY domain"#,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.domain, r.n as u32)).collect())
}

/// A tag in use by an exam's live questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub tag: String,
    /// Its declared name; None when the exam does not declare it.
    pub name: Option<String>,
    /// Its declared domain; for an undeclared tag, the domain most of its
    /// questions belong to (one of them, on a tie). None: declared as
    /// spanning the domains.
    pub domain: Option<String>,
    pub questions: i64,
}

/// Every tag in use by an exam's live questions, with how many questions
/// carry it, in the declared order, then undeclared ones by spelling.
pub async fn tags(db: impl PgExecutor<'_>, exam: Uuid) -> sqlx::Result<Vec<Topic>> {
    let rows = sqlx::query!(
        r#"SELECT u.tag AS "tag!", t.name AS "name?",
                  CASE WHEN t.tag IS NULL THEN u.domain ELSE t.domain END AS "domain?", u.n AS "n!"
           FROM (SELECT tag, mode() WITHIN GROUP (ORDER BY domain) AS domain, count(*) AS n
                 FROM questions, unnest(tags) AS tag
                 WHERE exam_id = $1 AND NOT retired GROUP BY tag) u
           LEFT JOIN exam_tags t ON t.exam_id = $1 AND t.tag = u.tag
           ORDER BY t.position NULLS LAST, u.tag"#,
        exam
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| Topic { tag: r.tag, name: r.name, domain: r.domain, questions: r.n }).collect())
}

/// Reads question versions by id, for the in-memory cache.
pub async fn versions(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<(Uuid, VersionContent)>> {
    let rows = sqlx::query!(
        r#"SELECT id, content AS "content: Json<VersionContent>" FROM question_versions WHERE id = ANY($1)"#,
        ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.content.0)).collect())
}

/// A live question the draw may pick, with what this learner did with it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub question_id: Uuid,
    pub version_id: Uuid,
    pub domain: String,
    pub case_key: Option<String>,
    pub last_seen: Option<OffsetDateTime>,
}

/// Every live question of an exam (optionally only those with `tag`), with
/// when `user` last saw it. Without the questions' content: a start reads
/// only the drawn ones, from the version cache.
pub async fn candidates(
    db: impl PgExecutor<'_>,
    exam: Uuid,
    user: Uuid,
    tag: Option<&str>,
) -> sqlx::Result<Vec<Candidate>> {
    // When the learner last saw each question, from their own attempts of
    // this exam: a lookup per question through its versions' items would
    // read every attempt of every learner that drew it, and exam day makes
    // thousands of those a minute.
    sqlx::query_as!(
        Candidate,
        r#"WITH seen AS (
               SELECT v.question_id, max(a.started_at) AS last_seen
               FROM attempts a
               JOIN items i ON i.attempt_id = a.id
               JOIN question_versions v ON v.id = i.version_id
               WHERE a.user_id = $2 AND a.exam_id = $1
               GROUP BY v.question_id
           )
           SELECT q.id AS question_id, q.current_version AS "version_id!", q.domain, q.case_key, s.last_seen
           FROM questions q
           LEFT JOIN seen s ON s.question_id = q.id
           WHERE q.exam_id = $1 AND NOT q.retired AND ($3::text IS NULL OR $3 = ANY(q.tags))
           ORDER BY q.key"#,
        exam,
        user,
        tag
    )
    .fetch_all(db)
    .await
}
