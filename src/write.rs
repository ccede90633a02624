//! Stage ④: bring the output folder up to date, and only once everything
//! rendered. Files whose bytes did not change are not touched (mtimes stay),
//! changed files are replaced atomically (temp file + rename), and files that
//! an earlier build wrote but this one did not are removed. docent keeps a
//! manifest of what it wrote, so it never deletes a file it did not create.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Error, Kind, Result};

/// The manifest of files the last build wrote, one relative path per line.
pub const MANIFEST: &str = ".docent-manifest";

/// What a file's bytes come from.
#[derive(Debug)]
pub enum Content {
    Bytes(Vec<u8>),
    Static(&'static [u8]),
    Copy(PathBuf),
    /// Keep the file the last build wrote: the rebuild cache found it there
    /// with the size it was written with, so nothing is checked again.
    Keep,
    /// Already written by this build (streamed into a fresh output folder),
    /// with its length.
    Written(u64),
    /// Rendered and found byte-identical to the file already there, with its
    /// length: nothing to write.
    Unchanged(u64),
    /// New bytes, held lz4-compressed until the write stage, with their
    /// uncompressed length.
    Compressed(Vec<u8>, u64),
}

impl Content {
    /// Hold `bytes` compressed.
    pub fn compress(bytes: &[u8]) -> Content {
        Content::Compressed(lz4_flex::compress_prepend_size(bytes), bytes.len() as u64)
    }

    /// The length of generated content, when known without I/O.
    pub fn known_len(&self) -> Option<u64> {
        match self {
            Content::Bytes(b) => Some(b.len() as u64),
            Content::Static(b) => Some(b.len() as u64),
            Content::Written(n) | Content::Unchanged(n) | Content::Compressed(_, n) => Some(*n),
            Content::Copy(_) | Content::Keep => None,
        }
    }

