//! A project-local PostgreSQL cluster, started from the machine's server
//! binaries, reachable only through a Unix socket inside its data folder.
//!
//! The socket lives in the data folder (mode 0700), so only the cluster's
//! owner and root can reach it; trust authentication on that socket alone is
//! then safe and no password needs inventing. PostgreSQL refuses to run as
//! root, so when we are root the cluster runs as an unprivileged user that
//! owns the folder.
//!
//! One process at a time is in charge of the cluster and stops it when it
//! exits: the one holding an exclusive lock on `mockexam.lock` in the
//! folder. The kernel releases the lock when its holder dies, even by
//! SIGKILL, while the cluster itself runs on (it is a daemon of its own);
//! so the next server adopts a cluster left running and stops it at its
//! own shutdown, while a second live process (`user create` beside a
//! running server) finds the lock taken and leaves the cluster alone.

use std::ffi::CString;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;

/// The superuser made by `initdb`; trust auth on the private socket.
pub const SUPERUSER: &str = "mockexam";
const PORT: u16 = 5432;
/// Held (flock) by the process in charge of the cluster.
const LOCK_FILE: &str = "mockexam.lock";

#[derive(Debug)]
pub struct Cluster {
    data_dir: PathBuf,
    bin_dir: PathBuf,
    owner: Option<Owner>,
    /// Whether stopping the cluster is ours to do: we started it, or we
    /// adopted it from a process that died without stopping it.
    in_charge: bool,
    /// The lock on [`LOCK_FILE`], held for as long as this value lives;
    /// None when another live process holds it.
    lock: Option<File>,
}

#[derive(Debug, Clone, Copy)]
struct Owner {
    uid: u32,
    gid: u32,
}

const INSTALL_HINT: &str = "Install the PostgreSQL server (Debian/Ubuntu: `apt install postgresql`), \
or set DATABASE_URL to a PostgreSQL server you have, e.g. DATABASE_URL=postgres://user:pass@localhost/mockexam";

impl Cluster {
    /// Starts the cluster in `data_dir`, creating it on first use, or reuses
    /// it if it is already running: adopting it (to stop it later) if the
    /// process that started it is gone, leaving it to that process if not.
    pub fn start(data_dir: &Path) -> anyhow::Result<Cluster> {
        let bin_dir = find_bin_dir().context(INSTALL_HINT)?;
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create the data folder {}", data_dir.display()))?;
        let data_dir = data_dir
            .canonicalize()
            .with_context(|| format!("cannot resolve the data folder {}", data_dir.display()))?;
        let socket = data_dir.join(format!(".s.PGSQL.{PORT}"));
        if socket.as_os_str().len() > 100 {
            bail!(
                "the data folder path is too long for a Unix socket ({} bytes): set MOCKEXAM_DATA_DIR to a shorter path",
                socket.as_os_str().len()
            );
        }
        let owner = if unsafe { libc::geteuid() } == 0 { Some(unprivileged_owner()?) } else { None };
        if let Some(owner) = owner {
            check_reachable(&data_dir)?;
            chown(&data_dir, Some(owner.uid), Some(owner.gid))
                .with_context(|| format!("cannot hand {} to the database user", data_dir.display()))?;
        }
        std::fs::set_permissions(&data_dir, std::fs::Permissions::from_mode(0o700))?;

        let mut cluster = Cluster { data_dir, bin_dir, owner, in_charge: false, lock: None };
        if !cluster.data_dir.join("PG_VERSION").exists() {
            cluster.initdb()?;
        }
        // After initdb, which wants an empty folder.
        cluster.lock = lock(&cluster.data_dir.join(LOCK_FILE))?;
        let data_dir = cluster.data_dir.display().to_string();
        if !cluster.is_running() {
            cluster.pg_start()?;
            cluster.in_charge = true;
        } else if cluster.lock.is_some() {
            tracing::warn!(%data_dir, "adopting the embedded PostgreSQL left running by a server that stopped without stopping it; it is stopped at shutdown");
            cluster.in_charge = true;
        } else {
            tracing::info!(%data_dir, "reusing the embedded PostgreSQL of another running mockexam, which stops it");
        }
        Ok(cluster)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Whether this process stops the cluster when done: it started it, or
    /// adopted it from a process that died.
    pub fn in_charge(&self) -> bool {
        self.in_charge
    }

    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new().socket(&self.data_dir).port(PORT).username(SUPERUSER).database(database)
    }

