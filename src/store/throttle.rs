//! Failed-login counters in fixed windows, per key.

use sqlx::PgExecutor;
use time::{Duration, OffsetDateTime};

/// Failures counted for `key` in the window that is still open, and when
/// that window closes.
pub async fn failures(
    db: impl PgExecutor<'_>,
    key: &str,
    now: OffsetDateTime,
    window: Duration,
) -> sqlx::Result<Option<(i32, OffsetDateTime)>> {
    let row = sqlx::query!(
        "SELECT failures, window_start FROM login_failures WHERE key = $1 AND window_start > $2",
        key,
        now - window
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.failures, r.window_start + window)))
}

/// Counts one more failure, opening a new window if the last one closed.
pub async fn record_failure(
    db: impl PgExecutor<'_>,
    key: &str,
    now: OffsetDateTime,
    window: Duration,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO login_failures (key, failures, window_start) VALUES ($1, 1, $2)
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN login_failures.window_start <= $3 THEN 1 ELSE login_failures.failures + 1 END,
             window_start = CASE WHEN login_failures.window_start <= $3 THEN $2 ELSE login_failures.window_start END"#,
        key,
        now,
        now - window
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn clear(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM login_failures WHERE key = $1", key).execute(db).await?;
    Ok(())
}
