//! `mockexam backup`, `backup --verify` and `restore`: the whole database in
//! one file, with `pg_dump`'s custom format, from the server binaries the
//! embedded cluster uses.
//!
//! A backup is written to a temporary file beside its name, synced, then
//! renamed: a file with the final name is always whole. A restore proves
//! the file first (its data read to the end, then a full restore into a
//! scratch database), so a damaged file never touches the target, and
//! refuses a backup made by a newer mockexam than this one.

pub mod archive;
mod file;
pub mod schedule;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};

use crate::config::Config;
use crate::db::{self, Cluster, EMBEDDED_DATABASE, quote_ident};
use archive::Contents;
use file::{sha256_of, write_atomically};

/// The PostgreSQL a command works on: the embedded cluster or the server
/// `DATABASE_URL` names, and the database there.
struct Server {
    /// The URL of the database, for `pg_dump` and `pg_restore`.
    url: String,
    options: PgConnectOptions,
    /// Held while the command runs; stopped when dropped if ours to stop.
    cluster: Option<Cluster>,
    bin_dir: PathBuf,
}

impl Server {
    /// Starts or adopts the embedded cluster as the server does (creating
    /// it when `create` is set), or names `DATABASE_URL`'s server.
    async fn open(config: &Config, create: bool) -> anyhow::Result<Server> {
        match &config.database_url {
            Some(url) => {
                let options = PgConnectOptions::from_str(url).context("DATABASE_URL is not a valid PostgreSQL URL")?;
                let bin_dir = db::embedded::find_bin_dir()?;
                Ok(Server { url: url.clone(), options, cluster: None, bin_dir })
            }
            None => {
                if !create && !config.data_dir.join("PG_VERSION").exists() {
                    bail!(
                        "there is no embedded database in {} (set MOCKEXAM_DATA_DIR, or DATABASE_URL for another server)",
                        config.data_dir.display()
                    );
                }
                let dir = config.data_dir.clone();
                let cluster = tokio::task::spawn_blocking(move || Cluster::start(&dir))
                    .await?
                    .context("cannot start the embedded PostgreSQL")?;
                Ok(Server {
                    url: cluster.url(EMBEDDED_DATABASE),
                    options: cluster.connect_options(EMBEDDED_DATABASE),
                    cluster: Some(cluster),
                    bin_dir: db::embedded::find_bin_dir()?,
                })
            }
        }
    }

    fn database(&self) -> String {
        self.options.get_database().unwrap_or(self.options.get_username()).to_string()
    }

    /// `pg_dump` or `pg_restore`, with the backup file (if any) as its
    /// standard input: a file, so it can seek, and opened by us, so it
    /// need not be readable by the cluster's user.
    fn tool(&self, program: &str, input: Option<&Path>) -> anyhow::Result<Command> {
        let mut cmd = match &self.cluster {
            Some(cluster) => cluster.tool(program),
            None => Command::new(self.bin_dir.join(program)),
        };
        if let Some(path) = input {
            let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            cmd.stdin(file);
        }
        cmd.arg("--no-password");
        Ok(cmd)
    }

    fn stop(mut self) -> anyhow::Result<()> {
        if let Some(mut cluster) = self.cluster.take() {
            cluster.stop()?;
        }
        Ok(())
    }
}

