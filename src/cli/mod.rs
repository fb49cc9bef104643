//! What the command line prints and reads for imports and exports: files
//! read under the size limit with a progress line on a terminal, and the
//! report as a table or as JSON. The commands are in [`commands`].

pub mod commands;

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use crate::app::imports::{Report, ReportJson};
use crate::content::counts_table;
use crate::content::formats::Severity;
use crate::exam::Blueprint;

/// Files smaller than this in all are read without a progress line.
const PROGRESS_FROM: usize = 1 << 20;

/// Reads `paths` whole, refusing as soon as all of them together pass
/// `limit` bytes: a file is never read further than the limit. On a
/// terminal, large reads show a progress line on stderr.
pub fn read_files(paths: &[impl AsRef<Path>], limit: usize) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let sizes: Vec<u64> = paths.iter().map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).collect();
    let total: u64 = sizes.iter().sum();
    let progress = std::io::stderr().is_terminal() && total as usize >= PROGRESS_FROM;
    let mut files = Vec::with_capacity(paths.len());
    let mut read_so_far = 0usize;
    for path in paths {
        let path = path.as_ref();
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let mut bytes = Vec::new();
        let mut reader = file.take((limit - read_so_far) as u64 + 1);
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut chunk).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&chunk[..n]);
            read_so_far += n;
            if read_so_far > limit {
                anyhow::bail!(
                    "{name}: the files are larger than the import limit of {} KB in all \
                     (MOCKEXAM_IMPORT_LIMIT_KB); nothing was imported",
                    limit / 1024
                );
            }
            if progress {
                show_progress(read_so_far, total as usize, &name);
            }
        }
        files.push((name, bytes));
    }
    if progress {
        eprintln!();
    }
    Ok(files)
}

fn show_progress(done: usize, total: usize, name: &str) {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH).min(WIDTH);
    let mb = |b: usize| b as f64 / (1024.0 * 1024.0);
    eprint!(
        "\rreading [{}{}] {:.1} of {:.1} MB  {name}",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        mb(done),
        mb(total)
    );
    let _ = std::io::stderr().flush();
}

/// The report as a person reads it: the files, the questions per domain and
/// kind, what the import does, then every problem with its place.
pub fn report_table(report: &Report, blueprint: &Blueprint, dry_run: bool) -> String {
    let mut out = String::new();
    let c = &report.counts;
    let errors = report.problems.iter().filter(|p| p.problem.severity == Severity::Error).count();
    out += &format!(
        "{}: {} questions read from {} file(s): {} new, {} unchanged, {} new versions; {} skipped, {} warnings, {} errors\n\n",
        report.exam,
        report.questions.len(),
        report.files.len(),
        c.added,
        c.unchanged,
        c.changed,
        c.skipped,
        c.warnings,
        errors
    );
    let width = report.files.iter().map(|f| f.name.len()).max().unwrap_or(4).max(4);
    out += &format!("{:<width$}  {:<10}  {:>10}  {:>9}\n", "file", "format", "bytes", "questions");
    for f in &report.files {
        out += &format!("{:<width$}  {:<10}  {:>10}  {:>9}\n", f.name, f.format, f.bytes, f.questions);
    }
    out += "\n";
    let mut counts = BTreeMap::new();
    for (domain, kind, n) in report.per_domain() {
        counts.insert((domain, kind), n);
    }
    let domains: Vec<&str> = blueprint.domains.iter().map(|d| d.code.as_str()).collect();
    out += &counts_table(&domains, &counts);
    if !report.problems.is_empty() {
        out += "\n";
        for p in &report.problems {
            out += &format!("{p}\n");
        }
    }
    out += "\n";
    out += if errors > 0 {
        "Nothing was imported: fix the errors above and run again.\n"
    } else if dry_run {
        "Dry run: nothing was imported. Run again without --dry-run to import.\n"
    } else {
        "Imported.\n"
    };
    out
}

/// The report as JSON, as the API answers it.
pub fn report_json(report: &Report) -> String {
    serde_json::to_string_pretty(&ReportJson::from(report)).expect("a report serializes") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_under_the_limit_and_refused_past_it() {
        let dir = std::env::temp_dir().join(format!("mockexam-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b) = (dir.join("a.gift"), dir.join("b.gift"));
        std::fs::write(&a, vec![b'x'; 600]).unwrap();
        std::fs::write(&b, vec![b'y'; 600]).unwrap();
        let files = read_files(&[&a], 1000).unwrap();
        assert_eq!(files[0].1.len(), 600);
        let refused = read_files(&[&a, &b], 1000).unwrap_err().to_string();
        assert!(refused.contains("b.gift: the files are larger than the import limit"), "{refused}");
        assert_eq!(read_files(&[&a, &b], 1200).unwrap().len(), 2, "exactly the limit is allowed");
        assert!(read_files(&[dir.join("missing.gift")], 1000).unwrap_err().to_string().contains("missing.gift"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