    /// A URL for the same connection, for tools such as psql.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@localhost/{database}?host={}", self.data_dir.display())
    }

    /// A command for one of the server's client tools (`pg_dump`,
    /// `pg_restore`), run as the cluster's owner: as root, only it may
    /// enter the folder that holds the socket.
    pub fn tool(&self, program: &str) -> Command {
        self.command(program)
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin_dir.join(program));
        cmd.current_dir("/").env("LC_ALL", "C").env_remove("PGDATA");
        if let Some(owner) = self.owner {
            cmd.uid(owner.uid).gid(owner.gid);
        }
        cmd
    }

    fn run(&self, mut cmd: Command, what: &str) -> anyhow::Result<Output> {
        let out = cmd.output().with_context(|| format!("cannot run {what}"))?;
        if !out.status.success() {
            bail!(
                "{what} failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(out)
    }

    fn initdb(&self) -> anyhow::Result<()> {
        tracing::info!(data_dir = %self.data_dir.display(), "creating the embedded PostgreSQL cluster");
        let mut cmd = self.command("initdb");
        cmd.arg("-D").arg(&self.data_dir).args([
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        self.run(cmd, "initdb")?;
        // Only the socket, only inside the folder, and no TCP at all.
        let settings = format!(
            "\n# mockexam: reachable only through the socket in this folder\n\
             listen_addresses = ''\nunix_socket_directories = '{}'\nunix_socket_permissions = 0700\n\
             port = {PORT}\nlogging_collector = off\n",
            self.data_dir.display()
        );
        let conf = self.data_dir.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf)?;
        text.push_str(&settings);
        std::fs::write(&conf, text)?;
        Ok(())
    }

    fn is_running(&self) -> bool {
        let mut cmd = self.command("pg_ctl");
        cmd.arg("status").arg("-D").arg(&self.data_dir);
        cmd.output().is_ok_and(|o| o.status.success())
    }

    fn pg_start(&self) -> anyhow::Result<()> {
        let log = self.data_dir.join("server.log");
        let mut cmd = self.command("pg_ctl");
        cmd.arg("start").arg("-D").arg(&self.data_dir).arg("-l").arg(&log).args(["-w", "-t", "60"]);
        // pg_ctl's daemon must not die with our process group on Ctrl-C: we
        // stop it ourselves, after draining requests.
        cmd.process_group(0);
        self.run(cmd, "pg_ctl start").with_context(|| format!("see {}", log.display()))?;
        tracing::info!(data_dir = %self.data_dir.display(), "embedded PostgreSQL started (Unix socket only, no TCP port)");
        Ok(())
    }

    /// Stops the cluster if this process is in charge of it.
    pub fn stop(&mut self) -> anyhow::Result<()> {
        if !self.in_charge {
            return Ok(());
        }
        let mut cmd = self.command("pg_ctl");
        cmd.arg("stop").arg("-D").arg(&self.data_dir).args(["-m", "fast", "-w", "-t", "60"]);
        self.run(cmd, "pg_ctl stop")?;
        self.in_charge = false;
        tracing::info!("embedded PostgreSQL stopped");
        Ok(())
    }

    /// Stops the cluster whoever started it: for tests that need a database
    /// to go away.
    pub fn stop_now(&mut self) -> anyhow::Result<()> {
        self.in_charge = true;
        self.stop()
    }

    /// Starts a stopped cluster again.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.pg_start()?;
        self.in_charge = true;
        Ok(())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            tracing::error!(error = %e, "could not stop the embedded PostgreSQL");
        }
    }
}

/// Takes the exclusive lock on `path` if no other process holds it. The
/// descriptor is close-on-exec (as std opens files), so the cluster's own
/// processes never inherit the lock.
fn lock(path: &Path) -> anyhow::Result<Option<File>> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    // SAFETY: flock on a descriptor this function owns.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(Some(file));
    }
    let error = std::io::Error::last_os_error();
    if error.raw_os_error() == Some(libc::EWOULDBLOCK) {
        return Ok(None);
    }
    Err(error).with_context(|| format!("cannot lock {}", path.display()))
}

/// Finds a folder holding `postgres`, `initdb` and `pg_ctl`: on PATH, from
/// `pg_config --bindir`, or the newest `/usr/lib/postgresql/*/bin`.
pub fn find_bin_dir() -> anyhow::Result<PathBuf> {
    let complete = |dir: &Path| ["postgres", "initdb", "pg_ctl"].iter().all(|p| dir.join(p).is_file());
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            // A symlinked pg_ctl (Debian's wrappers) is followed to its folder.
            if let Ok(real) = dir.join("initdb").canonicalize()
                && let Some(parent) = real.parent()
                && complete(parent)
            {
                return Ok(parent.to_path_buf());
            }
        }
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if complete(&dir) {
            return Ok(dir);
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, dir)| complete(dir))
        .collect();
    candidates.sort();
    match candidates.pop() {
        Some((_, dir)) => Ok(dir),
        None => bail!(
            "no PostgreSQL server binaries (postgres, initdb, pg_ctl) found on PATH, via pg_config, or under /usr/lib/postgresql/*/bin"
        ),
    }
}

fn unprivileged_owner() -> anyhow::Result<Owner> {
    for name in ["postgres", "nobody"] {
        let cname = CString::new(name).expect("no NUL in a literal");
        // SAFETY: getpwnam returns null or a pointer to a static record that
        // we read at once, before any other passwd call.
        let pw = unsafe { libc::getpwnam(cname.as_ptr()) };
        if !pw.is_null() {
            let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
            if uid != 0 {
                return Ok(Owner { uid, gid });
            }
        }
    }
    bail!(
        "running as root, and no unprivileged `postgres` or `nobody` user exists to run PostgreSQL as; create one or run mockexam as an ordinary user"
    )
}

/// The cluster's user must be able to walk down to its folder.
fn check_reachable(dir: &Path) -> anyhow::Result<()> {
    for ancestor in dir.ancestors().skip(1) {
        let mode = std::fs::metadata(ancestor)?.permissions().mode();
        if mode & 0o001 == 0 {
            bail!(
                "PostgreSQL cannot run as root, and the unprivileged user it runs as cannot enter {} (mode {:o}). \
                 Set MOCKEXAM_DATA_DIR to a folder outside it (e.g. /var/lib/mockexam/postgres), or set DATABASE_URL",
                ancestor.display(),
                mode & 0o777
            );
        }
    }
    Ok(())
}
