//! Settings from environment variables, with defaults, checked at start.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};

#[derive(Debug, Clone)]
pub struct Config {
    /// `MOCKEXAM_ADDR`: where the server listens.
    pub addr: SocketAddr,
    /// `DATABASE_URL`: an external PostgreSQL; unset means the embedded one.
    pub database_url: Option<String>,
    /// `MOCKEXAM_DATA_DIR`: where the embedded cluster lives.
    pub data_dir: PathBuf,
    /// `MOCKEXAM_CONTENT_DIR`: the bundled exams, loaded at start.
    pub content_dir: PathBuf,
    /// `MOCKEXAM_SECURE_COOKIES`: serve cookies `Secure` with `__Host-` names
    /// (set it when behind https).
    pub secure_cookies: bool,
    /// `MOCKEXAM_REGISTRATION`: whether anyone may register as a learner.
    pub registration_open: bool,
    /// `MOCKEXAM_SESSION_IDLE_MINUTES`: a session unused this long ends.
    pub session_idle: Duration,
    /// `MOCKEXAM_SESSION_MAX_DAYS`: a session ends this long after login.
    pub session_absolute: Duration,
    /// `MOCKEXAM_LOGIN_ACCOUNT_LIMIT`: failed logins per account per window
    /// before it is locked for the rest of the window.
    pub login_account_limit: u32,
    /// `MOCKEXAM_LOGIN_ADDRESS_LIMIT`: failed logins per client address per
    /// window; loose, because a classroom shares one address.
    pub login_address_limit: u32,
    /// `MOCKEXAM_LOGIN_WINDOW_MINUTES`.
    pub login_window: Duration,
    /// `MOCKEXAM_TRUST_FORWARDED_FOR`: take the client address from
    /// `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// `MOCKEXAM_SAVE_GRACE_SECONDS`: saves in flight at the deadline are
    /// still accepted this long after it.
    pub save_grace: Duration,
    /// `MOCKEXAM_BODY_LIMIT_KB`: the largest request body accepted.
    pub body_limit_bytes: usize,
    /// `MOCKEXAM_REQUEST_TIMEOUT_SECONDS`.
    pub request_timeout: Duration,
    /// `MOCKEXAM_DB_POOL_SIZE`.
    pub db_pool_size: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            data_dir: PathBuf::from("data/postgres"),
            content_dir: PathBuf::from("content"),
            secure_cookies: false,
            registration_open: true,
            session_idle: Duration::from_secs(3 * 24 * 3600),
            session_absolute: Duration::from_secs(30 * 24 * 3600),
            login_account_limit: 5,
            login_address_limit: 100,
            login_window: Duration::from_secs(15 * 60),
            trust_forwarded_for: false,
            save_grace: Duration::from_secs(30),
            body_limit_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            db_pool_size: 16,
        }
    }
}

