//! Preparing the next output beside the published one (`.public.docent-stage`
//! beside `public/`) so that it can be swapped in whole ([`super::swap`]).
//! The stage holds the output of the build before last (the swap leaves it
//! there), so bringing it up to date costs what changed, not the size of
//! the site:
//! - a file whose bytes did not change is a hard link to the published one
//!   (its inode and modification time stay; one stat in each folder tells);
//! - a changed file is written anew, never through a link it shares with
//!   the published output;
//! - files of earlier builds that this one does not produce are removed;
//! - files and folders someone put in the output by hand are linked in too.
//!   They are found without listing every folder: each output records its
//!   folders' inode, modification and change times ([`DIRS`]), and only a
//!   folder whose stamp changed (an entry was added, removed or renamed)
//!   is listed. The record counts only if the stage is the output it was
//!   published beside (each record names its partner); otherwise every
//!   folder is listed.
//!
//! The stage's manifest is first widened to everything this build may
//! write there, so a build killed while preparing leaves nothing the next
//! one does not know to remove.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{
    Content, DIRS, MANIFEST, OutputFile, WriteReport, in_place, is_bookkeeping, read_manifest,
    same_bytes, swap,
};
use crate::error::{Error, Result};

/// A folder's identity and last change: inode, modification and change
/// times (seconds, nanoseconds). Adding, removing or renaming an entry
/// changes the times; nothing a user can do sets the change time back.
type Stamp = [i64; 5];

/// Publish `files` through the stage. `fresh`: the output was missing or
/// empty and the pages were streamed into the (emptied) stage.
pub(super) fn publish(
    live: &Path,
    stage: &Path,
    fresh: bool,
    files: &[OutputFile],
    save: &dyn Fn(&Path),
) -> Result<WriteReport> {
    if fresh {
        return publish_fresh(live, stage, files, save);
    }
    let lm: HashSet<String> = read_manifest(live).into_iter().collect();
    let same: Vec<Option<fs::Metadata>> = files
        .par_iter()
        .map(|f| holds(live, f))
        .collect::<io::Result<_>>()
        .map_err(|e| Error::io("cannot publish the site", e))?;
    let fs_set: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let removed = lm.iter().filter(|p| !fs_set.contains(p.as_str())).count();
    let unchanged = same.iter().filter(|s| s.is_some()).count();
    let mut report = WriteReport {
        written: files.len() - unchanged,
        unchanged,
        removed,
        ..WriteReport::default()
    };
    if report.written == 0 && removed == 0 && lm.len() == fs_set.len() {
        // Nothing to publish: only docent's caches may change.
        in_place::clear_temp(live);
        save(live);
        return Ok(report);
    }
    if let Err(e) = fs::create_dir(stage)
        && e.kind() != io::ErrorKind::AlreadyExists
    {
        if e.kind() != io::ErrorKind::PermissionDenied {
            return Err(Error::io(format!("cannot create {}", stage.display()), e));
        }
        // A parent folder docent may not write in: update in place.
        let report = in_place::sync(live, files)?;
        save(live);
        return Ok(report);
    }
    report.folders_listed = prepare(live, stage, files, &same, &lm, &fs_set).map_err(|e| {
        Error::io(
            format!("cannot prepare the output in {}", stage.display()),
            e,
        )
    })?;
    carry_caches(live, stage);
    save(stage);
    write_list(stage, fs_set.iter().copied())
        .map_err(|e| Error::io("cannot write the output manifest", e))?;
    match swap::exchange(stage, live) {
        Ok(()) => Ok(report),
        // A folder that cannot be renamed (a mount point the device check
        // missed): update it file by file instead.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EBUSY | libc::EXDEV)) => {
            let report = in_place::sync(live, files)?;
            save(live);
            Ok(report)
        }
        Err(e) => Err(Error::io(format!("cannot publish {}", live.display()), e)),
    }
}

