//! The one step that publishes: the prepared folder and the output trade
//! places in a single rename (`renameat2` with `RENAME_EXCHANGE` on Linux).
//! Elsewhere, or on a file system without it, three renames through
//! `.NAME.docent-old` do the same with a moment in which the output is
//! missing; a build killed in that moment is put right by the next one
//! ([`recover`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The folder the next output is prepared in: `.NAME.docent-stage` beside
/// the output folder `NAME` (on the same file system, so files can be
/// hard-linked and the folders swapped).
pub(super) fn stage_for(live: &Path) -> Option<PathBuf> {
    sibling(live, "stage")
}

fn sibling(live: &Path, what: &str) -> Option<PathBuf> {
    let name = live.file_name()?.to_str()?;
    if name == "." || name == ".." {
        return None;
    }
    Some(live.with_file_name(format!(".{name}.docent-{what}")))
}

/// Whether the output folder can be swapped as a whole: it is not a link
/// and not a mount point (the swap would move a link instead of the folder
/// it points to, and a mount point cannot be renamed).
pub(super) fn can_swap(live: &Path) -> bool {
    let parent = match live.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match fs::symlink_metadata(live) {
        Err(e) => e.kind() == io::ErrorKind::NotFound && parent.is_dir(),
        Ok(m) if m.is_dir() => same_device(&m, parent),
        Ok(_) => false,
    }
}

#[cfg(unix)]
fn same_device(m: &fs::Metadata, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(parent).is_ok_and(|p| p.dev() == m.dev())
}

#[cfg(not(unix))]
fn same_device(_: &fs::Metadata, _: &Path) -> bool {
    false
}

/// Wait until no other docent build is publishing beside `live` (an
/// exclusive lock on its parent folder, held until the returned file is
/// dropped): two builds preparing one stage at once would mix their files.
#[cfg(unix)]
pub(super) fn lock(live: &Path) -> Option<fs::File> {
    use std::os::unix::io::AsRawFd;
    let parent = match live.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = fs::File::open(parent).ok()?;
    // SAFETY: flock on a file descriptor this function owns.
    let try_lock = unsafe { libc::flock(dir.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if try_lock != 0 {
        crate::output::err(&format!(
            "waiting for another docent build writing into {} to finish…\n",
            live.display()
        ));
        // SAFETY: as above; blocks until the other build's lock is gone.
        if unsafe { libc::flock(dir.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return None;
        }
    }
    Some(dir)
}

#[cfg(not(unix))]
pub fn lock(_: &Path) -> Option<fs::File> {
    None
}

/// Refuse a stage folder that holds something docent did not put there
/// (it is emptied and reused by builds).
pub(super) fn check_ours(stage: &Path) -> Result<()> {
    let in_the_way = |why: &str| {
        Err(Error::Usage(format!(
            "{} is in the way: docent prepares the next output in this folder, but {why}; move \
             it away",
            stage.display()
        )))
    };
    match fs::symlink_metadata(stage) {
        Err(_) => Ok(()),
        Ok(m) if !m.is_dir() => in_the_way("it is not a folder"),
        Ok(_) => {
            let empty = fs::read_dir(stage).is_ok_and(|mut e| e.next().is_none());
            if empty || stage.join(super::MANIFEST).is_file() {
                Ok(())
            } else {
                in_the_way("it holds files docent did not write")
            }
        }
    }
}

/// Finish or undo a three-rename swap that was interrupted.
pub(super) fn recover(live: &Path, stage: &Path) -> Result<()> {
    let Some(old) = sibling(live, "old") else {
        return Ok(());
    };
    if fs::symlink_metadata(&old).is_err() {
        return Ok(());
    }
    let missing = |p: &Path| fs::symlink_metadata(p).is_err();
    let to = if missing(live) {
        live // interrupted before the new output was in place: keep the old
    } else if missing(stage) {
        stage // interrupted after: the old output becomes the stage
    } else {
        return Err(Error::Usage(format!(
            "{} was left by an interrupted build, beside both {} and {}; remove the one you do \
             not need",
            old.display(),
            live.display(),
            stage.display()
        )));
    };
    fs::rename(&old, to).map_err(|e| Error::io(format!("cannot restore {}", live.display()), e))
}

/// Put the prepared `stage` in place of `live` in one step; afterwards
/// `stage` holds the previous output (if there was one).
pub(super) fn exchange(stage: &Path, live: &Path) -> io::Result<()> {
    if fs::symlink_metadata(live).is_err() {
        return fs::rename(stage, live);
    }
    #[cfg(target_os = "linux")]
    match rename_exchange(stage, live) {
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
            ) => {}
        other => return other,
    }
    let old = sibling(live, "old").ok_or_else(|| io::Error::other("no name for the old output"))?;
    fs::rename(live, &old)?;
    if let Err(e) = fs::rename(stage, live) {
        let _ = fs::rename(&old, live);
        return Err(e);
    }
    fs::rename(&old, stage)
}

#[cfg(target_os = "linux")]
fn rename_exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the
    // call; renameat2 reads them and touches no other memory.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