/// Every variable, its default and what it does: the README's table.
pub const VARIABLES: &[(&str, &str, &str)] = &[
    ("MOCKEXAM_ADDR", "127.0.0.1:8080", "address and port to listen on"),
    ("DATABASE_URL", "(unset)", "PostgreSQL to use; unset starts the embedded cluster"),
    ("MOCKEXAM_DATA_DIR", "data/postgres", "folder of the embedded cluster"),
    ("MOCKEXAM_CONTENT_DIR", "content", "bundled exams loaded at start"),
    ("MOCKEXAM_SECURE_COOKIES", "false", "mark cookies Secure and use __Host- names (behind https)"),
    ("MOCKEXAM_REGISTRATION", "open", "`open` or `closed`: whether learners may register themselves"),
    ("MOCKEXAM_SESSION_IDLE_MINUTES", "4320", "a session unused this long ends"),
    ("MOCKEXAM_SESSION_MAX_DAYS", "30", "a session ends this long after login"),
    ("MOCKEXAM_LOGIN_ACCOUNT_LIMIT", "5", "failed logins per account per window before a lock"),
    ("MOCKEXAM_LOGIN_ADDRESS_LIMIT", "100", "failed logins per client address per window"),
    ("MOCKEXAM_LOGIN_WINDOW_MINUTES", "15", "the failed-login window and lock time"),
    ("MOCKEXAM_TRUST_FORWARDED_FOR", "false", "take the client address from X-Forwarded-For"),
    ("MOCKEXAM_SAVE_GRACE_SECONDS", "30", "saves arriving this long after the deadline still count"),
    ("MOCKEXAM_BODY_LIMIT_KB", "1024", "largest request body"),
    ("MOCKEXAM_REQUEST_TIMEOUT_SECONDS", "30", "requests running longer get a 503"),
    ("MOCKEXAM_DB_POOL_SIZE", "16", "database connections per instance"),
    ("RUST_LOG", "mockexam=info,tower_http=info", "log filter; logs are JSON when MOCKEXAM_LOG_JSON=true"),
];

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut c = Config::default();
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        fn number<T: std::str::FromStr>(name: &str, value: String) -> anyhow::Result<T> {
            value.trim().parse().ok().with_context(|| format!("{name}={value} is not a valid number"))
        }
        fn flag(name: &str, value: String) -> anyhow::Result<bool> {
            match value.trim() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => bail!("{name}={value}: expected true or false"),
            }
        }
        if let Some(v) = get("MOCKEXAM_ADDR") {
            c.addr = v.parse().with_context(|| format!("MOCKEXAM_ADDR={v} is not an address like 127.0.0.1:8080"))?;
        }
        c.database_url = get("DATABASE_URL");
        if let Some(v) = get("MOCKEXAM_DATA_DIR") {
            c.data_dir = v.into();
        }
        if let Some(v) = get("MOCKEXAM_CONTENT_DIR") {
            c.content_dir = v.into();
        }
        if let Some(v) = get("MOCKEXAM_SECURE_COOKIES") {
            c.secure_cookies = flag("MOCKEXAM_SECURE_COOKIES", v)?;
        }
        if let Some(v) = get("MOCKEXAM_REGISTRATION") {
            c.registration_open = match v.trim() {
                "open" => true,
                "closed" => false,
                _ => bail!("MOCKEXAM_REGISTRATION={v}: expected open or closed"),
            };
        }
        let minutes = |m: u64| Duration::from_secs(m * 60);
        if let Some(v) = get("MOCKEXAM_SESSION_IDLE_MINUTES") {
            c.session_idle = minutes(number("MOCKEXAM_SESSION_IDLE_MINUTES", v)?);
        }
        if let Some(v) = get("MOCKEXAM_SESSION_MAX_DAYS") {
            c.session_absolute = minutes(24 * 60 * number::<u64>("MOCKEXAM_SESSION_MAX_DAYS", v)?);
        }
        if let Some(v) = get("MOCKEXAM_LOGIN_ACCOUNT_LIMIT") {
            c.login_account_limit = number("MOCKEXAM_LOGIN_ACCOUNT_LIMIT", v)?;
        }
        if let Some(v) = get("MOCKEXAM_LOGIN_ADDRESS_LIMIT") {
            c.login_address_limit = number("MOCKEXAM_LOGIN_ADDRESS_LIMIT", v)?;
        }
        if let Some(v) = get("MOCKEXAM_LOGIN_WINDOW_MINUTES") {
            c.login_window = minutes(number("MOCKEXAM_LOGIN_WINDOW_MINUTES", v)?);
        }
        if let Some(v) = get("MOCKEXAM_TRUST_FORWARDED_FOR") {
            c.trust_forwarded_for = flag("MOCKEXAM_TRUST_FORWARDED_FOR", v)?;
        }
        if let Some(v) = get("MOCKEXAM_SAVE_GRACE_SECONDS") {
            c.save_grace = Duration::from_secs(number("MOCKEXAM_SAVE_GRACE_SECONDS", v)?);
        }
        if let Some(v) = get("MOCKEXAM_BODY_LIMIT_KB") {
            c.body_limit_bytes = 1024 * number::<usize>("MOCKEXAM_BODY_LIMIT_KB", v)?;
        }
        if let Some(v) = get("MOCKEXAM_REQUEST_TIMEOUT_SECONDS") {
            c.request_timeout = Duration::from_secs(number("MOCKEXAM_REQUEST_TIMEOUT_SECONDS", v)?);
        }
        if let Some(v) = get("MOCKEXAM_DB_POOL_SIZE") {
            c.db_pool_size = number("MOCKEXAM_DB_POOL_SIZE", v)?;
        }
        if c.login_account_limit == 0 || c.login_address_limit == 0 || c.db_pool_size == 0 {
            bail!("login limits and the pool size must be at least 1");
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_hold_without_variables_and_bad_values_are_named() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert!(c.database_url.is_none());
        let err = Config::from_lookup(|n| (n == "MOCKEXAM_SAVE_GRACE_SECONDS").then(|| "soon".into())).unwrap_err();
        assert_eq!(err.to_string(), "MOCKEXAM_SAVE_GRACE_SECONDS=soon is not a valid number");
    }
}

#[cfg(test)]
mod readme_tests {
    #[test]
    fn the_readme_lists_every_variable() {
        let readme = include_str!("../README.md");
        for (name, default, _) in super::VARIABLES {
            assert!(readme.contains(&format!("| `{name}` | `{default}` |")), "README lacks {name}");
        }
    }
}
