use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::account::{Display, DisplayName, Email, Role, UserId};

#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// A disabled account may not log in, whatever its password.
    pub disabled: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn role(s: &str) -> Role {
    Role::parse(s).expect("the users.role check constraint admits only known roles")
}

pub async fn create(
    db: impl PgExecutor<'_>,
    email: &Email,
    name: &DisplayName,
    password_hash: &str,
    role: Role,
    now: OffsetDateTime,
) -> Result<User, CreateError> {
    let id = UserId(Uuid::new_v4());
    let result = sqlx::query!(
        "INSERT INTO users (id, email, display_name, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        id.0,
        email.as_str(),
        name.as_str(),
        password_hash,
        role.as_str(),
        now
    )
    .execute(db)
    .await;
    match result {
        Ok(_) => Ok(User { id, email: email.as_str().into(), display_name: name.as_str().into(), role }),
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("users_email_key") => Err(CreateError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

pub async fn credentials(db: impl PgExecutor<'_>, email: &str) -> sqlx::Result<Option<Credentials>> {
    let row = sqlx::query!(
        r#"SELECT id, email, display_name, password_hash, role, disabled_at IS NOT NULL AS "disabled!"
           FROM users WHERE lower(email) = lower($1)"#,
        email.trim()
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Credentials {
        user: User { id: UserId(r.id), email: r.email, display_name: r.display_name, role: role(&r.role) },
        password_hash: r.password_hash,
        disabled: r.disabled,
    }))
}

pub async fn password_hash(db: impl PgExecutor<'_>, id: UserId) -> sqlx::Result<String> {
    sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", id.0).fetch_one(db).await
}

pub async fn set_password(db: impl PgExecutor<'_>, id: UserId, password_hash: &str) -> sqlx::Result<()> {
    sqlx::query!("UPDATE users SET password_hash = $2 WHERE id = $1", id.0, password_hash).execute(db).await?;
    Ok(())
}

pub async fn set_display(db: impl PgExecutor<'_>, id: UserId, display: Display) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE users SET text_size = $2, high_contrast = $3 WHERE id = $1",
        id.0,
        display.text_size.as_str(),
        display.high_contrast
    )
    .execute(db)
    .await?;
    Ok(())
}

pub(crate) fn user_from_row(id: Uuid, email: String, display_name: String, role_text: &str) -> User {
    User { id: UserId(id), email, display_name, role: role(role_text) }
}

/// An account as the admins' list shows it.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: User,
    pub created_at: OffsetDateTime,
    /// The latest activity of any of its sessions; none if it has none left.
    pub last_seen_at: Option<OffsetDateTime>,
    pub disabled_at: Option<OffsetDateTime>,
}

/// `text` as a pattern for `ILIKE … ESCAPE '\'` that matches it anywhere,
/// its own `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// How many accounts have `search` in their email or name (all of them for
/// an empty search).
pub async fn count_matching(db: impl PgExecutor<'_>, search: &str) -> sqlx::Result<i64> {
    let n = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM users
           WHERE email ILIKE $1 ESCAPE '\' OR display_name ILIKE $1 ESCAPE '\'"#,
        contains_pattern(search)
    )
    .fetch_one(db)
    .await?;
    Ok(n)
}

/// One page of the accounts that have `search` in their email or name,
/// ordered by email.
pub async fn matching(db: impl PgExecutor<'_>, search: &str, offset: i64, limit: i64) -> sqlx::Result<Vec<Account>> {
    let rows = sqlx::query!(
        r#"SELECT u.id, u.email, u.display_name, u.role, u.created_at, u.disabled_at,
                  (SELECT max(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id) AS last_seen_at
           FROM users u
           WHERE u.email ILIKE $1 ESCAPE '\' OR u.display_name ILIKE $1 ESCAPE '\'
           ORDER BY lower(u.email)
           OFFSET $2 LIMIT $3"#,
        contains_pattern(search),
        offset,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Account {
            user: user_from_row(r.id, r.email, r.display_name, &r.role),
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            disabled_at: r.disabled_at,
        })
        .collect())
}

/// One account, for the message after a change.
pub async fn account(db: impl PgExecutor<'_>, id: UserId) -> sqlx::Result<Option<Account>> {
    let row = sqlx::query!(
        r#"SELECT u.id, u.email, u.display_name, u.role, u.created_at, u.disabled_at,
                  (SELECT max(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id) AS last_seen_at
           FROM users u WHERE u.id = $1"#,
        id.0
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Account {
        user: user_from_row(r.id, r.email, r.display_name, &r.role),
        created_at: r.created_at,
        last_seen_at: r.last_seen_at,
        disabled_at: r.disabled_at,
    }))
}

/// Gives the account `role`; false if there is no such account.
pub async fn set_role(db: impl PgExecutor<'_>, id: UserId, role: Role) -> sqlx::Result<bool> {
    let done = sqlx::query!("UPDATE users SET role = $2 WHERE id = $1", id.0, role.as_str()).execute(db).await?;
    Ok(done.rows_affected() > 0)
}

/// Marks the account disabled from `now` (an account already disabled
/// keeps its first time); false if there is no such account.
pub async fn disable(db: impl PgExecutor<'_>, id: UserId, now: OffsetDateTime) -> sqlx::Result<bool> {
    let done = sqlx::query!("UPDATE users SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1", id.0, now)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Lets the account log in again; false if there is no such account.
pub async fn enable(db: impl PgExecutor<'_>, id: UserId) -> sqlx::Result<bool> {
    let done = sqlx::query!("UPDATE users SET disabled_at = NULL WHERE id = $1", id.0).execute(db).await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn a_search_matches_anywhere_and_its_wildcards_literally() {
        assert_eq!(contains_pattern("  ines "), "%ines%");
        assert_eq!(contains_pattern(""), "%%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
