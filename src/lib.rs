//! mockexam: a self-hosted practice-exam server.

pub mod account;
pub mod analysis;
pub mod app;
pub mod assignments;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod config;
pub mod content;
pub mod db;
pub mod exam;
pub mod groups;
pub mod progress;
pub mod store;
pub mod web;

use std::path::Path;

/// Loads every exam folder under `root` into the database, each in one
/// transaction; an exam whose files have errors is skipped with every error
/// logged, and what was loaded before stays as it was.
pub async fn load_content(db: &sqlx::PgPool, root: &Path, now: time::OffsetDateTime) -> anyhow::Result<()> {
    let dirs = match content::exam_dirs(root) {
        Ok(dirs) => dirs,
        Err(e) => {
            tracing::warn!(dir = %root.display(), error = %e, "no bundled content loaded");
            return Ok(());
        }
    };
    for dir in dirs {
        match content::load_dir(&dir) {
            Ok(exam) => {
                let report = store::exams::import(db, &exam, now).await?;
                tracing::info!(
                    exam = %exam.blueprint.slug,
                    added = report.added,
                    changed = report.changed,
                    unchanged = report.unchanged,
                    retired = report.retired,
                    "content loaded"
                );
            }
            Err(errors) => {
                for e in &errors {
                    tracing::error!("{e}");
                }
                tracing::error!(dir = %dir.display(), errors = errors.len(), "content has errors; not loaded");
            }
        }
    }
    Ok(())
}