/// Runs `cmd`, failing with its standard error.
fn run(mut cmd: Command, what: &str) -> anyhow::Result<Vec<u8>> {
    let out = cmd.stderr(Stdio::piped()).output().with_context(|| format!("cannot run {what}"))?;
    if !out.status.success() {
        bail!("{what} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(out.stdout)
}

/// A backup written: where, how large, and its SHA-256.
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
}

/// `mockexam backup`: a consistent copy of the database (`pg_dump` reads
/// it in one snapshot while the server goes on serving) in `out`, or in
/// `mockexam-YYYYMMDD-HHMMSS.dump` here.
pub async fn backup(config: &Config, out: Option<&Path>) -> anyhow::Result<Written> {
    let path = match out {
        Some(path) => path.to_path_buf(),
        None => PathBuf::from(archive::default_file_name(time::OffsetDateTime::now_utc())),
    };
    let server = Server::open(config, false).await?;
    let written = write_atomically(&path, |file| {
        let mut cmd = server.tool("pg_dump", None)?;
        cmd.args(["--format=custom", "--dbname"]).arg(&server.url).stdout(file.try_clone()?);
        run(cmd, "pg_dump").map(drop)
    });
    server.stop()?;
    let bytes = written?;
    Ok(Written { sha256: sha256_of(&path)?, path, bytes })
}

/// Reads the whole file through `pg_restore`: its table of contents, then
/// all its data. Any failure means the file is damaged.
fn read_archive(server: &Server, file: &Path) -> anyhow::Result<Contents> {
    let damaged = || format!("{} is damaged (or not a mockexam backup); nothing was changed", file.display());
    let mut list = server.tool("pg_restore", Some(file))?;
    list.arg("--list");
    run(list, "pg_restore --list").with_context(damaged)?;
    let mut data = server.tool("pg_restore", Some(file))?;
    data.args(["--data-only", "--file=-"]).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = data.spawn().context("cannot run pg_restore")?;
    let stdout = child.stdout.take().expect("piped");
    let read = archive::read_contents(BufReader::new(stdout));
    let out = child.wait_with_output()?;
    if !out.status.success() {
        return Err(anyhow::anyhow!(
            "pg_restore failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
        .with_context(damaged);
    }
    read.context("its data ends early").with_context(damaged)
}

/// Refuses a backup whose schema is newer than this binary's migrations.
fn check_schema(contents: &Contents, file: &Path) -> anyhow::Result<i64> {
    let known = latest_migration();
    match contents.schema_version {
        None => bail!("{} holds no _sqlx_migrations table: it is not a mockexam backup", file.display()),
        Some(version) if version > known => bail!(
            "{} was made with a newer mockexam: its schema is at version {version}, and this mockexam knows \
             versions up to {known}. Restore it with a newer mockexam; nothing was changed",
            file.display()
        ),
        Some(version) => Ok(version),
    }
}

fn latest_migration() -> i64 {
    db::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Restores `file` into a scratch database on the same server, runs the
/// migrations there and counts its rows; the scratch database is dropped
/// whatever happens. Returns the counts before the migrations (to compare
/// with the file) and after.
async fn prove(server: &Server, file: &Path) -> anyhow::Result<(BTreeMap<String, u64>, BTreeMap<String, u64>)> {
    let scratch = format!("mockexam_scratch_{}", uuid::Uuid::new_v4().simple());
    // Through the maintenance database: the target may not exist yet.
    let admin = server.options.clone().database("postgres");
    let mut conn = PgConnection::connect_with(&admin).await.context("cannot connect to PostgreSQL")?;
    sqlx::query(&format!("CREATE DATABASE {}", quote_ident(&scratch)))
        .execute(&mut conn)
        .await
        .context("cannot create a scratch database to check the backup in (the user needs CREATEDB)")?;
    let result = async {
        let mut restore = server.tool("pg_restore", Some(file))?;
        restore
            .args(["--exit-on-error", "--no-owner", "--no-privileges", "--dbname"])
            .arg(archive::with_database(&server.url, &scratch));
        run(restore, "pg_restore").with_context(|| {
            format!("{} is damaged: it does not restore into a scratch database; nothing was changed", file.display())
        })?;
        let mut copy = PgConnection::connect_with(&admin.clone().database(&scratch)).await?;
        let before = row_counts(&mut copy).await?;
        db::MIGRATOR.run(&mut copy).await.context("the migrations fail on the restored copy")?;
        let after = row_counts(&mut copy).await?;
        copy.close().await?;
        anyhow::Ok((before, after))
    }
    .await;
    let dropped = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&scratch)))
        .execute(&mut conn)
        .await;
    conn.close().await?;
    let counts = result?;
    dropped.with_context(|| format!("cannot drop the scratch database {scratch}"))?;
    Ok(counts)
}

/// Rows per table of the `public` schema.
async fn row_counts(conn: &mut PgConnection) -> anyhow::Result<BTreeMap<String, u64>> {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            .fetch_all(&mut *conn)
            .await?;
    let mut counts = BTreeMap::new();
    for table in tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM public.{}", quote_ident(&table)))
            .fetch_one(&mut *conn)
            .await?;
        counts.insert(table, n as u64);
    }
    Ok(counts)
}

