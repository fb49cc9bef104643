//! Groups: an instructor makes one and shares its join code; learners join
//! with the code and may leave; the instructor sees and removes members.
//! An instructor sees only their own groups (another's is not found), an
//! admin every group.

use time::OffsetDateTime;
use uuid::Uuid;

use super::exams::Actor;
use super::{App, Error, Result};
use crate::groups::{self, GroupName, JoinCode};
use crate::store::groups::{self as store, CodeError, Group, Listed, Member, Membership};
use crate::store::throttle;
use crate::store::users::User;

/// Wrong codes an account may try per window before joining is locked
/// until the window closes. A code is one of 31⁸ (about 8.5 × 10¹¹), so at
/// this pace guessing one would take tens of thousands of years.
pub const JOIN_TRIES: u32 = 10;
pub const JOIN_WINDOW: time::Duration = time::Duration::hours(1);

/// How many times a new code is drawn when the one drawn is taken: with
/// so many codes and so few groups, a second draw is already rare.
const CODE_DRAWS: usize = 5;

fn may_manage(actor: &Actor, group: &Group) -> bool {
    actor.admin || (actor.user_id.is_some() && group.owner_id == actor.user_id)
}

/// The groups `actor` manages, with their member counts.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Listed>> {
    let owner = if actor.admin { None } else { Some(actor.user_id.ok_or(Error::NotFound)?) };
    Ok(store::list(&app.db, owner).await?)
}

/// Group `id` if `actor` manages it; anyone else's is not found, as if it
/// did not exist.
pub async fn managed(app: &App, actor: &Actor, id: Uuid) -> Result<Group> {
    let group = store::find(&app.db, id).await?.ok_or(Error::NotFound)?;
    if may_manage(actor, &group) { Ok(group) } else { Err(Error::NotFound) }
}

/// Group `id` with its members, for its instructor.
pub async fn show(app: &App, actor: &Actor, id: Uuid) -> Result<(Group, Vec<Member>)> {
    let group = managed(app, actor, id).await?;
    let members = store::members(&app.db, group.id).await?;
    Ok((group, members))
}

/// Makes a group owned by `actor`, with a fresh join code; returns its id.
pub async fn create(app: &App, actor: &Actor, name: &GroupName) -> Result<Uuid> {
    let now = app.clock.now();
    for _ in 0..CODE_DRAWS {
        let code = JoinCode::from_random(rand::random());
        match store::insert(&app.db, actor.user_id, name, &code, groups::expiry(now), now).await {
            Ok(id) => return Ok(id),
            Err(CodeError::CodeTaken) => continue,
            Err(CodeError::Db(e)) => return Err(e.into()),
        }
    }
    Err(Error::Internal(anyhow::anyhow!("no free join code in {CODE_DRAWS} draws")))
}

/// Gives group `id` a new code, working for the usual time from now; the
/// old one stops working at once.
pub async fn regenerate_code(app: &App, actor: &Actor, id: Uuid) -> Result<JoinCode> {
    let group = managed(app, actor, id).await?;
    let now = app.clock.now();
    for _ in 0..CODE_DRAWS {
        let code = JoinCode::from_random(rand::random());
        match store::set_code(&app.db, group.id, &code, groups::expiry(now)).await {
            Ok(()) => return Ok(code),
            Err(CodeError::CodeTaken) => continue,
            Err(CodeError::Db(e)) => return Err(e.into()),
        }
    }
    Err(Error::Internal(anyhow::anyhow!("no free join code in {CODE_DRAWS} draws")))
}

/// Takes learner `user` out of group `id`, from the instructor's side;
/// someone not in the group is not found.
pub async fn remove_member(app: &App, actor: &Actor, id: Uuid, user: Uuid) -> Result<()> {
    let group = managed(app, actor, id).await?;
    if store::remove_member(&app.db, group.id, user).await? { Ok(()) } else { Err(Error::NotFound) }
}

/// What a learner's join code came to.
#[derive(Debug, PartialEq, Eq)]
pub enum JoinOutcome {
    Joined {
        group: String,
    },
    AlreadyIn {
        group: String,
    },
    /// No group has this code (or it cannot be a code at all).
    NoSuchCode,
    Expired {
        on: OffsetDateTime,
    },
    /// Too many wrong codes lately: no code is looked up until then.
    Locked {
        minutes: i64,
    },
}

/// Joins `user` to the group whose code they typed.
///
/// Each try takes a slot in the account's counter before the code is
/// looked up (the login throttle's table and statement, under the key
/// `join:<account>`), so parallel guesses cannot look up more codes than
/// the limit; a try that finds a group gives its slot back, so only wrong
/// and expired codes count.
pub async fn join(app: &App, user: &User, typed: &str) -> Result<JoinOutcome> {
    let now = app.clock.now();
    let key = format!("join:{}", user.id);
    if let Err(until) = throttle::take(&app.db, &key, JOIN_TRIES, now, JOIN_WINDOW).await? {
        let minutes = ((until - now).whole_seconds() + 59).max(60) / 60;
        return Ok(JoinOutcome::Locked { minutes });
    }
    let group = match JoinCode::parse(typed) {
        Some(code) => store::by_code(&app.db, &code).await?,
        None => None,
    };
    let Some(group) = group else { return Ok(JoinOutcome::NoSuchCode) };
    if groups::is_expired(group.code_expires_at, now) {
        return Ok(JoinOutcome::Expired { on: group.code_expires_at });
    }
    throttle::give_back(&app.db, &key).await?;
    if store::add_member(&app.db, group.id, user.id.0, now).await? {
        Ok(JoinOutcome::Joined { group: group.name })
    } else {
        Ok(JoinOutcome::AlreadyIn { group: group.name })
    }
}

/// The groups `user` is in.
pub async fn memberships(app: &App, user: &User) -> Result<Vec<Membership>> {
    Ok(store::of_member(&app.db, user.id.0).await?)
}

/// Group `id` as its member `user` sees it; a group they are not in is
/// not found.
pub async fn membership(app: &App, user: &User, id: Uuid) -> Result<Membership> {
    memberships(app, user).await?.into_iter().find(|m| m.group_id == id).ok_or(Error::NotFound)
}

/// Takes `user` out of group `id`; a group they are not in is not found.
pub async fn leave(app: &App, user: &User, id: Uuid) -> Result<()> {
    if store::remove_member(&app.db, id, user.id.0).await? { Ok(()) } else { Err(Error::NotFound) }
}
