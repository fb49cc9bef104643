use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use mockexam::account::{DisplayName, Email, Password, Role};
use mockexam::app::{self, App, accounts};
use mockexam::cli::commands::{self, ImportRequest};
use mockexam::config::{Config, Logging};
use mockexam::content::formats::Format;
use mockexam::content::import;
use mockexam::{db, web};

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
    /// Import question files (Markdown, JSON, GIFT, Moodle XML, Aiken, CSV)
    /// into an exam: all or nothing, after a report of every problem.
    Import(ImportArgs),
    /// Write an exam's questions to a file in one of the writable formats.
    Export {
        #[arg(long)]
        exam: String,
        /// markdown, json, gift, moodle-xml or csv
        #[arg(long)]
        format: String,
        /// Where to write; standard output when not given.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only the questions of this question set: the file they came
        /// from, such as d1-etl.md or bank.gift.
        #[arg(long)]
        set: Option<String>,
    },
    /// Back up the whole database into one file while the server runs; or,
    /// with --verify, check a backup by restoring it into a scratch database.
    Backup {
        /// Where to write; mockexam-YYYYMMDD-HHMMSS.dump (UTC) here when not given.
        #[arg(long, conflicts_with = "verify")]
        out: Option<PathBuf>,
        /// Check this backup file instead of writing one.
        #[arg(long, value_name = "FILE")]
        verify: Option<PathBuf>,
    },
    /// Restore a backup into an empty database (or a new embedded one),
    /// then bring its schema up to date.
    Restore {
        file: PathBuf,
        /// Replace a database that holds data.
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::Args)]
struct ImportArgs {
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The exam's slug, such as mla-c01.
    #[arg(long)]
    exam: String,
    #[command(flatten)]
    mapping: MappingArgs,
    /// Report only: nothing is imported.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON (as the API answers it).
    #[arg(long)]
    json: bool,
}

/// How foreign files are read and their categories mapped to domains.
#[derive(clap::Args)]
struct MappingArgs {
    /// The format of every file; guessed from each file's name when not
    /// given: markdown, json, gift, moodle-xml, aiken or csv.
    #[arg(long)]
    format: Option<String>,
    /// CATEGORY=DOMAIN: questions in this category (or below it) go in this
    /// domain. Repeat for each category.
    #[arg(long = "domain-map", value_name = "CATEGORY=DOMAIN")]
    domain_map: Vec<String>,
    /// The domain of every question whose category maps to none.
    #[arg(long, value_name = "DOMAIN")]
    all_in_domain: Option<String>,
}

impl MappingArgs {
    fn options(&self) -> anyhow::Result<import::Options> {
        let format = match &self.format {
            Some(name) => Some(Format::parse(name).with_context(|| {
                format!("unknown format `{name}`: use markdown, json, gift, moodle-xml, aiken or csv")
            })?),
            None => None,
        };
        let domain_map = self
            .domain_map
            .iter()
            .map(|m| import::Options::parse_mapping(m))
            .collect::<Result<_, _>>()
            .map_err(anyhow::Error::msg)?;
        Ok(import::Options { format, domain_map, all_in_domain: self.all_in_domain.clone() })
    }
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
    /// Validate an exam folder (or a folder of exam folders) and print
    /// counts; or, given question files of any readable format, check them
    /// against an exam folder's blueprint (`--exam-dir`).
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The exam folder (with its exam.toml) that files are checked
        /// against; by default the folder a file is in.
        #[arg(long)]
        exam_dir: Option<PathBuf>,
        #[command(flatten)]
        mapping: MappingArgs,
    },
}

fn main() -> ExitCode {
    mockexam::tune_allocator();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Content { command: ContentCommand::Check { paths, exam_dir, mapping } }) => {
            return match mapping.options() {
                Ok(options) => commands::content_check(&paths, exam_dir.as_deref(), &options),
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            };
        }
        Some(Command::Import(args)) => {
            let imported = args.mapping.options().and_then(|options| {
                let request = ImportRequest {
                    files: &args.files,
                    exam: &args.exam,
                    options: &options,
                    dry_run: args.dry_run,
                    json: args.json,
                };
                runtime().and_then(|rt| rt.block_on(commands::import_files(&request)))
            });
            return match imported {
                Ok(code) => code,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            };
        }
        Some(Command::Export { exam, format, out, set }) => {
            runtime().and_then(|rt| rt.block_on(commands::export(&exam, &format, out.as_deref(), set.as_deref())))
        }
        Some(Command::Backup { out, verify }) => runtime().and_then(|rt| rt.block_on(backup(out, verify))),
        Some(Command::Restore { file, force }) => runtime().and_then(|rt| {
            rt.block_on(async {
                let report = mockexam::backup::restore(&Config::from_env()?, &file, force).await?;
                print!("{report}");
                Ok(())
            })
        }),
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
    if let Some(schedule) = config.scheduled_backups.clone() {
        tokio::spawn(mockexam::backup::schedule::run(schedule));
    }
    let state = App::new(database.pool.clone(), Arc::new(config), Default::default());
    tokio::spawn(sweep(state.clone()));
    tokio::spawn(async {
        let mut every = tokio::time::interval(mockexam::RETURN_FREE_MEMORY_EVERY);
        loop {
            every.tick().await;
            mockexam::return_free_memory();
        }
    });
    // The metrics listener lives as long as the process: a scrape cut at
    // shutdown loses nothing.
    let metrics = web::metrics::listen(&state, std::future::pending()).await.with_context(|| {
        let addr = state.config.metrics_addr.map(|a| a.to_string()).unwrap_or_default();
        format!("cannot listen for metrics on {addr} (set MOCKEXAM_METRICS_ADDR to another address)")
    })?;
    if let Some(addr) = metrics {
        tracing::info!("metrics on http://{addr}/metrics");
    }
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

async fn backup(out: Option<PathBuf>, verify: Option<PathBuf>) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    if let Some(file) = verify {
        print!("{}", mockexam::backup::verify(&config, &file).await?);
        return Ok(());
    }
    let written = mockexam::backup::backup(&config, out.as_deref()).await?;
    println!("{}", written.path.display());
    println!("size    {} bytes", written.bytes);
    println!("sha256  {}", written.sha256);
    Ok(())
}