/// A fresh output: every page is in the stage already; write the rest and
/// put the stage in place.
fn publish_fresh(
    live: &Path,
    stage: &Path,
    files: &[OutputFile],
    save: &dyn Fn(&Path),
) -> Result<WriteReport> {
    files
        .par_iter()
        .try_for_each(|f| match &f.content {
            Content::Written(_) => Ok(()),
            c => write_new(stage, Path::new(&f.path), &bytes_of(c)?),
        })
        .map_err(|e| Error::io(format!("cannot write into {}", stage.display()), e))?;
    save(stage);
    write_list(stage, files.iter().map(|f| f.path.as_str()))
        .map_err(|e| Error::io("cannot write the output manifest", e))?;
    // A token without stamps: the first rebuild lists every folder (its
    // stage is empty anyway), and the one after pairs with this output.
    Record {
        token: record_token(),
        partner: 0,
        stamps: HashMap::new(),
    }
    .write(stage, false)
    .map_err(|e| Error::io("cannot write the output's folder record", e))?;
    if let Ok(m) = fs::metadata(live) {
        let _ = fs::set_permissions(stage, m.permissions());
    }
    swap::exchange(stage, live)
        .map_err(|e| Error::io(format!("cannot publish {}", live.display()), e))?;
    Ok(WriteReport {
        written: files.len(),
        ..WriteReport::default()
    })
}

/// Give the stage the published output's caches, which `save` updates
/// only where they changed (copies: they are rewritten in place, so they
/// must not be shared with the published output).
fn carry_caches(live: &Path, stage: &Path) {
    for name in [super::CACHE_FILE, super::SOURCES_FILE] {
        let _ = fs::remove_file(stage.join(name));
        if live.join(name).is_file() {
            let _ = fs::copy(live.join(name), stage.join(name));
        }
    }
}

/// Bring the stage to exactly the next output.
fn prepare(
    live: &Path,
    stage: &Path,
    files: &[OutputFile],
    same: &[Option<fs::Metadata>],
    lm: &HashSet<String>,
    fs_set: &HashSet<&str>,
) -> io::Result<usize> {
    fs::set_permissions(stage, fs::metadata(live)?.permissions())?;
    let _ = fs::remove_dir_all(stage.join(super::TEMP_DIR));
    let sm = read_manifest(stage);
    // First, so that a kill from here on leaves nothing unaccounted for.
    write_list(
        stage,
        sm.iter().map(String::as_str).chain(fs_set.iter().copied()),
    )?;
    let need = folders_of(fs_set);
    let record = Record::read(live).filter(|r| Record::read_token(stage) == Some(r.partner));
    let (hand_made, listed) = mirror_hand_made(live, stage, lm, fs_set, &need, record.as_ref())?;
    for stale in sm.iter().chain(lm).filter(|p| !fs_set.contains(p.as_str())) {
        remove_stale(stage, stale);
    }
    files.par_iter().zip(same).try_for_each(|(f, same)| {
        let rel = Path::new(&f.path);
        if let Some(meta) = same {
            link_as(live, stage, rel, meta)
        } else {
            check_room(live, &f.path, lm)?;
            write_new(stage, rel, &bytes_of(&f.content)?)
        }
    })?;
    let mut dirs: HashSet<&str> = need.iter().copied().collect();
    if let Some(r) = &record {
        dirs.extend(r.stamps.keys().map(String::as_str));
    }
    let utf8 = hand_made.iter().all(|p| p.to_str().is_some());
    dirs.extend(hand_made.iter().filter_map(|p| p.to_str()));
    let token = record_token();
    let stamps = utf8.then(|| {
        dirs.par_iter()
            .filter_map(|d| Some((d.to_string(), stamp(&stage.join(d))?)))
            .collect()
    });
    Record {
        token,
        // The published output becomes the stage of the next build.
        partner: Record::read_token(live).unwrap_or(0),
        stamps: stamps.unwrap_or_default(),
    }
    .write(stage, utf8)?;
    Ok(listed)
}

