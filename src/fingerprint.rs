//! Fingerprints of inputs, the one place that says when two of them are
//! the same: content hashes of source text, file stamps (what identifies a
//! file's contents without reading it) and the identity of the docent
//! executable. The rebuild cache, the sources file and `docent serve`
//! compare these; nothing here reads a site.

use std::fs::Metadata;
use std::hash::{Hash, Hasher};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

pub(crate) fn hasher() -> xxhash_rust::xxh3::Xxh3 {
    xxhash_rust::xxh3::Xxh3::new()
}

/// Content hash of a source file's text.
pub(crate) fn hash_text(text: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// The docent executable: a rebuilt or upgraded one may load and render
/// differently under the same version number (development builds).
pub(crate) fn exe_id() -> String {
    let mut h = hasher();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    if let Some(meta) = std::env::current_exe().ok().and_then(|e| e.metadata().ok()) {
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// Files modified less than this long before they were read get no stamp.
pub const RACY_SECS: u64 = 2;

/// Size, inode, mtime and ctime (seconds, nanoseconds) of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp([i64; 6]);

impl Stamp {
    /// The stamp of a file with this metadata, read at `now`; `None` where
    /// the platform has no inode or change time, or the file changed too
    /// recently to be trusted later.
    pub fn of(meta: &Metadata, now: SystemTime) -> Option<Stamp> {
        let stamp = Self::from_metadata(meta)?;
        let modified = meta.modified().ok()?;
        let settled = now.checked_sub(Duration::from_secs(RACY_SECS))?;
        // ctime (a rename or chmod) counts as a change too.
        let [_, _, _, _, c_s, c_ns] = stamp.0;
        let changed = SystemTime::UNIX_EPOCH
            .checked_add(Duration::new(u64::try_from(c_s).ok()?, c_ns as u32))?;
        (modified < settled && changed < settled).then_some(stamp)
    }

    /// The stamp of a file with this metadata, however recent.
    #[cfg(unix)]
    pub fn from_metadata(meta: &Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        Some(Stamp([
            meta.size() as i64,
            meta.ino() as i64,
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
        ]))
    }

    #[cfg(not(unix))]
    pub fn from_metadata(_: &Metadata) -> Option<Stamp> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_get_no_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        std::fs::write(&path, "---\ntitle: T\n---\nBody\n").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        // Just written: too recent to be trusted.
        assert_eq!(Stamp::of(&meta, SystemTime::now()), None);
        // Read a minute later, it would be.
        let later = SystemTime::now() + Duration::from_secs(60);
        let stamp = Stamp::of(&meta, later).expect("settled file has a stamp");
        assert_eq!(Some(stamp), Stamp::from_metadata(&meta));
        // Any rewrite changes it, even to the same size.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, "---\ntitle: U\n---\nBody\n").unwrap();
        let again = std::fs::metadata(&path).unwrap();
        assert_ne!(Stamp::from_metadata(&again), Some(stamp));
    }
}
