//! Backups the running server takes itself (`MOCKEXAM_BACKUP_DIR`), every
//! `MOCKEXAM_BACKUP_EVERY` minutes, keeping the last `MOCKEXAM_BACKUP_KEEP`.
//!
//! Each one is `mockexam backup --out ...` run as a child process: the same
//! command an operator runs, writing atomically, and a failure (a full
//! disk) is the child's, logged, while the server goes on serving.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use super::archive::default_file_name;

#[derive(Debug, Clone)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

/// Takes a backup every `schedule.every`, the first one period after start,
/// for as long as the server runs.
pub async fn run(schedule: Schedule) {
    let program = match std::env::current_exe() {
        Ok(program) => program,
        Err(e) => {
            tracing::error!(error = %e, "scheduled backups are off: cannot find the mockexam binary");
            return;
        }
    };
    tracing::info!(dir = %schedule.dir.display(), every = ?schedule.every, keep = schedule.keep, "scheduled backups on");
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + schedule.every, schedule.every);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match take_one(&program, &schedule, time::OffsetDateTime::now_utc()).await {
            Ok(path) => tracing::info!(file = %path.display(), "scheduled backup written"),
            Err(e) => tracing::error!(error = %format!("{e:#}"), "scheduled backup failed"),
        }
    }
}

/// Runs `program backup --out DIR/mockexam-<now>.dump`, then removes all but
/// the newest `keep` backups in the folder.
pub async fn take_one(program: &Path, schedule: &Schedule, now: time::OffsetDateTime) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(&schedule.dir)
        .with_context(|| format!("cannot create the backup folder {}", schedule.dir.display()))?;
    let path = schedule.dir.join(default_file_name(now));
    let output = tokio::process::Command::new(program)
        .arg("backup")
        .arg("--out")
        .arg(&path)
        .kill_on_drop(true)
        .output()
        .await
        .with_context(|| format!("cannot run {}", program.display()))?;
    if !output.status.success() {
        bail!("{}", String::from_utf8_lossy(&output.stderr).trim());
    }
    let names: Vec<String> =
        std::fs::read_dir(&schedule.dir)?.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
    for name in to_remove(names, schedule.keep) {
        let old = schedule.dir.join(&name);
        std::fs::remove_file(&old).with_context(|| format!("cannot remove the old backup {}", old.display()))?;
    }
    Ok(path)
}

/// The backups beyond the newest `keep`: named by their time, so the names
/// sort oldest first. Other files in the folder are left alone.
pub fn to_remove(mut names: Vec<String>, keep: usize) -> Vec<String> {
    names.retain(|n| n.starts_with("mockexam-") && n.ends_with(".dump"));
    names.sort();
    let beyond = names.len().saturating_sub(keep);
    names.truncate(beyond);
    names
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn only_the_oldest_backups_beyond_the_kept_are_removed() {
        let names = [
            "mockexam-20261130-120000.dump",
            "notes.txt",
            "mockexam-20261129-120000.dump",
            "mockexam-20261201-000000.dump",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(to_remove(names.clone(), 2), vec!["mockexam-20261129-120000.dump".to_string()]);
        assert!(to_remove(names, 3).is_empty());
    }

    /// A stand-in for the binary: writes "$3" (the --out path), or fails
    /// like a full disk when told to.
    fn fake_mockexam(dir: &Path, fail: bool) -> PathBuf {
        let program = dir.join(if fail { "failing" } else { "writing" });
        let body = if fail {
            "echo 'error: no backup written: No space left on device' >&2; exit 1"
        } else {
            "echo backup > \"$3\""
        };
        std::fs::write(&program, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        program
    }

    #[tokio::test]
    async fn each_run_writes_a_backup_named_by_its_time_and_keeps_the_newest() {
        let root = std::env::temp_dir().join(format!("mockexam-schedule-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let schedule = Schedule { dir: root.join("backups"), every: Duration::from_secs(60), keep: 2 };
        let program = fake_mockexam(&root, false);
        let start = time::macros::datetime!(2026-11-30 12:00:00 UTC);
        for minute in 0..3 {
            take_one(&program, &schedule, start + Duration::from_secs(60 * minute)).await.unwrap();
        }
        let mut left: Vec<String> =
            std::fs::read_dir(&schedule.dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, ["mockexam-20261130-120100.dump", "mockexam-20261130-120200.dump"]);

        let failing = fake_mockexam(&root, true);
        let error = take_one(&failing, &schedule, start + Duration::from_secs(600)).await.unwrap_err();
        assert!(error.to_string().contains("No space left on device"), "{error}");
        assert_eq!(std::fs::read_dir(&schedule.dir).unwrap().count(), 2, "a failed run removes no older backup");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