/// The published file, if it already holds `f`'s bytes. A symbolic link
/// where docent writes is refused: docent never writes through one.
fn holds(live: &Path, f: &OutputFile) -> io::Result<Option<fs::Metadata>> {
    let dest = live.join(&f.path);
    let Ok(meta) = fs::symlink_metadata(&dest) else {
        return Ok(None);
    };
    if meta.file_type().is_symlink() {
        return Err(super::link_refused(&dest));
    }
    let same = match &f.content {
        // The rebuild cache found it there with the length it was written with.
        Content::Keep => meta.is_file(),
        Content::Unchanged(len) => {
            if meta.is_file() && meta.len() == *len {
                true
            } else {
                return Err(io::Error::other(format!(
                    "{} changed during the build; run the build again",
                    dest.display()
                )));
            }
        }
        Content::Written(_) => false,
        Content::Copy(src) => {
            meta.is_file()
                && Some(meta.len()) == fs::metadata(src).ok().map(|s| s.len())
                && fs::read(&dest)? == fs::read(src)?
        }
        c => meta.is_file() && same_bytes(&dest, &bytes_of(c)?)?,
    };
    Ok(same.then_some(meta))
}

/// The bytes to write for `c`.
fn bytes_of(c: &Content) -> io::Result<Cow<'_, [u8]>> {
    match c {
        Content::Copy(src) => fs::read(src).map(Cow::Owned),
        c => c.bytes().ok_or_else(|| {
            io::Error::other("an output file changed during the build; run the build again")
        }),
    }
}

/// A file of the next output may take a path only if nothing someone put
/// in the output by hand is there (or on the way to it as a file or link).
fn check_room(live: &Path, rel: &str, lm: &HashSet<String>) -> io::Result<()> {
    let not_ours = |p: &Path| {
        io::Error::other(format!(
            "{} is in the way and was not written by docent; move it, or rename the page or file \
             that needs this path",
            p.display()
        ))
    };
    let mut prefix = String::new();
    for (i, part) in rel.split('/').enumerate() {
        if i > 0 {
            prefix.push('/');
        }
        prefix.push_str(part);
        let p = live.join(&prefix);
        let Ok(m) = fs::symlink_metadata(&p) else {
            return Ok(()); // nothing there, nor below
        };
        if m.file_type().is_symlink() {
            return Err(super::link_refused(&p));
        }
        let last = prefix.len() == rel.len();
        if m.is_dir() && last {
            // Only the last build's files may be in a folder in its place.
            for e in walkdir::WalkDir::new(&p) {
                let e = e.map_err(io::Error::other)?;
                let inner = e.path().strip_prefix(live).unwrap_or(e.path());
                if !e.file_type().is_dir() && !inner.to_str().is_some_and(|s| lm.contains(s)) {
                    return Err(not_ours(e.path()));
                }
            }
        } else if !m.is_dir() && !lm.contains(&prefix) {
            return Err(not_ours(&p));
        }
    }
    Ok(())
}

/// Every folder the output files need (`a/b/c.html` needs `a` and `a/b`).
fn folders_of<'a>(files: &HashSet<&'a str>) -> HashSet<&'a str> {
    let mut out = HashSet::new();
    for f in files {
        let mut rest = *f;
        while let Some(i) = rest.rfind('/') {
            rest = &rest[..i];
            if !out.insert(rest) {
                break;
            }
        }
    }
    out
}

