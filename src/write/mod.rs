//! Stage ④: publish the output folder, and only once everything rendered.
//! The next output is prepared beside the old one and swapped in with one
//! rename (`stage.rs`, `swap.rs`), so the folder is wholly old or wholly
//! new whatever happens to the build; where that cannot be done it is
//! updated file by file (`in_place.rs`). Either way, files whose bytes did
//! not change are not touched (their inode and modification time stay),
//! and docent keeps a manifest of what it wrote, so it never deletes or
//! replaces a file it did not create.

mod in_place;
pub(crate) mod sink;
#[cfg(unix)]
mod stage;
mod swap;

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Diagnostic, Error, Kind, Result};

/// The manifest of files the last build wrote, one relative path per line.
pub(crate) const MANIFEST: &str = ".docent-manifest";

/// The folders of a published output with their inode and change times,
/// so the next build finds what was added by hand without walking them all
/// (see `stage.rs`).
pub(crate) const DIRS: &str = ".docent-dirs";
/// The rebuild cache (`cache`), kept with the output it describes.
pub(crate) const CACHE_FILE: &str = ".docent-cache";
/// The loaded pages of the build (`cache::sources`).
pub(crate) const SOURCES_FILE: &str = ".docent-sources";

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
    /// Folders of the output listed to find files made by hand (all of
    /// them only when the output's folder record could not be used).
    pub folders_listed: usize,
}

/// Whether a relative output path stays inside the output folder.
pub(crate) fn is_safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Whether a build may write `rel`: inside the output folder and not one
/// of docent's own bookkeeping files.
fn is_writable(rel: &str) -> bool {
    is_safe_relative(rel) && !is_bookkeeping(rel.split('/').next().unwrap_or(rel))
}

/// docent's own files in the output folder's top level (manifest, caches,
/// temp folder): never written as output, never copied between builds.
fn is_bookkeeping(name: &str) -> bool {
    [MANIFEST, CACHE_FILE, SOURCES_FILE, TEMP_DIR, DIRS].contains(&name)
}

/// Refuse output paths that would leave the output folder or overwrite
/// docent's own files.
fn check_writable(files: &[OutputFile]) -> Result<()> {
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
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Error::Build(bad))
    }
}

/// Output paths that one file needs as a file and another as a folder
/// (`index.html` and `index.html/index.html` from `content/index.html.md`):
/// each is a located error naming both sources (`source` describes an
/// output path: what to show, and the file to locate the error at).
/// Checked on the whole list before anything is replaced, so no build
/// deletes one output to make room for another.
pub(crate) fn conflicts<'p>(
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
            Ok(m) if m.file_type().is_symlink() => return Err(link_refused(&p)),
            Ok(_) => {}
            Err(_) => break, // does not exist yet: nothing below it does either
        }
    }
    Ok(())
}

