use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use mockexam::account::{DisplayName, Email, Password, Role};
use mockexam::app::{self, App, accounts};
use mockexam::config::{Config, Logging};
use mockexam::{content, db, web};

#[derive(Parser)]
#[command(name = "mockexam", version, about = "A self-hosted practice-exam server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Work with question files without a database.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from stdin or prompted for.
    Create {
        #[arg(long)]
        email: String,
        /// learner, instructor or admin
        #[arg(long, default_value = "learner")]
        role: String,
        /// Display name; defaults to the part of the email before the @.
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Validate an exam folder (or a folder of exam folders) and print counts.
    Check { dir: PathBuf },
}

fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Content { command: ContentCommand::Check { dir } }) => return content_check(&dir),
        Some(Command::User { command: UserCommand::Create { email, role, name } }) => init_tracing()
            .and_then(|()| runtime())
            .and_then(|rt| rt.block_on(create_user(&email, &role, name.as_deref()))),
        Some(Command::Serve) | None => init_tracing().and_then(|()| runtime()).and_then(|rt| rt.block_on(serve())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Each password check allocates and frees 19 MiB. glibc's malloc raises
/// its mmap threshold to the largest block freed, after which such blocks
/// come from per-thread arenas and are kept there: a login flood left the
/// server at 880 MB. A fixed threshold keeps every block of 4 MiB or more
/// mapped on its own, and handed back to the system when freed.
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any
    // thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

fn init_tracing() -> anyhow::Result<()> {
    let logging = Logging::from_env()?;
    let builder = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_new(&logging.filter)?);
    if logging.json {
        builder.json().init();
    } else {
        builder.init();
    }
    Ok(())
}

async fn serve() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let database = db::open(&config).await?;
    match &database.cluster {
        Some(cluster) => tracing::info!(
            data = %cluster.data_dir().display(),
            "data lives in the embedded PostgreSQL at {}",
            cluster.data_dir().display()
        ),
        None => tracing::info!("data lives in the PostgreSQL named by DATABASE_URL"),
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {} (set MOCKEXAM_ADDR to another address)", config.addr))?;
    mockexam::load_content(&database.pool, &config.content_dir, time::OffsetDateTime::now_utc()).await?;
    let state = App::new(database.pool.clone(), Arc::new(config), Default::default());
    tokio::spawn(sweep(state.clone()));
    tracing::info!("listening on http://{}", listener.local_addr()?);
    web::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("requests drained; shutting down");
    database.pool.close().await;
    if let Some(mut cluster) = database.cluster {
        tokio::task::spawn_blocking(move || cluster.stop()).await??;
    }
    Ok(())
}

/// Runs the periodic sweep for as long as the server does.
async fn sweep(app: App) {
    let mut every = tokio::time::interval(app::SWEEP_EVERY);
    loop {
        every.tick().await;
        app::sweep(&app).await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested");
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }
}

async fn create_user(email: &str, role: &str, name: Option<&str>) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
    let role = Role::parse(role).with_context(|| format!("unknown role `{role}`: use learner, instructor or admin"))?;
    let name = name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or_default());
    let name = DisplayName::parse(name).map_err(anyhow::Error::msg)?;
    let password = Password::parse(&read_password()?).map_err(anyhow::Error::msg)?;
    let config = Config::from_env()?;
    let mut database = db::open(&config).await?;
    let app = App::new(database.pool.clone(), Arc::new(config), Default::default());
    let result = accounts::create_user(&app, &email, &name, password, role).await;
    database.pool.close().await;
    if let Some(cluster) = database.cluster.as_mut() {
        cluster.stop()?;
    }
    let user = result
        .with_context(|| format!("cannot create {}", email.as_str()))?
        .with_context(|| format!("cannot create {}: an account with this email already exists", email.as_str()))?;
    println!("created {} ({}) as {}", user.email, user.display_name, user.role.as_str());
    Ok(())
}

fn content_check(root: &Path) -> ExitCode {
    let dirs = match content::exam_dirs(root) {
        Ok(dirs) if !dirs.is_empty() => dirs,
        Ok(_) => {
            eprintln!("{}: no exam.toml here or in its sub-folders", root.display());
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("{}: {e}", root.display());
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    for dir in dirs {
        match content::load_dir(&dir) {
            Ok(exam) => print!("{}", content::summary(&exam)),
            Err(errors) => {
                failed = true;
                for e in &errors {
                    eprintln!("{e}");
                }
                eprintln!("{}: {} errors; nothing would be imported", dir.display(), errors.len());
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
