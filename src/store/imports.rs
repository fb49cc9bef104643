//! The record of every import: who, when, which files, what changed.

use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

/// One imported file as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportedFile {
    pub name: String,
    pub format: String,
    pub bytes: usize,
    /// SHA-256 of the file, hex.
    pub checksum: String,
    pub questions: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportCounts {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Questions of kinds mockexam cannot hold, named and left out.
    pub skipped: usize,
    pub warnings: usize,
}

#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: Uuid,
    pub actor: String,
    pub created_at: OffsetDateTime,
    pub files: Vec<ImportedFile>,
    pub counts: ImportCounts,
}

pub struct NewImport<'a> {
    pub id: Uuid,
    pub exam_id: Uuid,
    pub user_id: Option<Uuid>,
    pub actor: &'a str,
    pub created_at: OffsetDateTime,
    pub files: &'a [ImportedFile],
    pub counts: &'a ImportCounts,
}

pub async fn record(tx: &mut PgConnection, new: &NewImport<'_>) -> sqlx::Result<()> {
    let c = new.counts;
    sqlx::query!(
        r#"INSERT INTO imports (id, exam_id, user_id, actor, created_at, files, added, changed, unchanged, skipped, warnings)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"#,
        new.id,
        new.exam_id,
        new.user_id,
        new.actor,
        new.created_at,
        Json(new.files) as _,
        c.added as i32,
        c.changed as i32,
        c.unchanged as i32,
        c.skipped as i32,
        c.warnings as i32
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Sets the counts once the questions are written, in the same transaction.
pub async fn set_counts(tx: &mut PgConnection, id: Uuid, c: &ImportCounts) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE imports SET added = $2, changed = $3, unchanged = $4, skipped = $5, warnings = $6 WHERE id = $1",
        id,
        c.added as i32,
        c.changed as i32,
        c.unchanged as i32,
        c.skipped as i32,
        c.warnings as i32
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An exam's imports, newest first.
pub async fn list(db: impl PgExecutor<'_>, exam: Uuid, limit: i64) -> sqlx::Result<Vec<ImportRecord>> {
    let rows = sqlx::query!(
        r#"SELECT id, actor, created_at, files AS "files: Json<Vec<ImportedFile>>", added, changed, unchanged, skipped, warnings
           FROM imports WHERE exam_id = $1 ORDER BY created_at DESC, id LIMIT $2"#,
        exam,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ImportRecord {
            id: r.id,
            actor: r.actor,
            created_at: r.created_at,
            files: r.files.0,
            counts: ImportCounts {
                added: r.added as usize,
                changed: r.changed as usize,
                unchanged: r.unchanged as usize,
                skipped: r.skipped as usize,
                warnings: r.warnings as usize,
            },
        })
        .collect())
}