/// `mockexam backup --verify`: the file read whole, restored into a scratch
/// database and migrated; each table's rows in the file and in the copy.
/// Fails when the file is damaged or a count differs.
pub async fn verify(config: &Config, file: &Path) -> anyhow::Result<String> {
    let server = Server::open(config, true).await?;
    let result = async {
        let contents = read_archive(&server, file)?;
        let version = check_schema(&contents, file)?;
        let (restored, migrated) = prove(&server, file).await?;
        anyhow::Ok((contents, version, restored, migrated))
    }
    .await;
    server.stop()?;
    let (contents, version, restored, migrated) = result?;
    let mut report = format!("{}: schema version {version}\n", file.display());
    report += &format!("{:<28} {:>10} {:>10} {:>10}\n", "table", "in file", "restored", "migrated");
    for (table, n) in &contents.rows {
        let get = |counts: &BTreeMap<String, u64>| counts.get(table).copied().unwrap_or(0);
        report += &format!("{table:<28} {n:>10} {:>10} {:>10}\n", get(&restored), get(&migrated));
    }
    let wrong = archive::mismatches(&contents.rows, &restored);
    if !wrong.is_empty() {
        let list: Vec<String> = wrong.iter().map(|(t, f, r)| format!("{t}: {f} in the file, {r} restored")).collect();
        bail!("{report}the restored copy differs from the file: {}", list.join("; "));
    }
    Ok(report + "All counts match.\n")
}

/// `mockexam restore`: the file proven, then restored in one transaction
/// into the configured database (created if missing, the embedded cluster
/// too), which must hold no data unless `force`; then the migrations run.
pub async fn restore(config: &Config, file: &Path, force: bool) -> anyhow::Result<String> {
    let server = Server::open(config, true).await?;
    let result = restore_into(&server, file, force).await;
    server.stop()?;
    result
}

async fn restore_into(server: &Server, file: &Path, force: bool) -> anyhow::Result<String> {
    let contents = read_archive(server, file)?;
    let version = check_schema(&contents, file)?;
    db::create_database_if_missing(&server.options).await.context("cannot reach PostgreSQL")?;
    let database = server.database();
    let mut conn = PgConnection::connect_with(&server.options).await?;
    let counts = row_counts(&mut conn).await?;
    // The migrations table alone is not data: a migrated empty database.
    let holding: Vec<String> = counts
        .iter()
        .filter(|(t, n)| **n > 0 && t.as_str() != "_sqlx_migrations")
        .map(|(t, n)| format!("{t}: {n} rows"))
        .collect();
    if !holding.is_empty() && !force {
        bail!(
            "the database {database} holds data ({}); a restore replaces all of it: give --force to do so, \
             or restore into an empty database",
            holding.join(", ")
        );
    }
    prove(server, file).await?;
    if !counts.is_empty() {
        // Everything in it is replaced: the schema goes whole.
        sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            .execute(&mut conn)
            .await
            .context("cannot empty the database")?;
    }
    conn.close().await?;
    let mut restore = server.tool("pg_restore", Some(file))?;
    restore
        .args(["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", "--dbname"])
        .arg(&server.url);
    run(restore, "pg_restore")?;
    let pool = db::pool(server.options.clone(), 1).await?;
    db::MIGRATOR.run(&pool).await.context("cannot run database migrations")?;
    pool.close().await;
    let users = contents.rows.get("users").copied().unwrap_or(0);
    let attempts = contents.rows.get("attempts").copied().unwrap_or(0);
    Ok(format!(
        "restored {} into {database}: schema version {version} (now {}), {users} users, {attempts} attempts\n",
        file.display(),
        latest_migration()
    ))
}
