//! The use cases: what a learner, an instructor or the server itself can
//! do, one module per area. Pages, the JSON API, the CLI and the periodic
//! sweep all call these functions; each takes and returns domain types and
//! a typed outcome, and knows nothing of HTTP or HTML (the `web` layer maps
//! outcomes to statuses and messages, in one place).
//!
//! Dependencies point one way: `web` → `app` → `store` → `exam`.

pub mod accounts;
pub mod assignments;
pub mod attempts;
pub mod dashboard;
pub mod exams;
pub mod groups;
pub mod hashing;
pub mod imports;
pub mod item_analysis;
pub mod item_facts;
pub mod metrics;
pub mod misses;
pub mod progress;
pub mod questions;
pub mod report_inbox;
pub mod reports;
pub mod standings;
pub mod uploads;
pub mod users;
pub mod versions;

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;

use crate::clock::Clock;
use crate::config::Config;

/// What every use case runs against: the database, the settings, the
/// server's clock, and caches of data that never changes.
#[derive(Clone)]
pub struct App {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub versions: Arc<versions::VersionCache>,
    pub item_facts: Arc<item_facts::ItemFactsCache>,
    pub hashing: Arc<hashing::Hashing>,
    /// This instance's counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
}

impl App {
    pub fn new(db: PgPool, config: Arc<Config>, clock: Clock) -> Self {
        let hashing = Arc::new(hashing::Hashing::default());
        let metrics = Arc::new(metrics::Metrics::new(&hashing.load));
        App { db, config, clock, versions: Default::default(), item_facts: Default::default(), hashing, metrics }
    }

    /// How long after its deadline an attempt still takes saves in flight.
    pub fn grace(&self) -> time::Duration {
        time::Duration::seconds(self.config.save_grace.as_secs() as i64)
    }
}

/// Why a use case could not run at all. What a user may simply be told
/// ("time is up", "choose a domain") is not an error but an outcome.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing does not exist, or is not this user's to see.
    #[error("not found")]
    NotFound,
    /// The thing exists and may be seen, but not changed by this user.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// Too much of a bounded resource is in use (password hashing): the
    /// request was not served and may be tried again shortly.
    #[error("busy")]
    Busy,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How long the periodic sweep waits between runs.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Housekeeping that no request would otherwise trigger: expired sessions
/// are deleted, attempts past their deadline are graded, learners'
/// standings a grading failed to refresh are refreshed, uploads past their
/// expiry are deleted, and finished mocks are counted into the item
/// analysis's tallies.
pub async fn sweep(app: &App) {
    if let Err(e) = accounts::delete_expired_sessions(app).await {
        tracing::warn!(error = %e, "session sweep failed");
    }
    if let Err(e) = attempts::grade_expired(app).await {
        tracing::warn!(error = %e, "attempt sweep failed");
    }
    if let Err(e) = standings::refresh_stale(app, standings::SWEEP_BATCH).await {
        tracing::warn!(error = %e, "standings sweep failed");
    }
    if let Err(e) = uploads::delete_expired(app).await {
        tracing::warn!(error = %e, "upload sweep failed");
    }
    if let Err(e) = item_analysis::tally_pending(app, None, item_analysis::SWEEP_BUDGET).await {
        tracing::warn!(error = %e, "tally sweep failed");
    }
}
