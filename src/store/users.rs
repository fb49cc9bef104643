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
        "SELECT id, email, display_name, password_hash, role FROM users WHERE lower(email) = lower($1)",
        email.trim()
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Credentials {
        user: User { id: UserId(r.id), email: r.email, display_name: r.display_name, role: role(&r.role) },
        password_hash: r.password_hash,
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
