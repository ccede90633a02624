//! Updating the output folder file by file, where it cannot be swapped as a
//! whole (it is a mount point or a link, or its parent folder cannot be
//! written; see [`super::Publisher`]). Changed files are replaced one by
//! one, each atomically (temp file + rename); files of the last build that
//! this one did not produce are removed. A kill or an I/O error during this
//! stage can leave some files new and some old.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use super::{
    Content, MANIFEST, OutputFile, TEMP_DIR, WriteReport, check_writable, is_safe_relative,
    no_link_on_the_way, read_manifest, remove_empty_parents, same_bytes,
};
use crate::error::{Error, Result};

/// Write `files` into `out_dir`.
pub(super) fn sync(out_dir: &Path, files: &[OutputFile]) -> Result<WriteReport> {
    check_writable(files)?;
    fs::create_dir_all(out_dir)
        .map_err(|e| Error::io(format!("cannot create {}", out_dir.display()), e))?;

    // Leftovers of a build that was killed while writing.
    clear_temp(out_dir);
    let previous: HashSet<String> = read_manifest(out_dir).into_iter().collect();
    let results: Vec<std::io::Result<bool>> = files
        .par_iter()
        .map(|f| write_one(out_dir, f, &previous))
        .collect();
    let mut report = WriteReport::default();
    for (r, f) in results.into_iter().zip(files) {
        match r {
            Ok(true) => report.written += 1,
            Ok(false) => report.unchanged += 1,
            Err(e) => {
                return Err(Error::io(
                    format!("cannot write {}", out_dir.join(&f.path).display()),
                    e,
                ));
            }
        }
    }

    let current: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for old in &previous {
        if current.contains(old.as_str()) || !is_safe_relative(old) {
            continue;
        }
        let p = out_dir.join(old);
        // Never through a link: only a regular file docent wrote, reached
        // through real folders of the output.
        let regular = fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_file());
        if regular && no_link_on_the_way(out_dir, &p).is_ok() && fs::remove_file(&p).is_ok() {
            report.removed += 1;
            remove_empty_parents(out_dir, &p);
        }
    }
    let mut list: Vec<&str> = current.into_iter().collect();
    list.sort_unstable();
    let manifest = list.join("\n") + "\n";
    write_if_changed(out_dir, &out_dir.join(MANIFEST), manifest.as_bytes())
        .map_err(|e| Error::io("cannot write the output manifest", e))?;
    clear_temp(out_dir);
    Ok(report)
}

/// Make room for `dest` without touching anything docent did not write:
/// a folder in its place may go only if it is empty or holds only files
/// of the last build (`previous`); a file where a folder is needed only if
/// the last build wrote it. A differing file docent did not write is never
/// replaced.
fn make_room(
    out_dir: &Path,
    dest: &Path,
    bytes_differ: bool,
    previous: &HashSet<String>,
) -> std::io::Result<()> {
    no_link_on_the_way(out_dir, dest)?;
    let not_ours = |p: &Path| {
        std::io::Error::other(format!(
            "{} is in the way and was not written by docent; move it, or rename the page or file \
             that needs this path",
            p.display()
        ))
    };
    let rel_of = |p: &Path| {
        p.strip_prefix(out_dir)
            .map(crate::load::walk::to_slash)
            .unwrap_or_default()
    };
    // A file of the last build where a folder is now needed.
    let mut up = dest.parent();
    while let Some(d) = up.filter(|d| *d != out_dir && d.starts_with(out_dir)) {
        if fs::symlink_metadata(d).is_ok_and(|m| m.is_file()) {
            if previous.contains(&rel_of(d)) {
                fs::remove_file(d)?;
            } else {
                return Err(not_ours(d));
            }
        }
        up = d.parent();
    }
    match fs::symlink_metadata(dest) {
        Ok(m) if m.is_dir() => {
            // Only the last build's files may be in it.
            for e in walkdir::WalkDir::new(dest).contents_first(true) {
                let e = e.map_err(std::io::Error::other)?;
                if e.file_type().is_dir() {
                    fs::remove_dir(e.path()).map_err(|_| not_ours(dest))?;
                } else if previous.contains(&rel_of(e.path())) {
                    fs::remove_file(e.path())?;
                } else {
                    return Err(not_ours(e.path()));
                }
            }
        }
        Ok(_) if bytes_differ && !previous.contains(&rel_of(dest)) => return Err(not_ours(dest)),
        _ => {}
    }
    Ok(())
}

/// Write one file if its bytes changed; true when written.
fn write_one(out_dir: &Path, f: &OutputFile, previous: &HashSet<String>) -> std::io::Result<bool> {
    let dest = out_dir.join(&f.path);
    let write = |bytes: &[u8]| -> std::io::Result<bool> {
        if same_bytes(&dest, bytes)? {
            return Ok(false);
        }
        make_room(out_dir, &dest, true, previous)?;
        replace_in(out_dir, &dest, bytes)?;
        Ok(true)
    };
    match &f.content {
        Content::Bytes(b) => write(b),
        Content::Static(b) => write(b),
        // Checked when the cache vouched for it (size and presence); a
        // second stat per file would only narrow, not close, the window.
        Content::Keep => Ok(false),
        Content::Written(_) => Ok(true),
        Content::Unchanged(len) => {
            if fs::metadata(&dest).is_ok_and(|m| m.is_file() && m.len() == *len) {
                Ok(false)
            } else {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "an output file changed during the build; run the build again",
                ))
            }
        }
        Content::Compressed(z, _) => {
            let bytes = lz4_flex::decompress_size_prepended(z).map_err(std::io::Error::other)?;
            write(&bytes)
        }
        Content::Copy(src) => {
            let src_len = fs::metadata(src)?.len();
            if let Ok(m) = fs::symlink_metadata(&dest)
                && m.is_file()
                && m.len() == src_len
                && fs::read(&dest)? == fs::read(src)?
            {
                return Ok(false);
            }
            write(&fs::read(src)?)
        }
    }
}

pub(super) fn write_if_changed(out_dir: &Path, dest: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if same_bytes(dest, bytes)? {
        return Ok(false);
    }
    replace_in(out_dir, dest, bytes)?;
    Ok(true)
}

/// Remove what a killed build left in [`TEMP_DIR`].
pub(super) fn clear_temp(out_dir: &Path) {
    let dir = out_dir.join(TEMP_DIR);
    if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        let _ = fs::remove_dir_all(&dir);
    }
}

/// Replace the file `dest` (in `out_dir`) atomically: write it in the
/// output's temp folder, then rename it into place. (Room was made by
/// [`make_room`]: nothing is deleted here.)
fn replace_in(out_dir: &Path, dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent)?;
    }
    let temp_dir = out_dir.join(TEMP_DIR);
    fs::create_dir_all(&temp_dir)?;
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = temp_dir.join(format!("{}-{n}", std::process::id()));
    {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
    }
    fs::rename(&tmp, dest).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}
