//! Files the program writes for the user (backups, restores, upgrade copies, rejects files,
//! exports, templates) are made whole or not at all: each is written to a temporary file in
//! the same folder (`.NAME.nuanfeng-tmp-PID`, readable by its owner only), flushed to disk,
//! verified by its caller where there is something to verify, and only then renamed to its
//! real name. A run killed halfway leaves at most a temporary, which the next run writing to
//! the same name removes ([`PendingFile::create`]) and `check` names
//! ([`stale_temporaries`]). No output follows a symbolic link: a link at the real name is
//! refused, dangling or not.
//!
//! It knows nothing of SQLite or of the registry; it prints nothing.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use rust_i18n::t;

/// What every temporary name holds after the real name: `.NAME` + this + the process id.
pub const TEMP_TAG: &str = ".nuanfeng-tmp-";

/// A file being written under a temporary name beside its real name. [`PendingFile::commit`]
/// flushes it and renames it into place; dropped before that, it is removed.
#[derive(Debug)]
pub struct PendingFile {
    file: Option<File>,
    temp: PathBuf,
    dest: PathBuf,
    done: bool,
}

/// The folder of `path` (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.NAME.nuanfeng-tmp-` for the file `dest`: the start of every temporary of it.
fn temp_prefix(dest: &Path) -> String {
    format!(".{}{TEMP_TAG}", file_name_of(dest))
}

/// Refuses a symbolic link at `path` (dangling or not): no output is ever written through
/// one, so a link planted at an output's name cannot make the program create or replace
/// the file it points to.
///
/// Errors: `path` is a symbolic link (the message names it and what to do).
pub fn refuse_symlink(path: &Path) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!("{}", t!("files.symlink", path = path.display()));
    }
    Ok(())
}

/// Refuses `path` when something other than a regular file is there: a symbolic link
/// ([`refuse_symlink`]), a folder, a named pipe, a device, a socket. An output only ever
/// creates or replaces a regular file; `--force` replaces a file, never one of these (a
/// rename over `/dev/null` would put a file in its place). Nothing at `path` is fine.
///
/// Errors: what is at `path` is not a regular file (the message names what it is).
pub fn refuse_special(path: &Path) -> Result<()> {
    refuse_symlink(path)?;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if meta.is_file() {
        return Ok(());
    }
    bail!(
        "{}",
        t!(
            "files.not_regular",
            path = path.display(),
            kind = kind_of(&meta.file_type())
        )
    );
}

/// What a file that is not a regular one is, in words: `文件夹`, `命名管道（FIFO）`, …
pub fn kind_of(ft: &std::fs::FileType) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return t!("files.kind.fifo").into_owned();
        }
        if ft.is_char_device() || ft.is_block_device() {
            return t!("files.kind.device").into_owned();
        }
        if ft.is_socket() {
            return t!("files.kind.socket").into_owned();
        }
    }
    if ft.is_dir() {
        return t!("files.kind.folder").into_owned();
    }
    if ft.is_symlink() {
        return t!("files.kind.symlink").into_owned();
    }
    t!("files.kind.other").into_owned()
}

impl PendingFile {
    /// Starts the file that will be `dest`: refuses a symbolic link or anything else that is
    /// not a regular file at `dest` ([`refuse_special`]), removes the
    /// temporaries of `dest` that runs no longer alive left ([`remove_stale`]), and creates
    /// `.NAME.nuanfeng-tmp-PID` beside it, new and readable by its owner only.
    ///
    /// Errors: a symbolic link, folder, pipe, device or socket at `dest`; the temporary cannot be created (no such folder, no
    /// permission, a full disk), as an I/O error.
    pub fn create(dest: &Path) -> Result<Self> {
        Self::create_with_mode(dest, 0o600)
    }

