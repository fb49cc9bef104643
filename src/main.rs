use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "mockexam", version, about = "A self-hosted practice-exam server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Work with question files without a database.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Validate an exam folder (or a folder of exam folders) and print counts.
    Check { dir: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Content { command: ContentCommand::Check { dir } }) => content_check(&dir),
        None => ExitCode::SUCCESS,
    }
}

fn content_check(root: &std::path::Path) -> ExitCode {
    let dirs = match mockexam::content::exam_dirs(root) {
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
        match mockexam::content::load_dir(&dir) {
            Ok(content) => print!("{}", mockexam::content::summary(&content)),
            Err(errors) => {
                failed = true;
                for e in &errors {
                    eprintln!("{e}");
                }
                eprintln!("{}: {} errors", dir.display(), errors.len());
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