/// Make the stage hold what someone put in the published output by hand,
/// listing only folders that changed since the record (all without one).
/// Returns the hand-made folders seen, and how many folders were listed.
fn mirror_hand_made(
    live: &Path,
    stage: &Path,
    lm: &HashSet<String>,
    fs_set: &HashSet<&str>,
    need: &HashSet<&str>,
    record: Option<&Record>,
) -> io::Result<(Vec<PathBuf>, usize)> {
    let recorded =
        |rel: &Path| record.is_some_and(|r| rel.to_str().is_some_and(|k| r.stamps.contains_key(k)));
    let mut todo: Vec<PathBuf> = vec![PathBuf::new()];
    if let Some(r) = record {
        todo.extend(
            r.stamps
                .par_iter()
                .filter(|(d, s)| stamp(&live.join(d)).is_some_and(|now| now != **s))
                .map(|(d, _)| PathBuf::from(d))
                .collect::<Vec<_>>(),
        );
    }
    let mut hand_made = Vec::new();
    let mut listed = 0;
    while let Some(dir) = todo.pop() {
        let top = dir.as_os_str().is_empty();
        if !top {
            // A folder reached through a link is the link's business: the
            // link itself is mirrored (or refused) where it stands.
            if !no_link_above(live, &dir.join("x")) || !no_link_above(stage, &dir) {
                continue;
            }
            // In the stage, anything but a folder in its place goes.
            let here = stage.join(&dir);
            if fs::symlink_metadata(&here).is_ok_and(|m| !m.is_dir()) {
                fs::remove_file(&here)?;
            }
        }
        let mut names = HashSet::new();
        listed += 1;
        for e in fs::read_dir(live.join(&dir))? {
            let e = e?;
            let name = e.file_name();
            let rel = dir.join(&name);
            names.insert(name.clone());
            if top && name.to_str().is_some_and(is_bookkeeping) {
                continue;
            }
            // A name that is not UTF-8 is never docent's.
            let key = rel.to_str().unwrap_or("\0");
            if fs_set.contains(key) {
                continue; // checked as an output file
            }
            let needed = need.contains(key);
            let ty = e.file_type()?;
            if ty.is_symlink() && needed {
                return Err(super::link_refused(&live.join(&rel)));
            }
            if ty.is_dir() {
                if !needed {
                    hand_made.push(rel.clone());
                    let empty = fs::read_dir(e.path())?.next().is_none();
                    if empty {
                        make_parents(stage, &rel.join("x"))?;
                    }
                }
                if !recorded(&rel) {
                    todo.push(rel);
                }
            } else if lm.contains(key) {
                // The last build's file: dropped or replaced.
            } else if needed {
                return Err(io::Error::other(format!(
                    "{} is in the way and was not written by docent; move it, or rename the \
                     page or file that needs {} as a folder",
                    live.join(&rel).display(),
                    rel.display()
                )));
            } else {
                link(live, stage, &rel)?;
            }
        }
        // What the stage has here that the output no longer does.
        let Ok(entries) = fs::read_dir(stage.join(&dir)) else {
            continue;
        };
        for e in entries {
            let e = e?;
            let name = e.file_name();
            if names.contains(&name) || (top && name.to_str().is_some_and(is_bookkeeping)) {
                continue;
            }
            let rel = dir.join(&name);
            let ty = e.file_type()?;
            if !ty.is_symlink()
                && rel
                    .to_str()
                    .is_some_and(|k| fs_set.contains(k) || need.contains(k))
            {
                continue;
            }
            if ty.is_dir() {
                fs::remove_dir_all(e.path())?;
            } else {
                fs::remove_file(e.path())?;
            }
        }
    }
    Ok((hand_made, listed))
}

/// Remove a file of an earlier build from the stage (and folders it
/// leaves empty).
fn remove_stale(stage: &Path, rel: &str) {
    let p = stage.join(rel);
    if no_link_above(stage, Path::new(rel))
        && fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir())
        && fs::remove_file(&p).is_ok()
    {
        super::remove_empty_parents(stage, &p);
    }
}

/// Make `stage/rel` the same file as `live/rel` (a hard link; a copy where
/// the file system has none).
fn link(live: &Path, stage: &Path, rel: &Path) -> io::Result<()> {
    link_as(live, stage, rel, &fs::symlink_metadata(live.join(rel))?)
}