    /// As [`PendingFile::create`], the file made with the permission bits `mode` (unix, less
    /// the umask) rather than readable by its owner only: for files that hold nothing
    /// personal and are meant to be shared (man pages).
    ///
    /// Errors: as [`PendingFile::create`].
    pub fn create_with_mode(dest: &Path, mode: u32) -> Result<Self> {
        refuse_special(dest)?;
        remove_stale(dest);
        let temp = folder_of(dest).join(format!("{}{}", temp_prefix(dest), std::process::id()));
        // A temporary of this very process (an earlier file of the same name in this run
        // that failed) is not wanted either.
        let _ = std::fs::remove_file(&temp);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).read(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        #[cfg(not(unix))]
        let _ = mode;
        let file = options.open(&temp)?;
        Ok(Self {
            file: Some(file),
            temp,
            dest: dest.to_path_buf(),
            done: false,
        })
    }

    /// The temporary file's path (for a writer that opens files by name: SQLite).
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// The real name the file will have.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Flushes what was written to disk (as [`PendingFile::commit`] does before its rename).
    ///
    /// Errors: the flush failed.
    pub fn sync(&mut self) -> io::Result<()> {
        match &self.file {
            Some(f) => f.sync_all(),
            None => Ok(()),
        }
    }

    /// Closes the handle this holds, for a writer that writes the temporary by its name
    /// (SQLite on Windows cannot share it); [`PendingFile::commit`] opens it again to flush.
    pub fn close_handle(&mut self) {
        self.file = None;
    }

    /// Flushes the temporary to disk and renames it to its real name, then flushes the
    /// folder, so that after a crash the real name holds the whole file or nothing. With
    /// `replace` false an existing file at the real name is never replaced (the temporary is
    /// linked to the name, which fails when the name is taken; on a file system without
    /// links, the name is checked just before the rename).
    ///
    /// Errors: the flush or rename failed, or (without `replace`) the name is taken
    /// (`AlreadyExists`); the temporary is removed then.
    pub fn commit(mut self, replace: bool) -> io::Result<()> {
        let file = match self.file.take() {
            Some(f) => f,
            None => std::fs::OpenOptions::new().write(true).open(&self.temp)?,
        };
        file.sync_all()?;
        drop(file);
        crate::testhook::kill_point("files:before-rename");
        if std::fs::symlink_metadata(&self.dest).is_ok_and(|m| m.file_type().is_symlink()) {
            // Planted since [`PendingFile::create`]: the rename would replace the link, not
            // follow it, but the caller asked for a file where a link now is.
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                t!("files.symlink", path = self.dest.display()).into_owned(),
            ));
        }
        if replace {
            std::fs::rename(&self.temp, &self.dest).map_err(|e| held_open(e, &self.dest))?;
        } else {
            match std::fs::hard_link(&self.temp, &self.dest) {
                Ok(()) => {
                    let _ = std::fs::remove_file(&self.temp);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
                Err(_) => {
                    if self.dest.exists() {
                        return Err(io::ErrorKind::AlreadyExists.into());
                    }
                    std::fs::rename(&self.temp, &self.dest)
                        .map_err(|e| held_open(e, &self.dest))?;
                }
            }
        }
        self.done = true;
        sync_folder(&folder_of(&self.dest));
        Ok(())
    }
}

/// `e`, from renaming a temporary over `dest`, in words when it is what it almost always is
/// on Windows: the file at `dest` is held open by another program (Excel and WPS keep the
/// workbook they show open and refuse to let it be replaced), which Windows reports as access
/// denied or a sharing or lock violation (errors 5, 32, 33). Elsewhere, and for other
/// errors, `e` itself. The kind is kept.
fn held_open(e: io::Error, dest: &Path) -> io::Error {
    #[cfg(windows)]
    if matches!(e.raw_os_error(), Some(5 | 32 | 33)) && dest.exists() {
        return io::Error::new(e.kind(), t!("files.held_open").into_owned());
    }
    let _ = dest;
    e
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.done {
            self.file = None;
            let _ = std::fs::remove_file(&self.temp);
            // A writer that opened the temporary by name (SQLite) may have left its journal.
            let mut journal = self.temp.as_os_str().to_os_string();
            journal.push("-journal");
            let _ = std::fs::remove_file(journal);
        }
    }
}

