//! Accounts: register, log in (with its throttle), sessions, password
//! changes and personal API tokens.

use uuid::Uuid;

use super::{App, Error, Result};
use crate::account::{self, Display, DisplayName, Email, Password, Role, UserId};
use crate::store::sessions::{self, Limits};
use crate::store::throttle;
use crate::store::tokens::{self, ApiToken, TokenName};
use crate::store::users::{self, User};

/// How long sessions last, from the settings.
pub fn session_limits(app: &App) -> Limits {
    let secs = |d: std::time::Duration| time::Duration::seconds(d.as_secs() as i64);
    Limits { idle: secs(app.config.session_idle), absolute: secs(app.config.session_absolute) }
}

/// The user of a live session token, if any. Its last-seen time is
/// refreshed now and then, not on every request.
pub async fn session_user(app: &App, token: &str) -> Result<Option<(User, Display)>> {
    let now = app.clock.now();
    let Some((user, display, stale)) = sessions::find(&app.db, token, now, &session_limits(app)).await? else {
        return Ok(None);
    };
    if stale {
        sessions::touch(&app.db, token, now).await?;
    }
    Ok(Some((user, display)))
}

/// Remembers how `user` wants pages shown.
pub async fn set_display(app: &App, user: UserId, display: Display) -> Result<()> {
    users::set_display(&app.db, user, display).await?;
    Ok(())
}

/// The owner of a personal API token, if it is one.
pub async fn token_user(app: &App, token: &str) -> Result<Option<User>> {
    Ok(tokens::find_user(&app.db, token, app.clock.now()).await?)
}

/// A new session for `user`; the token goes in the learner's cookie.
/// `replacing` (this browser's old session, if any) is ended first, so a
/// planted token never becomes a logged-in one.
async fn new_session(app: &App, user: UserId, replacing: Option<&str>) -> Result<String> {
    if let Some(old) = replacing {
        sessions::delete(&app.db, old).await?;
    }
    Ok(sessions::create(&app.db, user, app.clock.now()).await?)
}

pub async fn log_out(app: &App, token: &str) -> Result<()> {
    Ok(sessions::delete(&app.db, token).await?)
}

pub async fn delete_expired_sessions(app: &App) -> Result<u64> {
    Ok(sessions::delete_expired(&app.db, app.clock.now(), &session_limits(app)).await?)
}

/// Who is throttled after too many failed logins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    Account,
    Address,
}

pub enum LoginOutcome {
    LoggedIn {
        user: User,
        token: String,
    },
    /// The email is unknown or the password wrong; which, is not said.
    Refused,
    /// The password is right but an admin has disabled the account. Told
    /// only after a correct password, so it leaks nothing to a guesser.
    Disabled,
    /// Too many failures: no password is checked until the lock ends.
    Locked {
        who: Throttled,
        minutes: i64,
    },
}

pub struct Login<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// The client's network address, for the looser per-address limit.
    pub address: &'a str,
    /// This browser's current session, ended by a successful login.
    pub replacing: Option<&'a str>,
}

fn minutes_until(until: time::OffsetDateTime, now: time::OffsetDateTime) -> i64 {
    ((until - now).whole_seconds() + 59).max(60) / 60
}

/// Checks a password, throttled per account and, more loosely, per address.
///
/// Each try takes its slot in both counters before the password is checked
/// (unknown emails too: a lock says nothing about whether an account
/// exists), so parallel tries can never check more passwords than the
/// limits allow. A successful login clears the account's count and gives
/// the address its slot back.
pub async fn log_in(app: &App, login: Login<'_>) -> Result<LoginOutcome> {
    let now = app.clock.now();
    let window = time::Duration::seconds(app.config.login_window.as_secs() as i64);
    let account_key = format!("account:{}", login.email.trim().to_lowercase());
    let address_key = format!("address:{}", login.address);

    if let Err(until) = throttle::take(&app.db, &account_key, app.config.login_account_limit, now, window).await? {
        return Ok(LoginOutcome::Locked { who: Throttled::Account, minutes: minutes_until(until, now) });
    }
    if let Err(until) = throttle::take(&app.db, &address_key, app.config.login_address_limit, now, window).await? {
        throttle::give_back(&app.db, &account_key).await?;
        return Ok(LoginOutcome::Locked { who: Throttled::Address, minutes: minutes_until(until, now) });
    }

    let credentials = users::credentials(&app.db, login.email).await?;
    // Unknown emails are checked against a dummy hash, so both failures take
    // the same time.
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    let verified = match verify(app, login.password, stored).await {
        Ok(verified) => verified,
        Err(e) => {
            // Not checked (busy, or a failure of ours): not a failed try.
            throttle::give_back(&app.db, &account_key).await?;
            throttle::give_back(&app.db, &address_key).await?;
            return Err(e);
        }
    };
    let Some(credentials) = credentials.filter(|_| verified) else { return Ok(LoginOutcome::Refused) };
    throttle::clear(&app.db, &account_key).await?;
    throttle::give_back(&app.db, &address_key).await?;
    if credentials.disabled {
        return Ok(LoginOutcome::Disabled);
    }
    let token = new_session(app, credentials.user.id, login.replacing).await?;
    Ok(LoginOutcome::LoggedIn { user: credentials.user, token })
}

