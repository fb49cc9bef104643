//! The backup file on disk: written whole or not at all, and its checksum.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

/// Writes `path` through `write`, into a temporary file beside it that is
/// synced and then renamed; on any failure the temporary file is removed.
pub fn write_atomically(path: &Path, write: impl FnOnce(&File) -> anyhow::Result<()>) -> anyhow::Result<u64> {
    let name = path.file_name().with_context(|| format!("{} names no file", path.display()))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temporary = dir.join(format!(".{}.partial-{}", name.to_string_lossy(), std::process::id()));
    let file = File::create(&temporary).with_context(|| format!("cannot create {}", temporary.display()))?;
    let result = write(&file)
        .and_then(|()| file.sync_all().context("cannot write the backup to disk"))
        .and_then(|()| Ok(file.metadata()?.len()))
        .and_then(|bytes| {
            std::fs::rename(&temporary, path).with_context(|| format!("cannot rename to {}", path.display()))?;
            // The rename itself reaches the disk with its folder.
            File::open(&dir).and_then(|d| d.sync_all()).context("cannot sync the backup's folder")?;
            Ok(bytes)
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.with_context(|| format!("no backup written to {} (the partial file is removed)", path.display()))
}

pub fn sha256_of(path: &Path) -> anyhow::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buffer[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::bail;

    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mockexam-backup-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_written_file_appears_whole_under_its_name() {
        let dir = scratch_dir("whole");
        let path = dir.join("b.dump");
        let bytes = write_atomically(&path, |mut file| {
            use std::io::Write;
            Ok(file.write_all(b"backup")?)
        })
        .unwrap();
        assert_eq!(bytes, 6);
        assert_eq!(std::fs::read(&path).unwrap(), b"backup");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file is left");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_no_file_and_says_why() {
        let dir = scratch_dir("failed");
        let path = dir.join("b.dump");
        let error = write_atomically(&path, |mut file| {
            use std::io::Write;
            file.write_all(b"half")?;
            bail!("No space left on device")
        })
        .unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.contains("No space left on device") && message.contains("partial file is removed"),
            "{message}"
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing is left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_checksum_is_sha256() {
        let dir = scratch_dir("sum");
        let path = dir.join("f");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(sha256_of(&path).unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