/// [`link`], given the published file's metadata.
fn link_as(live: &Path, stage: &Path, rel: &Path, sm: &fs::Metadata) -> io::Result<()> {
    let src = live.join(rel);
    let dst = stage.join(rel);
    if fs::symlink_metadata(&dst).is_ok_and(|dm| dm.dev() == sm.dev() && dm.ino() == sm.ino()) {
        return Ok(());
    }
    make_parents(stage, rel)?;
    match fs::symlink_metadata(&dst) {
        Ok(dm) if dm.is_dir() => fs::remove_dir_all(&dst)?,
        Ok(_) => fs::remove_file(&dst)?,
        Err(_) => {}
    }
    match fs::hard_link(&src, &dst) {
        Ok(()) => Ok(()),
        Err(_) if sm.is_file() => fs::copy(&src, &dst).map(|_| ()),
        Err(_) if sm.file_type().is_symlink() => {
            std::os::unix::fs::symlink(fs::read_link(&src)?, &dst)
        }
        Err(e) => Err(e),
    }
}

/// Write `bytes` as a new file at `stage/rel` (whatever was there is
/// removed first: it may be a link shared with the published output).
fn write_new(stage: &Path, rel: &Path, bytes: &[u8]) -> io::Result<()> {
    let dst = stage.join(rel);
    make_parents(stage, rel)?;
    match fs::symlink_metadata(&dst) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(&dst)?,
        Ok(_) => fs::remove_file(&dst)?,
        Err(_) => {}
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&dst)?;
    f.write_all(bytes)
}

/// Create the folders on the way to `stage/rel`, replacing anything else in
/// their place (a file of an earlier build, a link mirrored from the
/// output): nothing is ever written through a link.
fn make_parents(stage: &Path, rel: &Path) -> io::Result<()> {
    let Some(parent) = rel.parent() else {
        return Ok(());
    };
    let mut p = stage.to_path_buf();
    for c in parent.components() {
        p.push(c);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => fs::remove_file(&p)?,
            Err(_) => {}
        }
        match fs::create_dir(&p) {
            // Files are written in parallel: another may have made it.
            Err(e)
                if e.kind() == io::ErrorKind::AlreadyExists && p.symlink_metadata()?.is_dir() => {}
            other => other?,
        }
    }
    Ok(())
}

/// Whether nothing on the way to `root/rel` is a link or a file (folders
/// that do not exist yet are fine).
fn no_link_above(root: &Path, rel: &Path) -> bool {
    let mut p = root.to_path_buf();
    for c in rel.parent().into_iter().flat_map(Path::components) {
        p.push(c);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return false,
            Err(_) => return true,
        }
    }
    true
}

/// Write the manifest: the sorted, distinct `paths`, one per line (through
/// a temporary file, so it is never seen half-written).
fn write_list<'a>(dir: &Path, paths: impl Iterator<Item = &'a str>) -> io::Result<()> {
    let mut list: Vec<&str> = paths.collect();
    list.sort_unstable();
    list.dedup();
    let mut text = list.join("\n");
    text.push('\n');
    write_atomic(dir, MANIFEST, text.as_bytes())
}

fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let tmp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, dir.join(name))
}

fn stamp(p: &Path) -> Option<Stamp> {
    let m = fs::symlink_metadata(p).ok().filter(|m| m.is_dir())?;
    Some([
        m.ino() as i64,
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
    ])
}

/// A unique name for one published output.
fn record_token() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let seed = format!("{nanos} {} {:p}", std::process::id(), &nanos);
    xxhash_rust::xxh3::xxh3_64(seed.as_bytes()).max(1)
}

/// The folder stamps of one published output ([`DIRS`]): its own token,
/// the token of the output it was published beside (which became the
/// stage), and each folder's stamp.
struct Record {
    token: u64,
    partner: u64,
    stamps: HashMap<String, Stamp>,
}