    /// The content's bytes, if it holds them.
    pub fn bytes(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        match self {
            Content::Bytes(b) => Some(std::borrow::Cow::Borrowed(b)),
            Content::Static(b) => Some(std::borrow::Cow::Borrowed(b)),
            Content::Compressed(z, _) => lz4_flex::decompress_size_prepended(z)
                .ok()
                .map(std::borrow::Cow::Owned),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub content: Content,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Whether a relative output path stays inside the output folder.
pub fn is_safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Whether a build may write `rel`: inside the output folder and not one
/// of docent's own bookkeeping files.
fn is_writable(rel: &str) -> bool {
    is_safe_relative(rel)
        && ![MANIFEST, crate::cache::FILE, crate::load::stamp::FILE].contains(&rel)
        && rel.split('/').next() != Some(TEMP_DIR)
}

/// Output paths that one file needs as a file and another as a folder
/// (`index.html` and `index.html/index.html` from `content/index.html.md`):
/// each is a located error naming both sources (`source` describes an
/// output path: what to show, and the file to locate the error at).
/// Checked on the whole list before anything is replaced, so no build
/// deletes one output to make room for another.
pub fn conflicts<'p>(
    files: impl Iterator<Item = &'p str> + Clone,
    source: impl Fn(&str) -> (String, Option<PathBuf>),
) -> Vec<Diagnostic> {
    let paths: HashSet<&str> = files.clone().collect();
    let mut out = Vec::new();
    for path in files {
        for (i, _) in path.match_indices('/') {
            let prefix = &path[..i];
            if !paths.contains(prefix) {
                continue;
            }
            let (file_src, _) = source(prefix);
            let (folder_src, at) = source(path);
            let mut d = Diagnostic::new(
                Kind::DuplicateUrl,
                format!(
                    "{file_src} is written to {prefix}, but {folder_src} needs {prefix}/ as a \
                     folder (for {path})"
                ),
            )
            .hint("rename one of them: one output path cannot be both a file and a folder");
            if let Some(at) = at {
                d = d.file(&at);
            }
            out.push(d);
        }
    }
    out
}

/// Write `files` into `out_dir`.
pub fn sync(out_dir: &Path, files: &[OutputFile]) -> Result<WriteReport> {
    let bad: Vec<Diagnostic> = files
        .iter()
        .filter(|f| !is_writable(&f.path))
        .map(|f| {
            Diagnostic::new(
                Kind::PathEscape,
                format!("output path `{}` would leave the output folder", f.path),
            )
        })
        .collect();
    if !bad.is_empty() {
        return Err(Error::Build(bad));
    }
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

fn read_manifest(out_dir: &Path) -> Vec<String> {
    fs::read_to_string(out_dir.join(MANIFEST))
        .map(|s| {
            s.lines()
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Refuse a path in the output folder that passes through, or is, a
/// symbolic link: writing or deleting through one would reach outside.
fn no_link_on_the_way(out_dir: &Path, dest: &Path) -> std::io::Result<()> {
    let Ok(rel) = dest.strip_prefix(out_dir) else {
        return Err(std::io::Error::other("outside the output folder"));
    };
    let mut p = out_dir.to_path_buf();
    for c in rel.components() {
        p.push(c);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(std::io::Error::other(format!(
                    "{} is a symbolic link; docent never writes or deletes through links in the \
                     output folder (remove the link)",
                    p.display()
                )));
            }
            Ok(_) => {}
            Err(_) => break, // does not exist yet: nothing below it does either
        }
    }
    Ok(())
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

/// Whether `dest` is a regular file holding exactly `bytes` (a link is
/// never the same: it would be replaced, not followed).
fn same_bytes(dest: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    Ok(match fs::symlink_metadata(dest) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => fs::read(dest)? == bytes,
        _ => false,
    })
}

/// Write a page into an output folder that was empty when the build began
/// (nothing to compare with or to protect); returns the bytes written.
pub fn write_fresh(out_dir: &Path, rel: &str, bytes: &[u8]) -> Result<u64> {
    if !is_writable(rel) {
        return Err(Error::Build(vec![Diagnostic::new(
            Kind::PathEscape,
            format!("output path `{rel}` would leave the output folder"),
        )]));
    }
    let dest = out_dir.join(rel);
    let io = |e| Error::io(format!("cannot write {}", dest.display()), e);
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent).map_err(io)?;
    }
    fs::write(&dest, bytes).map_err(io)?;
    Ok(bytes.len() as u64)
}

/// Whether `bytes` are exactly the file at `out_dir/rel`.
pub fn same_as_existing(out_dir: &Path, rel: &str, bytes: &[u8]) -> bool {
    let dest = out_dir.join(rel);
    fs::metadata(&dest).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(&dest).is_ok_and(|old| old == bytes)
}

/// Remove everything in an output folder that was empty (or missing, when
/// `created`) before a build that failed after streaming into it.
pub fn clear_fresh(out_dir: &Path, created: bool) {
    if created {
        let _ = fs::remove_dir_all(out_dir);
        return;
    }
    if let Ok(entries) = fs::read_dir(out_dir) {
        for e in entries.flatten() {
            let p = e.path();
            let _ = if e.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(&p)
            } else {
                fs::remove_file(&p)
            };
        }
    }
}

fn write_if_changed(out_dir: &Path, dest: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if same_bytes(dest, bytes)? {
        return Ok(false);
    }
    replace_in(out_dir, dest, bytes)?;
    Ok(true)
}

/// Where files are written before they are renamed into place: one
/// folder in the output, so the leftovers of a build that was killed are
/// found (and removed by the next build) without walking the output.
pub const TEMP_DIR: &str = ".docent-tmp";

/// Remove what a killed build left in [`TEMP_DIR`].
fn clear_temp(out_dir: &Path) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, s: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            content: Content::Bytes(s.as_bytes().to_vec()),
        }
    }

    #[test]
    fn writes_changes_only_and_removes_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let r = sync(&out, &[file("index.html", "a"), file("x/index.html", "x")]).unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        fs::write(out.join("hand-made.txt"), "mine").unwrap();
        let r = sync(&out, &[file("index.html", "b")]).unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 1,
                unchanged: 0,
                removed: 1
            }
        );
        assert!(
            !out.join("x").exists(),
            "empty folder of a removed page is removed"
        );
        assert!(
            out.join("hand-made.txt").exists(),
            "files docent did not write are kept"
        );
        let r = sync(&out, &[file("index.html", "b")]).unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 0,
                unchanged: 1,
                removed: 0
            }
        );
    }

    #[test]
    fn rejects_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        for p in ["../x", "/etc/x", "a/../../b", ""] {
            assert!(!is_safe_relative(p), "{p}");
            assert!(sync(dir.path(), &[file(p, "x")]).is_err());
        }
        assert!(is_safe_relative("a/b.html"));
    }

    #[test]
    fn never_overwrites_its_own_bookkeeping_files() {
        let dir = tempfile::tempdir().unwrap();
        let temp = format!("{TEMP_DIR}/x");
        for p in [
            MANIFEST,
            crate::cache::FILE,
            crate::load::stamp::FILE,
            &temp,
        ] {
            assert!(sync(dir.path(), &[file(p, "x")]).is_err(), "{p}");
            assert!(write_fresh(dir.path(), p, b"x").is_err(), "{p}");
            assert!(!dir.path().join(p).exists(), "{p}");
        }
        assert!(write_fresh(dir.path(), "a/b.html", b"x").is_ok());
    }

    #[test]
    fn temporary_files_of_a_killed_build_are_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        sync(out, &[file("index.html", "a")]).unwrap();
        // A build killed between writing a temp file and renaming it.
        fs::create_dir_all(out.join(TEMP_DIR)).unwrap();
        fs::write(out.join(TEMP_DIR).join("999-0"), "half").unwrap();
        sync(out, &[file("index.html", "b"), file("x/index.html", "x")]).unwrap();
        assert!(!out.join(TEMP_DIR).exists());
        let names: Vec<String> = walkdir::WalkDir::new(out)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("docent-tmp")), "{names:?}");
    }
}
