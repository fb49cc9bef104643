//! Uploaded question files held between their preview and their import.

use serde_json::Value;
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

/// One held upload: whose, for which exam, its options (as JSON, read by
/// `app::uploads`) and its files (name, bytes).
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: Uuid,
    pub exam_id: Uuid,
    /// The exam's slug (read with the upload; ignored when inserting).
    pub exam_slug: String,
    pub user_id: Uuid,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub options: Value,
    pub files: Vec<(String, Vec<u8>)>,
}

pub async fn insert(tx: &mut PgConnection, upload: &Upload) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO uploads (id, exam_id, user_id, created_at, expires_at, options) VALUES ($1, $2, $3, $4, $5, $6)",
        upload.id,
        upload.exam_id,
        upload.user_id,
        upload.created_at,
        upload.expires_at,
        Json(&upload.options) as _,
    )
    .execute(&mut *tx)
    .await?;
    for (position, (name, content)) in upload.files.iter().enumerate() {
        sqlx::query!(
            "INSERT INTO upload_files (upload_id, position, name, content) VALUES ($1, $2, $3, $4)",
            upload.id,
            position as i32,
            name,
            content,
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The upload `id` of `user_id`, unless it has expired at `now`.
pub async fn get(tx: &mut PgConnection, id: Uuid, user_id: Uuid, now: OffsetDateTime) -> sqlx::Result<Option<Upload>> {
    let Some(row) = sqlx::query!(
        r#"SELECT u.id, u.exam_id, e.slug, u.user_id, u.created_at, u.expires_at, u.options AS "options: Json<Value>"
           FROM uploads u JOIN exams e ON e.id = u.exam_id
           WHERE u.id = $1 AND u.user_id = $2 AND u.expires_at > $3"#,
        id,
        user_id,
        now,
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let files = sqlx::query!("SELECT name, content FROM upload_files WHERE upload_id = $1 ORDER BY position", id)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|f| (f.name, f.content))
        .collect();
    Ok(Some(Upload {
        id: row.id,
        exam_id: row.exam_id,
        exam_slug: row.slug,
        user_id: row.user_id,
        created_at: row.created_at,
        expires_at: row.expires_at,
        options: row.options.0,
        files,
    }))
}

pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query!("DELETE FROM uploads WHERE id = $1", id).execute(db).await?.rows_affected() > 0)
}

/// Deletes the uploads expired at `now`; their files go with them.
pub async fn delete_expired(db: impl PgExecutor<'_>, now: OffsetDateTime) -> sqlx::Result<u64> {
    Ok(sqlx::query!("DELETE FROM uploads WHERE expires_at <= $1", now).execute(db).await?.rows_affected())
}
