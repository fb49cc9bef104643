//! Settings from environment variables, with defaults, checked at start.
//!
//! Each variable is declared once, as a field of [`Settings`] or [`Logging`]:
//! its name (`env`), default and help (the doc comment). The README's
//! configuration table is checked against these declarations by a test.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::BoolishValueParser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, Command, FromArgMatches, ValueEnum};

/// The server's settings, in the units the code uses; read from the
/// variables declared in [`Settings`].
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// `None` means the embedded PostgreSQL.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    pub content_dir: PathBuf,
    pub secure_cookies: bool,
    pub registration_open: bool,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub login_account_limit: u32,
    pub login_address_limit: u32,
    pub login_window: Duration,
    pub trust_forwarded_for: bool,
    pub save_grace: Duration,
    pub body_limit_bytes: usize,
    pub import_limit_bytes: usize,
    pub request_timeout: Duration,
    pub header_timeout: Duration,
    pub db_pool_size: u32,
    /// Where `/metrics` is served; `None`: nowhere.
    pub metrics_addr: Option<SocketAddr>,
    /// Backups the server takes itself; None (the default) takes none.
    pub scheduled_backups: Option<crate::backup::schedule::Schedule>,
}

/// The variables the server reads, as declared: name, default, help.
#[derive(Args, Debug)]
struct Settings {
    /// address and port to listen on
    #[arg(long, env = "MOCKEXAM_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// PostgreSQL to use; unset starts the embedded cluster
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// folder of the embedded cluster
    #[arg(long, env = "MOCKEXAM_DATA_DIR", default_value = "data/postgres")]
    data_dir: PathBuf,
    /// bundled exams loaded at start
    #[arg(long, env = "MOCKEXAM_CONTENT_DIR", default_value = "content")]
    content_dir: PathBuf,
    /// mark cookies Secure and use __Host- names (behind https)
    #[arg(long, env = "MOCKEXAM_SECURE_COOKIES", default_value = "false", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    secure_cookies: bool,
    /// `open` or `closed`: whether learners may register themselves
    #[arg(long, env = "MOCKEXAM_REGISTRATION", default_value = "open")]
    registration: Registration,
    /// a session unused this long ends
    #[arg(long, env = "MOCKEXAM_SESSION_IDLE_MINUTES", default_value = "4320")]
    session_idle_minutes: u64,
    /// a session ends this long after login
    #[arg(long, env = "MOCKEXAM_SESSION_MAX_DAYS", default_value = "30")]
    session_max_days: u64,
    /// failed logins per account per window before a lock
    ///
    /// The account stays locked for the rest of the window.
    #[arg(long, env = "MOCKEXAM_LOGIN_ACCOUNT_LIMIT", default_value = "5", value_parser = at_least_one)]
    login_account_limit: u32,
    /// failed logins per client address per window
    ///
    /// Loose, because a classroom shares one address.
    #[arg(long, env = "MOCKEXAM_LOGIN_ADDRESS_LIMIT", default_value = "100", value_parser = at_least_one)]
    login_address_limit: u32,
    /// the failed-login window and lock time
    #[arg(long, env = "MOCKEXAM_LOGIN_WINDOW_MINUTES", default_value = "15")]
    login_window_minutes: u64,
    /// take the client address from X-Forwarded-For
    ///
    /// Only behind a proxy that sets it.
    #[arg(long, env = "MOCKEXAM_TRUST_FORWARDED_FOR", default_value = "false", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    trust_forwarded_for: bool,
    /// saves arriving this long after the deadline still count
    #[arg(long, env = "MOCKEXAM_SAVE_GRACE_SECONDS", default_value = "30")]
    save_grace_seconds: u64,
    /// largest request body
    #[arg(long, env = "MOCKEXAM_BODY_LIMIT_KB", default_value = "1024")]
    body_limit_kb: usize,
    /// largest question file an import takes (all its files together), read no further
    #[arg(long, env = "MOCKEXAM_IMPORT_LIMIT_KB", default_value = "5120", value_parser = at_least_one)]
    import_limit_kb: u32,
    /// requests running longer get a 503
    #[arg(long, env = "MOCKEXAM_REQUEST_TIMEOUT_SECONDS", default_value = "30")]
    request_timeout_seconds: u64,
    /// a client that has not sent its request headers in this long is disconnected; a kept-alive connection idle this long is closed too
    // hyper's header timer also runs while a kept-alive connection waits
    // for its next request, so this is the idle timeout too: at 10 s,
    // examinees who thought about 10 s sent their save just as the server
    // closed the connection (7 failed saves among 5,000, BENCHMARKS.md).
    #[arg(long, env = "MOCKEXAM_HEADER_TIMEOUT_SECONDS", default_value = "30", value_parser = at_least_one)]
    header_timeout_seconds: u32,
    /// database connections per instance
    #[arg(long, env = "MOCKEXAM_DB_POOL_SIZE", default_value = "16", value_parser = at_least_one)]
    db_pool_size: u32,
    /// address and port of a private listener for Prometheus's `/metrics`; unset: none
    ///
    /// Keep it off the public network: it tells how busy the server is.
    #[arg(long, env = "MOCKEXAM_METRICS_ADDR")]
    metrics_addr: Option<SocketAddr>,
    /// folder the server writes scheduled backups to; unset takes none
    #[arg(long, env = "MOCKEXAM_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    /// minutes between scheduled backups
    #[arg(long, env = "MOCKEXAM_BACKUP_EVERY", default_value = "1440", value_parser = at_least_one)]
    backup_every: u32,
    /// scheduled backups kept; older ones are removed
    #[arg(long, env = "MOCKEXAM_BACKUP_KEEP", default_value = "7", value_parser = at_least_one)]
    backup_keep: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Registration {
    Open,
    Closed,
}

/// How the process logs; `main` reads it before anything else.
#[derive(Args, Debug)]
pub struct Logging {
    /// log filter
    #[arg(long = "log", env = "RUST_LOG", default_value = "mockexam=info,tower_http=info", value_parser = log_filter)]
    pub filter: String,
    /// write logs as JSON lines
    #[arg(long = "log-json", env = "MOCKEXAM_LOG_JSON", default_value = "false", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub json: bool,
}

fn at_least_one(value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

fn log_filter(value: &str) -> Result<String, tracing_subscriber::filter::ParseError> {
    tracing_subscriber::EnvFilter::try_new(value).map(|_| value.to_owned())
}

impl Default for Config {
    /// Every setting at its declared default.
    fn default() -> Self {
        Self::from_lookup(|_| None).expect("the declared defaults parse")
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let s: Settings = parse(lookup)?;
        let minutes = |m: u64| Duration::from_secs(m.saturating_mul(60));
        Ok(Config {
            addr: s.addr,
            database_url: s.database_url,
            data_dir: s.data_dir,
            content_dir: s.content_dir,
            secure_cookies: s.secure_cookies,
            registration_open: s.registration == Registration::Open,
            session_idle: minutes(s.session_idle_minutes),
            session_absolute: minutes(s.session_max_days.saturating_mul(24 * 60)),
            login_account_limit: s.login_account_limit,
            login_address_limit: s.login_address_limit,
            login_window: minutes(s.login_window_minutes),
            trust_forwarded_for: s.trust_forwarded_for,
            save_grace: Duration::from_secs(s.save_grace_seconds),
            body_limit_bytes: s.body_limit_kb.saturating_mul(1024),
            import_limit_bytes: (s.import_limit_kb as usize).saturating_mul(1024),
            request_timeout: Duration::from_secs(s.request_timeout_seconds),
            header_timeout: Duration::from_secs(s.header_timeout_seconds.into()),
            db_pool_size: s.db_pool_size,
            metrics_addr: s.metrics_addr,
            scheduled_backups: s.backup_dir.map(|dir| crate::backup::schedule::Schedule {
                dir,
                every: minutes(s.backup_every.into()),
                keep: s.backup_keep as usize,
            }),
        })
    }
}

impl Logging {
    pub fn from_env() -> anyhow::Result<Self> {
        parse(|name| std::env::var(name).ok())
    }
}

/// Parses `A` from the variables `lookup` gives, never from the process
/// environment: each variable with a non-blank value becomes its flag, and
/// clap applies the defaults and the value parsers.
fn parse<A: Args + FromArgMatches>(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<A> {
    let cmd = A::augment_args(Command::new("mockexam").no_binary_name(true));
    let mut names = Vec::new();
    let mut flags = Vec::new();
    for arg in cmd.get_arguments() {
        let (Some(long), Some(name)) = (arg.get_long(), arg.get_env().and_then(|n| n.to_str())) else { continue };
        if let Some(value) = lookup(name).filter(|v| !v.trim().is_empty()) {
            flags.push(format!("--{long}={}", value.trim()));
        }
        names.push((long.to_owned(), name.to_owned()));
    }
    // clap read the process environment when `env` was declared; forget it.
    let mut cmd = cmd.mut_args(|arg| arg.env(None));
    let matches = cmd.try_get_matches_from_mut(flags).map_err(|e| explain(&e, &names))?;
    Ok(A::from_arg_matches(&matches)?)
}

/// clap's error for a bad value names the flag; ours names the variable.
fn explain(err: &clap::Error, names: &[(String, String)]) -> anyhow::Error {
    let context = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let name = context(ContextKind::InvalidArg)
        .and_then(|arg| arg.strip_prefix("--")?.split([' ', '=']).next())
        .and_then(|long| names.iter().find(|(l, _)| l == long))
        .map(|(_, name)| name);
    match (name, context(ContextKind::InvalidValue)) {
        (Some(name), Some(value)) => {
            let why = match (err.kind(), err.get(ContextKind::ValidValue)) {
                (ErrorKind::InvalidValue, Some(ContextValue::Strings(valid))) => {
                    format!("expected {}", valid.join(" or "))
                }
                _ => std::error::Error::source(err).map_or_else(|| err.kind().to_string(), ToString::to_string),
            };
            anyhow::anyhow!("{name}={value}: {why}")
        }
        _ => anyhow::anyhow!("{}", err.render()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(name: &'static str, value: &'static str) -> impl Fn(&str) -> Option<String> {
        move |n| (n == name).then(|| value.to_owned())
    }

    #[test]
    fn defaults_hold_without_variables_and_bad_values_are_named() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert!(c.database_url.is_none());
        assert_eq!(c.data_dir, PathBuf::from("data/postgres"));
        assert_eq!(c.content_dir, PathBuf::from("content"));
        assert!(!c.secure_cookies && c.registration_open && !c.trust_forwarded_for);
        assert_eq!(c.session_idle, Duration::from_secs(3 * 24 * 3600));
        assert_eq!(c.session_absolute, Duration::from_secs(30 * 24 * 3600));
        assert_eq!((c.login_account_limit, c.login_address_limit, c.db_pool_size), (5, 100, 16));
        assert_eq!(c.login_window, Duration::from_secs(15 * 60));
        assert_eq!(c.save_grace, Duration::from_secs(30));
        assert_eq!(c.body_limit_bytes, 1024 * 1024);
        assert_eq!(c.request_timeout, Duration::from_secs(30));
        assert_eq!(c.metrics_addr, None, "no metrics listener unless asked");
        assert!(c.scheduled_backups.is_none(), "no scheduled backups unless asked");

        let err = Config::from_lookup(only("MOCKEXAM_SAVE_GRACE_SECONDS", "soon")).unwrap_err();
        assert_eq!(err.to_string(), "MOCKEXAM_SAVE_GRACE_SECONDS=soon: invalid digit found in string");
        let err = Config::from_lookup(only("MOCKEXAM_REGISTRATION", "maybe")).unwrap_err();
        assert_eq!(err.to_string(), "MOCKEXAM_REGISTRATION=maybe: expected open or closed");
        let err = Config::from_lookup(only("MOCKEXAM_DB_POOL_SIZE", "0")).unwrap_err();
        assert_eq!(err.to_string(), "MOCKEXAM_DB_POOL_SIZE=0: must be at least 1");
        let err = Config::from_lookup(only("MOCKEXAM_SECURE_COOKIES", "sometimes")).unwrap_err();
        assert_eq!(err.to_string(), "MOCKEXAM_SECURE_COOKIES=sometimes: value was not a boolean");
    }

    #[test]
    fn set_variables_are_read_and_blank_ones_are_unset() {
        let vars = [
            ("MOCKEXAM_ADDR", "0.0.0.0:80"),
            ("DATABASE_URL", "postgres://db/exam"),
            ("MOCKEXAM_SECURE_COOKIES", "yes"),
            ("MOCKEXAM_REGISTRATION", " closed "),
            ("MOCKEXAM_SESSION_MAX_DAYS", "2"),
            ("MOCKEXAM_BODY_LIMIT_KB", "64"),
            ("MOCKEXAM_DATA_DIR", "  "),
            ("MOCKEXAM_METRICS_ADDR", "127.0.0.1:9100"),
            ("MOCKEXAM_BACKUP_DIR", "/srv/backups"),
            ("MOCKEXAM_BACKUP_EVERY", "60"),
        ];
        let c = Config::from_lookup(|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| (*v).to_owned())).unwrap();
        assert_eq!(c.addr.to_string(), "0.0.0.0:80");
        assert_eq!(c.database_url.as_deref(), Some("postgres://db/exam"));
        assert!(c.secure_cookies && !c.registration_open);
        assert_eq!(c.session_absolute, Duration::from_secs(2 * 24 * 3600));
        assert_eq!(c.body_limit_bytes, 64 * 1024);
        assert_eq!(c.data_dir, PathBuf::from("data/postgres"));
        assert_eq!(c.metrics_addr.map(|a| a.to_string()).as_deref(), Some("127.0.0.1:9100"));
        let backups = c.scheduled_backups.expect("a backup folder turns them on");
        assert_eq!(
            (backups.dir, backups.every, backups.keep),
            (PathBuf::from("/srv/backups"), Duration::from_secs(3600), 7)
        );
    }

    #[test]
    fn logging_is_checked_too() {
        let err = parse::<Logging>(only("RUST_LOG", "mockexam=loud")).unwrap_err();
        assert!(err.to_string().starts_with("RUST_LOG=mockexam=loud: "), "{err}");
        let log: Logging = parse(only("MOCKEXAM_LOG_JSON", "1")).unwrap();
        assert!(log.json);
        assert_eq!(log.filter, "mockexam=info,tower_http=info");
    }
}

#[cfg(test)]
mod readme_tests {
    use super::*;

    /// `(variable, default, help)` for every declared setting.
    fn declared() -> Vec<(String, String, String)> {
        let cmd = Logging::augment_args(Settings::augment_args(Command::new("mockexam")));
        cmd.get_arguments()
            .map(|arg| {
                let id = arg.get_id();
                let name = arg.get_env().and_then(|n| n.to_str()).unwrap_or_else(|| panic!("{id} declares no env"));
                let help = arg.get_help().unwrap_or_else(|| panic!("{id} has no help"));
                let default = match arg.get_default_values() {
                    [] => "(unset)".to_owned(),
                    values => values.iter().map(|v| v.to_string_lossy()).collect::<Vec<_>>().join(","),
                };
                (name.to_owned(), default, help.to_string())
            })
            .collect()
    }

    #[test]
    fn the_readme_table_matches_the_declared_variables() {
        let readme = include_str!("../README.md");
        let declared = declared();
        for (name, default, help) in &declared {
            let row = format!("| `{name}` | `{default}` | {help} |");
            assert!(readme.lines().any(|l| l == row), "README's configuration table lacks the row\n{row}");
        }
        let section = readme.split("\n## Configuration\n").nth(1).expect("a Configuration section");
        let section = section.split("\n## ").next().unwrap_or(section);
        for line in section.lines().filter(|l| l.starts_with("| `")) {
            let name = line.split('`').nth(1).unwrap_or_default();
            assert!(declared.iter().any(|(n, _, _)| n == name), "README lists {name}, which no setting declares");
        }
    }
}
