//! Login tries counted in fixed windows, per key. Each try takes its slot
//! before the password is checked, in one statement, so parallel tries
//! cannot all pass a check made before any of them was counted.

use sqlx::PgExecutor;
use time::{Duration, OffsetDateTime};

/// Counts one more try for `key`, unless `limit` tries are already counted
/// in the window still open: then nothing is counted and the answer is when
/// that window closes.
pub async fn take(
    db: impl PgExecutor<'_> + Copy,
    key: &str,
    limit: u32,
    now: OffsetDateTime,
    window: Duration,
) -> sqlx::Result<Result<(), OffsetDateTime>> {
    // A closed window starts over at one; an open one counts on while under
    // the limit. At the limit the row is left alone and none is returned.
    let taken = sqlx::query_scalar!(
        r#"INSERT INTO login_failures (key, failures, window_start) VALUES ($1, 1, $2)
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN login_failures.window_start <= $3 THEN 1 ELSE login_failures.failures + 1 END,
             window_start = CASE WHEN login_failures.window_start <= $3 THEN $2 ELSE login_failures.window_start END
           WHERE login_failures.window_start <= $3 OR login_failures.failures < $4
           RETURNING failures"#,
        key,
        now,
        now - window,
        limit as i32
    )
    .fetch_optional(db)
    .await?;
    if taken.is_some() {
        return Ok(Ok(()));
    }
    let start =
        sqlx::query_scalar!("SELECT window_start FROM login_failures WHERE key = $1", key).fetch_optional(db).await?;
    Ok(Err(start.map_or(now, |s| s + window)))
}

/// Gives back a slot taken by a try that turned out not to be a failure.
pub async fn give_back(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<()> {
    sqlx::query!("UPDATE login_failures SET failures = greatest(failures - 1, 0) WHERE key = $1", key)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn clear(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM login_failures WHERE key = $1", key).execute(db).await?;
    Ok(())
}
