use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use mockexam::account::{DisplayName, Email, Password, Role};
use mockexam::app::imports::{self, Actor};
use mockexam::app::{self, App, accounts};
use mockexam::config::{Config, Logging};
use mockexam::content::formats::Format;
use mockexam::content::import;
use mockexam::{cli, content, db, web};

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
    return_large_blocks_to_the_system();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Content { command: ContentCommand::Check { paths, exam_dir, mapping } }) => {
            return content_check(&paths, exam_dir.as_deref(), &mapping);
        }
        Some(Command::Import(args)) => {
            return match runtime().and_then(|rt| rt.block_on(import_files(&args))) {
                Ok(code) => code,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            };
        }
        Some(Command::Export { exam, format, out, set }) => {
            runtime().and_then(|rt| rt.block_on(export(&exam, &format, out.as_deref(), set.as_deref())))
        }
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

/// Checks exam folders, or question files of any format against an exam
/// folder's blueprint; exits non-zero on any error.
fn content_check(paths: &[PathBuf], exam_dir: Option<&Path>, mapping: &MappingArgs) -> ExitCode {
    let mut failed = false;
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            failed |= !check_exam_dirs(path);
        } else {
            files.push(path.clone());
        }
    }
    if !files.is_empty() {
        failed |= match check_files(&files, exam_dir, mapping) {
            Ok(ok) => !ok,
            Err(e) => {
                eprintln!("error: {e:#}");
                true
            }
        };
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn check_exam_dirs(root: &Path) -> bool {
    let dirs = match content::exam_dirs(root) {
        Ok(dirs) if !dirs.is_empty() => dirs,
        Ok(_) => {
            eprintln!("{}: no exam.toml here or in its sub-folders", root.display());
            return false;
        }
        Err(e) => {
            eprintln!("{}: {e}", root.display());
            return false;
        }
    };
    let mut ok = true;
    for dir in dirs {
        match content::load_dir(&dir) {
            Ok(exam) => print!("{}", content::summary(&exam)),
            Err(errors) => {
                ok = false;
                for e in &errors {
                    eprintln!("{e}");
                }
                eprintln!("{}: {} errors; nothing would be imported", dir.display(), errors.len());
            }
        }
    }
    ok
}

/// Checks question files against a blueprint, as an import would, without
/// a database: every question is reported as new.
fn check_files(files: &[PathBuf], exam_dir: Option<&Path>, mapping: &MappingArgs) -> anyhow::Result<bool> {
    let dir = match exam_dir {
        Some(dir) => dir.to_path_buf(),
        None => files[0].parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let toml_path = dir.join("exam.toml");
    let toml = std::fs::read_to_string(&toml_path).with_context(|| {
        format!("{}: cannot read the blueprint; name the exam folder with --exam-dir", toml_path.display())
    })?;
    let blueprint = content::parse_blueprint(&toml_path.display().to_string(), &toml)
        .map_err(|errors| anyhow::anyhow!(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")))?;
    let config = Config::from_env()?;
    let read = cli::read_files(files, config.import_limit_bytes)?;
    let report = imports::check(&blueprint, &read, &mapping.options()?);
    print!("{}", cli::report_table(&report, &blueprint, true));
    Ok(!report.has_errors())
}

/// `mockexam import`: loads the bundled exams first (as the server does at
/// start, so the exam exists in a fresh database), then validates and,
/// unless it is a dry run, imports. Exits non-zero when anything is wrong.
async fn import_files(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let options = args.mapping.options()?;
    let config = Config::from_env()?;
    let files = cli::read_files(&args.files, config.import_limit_bytes)?;
    let mut database = db::open(&config).await?;
    let result = async {
        mockexam::load_content(&database.pool, &config.content_dir, time::OffsetDateTime::now_utc()).await?;
        let app = App::new(database.pool.clone(), Arc::new(config.clone()), Default::default());
        let exam = app::exams::by_slug(&app, &args.exam).await.map_err(|e| match e {
            app::Error::NotFound => anyhow::anyhow!("no exam `{}` in this database", args.exam),
            e => e.into(),
        })?;
        let report = if args.dry_run {
            imports::validate(&app, &args.exam, &files, &options).await?
        } else {
            let actor = Actor { user_id: None, name: "command line".into() };
            imports::import(&app, &actor, &args.exam, &files, &options).await?
        };
        anyhow::Ok((report, exam.blueprint))
    }
    .await;
    database.pool.close().await;
    if let Some(cluster) = database.cluster.as_mut() {
        cluster.stop()?;
    }
    let (report, blueprint) = result?;
    if args.json {
        print!("{}", cli::report_json(&report));
    } else {
        print!("{}", cli::report_table(&report, &blueprint, args.dry_run));
    }
    Ok(if report.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// `mockexam export`: the exam's current questions in a writable format,
/// to a file or standard output; what the format cannot carry goes to
/// standard error.
async fn export(exam: &str, format: &str, out: Option<&Path>, set: Option<&str>) -> anyhow::Result<()> {
    let format = Format::parse(format)
        .filter(|f| f.writable())
        .with_context(|| format!("cannot export as `{format}`: use markdown, json, gift, moodle-xml or csv"))?;
    let config = Config::from_env()?;
    let mut database = db::open(&config).await?;
    let result = async {
        mockexam::load_content(&database.pool, &config.content_dir, time::OffsetDateTime::now_utc()).await?;
        let app = App::new(database.pool.clone(), Arc::new(config.clone()), Default::default());
        imports::export(&app, exam, format, set).await.map_err(|e| match (e, set) {
            (app::Error::NotFound, Some(set)) => anyhow::anyhow!("no exam `{exam}`, or no question set `{set}` in it"),
            (app::Error::NotFound, None) => anyhow::anyhow!("no exam `{exam}` in this database"),
            (e, _) => e.into(),
        })
    }
    .await;
    database.pool.close().await;
    if let Some(cluster) = database.cluster.as_mut() {
        cluster.stop()?;
    }
    let written = result?.context("this format is read only")?;
    match out {
        Some(path) => {
            std::fs::write(path, &written.text).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => std::io::stdout().write_all(written.text.as_bytes())?,
    }
    for (id, lost) in &written.losses {
        eprintln!("{id}: {lost}");
    }
    if !written.losses.is_empty() {
        eprintln!(
            "{} questions or parts could not be written as {}: {}",
            written.losses.len(),
            format.as_str(),
            format.loses()
        );
    }
    Ok(())
}