/// Argon2 is slow on purpose: it runs off the async executor, a bounded
/// number at once.
/// `None` checks against the dummy hash (made once, itself off the executor).
async fn verify(app: &App, password: &str, hash: Option<String>) -> Result<bool> {
    let password = password.to_string();
    app.hashing
        .run(move || account::verify_password(&password, hash.as_deref().unwrap_or_else(|| account::dummy_hash())))
        .await
}

async fn hash(app: &App, password: Password) -> Result<String> {
    app.hashing.run(move || account::hash_password(password.expose())).await
}

pub enum RegisterOutcome {
    Registered { user: User, token: String },
    EmailTaken,
}

/// Makes a learner's account and logs it in.
pub async fn register(
    app: &App,
    email: &Email,
    name: &DisplayName,
    password: Password,
    replacing: Option<&str>,
) -> Result<RegisterOutcome> {
    let hash = hash(app, password).await?;
    match users::create(&app.db, email, name, &hash, Role::Learner, app.clock.now()).await {
        Ok(user) => {
            let token = new_session(app, user.id, replacing).await?;
            Ok(RegisterOutcome::Registered { user, token })
        }
        Err(users::CreateError::EmailTaken) => Ok(RegisterOutcome::EmailTaken),
        Err(users::CreateError::Db(e)) => Err(e.into()),
    }
}

/// Makes an account of any role, as the command line does.
pub async fn create_user(
    app: &App,
    email: &Email,
    name: &DisplayName,
    password: Password,
    role: Role,
) -> Result<Option<User>> {
    let hash = hash(app, password).await?;
    match users::create(&app.db, email, name, &hash, role, app.clock.now()).await {
        Ok(user) => Ok(Some(user)),
        Err(users::CreateError::EmailTaken) => Ok(None),
        Err(users::CreateError::Db(e)) => Err(e.into()),
    }
}

/// Whether `password` is the user's current one.
pub async fn is_current_password(app: &App, user: UserId, password: &str) -> Result<bool> {
    let stored = users::password_hash(&app.db, user).await?;
    verify(app, password, Some(stored)).await
}

/// What a password change did besides setting the password.
pub struct PasswordChanged {
    /// A fresh session, so this browser stays logged in.
    pub session: String,
    /// Whether the user's API tokens were revoked with it.
    pub tokens_revoked: bool,
}

/// Sets a new password and ends every session of the user and, if asked,
/// every API token, in one transaction.
pub async fn change_password(
    app: &App,
    user: UserId,
    password: Password,
    revoke_tokens: bool,
) -> Result<PasswordChanged> {
    let hash = hash(app, password).await?;
    let mut tx = app.db.begin().await?;
    users::set_password(&mut *tx, user, &hash).await?;
    sessions::delete_all_for(&mut *tx, user).await?;
    if revoke_tokens {
        tokens::revoke_all(&mut *tx, user).await?;
    }
    tx.commit().await?;
    Ok(PasswordChanged { session: new_session(app, user, None).await?, tokens_revoked: revoke_tokens })
}

pub async fn tokens(app: &App, user: UserId) -> Result<Vec<ApiToken>> {
    Ok(tokens::list(&app.db, user).await?)
}

/// A new personal API token; its secret is returned once and kept nowhere.
pub async fn create_token(app: &App, user: UserId, name: &TokenName) -> Result<String> {
    let (_, secret) = tokens::create(&app.db, user, name, app.clock.now()).await?;
    Ok(secret)
}

/// Revokes one of the user's tokens; someone else's (or one already gone)
/// is not found.
pub async fn revoke_token(app: &App, user: UserId, id: Uuid) -> Result<()> {
    if tokens::revoke(&app.db, user, id).await? { Ok(()) } else { Err(Error::NotFound) }
}
