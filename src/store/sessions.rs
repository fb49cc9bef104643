//! Server-side sessions: the cookie carries a random token, the table only
//! its SHA-256.

use sha2::{Digest, Sha256};
use sqlx::PgExecutor;
use time::{Duration, OffsetDateTime};

use super::users::{User, user_from_row};
pub use crate::account::new_token;
use crate::account::{Display, TextSize, UserId};

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// How the account wants pages shown, from its columns.
pub fn display_of(text_size: &str, high_contrast: bool) -> Display {
    // The column's check constraint allows only the names `parse` reads.
    Display { text_size: TextSize::parse(text_size).unwrap_or_default(), high_contrast }
}

/// Whether a session last seen at `last_seen` is worth a write to say it
/// was seen `now`: not on every request, which would make each read write.
pub fn is_stale(last_seen: OffsetDateTime, now: OffsetDateTime) -> bool {
    now - last_seen > Duration::minutes(5)
}

pub struct Limits {
    pub idle: Duration,
    pub absolute: Duration,
}

pub async fn create(db: impl PgExecutor<'_>, user: UserId, now: OffsetDateTime) -> sqlx::Result<String> {
    let token = new_token();
    sqlx::query!(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
        hash_token(&token),
        user.0,
        now
    )
    .execute(db)
    .await?;
    Ok(token)
}

/// The live session's user with how they want pages shown, and whether its
/// last-seen time is stale enough to be worth a write.
pub async fn find(
    db: impl PgExecutor<'_>,
    token: &str,
    now: OffsetDateTime,
    limits: &Limits,
) -> sqlx::Result<Option<(User, Display, bool)>> {
    let row = sqlx::query!(
        r#"SELECT u.id, u.email, u.display_name, u.role, u.text_size, u.high_contrast,
                  s.last_seen_at AS "last_seen_at!"
           FROM live_session($1, $2, $3) s JOIN users u ON u.id = s.user_id"#,
        hash_token(token),
        now - limits.idle,
        now - limits.absolute
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let stale = is_stale(r.last_seen_at, now);
        let display = display_of(&r.text_size, r.high_contrast);
        (user_from_row(r.id, r.email, r.display_name, &r.role), display, stale)
    }))
}

pub async fn touch(db: impl PgExecutor<'_>, token: &str, now: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query!("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1", hash_token(token), now)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete(db: impl PgExecutor<'_>, token: &str) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM sessions WHERE token_hash = $1", hash_token(token)).execute(db).await?;
    Ok(())
}

pub async fn delete_all_for(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM sessions WHERE user_id = $1", user.0).execute(db).await?;
    Ok(())
}

/// Removes sessions past either limit; run by the periodic sweep.
pub async fn delete_expired(db: impl PgExecutor<'_>, now: OffsetDateTime, limits: &Limits) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2",
        now - limits.idle,
        now - limits.absolute
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
