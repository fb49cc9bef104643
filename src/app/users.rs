//! The admins' work on accounts: find them, change their role, disable
//! and enable them. Disabling ends the account's sessions and API tokens
//! at once. An admin cannot demote or disable their own account, so no
//! admin is lost by accident (another admin, or the command line, can).

use super::exams::Actor;
use super::{App, Error, Result};
use crate::account::{Role, UserId};
use crate::store::users::{self, Account};
use crate::store::{sessions, tokens};

/// How many accounts have `search` in their email or name.
pub async fn count(app: &App, search: &str) -> Result<usize> {
    Ok(users::count_matching(&app.db, search).await? as usize)
}

/// The accounts `start..end` of those `search` finds, ordered by email.
pub async fn find(app: &App, search: &str, start: usize, end: usize) -> Result<Vec<Account>> {
    let limit = end.saturating_sub(start) as i64;
    Ok(users::matching(&app.db, search, start as i64, limit).await?)
}

pub async fn account(app: &App, id: UserId) -> Result<Account> {
    users::account(&app.db, id).await?.ok_or(Error::NotFound)
}

/// What an admin does to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Role(Role),
    Disable,
    Enable,
}

#[derive(Debug)]
pub enum Changed {
    /// Done: the account as it is now.
    Done(Account),
    /// Refused: the admin's own role or account, which only someone else
    /// may take away.
    OwnAccount,
}

/// Whether `change` would take away the acting admin's own access.
fn loses_own_access(actor: &Actor, id: UserId, change: Change) -> bool {
    actor.user_id == Some(id.0) && matches!(change, Change::Disable | Change::Role(Role::Learner | Role::Instructor))
}

/// Makes `change` to account `id`, as `actor` (an admin) asks.
pub async fn change(app: &App, actor: &Actor, id: UserId, change: Change) -> Result<Changed> {
    if !actor.admin {
        return Err(Error::Forbidden("Only admins change accounts."));
    }
    if loses_own_access(actor, id, change) {
        return Ok(Changed::OwnAccount);
    }
    let found = match change {
        Change::Role(role) => users::set_role(&app.db, id, role).await?,
        Change::Enable => users::enable(&app.db, id).await?,
        Change::Disable => {
            // One transaction: the account is never disabled with a
            // session or token still live.
            let mut tx = app.db.begin().await?;
            let found = users::disable(&mut *tx, id, app.clock.now()).await?;
            sessions::delete_all_for(&mut *tx, id).await?;
            tokens::revoke_all(&mut *tx, id).await?;
            tx.commit().await?;
            found
        }
    };
    if !found {
        return Err(Error::NotFound);
    }
    Ok(Changed::Done(account(app, id).await?))
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn an_admin_keeps_their_own_access_but_may_take_anyone_elses() {
        let me = Uuid::new_v4();
        let actor = Actor { user_id: Some(me), admin: true, name: "ada@example.org".into() };
        let other = UserId(Uuid::new_v4());
        for change in [Change::Disable, Change::Role(Role::Learner), Change::Role(Role::Instructor)] {
            assert!(loses_own_access(&actor, UserId(me), change), "{change:?}");
            assert!(!loses_own_access(&actor, other, change), "{change:?}");
        }
        assert!(!loses_own_access(&actor, UserId(me), Change::Role(Role::Admin)));
        assert!(!loses_own_access(&actor, UserId(me), Change::Enable));
        assert!(!loses_own_access(&Actor::command_line(), UserId(me), Change::Disable));
    }
}
