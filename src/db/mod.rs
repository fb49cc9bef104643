//! The database: the pool, migrations, and the embedded local cluster.

pub mod embedded;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};

use crate::config::Config;
pub use embedded::Cluster;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database name used in the embedded cluster.
pub const EMBEDDED_DATABASE: &str = "mockexam";

/// Where the server's data lives, for the start-up log.
pub struct Database {
    pub pool: PgPool,
    /// Held while the server runs; stopping it stops the cluster.
    pub cluster: Option<Cluster>,
}

/// Connects as configured: the server named by `DATABASE_URL`, or the
/// embedded cluster. Creates the database if missing and runs migrations.
pub async fn open(config: &Config) -> anyhow::Result<Database> {
    let (options, cluster) = match &config.database_url {
        Some(url) => {
            let options = PgConnectOptions::from_str(url).context("DATABASE_URL is not a valid PostgreSQL URL")?;
            (options, None)
        }
        None => {
            let dir = config.data_dir.clone();
            let cluster = tokio::task::spawn_blocking(move || Cluster::start(&dir))
                .await?
                .context("cannot start the embedded PostgreSQL (or set DATABASE_URL to use another server)")?;
            (cluster.connect_options(EMBEDDED_DATABASE), Some(cluster))
        }
    };
    create_database_if_missing(&options).await.with_context(|| {
        format!(
            "cannot reach PostgreSQL at {}: check that it runs and DATABASE_URL is right, \
             or unset DATABASE_URL to use the embedded cluster",
            describe(&options)
        )
    })?;
    let pool = pool(options, config.db_pool_size).await?;
    MIGRATOR.run(&pool).await.context("cannot run database migrations")?;
    Ok(Database { pool, cluster })
}

/// A pool that answers quickly when the database is gone, so requests get
/// a 503 instead of hanging, and that bounds every statement.
pub async fn pool(options: PgConnectOptions, size: u32) -> anyhow::Result<PgPool> {
    let options = options
        .options([("statement_timeout", "15s")])
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
    // No ping before each query: it doubled the round trips of every
    // request. A connection broken by a database restart fails its next
    // statement once and is then replaced.
    Ok(PgPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(3))
        .test_before_acquire(false)
        .connect_with(options)
        .await?)
}

fn describe(options: &PgConnectOptions) -> String {
    format!("{}/{}", options.get_host(), options.get_database().unwrap_or("?"))
}

/// Creates the target database through the `postgres` maintenance database
/// if connecting to it says it does not exist.
pub async fn create_database_if_missing(options: &PgConnectOptions) -> anyhow::Result<()> {
    match PgConnection::connect_with(options).await {
        Ok(conn) => {
            conn.close().await?;
            Ok(())
        }
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("3D000") => {
            let name = options.get_database().context("no database name")?.to_string();
            let mut admin = PgConnection::connect_with(&options.clone().database("postgres")).await?;
            sqlx::query(&format!("CREATE DATABASE {}", quote_ident(&name))).execute(&mut admin).await?;
            admin.close().await?;
            tracing::info!(database = %name, "created the database");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// Quotes an SQL identifier (database names cannot be bound parameters).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