/// The error for a symbolic link where docent would write or delete.
fn link_refused(p: &Path) -> std::io::Error {
    std::io::Error::other(format!(
        "{} is a symbolic link; docent never writes or deletes through links in the output \
         folder (remove the link)",
        p.display()
    ))
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
pub(crate) fn write_fresh(out_dir: &Path, rel: &str, bytes: &[u8]) -> Result<u64> {
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
pub(crate) fn same_as_existing(out_dir: &Path, rel: &str, bytes: &[u8]) -> bool {
    let dest = out_dir.join(rel);
    fs::metadata(&dest).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(&dest).is_ok_and(|old| old == bytes)
}

/// Remove everything in an output folder that was empty (or missing, when
/// `created`) before a build that failed after streaming into it.
pub(crate) fn clear_fresh(out_dir: &Path, created: bool) {
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

/// Where files are written before they are renamed into place: one
/// folder in the output, so the leftovers of a build that was killed are
/// found (and removed by the next build) without walking the output.
pub(crate) const TEMP_DIR: &str = ".docent-tmp";
/// How a build brings the output folder up to date.
pub(crate) struct Publisher {
    live: PathBuf,
    mode: Mode,
    /// Held while this build may write (see [`swap::lock`]).
    _lock: Option<fs::File>,
}

enum Mode {
    /// Prepared in `stage` (a sibling folder) and swapped in. `fresh`: the
    /// output was missing or empty, so pages stream into the (emptied)
    /// stage as they render.
    Staged { stage: PathBuf, fresh: bool },
    /// Updated file by file; `fresh` (with whether docent created the
    /// folder) when it was missing or empty and pages stream into it.
    InPlace { fresh: Option<bool> },
}

impl Publisher {
    /// Decide how to publish into `live`, recover from a publish that was
    /// interrupted, and prepare the folder pages stream into.
    pub(crate) fn open(live: &Path) -> Result<Publisher> {
        let io = |what: &str, p: &Path, e| Error::io(format!("cannot {what} {}", p.display()), e);
        if let Some(parent) = live.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
        }
        let lock = swap::lock(live);
        let empty = match fs::read_dir(live) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(true),
            Ok(mut entries) => entries.next().is_none().then_some(false),
            Err(e) => return Err(io("read", live, e)),
        };
        let stage = swap::stage_for(live).filter(|_| cfg!(unix) && swap::can_swap(live));
        if let Some(stage) = stage {
            swap::recover(live, &stage)?;
            swap::check_ours(&stage)?;
            let fresh = empty.is_some();
            if fresh {
                // Whatever an earlier build left there has nothing to give.
                if stage.exists() {
                    fs::remove_dir_all(&stage).map_err(|e| io("empty", &stage, e))?;
                }
                if let Err(e) = fs::create_dir(&stage) {
                    if e.kind() != std::io::ErrorKind::PermissionDenied {
                        return Err(io("create", &stage, e));
                    }
                    // A parent folder docent may not write in: update in place.
                    return Self::in_place(live, empty, lock);
                }
            }
            return Ok(Publisher {
                live: live.to_path_buf(),
                mode: Mode::Staged { stage, fresh },
                _lock: lock,
            });
        }
        Self::in_place(live, empty, lock)
    }

    fn in_place(live: &Path, empty: Option<bool>, lock: Option<fs::File>) -> Result<Publisher> {
        if empty.is_some() {
            fs::create_dir_all(live)
                .map_err(|e| Error::io(format!("cannot create {}", live.display()), e))?;
        }
        Ok(Publisher {
            live: live.to_path_buf(),
            mode: Mode::InPlace { fresh: empty },
            _lock: lock,
        })
    }

    /// The empty folder pages are written into as they render, when the
    /// output had nothing to compare with.
    pub(crate) fn stream_dir(&self) -> Option<&Path> {
        match &self.mode {
            Mode::Staged { stage, fresh: true } => Some(stage),
            Mode::InPlace { fresh: Some(_) } => Some(&self.live),
            _ => None,
        }
    }

    /// The published output this build compares with (and reuses from).
    pub(crate) fn existing(&self) -> Option<&Path> {
        self.stream_dir().is_none().then_some(&self.live)
    }

    /// Publish `files`; `save` writes docent's caches into the folder it is
    /// given, so they change with the output they describe.
    pub(crate) fn publish(
        &self,
        files: &[OutputFile],
        save: &dyn Fn(&Path),
    ) -> Result<WriteReport> {
        check_writable(files)?;
        match &self.mode {
            #[cfg(unix)]
            Mode::Staged { stage, fresh } => stage::publish(&self.live, stage, *fresh, files, save),
            #[cfg(not(unix))]
            Mode::Staged { .. } => unreachable!("staging is only chosen on Unix"),
            Mode::InPlace { .. } => {
                let report = in_place::sync(&self.live, files)?;
                save(&self.live);
                Ok(report)
            }
        }
    }

    /// After a failed build: remove what was streamed, leaving the output
    /// as it was (missing or empty for a fresh build, untouched otherwise).
    pub(crate) fn abandon(&self) {
        match &self.mode {
            Mode::Staged { stage, fresh: true } => {
                let _ = fs::remove_dir_all(stage);
            }
            Mode::InPlace {
                fresh: Some(created),
            } => clear_fresh(&self.live, *created),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Publish as a build does.
    fn sync(out: &Path, files: &[OutputFile]) -> Result<WriteReport> {
        Publisher::open(out)?.publish(files, &|_| {})
    }

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
        assert_eq!((r.written, r.unchanged, r.removed), (2, 0, 0));
        fs::write(out.join("hand-made.txt"), "mine").unwrap();
        let r = sync(&out, &[file("index.html", "b")]).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (1, 0, 1));
        assert!(
            !out.join("x").exists(),
            "empty folder of a removed page is removed"
        );
        assert!(
            out.join("hand-made.txt").exists(),
            "files docent did not write are kept"
        );
        let r = sync(&out, &[file("index.html", "b")]).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (0, 1, 0));
    }

    #[test]
    fn rejects_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for p in ["../x", "/etc/x", "a/../../b", ""] {
            assert!(!is_safe_relative(p), "{p}");
            assert!(sync(&out, &[file(p, "x")]).is_err());
        }
        assert!(is_safe_relative("a/b.html"));
    }

    #[test]
    fn never_overwrites_its_own_bookkeeping_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let temp = format!("{TEMP_DIR}/x");
        for p in [MANIFEST, CACHE_FILE, SOURCES_FILE, &temp] {
            assert!(sync(&out, &[file(p, "x")]).is_err(), "{p}");
            assert!(write_fresh(&out, p, b"x").is_err(), "{p}");
            assert!(!out.join(p).exists(), "{p}");
        }
        assert!(write_fresh(&out, "a/b.html", b"x").is_ok());
    }

    #[test]
    fn temporary_files_of_a_killed_build_are_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = &dir.path().join("public");
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
