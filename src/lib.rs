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

/// Each password check allocates and frees 19 MiB. glibc's malloc raises
/// its mmap threshold to the largest block freed, after which such blocks
/// come from per-thread arenas and are kept there: a login flood left the
/// server at 880 MB. A fixed threshold keeps every block of 4 MiB or more
/// mapped on its own, and handed back to the system when freed.
///
/// Smaller blocks stay in the arenas, up to 16 MiB free at an arena's top:
/// with glibc's 128 KiB default, the brotli tables each compressed page
/// needs were handed back and faulted in again on every response, which
/// halved the item page's throughput (`perf`, BENCHMARKS.md).
///
/// One arena per core rather than glibc's eight: the runtime has a worker
/// per core, and every further arena keeps free memory of its own.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        // SAFETY: mallopt only sets allocator parameters; called at start,
        // before any thread is busy.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 16 << 20);
            libc::mallopt(libc::M_ARENA_MAX, cores.clamp(1, 64) as libc::c_int);
        }
    }
}

/// How often the server hands free memory back to the system.
pub const RETURN_FREE_MEMORY_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Hands back to the system the free pages inside the allocator's heaps,
/// not only at their tops. A start burst of thousands of examinees left
/// 80 of 259 MB free but resident (5,000 examinees, BENCHMARKS.md); the
/// trim threshold alone keeps that until the heap's top is free. Run every
/// few seconds, not per response: a page handed back costs a fault when
/// it is used again.
pub fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages; it takes the arenas'
    // own locks.
    unsafe {
        libc::malloc_trim(0);
    }
}
