//! The commands that work with question files: `content check`, `import`
//! and `export`. `main.rs` parses the arguments and calls these.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use super::{read_files, report_json, report_table};
use crate::app::exams::Actor;
use crate::app::imports;
use crate::app::{self, App};
use crate::config::Config;
use crate::content::formats::Format;
use crate::content::import::Options;
use crate::{content, db};

/// What `mockexam import` was asked to do.
#[derive(Clone, Copy)]
pub struct ImportRequest<'a> {
    pub files: &'a [PathBuf],
    pub exam: &'a str,
    pub options: &'a Options,
    pub dry_run: bool,
    pub json: bool,
}

/// Checks exam folders, or question files of any format against an exam
/// folder's blueprint; exits non-zero on any error.
pub fn content_check(paths: &[PathBuf], exam_dir: Option<&Path>, options: &Options) -> ExitCode {
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
        failed |= match check_files(&files, exam_dir, options) {
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
fn check_files(files: &[PathBuf], exam_dir: Option<&Path>, options: &Options) -> anyhow::Result<bool> {
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
    let read = read_files(files, config.import_limit_bytes)?;
    let report = imports::check(&blueprint, &read, options);
    print!("{}", report_table(&report, &blueprint, true));
    Ok(!report.has_errors())
}

/// `mockexam import`: loads the bundled exams first (as the server does at
/// start, so the exam exists in a fresh database), then validates and,
/// unless it is a dry run, imports. Exits non-zero when anything is wrong.
pub async fn import_files(request: &ImportRequest<'_>) -> anyhow::Result<ExitCode> {
    let ImportRequest { files, exam: slug, options, dry_run, json } = *request;
    let config = Config::from_env()?;
    let files = read_files(files, config.import_limit_bytes)?;
    let mut database = db::open(&config).await?;
    let result = async {
        crate::load_content(&database.pool, &config.content_dir, time::OffsetDateTime::now_utc()).await?;
        let app = App::new(database.pool.clone(), Arc::new(config.clone()), Default::default());
        let exam = app::exams::by_slug(&app, slug).await.map_err(|e| match e {
            app::Error::NotFound => anyhow::anyhow!("no exam `{slug}` in this database"),
            e => e.into(),
        })?;
        let report = if dry_run {
            imports::validate(&app, &Actor::command_line(), slug, &files, options).await?
        } else {
            let actor = Actor::command_line();
            imports::import(&app, &actor, slug, &files, options).await?
        };
        anyhow::Ok((report, exam.blueprint))
    }
    .await;
    database.pool.close().await;
    if let Some(cluster) = database.cluster.as_mut() {
        cluster.stop()?;
    }
    let (report, blueprint) = result?;
    if json {
        print!("{}", report_json(&report));
    } else {
        print!("{}", report_table(&report, &blueprint, dry_run));
    }
    Ok(if report.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// `mockexam export`: the exam's current questions in a writable format,
/// to a file or standard output; what the format cannot carry goes to
/// standard error.
pub async fn export(exam: &str, format: &str, out: Option<&Path>, set: Option<&str>) -> anyhow::Result<()> {
    let format = Format::parse(format)
        .filter(|f| f.writable())
        .with_context(|| format!("cannot export as `{format}`: use markdown, json, gift, moodle-xml or csv"))?;
    let config = Config::from_env()?;
    let mut database = db::open(&config).await?;
    let result = async {
        crate::load_content(&database.pool, &config.content_dir, time::OffsetDateTime::now_utc()).await?;
        let app = App::new(database.pool.clone(), Arc::new(config.clone()), Default::default());
        imports::export(&app, &Actor::command_line(), exam, format, set).await.map_err(|e| match (e, set) {
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
