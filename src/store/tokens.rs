//! Personal API tokens: like sessions, the learner holds a random 256-bit
//! token and the table only its SHA-256, so a leaked database holds nothing
//! that can be presented.

use sqlx::PgExecutor;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::sessions::{hash_token, new_token};
use super::users::{User, user_from_row};
use crate::account::UserId;

/// What a learner calls a token, so they can tell them apart when revoking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    pub const MAX: usize = 60;

    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("Give the token a name, such as the script or device that will use it.".into());
        }
        if s.chars().count() > Self::MAX {
            return Err(format!("Keep the name to {} characters or fewer.", Self::MAX));
        }
        if s.chars().any(char::is_control) {
            return Err("The name cannot contain line breaks or other control characters.".into());
        }
        Ok(TokenName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A token as its owner sees it listed: never the secret itself.
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
}

/// Stores a new token for `user`; the secret is returned once and kept
/// nowhere.
pub async fn create(
    db: impl PgExecutor<'_>,
    user: UserId,
    name: &TokenName,
    now: OffsetDateTime,
) -> sqlx::Result<(Uuid, String)> {
    let id = Uuid::new_v4();
    let token = new_token();
    sqlx::query!(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        id,
        user.0,
        name.as_str(),
        hash_token(&token),
        now
    )
    .execute(db)
    .await?;
    Ok((id, token))
}

/// A user's tokens, newest first.
pub async fn list(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<Vec<ApiToken>> {
    sqlx::query_as!(
        ApiToken,
        "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, name",
        user.0
    )
    .fetch_all(db)
    .await
}

/// Deletes the token if it is `user`'s; false if there was none such.
pub async fn revoke(db: impl PgExecutor<'_>, user: UserId, id: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query!("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2", id, user.0).execute(db).await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes every token of `user`, as a password change may; how many
/// there were.
pub async fn revoke_all(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<u64> {
    let done = sqlx::query!("DELETE FROM api_tokens WHERE user_id = $1", user.0).execute(db).await?;
    Ok(done.rows_affected())
}

/// The user a presented token belongs to. Its last use is recorded in the
/// same statement, but at most once a minute: a script polling every second
/// should not write a row every second. A disabled account's tokens are
/// deleted when it is disabled, and refused here as well.
pub async fn find_user(db: impl PgExecutor<'_>, token: &str, now: OffsetDateTime) -> sqlx::Result<Option<User>> {
    let row = sqlx::query!(
        r#"WITH found AS (
               SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.display_name, u.role
               FROM api_tokens t JOIN users u ON u.id = t.user_id
               WHERE t.token_hash = $1 AND u.disabled_at IS NULL
           ), touched AS (
               UPDATE api_tokens t SET last_used_at = $2
               FROM found f
               WHERE t.id = f.token_id AND (f.last_used_at IS NULL OR f.last_used_at <= $3)
           )
           SELECT id AS "id!", email AS "email!", display_name AS "display_name!", role AS "role!" FROM found"#,
        hash_token(token),
        now,
        now - Duration::minutes(1)
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| user_from_row(r.id, r.email, r.display_name, &r.role)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_name_is_one_to_sixty_characters_trimmed() {
        assert_eq!(TokenName::parse("  laptop script ").unwrap().as_str(), "laptop script");
        assert!(TokenName::parse("   ").is_err());
        assert!(TokenName::parse(&"é".repeat(60)).is_ok(), "characters, not bytes");
        assert!(TokenName::parse(&"x".repeat(61)).is_err());
        assert!(TokenName::parse("a\nb").is_err());
    }
}