impl Record {
    const MAGIC: &'static str = "docent-dirs 1";

    fn read(dir: &Path) -> Option<Record> {
        let text = fs::read_to_string(dir.join(DIRS)).ok()?;
        let mut lines = text.lines();
        let (token, partner, complete) = Self::header(lines.next()?)?;
        if !complete {
            return None;
        }
        let mut stamps = HashMap::new();
        for line in lines {
            let (nums, path) = line.split_once('\t')?;
            let mut s = [0i64; 5];
            let mut it = nums.split(' ');
            for v in &mut s {
                *v = it.next()?.parse().ok()?;
            }
            stamps.insert(path.to_string(), s);
        }
        Some(Record {
            token,
            partner,
            stamps,
        })
    }

    /// Only the token of the record in `dir`.
    fn read_token(dir: &Path) -> Option<u64> {
        let text = fs::read_to_string(dir.join(DIRS)).ok()?;
        Self::header(text.lines().next()?).map(|(t, _, _)| t)
    }

    fn header(line: &str) -> Option<(u64, u64, bool)> {
        let rest = line.strip_prefix(Self::MAGIC)?;
        let mut it = rest.split_whitespace();
        let token = it.next()?.parse().ok()?;
        let partner = it.next()?.parse().ok()?;
        let complete = it.next() == Some("complete");
        Some((token, partner, complete))
    }

    /// `complete: false` records only the token (a folder name was not
    /// UTF-8): the next build lists every folder.
    fn write(&self, dir: &Path, complete: bool) -> io::Result<()> {
        let mut text = format!(
            "{} {} {} {}\n",
            Self::MAGIC,
            self.token,
            self.partner,
            if complete { "complete" } else { "partial" }
        );
        if complete {
            let mut rows: Vec<_> = self.stamps.iter().collect();
            rows.sort_unstable();
            for (path, s) in rows {
                text.push_str(&format!(
                    "{} {} {} {} {}\t{path}\n",
                    s[0], s[1], s[2], s[3], s[4]
                ));
            }
        }
        write_atomic(dir, DIRS, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Publisher;
    use super::*;

    fn publish(out: &Path, files: &[(&str, &str)]) -> WriteReport {
        let files: Vec<OutputFile> = files
            .iter()
            .map(|(p, s)| OutputFile {
                path: p.to_string(),
                content: Content::Bytes(s.as_bytes().to_vec()),
            })
            .collect();
        Publisher::open(out)
            .unwrap()
            .publish(&files, &|_| {})
            .unwrap()
    }

    fn inode(p: &Path) -> (u64, i64, i64) {
        let m = fs::symlink_metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        (m.ino(), m.mtime(), m.mtime_nsec())
    }

    fn read(p: &Path) -> String {
        fs::read_to_string(p).unwrap()
    }

    #[test]
    fn the_output_is_swapped_whole_and_unchanged_files_keep_their_inode() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stage = dir.path().join(".public.docent-stage");
        publish(&out, &[("index.html", "home"), ("a/index.html", "a1")]);
        assert!(!stage.exists(), "a fresh output is renamed into place");
        let home = inode(&out.join("index.html"));
        let folder = inode(&out);
        let r = publish(&out, &[("index.html", "home"), ("a/index.html", "a2")]);
        assert_eq!((r.written, r.unchanged, r.removed), (1, 1, 0));
        assert_ne!(inode(&out), folder, "the folder was swapped, not edited");
        assert_eq!(inode(&out.join("index.html")), home);
        assert_eq!(read(&out.join("a/index.html")), "a2");
        // The previous output is the stage now, unchanged.
        assert_eq!(read(&stage.join("a/index.html")), "a1");
        assert_eq!(inode(&stage), folder);
        // Nothing changed: nothing is touched, not even the stage.
        let before = (inode(&out), inode(&stage), inode(&out.join("a/index.html")));
        let r = publish(&out, &[("index.html", "home"), ("a/index.html", "a2")]);
        assert_eq!((r.written, r.unchanged), (0, 2));
        let after = (inode(&out), inode(&stage), inode(&out.join("a/index.html")));
        assert_eq!(before, after);
        // Removed pages go, folders they leave empty too.
        let r = publish(&out, &[("index.html", "home")]);
        assert_eq!(r.removed, 1);
        assert!(!out.join("a").exists());
        assert_eq!(inode(&out.join("index.html")), home);
    }

    #[test]
    fn only_folders_that_changed_are_listed_once_the_stage_pairs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let pages: Vec<String> = (0..10).map(|i| format!("s/p{i}/index.html")).collect();
        let build = |home: &str| {
            let mut files: Vec<(&str, &str)> = pages.iter().map(|p| (p.as_str(), "p")).collect();
            files.push(("index.html", home));
            publish(&out, &files)
        };
        build("1");
        // The first rebuild fills the stage: every folder is listed.
        assert_eq!(build("2").folders_listed, 12);
        // From then on only the top folder and folders that changed.
        assert_eq!(build("3").folders_listed, 1);
        fs::write(out.join("s/p3/mine.txt"), "mine").unwrap();
        assert_eq!(build("4").folders_listed, 2);
        assert_eq!(build("5").folders_listed, 1);
        assert_eq!(read(&out.join("s/p3/mine.txt")), "mine");
    }