/// Writes `bytes` as the file `dest` through a [`PendingFile`]: whole or not at all. With
/// `replace` false an existing file is never replaced.
///
/// Errors: as [`PendingFile::create`] and [`PendingFile::commit`], or the write failed.
pub fn write_whole(dest: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    let mut pending = PendingFile::create(dest)?;
    pending.write_all(bytes)?;
    pending.commit(replace)?;
    Ok(())
}

/// The process id a temporary's name ends with (after [`TEMP_TAG`], before any `-journal`).
fn pid_of(name: &str) -> Option<u32> {
    let at = name.rfind(TEMP_TAG)? + TEMP_TAG.len();
    let digits: String = name[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Whether the temporary at `path`, named after the process `pid`, was left by a run that
/// is over. On unix: no process `pid` exists. On Windows, where no process can be asked
/// about without `unsafe`: no process has the file open (an open with no sharing at all
/// fails with a sharing violation while any handle to it is open; a writer holds its
/// temporary open until the rename, SQLite its own). This process's own temporaries are
/// never left behind.
fn left_behind(path: &Path, pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(unix)]
    {
        let _ = path;
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return true;
        };
        rustix::process::test_kill_process(pid).is_err()
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .share_mode(0)
            .open(path)
            .is_ok()
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = path;
        false
    }
}

/// The temporaries of `dest` left by runs that are no longer alive.
fn stale_of(dest: &Path) -> Vec<PathBuf> {
    let prefix = temp_prefix(dest);
    let Ok(entries) = std::fs::read_dir(folder_of(dest)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && pid_of(&name).is_some_and(|p| left_behind(&e.path(), p))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Removes the temporaries of `dest` that runs no longer alive left (a backup, a restore, an
/// export killed halfway): best effort, quietly.
pub fn remove_stale(dest: &Path) {
    for p in stale_of(dest) {
        let _ = std::fs::remove_file(p);
    }
}

/// Removes the temporaries beside the registry `registry` that runs no longer alive left:
/// of the registry itself (a restore's copy) and of the files named after it (its
/// `before-restore` copies, its upgrade copies `.vN.bak`), each a whole copy of the registry.
/// Best effort, quietly.
pub fn remove_stale_beside(registry: &Path) {
    let family = format!(".{}.", file_name_of(registry));
    for p in stale_temporaries(&folder_of(registry)) {
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&family))
        {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The file name of `path`, as text.
fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every temporary in `folder` left by a run no longer alive, by name: what `check` names.
pub fn stale_temporaries(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with('.')
                && name.contains(TEMP_TAG)
                && pid_of(&name).is_some_and(|p| left_behind(&e.path(), p))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Makes a rename in `folder` durable (unix; Windows has no folder handle to flush).
pub fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(f) = File::open(folder) {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_s_process_id_is_read_from_its_name() {
        assert_eq!(pid_of(".a.db.nuanfeng-tmp-123"), Some(123));
        assert_eq!(pid_of(".a.db.nuanfeng-tmp-123-journal"), Some(123));
        assert_eq!(pid_of(".a.db.nuanfeng-tmp-"), None);
        assert_eq!(pid_of("a.db"), None);
    }

    #[test]
    fn a_file_appears_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.csv");
        let mut p = PendingFile::create(&dest).unwrap();
        p.write_all(b"abc").unwrap();
        assert!(!dest.exists());
        drop(p);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_whole(&dest, b"abc", false).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"abc");
        let e = write_whole(&dest, b"def", false).unwrap_err();
        assert_eq!(
            e.downcast_ref::<io::Error>().map(io::Error::kind),
            Some(io::ErrorKind::AlreadyExists)
        );
        write_whole(&dest, b"def", true).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"def");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_is_refused_and_its_target_never_made() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.csv");
        std::os::unix::fs::symlink(dir.path().join("target"), &dest).unwrap();
        assert!(write_whole(&dest, b"abc", true).is_err());
        assert!(!dir.path().join("target").exists());
    }
}
