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

    let results: Vec<std::io::Result<bool>> =
        files.par_iter().map(|f| write_one(out_dir, f)).collect();
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
    for old in read_manifest(out_dir) {
        if current.contains(old.as_str()) || !is_safe_relative(&old) {
            continue;
        }
        let p = out_dir.join(&old);
        if p.is_file() && fs::remove_file(&p).is_ok() {
            report.removed += 1;
            remove_empty_parents(out_dir, &p);
        }
    }
    let mut list: Vec<&str> = current.into_iter().collect();
    list.sort_unstable();
    let manifest = list.join("\n") + "\n";
    write_if_changed(&out_dir.join(MANIFEST), manifest.as_bytes())
        .map_err(|e| Error::io("cannot write the output manifest", e))?;
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

/// Write one file if its bytes changed; true when written.
fn write_one(out_dir: &Path, f: &OutputFile) -> std::io::Result<bool> {
    let dest = out_dir.join(&f.path);
    match &f.content {
        Content::Bytes(b) => write_if_changed(&dest, b),
        Content::Static(b) => write_if_changed(&dest, b),
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
            write_if_changed(&dest, &bytes)
        }
        Content::Copy(src) => {
            let src_len = fs::metadata(src)?.len();
            if let Ok(m) = fs::metadata(&dest)
                && m.len() == src_len
                && fs::read(&dest)? == fs::read(src)?
            {
                return Ok(false);
            }
            let bytes = fs::read(src)?;
            replace(&dest, &bytes)?;
            Ok(true)
        }
    }
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

fn write_if_changed(dest: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if let Ok(m) = fs::metadata(dest)
        && m.is_file()
        && m.len() == bytes.len() as u64
        && fs::read(dest)? == bytes
    {
        return Ok(false);
    }
    replace(dest, bytes)?;
    Ok(true)
}

/// Replace `dest` atomically: write a temp file beside it, then rename.
fn replace(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = dest.parent() {
        if parent.is_file() {
            fs::remove_file(parent)?;
        }
        fs::create_dir_all(parent)?;
    }
    if dest.is_dir() {
        fs::remove_dir_all(dest)?;
    }
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dest.with_file_name(format!(".{name}.docent-tmp"));
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
        for p in [MANIFEST, crate::cache::FILE, crate::load::stamp::FILE] {
            assert!(sync(dir.path(), &[file(p, "x")]).is_err(), "{p}");
            assert!(write_fresh(dir.path(), p, b"x").is_err(), "{p}");
            assert!(!dir.path().join(p).exists(), "{p}");
        }
        assert!(write_fresh(dir.path(), "a/b.html", b"x").is_ok());
    }
}
