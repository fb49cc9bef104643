//! Groups and their members.

use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::groups::{GroupName, JoinCode};

#[derive(Debug, Clone)]
pub struct Group {
    pub id: Uuid,
    pub owner_id: Option<Uuid>,
    pub name: String,
    pub code: JoinCode,
    pub code_expires_at: OffsetDateTime,
}

/// A group as its instructor's list shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub group: Group,
    pub members: i64,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub joined_at: OffsetDateTime,
}

/// A group as one of its learners sees it.
#[derive(Debug, Clone)]
pub struct Membership {
    pub group_id: Uuid,
    pub name: String,
    pub joined_at: OffsetDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// Another group holds this code: make another.
    #[error("join code taken")]
    CodeTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn code_error(e: sqlx::Error) -> CodeError {
    match e {
        sqlx::Error::Database(d) if d.constraint() == Some("groups_join_code_key") => CodeError::CodeTaken,
        e => CodeError::Db(e),
    }
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    owner: Option<Uuid>,
    name: &GroupName,
    code: &JoinCode,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<Uuid, CodeError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO groups (id, owner_id, name, join_code, code_expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        id,
        owner,
        name.as_str(),
        code.as_stored(),
        expires_at,
        now
    )
    .execute(db)
    .await
    .map_err(code_error)?;
    Ok(id)
}

/// Gives group `id` a new code; the old one no longer finds it.
pub async fn set_code(
    db: impl PgExecutor<'_>,
    id: Uuid,
    code: &JoinCode,
    expires_at: OffsetDateTime,
) -> Result<(), CodeError> {
    sqlx::query!(
        "UPDATE groups SET join_code = $2, code_expires_at = $3 WHERE id = $1",
        id,
        code.as_stored(),
        expires_at
    )
    .execute(db)
    .await
    .map_err(code_error)?;
    Ok(())
}

/// The groups of `owner` with their member counts, or every group when
/// `owner` is `None` (an admin's list), newest first.
pub async fn list(db: impl PgExecutor<'_>, owner: Option<Uuid>) -> sqlx::Result<Vec<Listed>> {
    let rows = sqlx::query!(
        r#"SELECT g.id, g.owner_id, g.name, g.join_code, g.code_expires_at,
                  (SELECT count(*) FROM group_members m WHERE m.group_id = g.id) AS "members!"
           FROM groups g
           WHERE $1::uuid IS NULL OR g.owner_id = $1
           ORDER BY g.created_at DESC, g.name"#,
        owner
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Listed {
            group: Group {
                id: r.id,
                owner_id: r.owner_id,
                name: r.name,
                code: JoinCode::from_stored(r.join_code),
                code_expires_at: r.code_expires_at,
            },
            members: r.members,
        })
        .collect())
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Group>> {
    let row = sqlx::query!("SELECT id, owner_id, name, join_code, code_expires_at FROM groups WHERE id = $1", id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| Group {
        id: r.id,
        owner_id: r.owner_id,
        name: r.name,
        code: JoinCode::from_stored(r.join_code),
        code_expires_at: r.code_expires_at,
    }))
}

pub async fn by_code(db: impl PgExecutor<'_>, code: &JoinCode) -> sqlx::Result<Option<Group>> {
    let row = sqlx::query!(
        "SELECT id, owner_id, name, join_code, code_expires_at FROM groups WHERE join_code = $1",
        code.as_stored()
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Group {
        id: r.id,
        owner_id: r.owner_id,
        name: r.name,
        code: JoinCode::from_stored(r.join_code),
        code_expires_at: r.code_expires_at,
    }))
}

/// The members of group `id`, by name.
pub async fn members(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Member>> {
    let rows = sqlx::query!(
        r#"SELECT u.id, u.display_name, u.email, m.joined_at
           FROM group_members m JOIN users u ON u.id = m.user_id
           WHERE m.group_id = $1
           ORDER BY lower(u.display_name), lower(u.email)"#,
        id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Member { user_id: r.id, name: r.display_name, email: r.email, joined_at: r.joined_at })
        .collect())
}

/// Adds `user` to group `id`; false when they were in it already. One
/// statement, so two joins at once cannot both add them.
pub async fn add_member(db: impl PgExecutor<'_>, id: Uuid, user: Uuid, now: OffsetDateTime) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "INSERT INTO group_members (group_id, user_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        id,
        user,
        now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes `user` out of group `id`; false when they were not in it.
pub async fn remove_member(db: impl PgExecutor<'_>, id: Uuid, user: Uuid) -> sqlx::Result<bool> {
    let done =
        sqlx::query!("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2", id, user).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// The groups `user` is in, by name.
pub async fn of_member(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<Membership>> {
    let rows = sqlx::query!(
        r#"SELECT g.id, g.name, m.joined_at
           FROM group_members m JOIN groups g ON g.id = m.group_id
           WHERE m.user_id = $1
           ORDER BY lower(g.name), g.id"#,
        user
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| Membership { group_id: r.id, name: r.name, joined_at: r.joined_at }).collect())
}