    #[test]
    fn hand_made_files_anywhere_survive_and_deleted_ones_stay_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut n = 0;
        let mut build = |out: &Path| {
            // The home page changes every time, so every build publishes.
            n += 1;
            let home = format!("home {n}");
            publish(
                out,
                &[
                    ("index.html", home.as_str()),
                    ("s/a/index.html", "a"),
                    ("s/b/index.html", "b"),
                ],
            );
        };
        build(&out);
        build(&out);
        build(&out);
        fs::write(out.join("s/a/notes.txt"), "in a page folder").unwrap();
        fs::create_dir_all(out.join("extra/deep")).unwrap();
        fs::write(out.join("extra/deep/x.txt"), "deep").unwrap();
        fs::create_dir(out.join("empty")).unwrap();
        fs::write(out.join("CNAME"), "example.org").unwrap();
        std::os::unix::fs::symlink("elsewhere", out.join("lnk")).unwrap();
        let kept = ["s/a/notes.txt", "extra/deep/x.txt", "CNAME", "lnk"];
        let inodes: Vec<_> = kept.iter().map(|p| inode(&out.join(p))).collect();
        for _ in 0..3 {
            build(&out);
            for (p, i) in kept.iter().zip(&inodes) {
                assert_eq!(&inode(&out.join(p)), i, "{p}");
            }
            assert!(out.join("empty").is_dir(), "an empty folder made by hand");
        }
        // A file added later inside a hand-made folder already recorded.
        fs::write(out.join("extra/deep/y.txt"), "later").unwrap();
        fs::remove_file(out.join("s/a/notes.txt")).unwrap();
        fs::remove_dir_all(out.join("empty")).unwrap();
        for _ in 0..3 {
            build(&out);
            assert_eq!(read(&out.join("extra/deep/y.txt")), "later");
            assert!(!out.join("s/a/notes.txt").exists());
            assert!(!out.join("empty").exists());
            assert_eq!(read(&out.join("s/a/index.html")), "a");
        }
    }

    #[test]
    fn a_lost_or_replaced_stage_costs_a_full_listing_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stage = dir.path().join(".public.docent-stage");
        for n in 0..3 {
            publish(
                &out,
                &[("index.html", &n.to_string()), ("a/index.html", "a")],
            );
        }
        fs::write(out.join("a/mine.txt"), "mine").unwrap();
        fs::remove_dir_all(&stage).unwrap();
        publish(&out, &[("index.html", "3"), ("a/index.html", "a")]);
        assert_eq!(read(&out.join("a/mine.txt")), "mine");
        // A stage that was prepared but never swapped in (killed) does not
        // pair with the published output's record either.
        fs::write(out.join("a/mine2.txt"), "mine").unwrap();
        fs::write(stage.join(DIRS), "docent-dirs 1 5 6 complete\n").unwrap();
        publish(&out, &[("index.html", "4"), ("a/index.html", "a")]);
        assert_eq!(read(&out.join("a/mine2.txt")), "mine");
    }

    #[test]
    fn what_a_killed_build_left_in_the_stage_is_never_published() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stage = dir.path().join(".public.docent-stage");
        publish(&out, &[("index.html", "1")]);
        publish(&out, &[("index.html", "2")]);
        // A build that widened the stage's manifest, wrote a page that the
        // next build no longer has, and was killed.
        write_list(&stage, ["index.html", "ghost/index.html"].into_iter()).unwrap();
        fs::create_dir(stage.join("ghost")).unwrap();
        fs::write(stage.join("ghost/index.html"), "half").unwrap();
        fs::write(stage.join("index.html"), "ha").unwrap();
        publish(&out, &[("index.html", "3")]);
        assert!(!out.join("ghost").exists());
        assert_eq!(read(&out.join("index.html")), "3");
    }

    #[test]
    fn a_link_left_in_the_stage_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stage = dir.path().join(".public.docent-stage");
        publish(&out, &[("index.html", "1")]);
        publish(&out, &[("index.html", "2")]);
        std::os::unix::fs::symlink(outside.path(), stage.join("x")).unwrap();
        publish(&out, &[("index.html", "3"), ("x/index.html", "x")]);
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
        assert!(fs::symlink_metadata(out.join("x")).unwrap().is_dir());
        assert_eq!(read(&out.join("x/index.html")), "x");
        // Where the output has a folder made by hand.
        fs::create_dir(out.join("h")).unwrap();
        fs::write(out.join("h/mine.txt"), "mine").unwrap();
        publish(&out, &[("index.html", "4"), ("x/index.html", "x")]);
        fs::remove_dir_all(stage.join("h")).unwrap();
        std::os::unix::fs::symlink(outside.path(), stage.join("h")).unwrap();
        fs::write(out.join("h/mine2.txt"), "mine").unwrap();
        publish(&out, &[("index.html", "5"), ("x/index.html", "x")]);
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
        assert!(fs::symlink_metadata(out.join("h")).unwrap().is_dir());
        assert_eq!(read(&out.join("h/mine2.txt")), "mine");
        assert_eq!(read(&out.join("h/mine.txt")), "mine");
    }

    #[test]
    fn an_output_that_is_a_link_is_updated_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        let out = dir.path().join("public");
        std::os::unix::fs::symlink(&real, &out).unwrap();
        publish(&out, &[("index.html", "1")]);
        publish(&out, &[("index.html", "2")]);
        assert!(fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
        assert_eq!(read(&real.join("index.html")), "2");
        assert!(!dir.path().join(".public.docent-stage").exists());
    }

    #[test]
    fn an_interrupted_three_rename_swap_is_undone_or_finished() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stage = dir.path().join(".public.docent-stage");
        let old = dir.path().join(".public.docent-old");
        publish(&out, &[("index.html", "1")]);
        publish(&out, &[("index.html", "2")]);
        // Killed after the output was moved aside: the old one comes back.
        fs::rename(&out, &old).unwrap();
        publish(&out, &[("index.html", "3")]);
        assert_eq!(read(&out.join("index.html")), "3");
        assert!(!old.exists());
        // Killed after the new one was in place: the old one is the stage.
        fs::rename(&stage, &old).unwrap();
        publish(&out, &[("index.html", "4")]);
        assert_eq!(read(&out.join("index.html")), "4");
        assert!(!old.exists() && stage.exists());
    }
}
