//! Source stamps: what identifies a source file's contents without reading
//! it (size, inode, modification and change times), and the loaded front
//! matter the rebuild cache keeps under it, so a rebuild loads an unchanged
//! page from the cache instead of reading and parsing the file again.
//!
//! A stamp is only recorded for a file last modified more than
//! [`RACY_SECS`] before it was read: a file written again within the same
//! clock tick as an earlier read could keep size and times, so such files
//! are always read (the rule git uses for its index).

use std::fs::Metadata;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::site::FrontMatter;

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

/// A page's loaded front matter, as the rebuild cache keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Loaded {
    pub stamp: Stamp,
    /// Hash of the whole file text.
    pub hash: String,
    /// The file text up to the body: what a lean load keeps.
    pub front: String,
    /// Byte offsets of the YAML and of the body in the file text.
    pub yaml_start: usize,
    pub body_start: usize,
    pub meta: FrontMatter,
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

    #[test]
    fn front_matter_survives_the_cache_round_trip() {
        let yaml = "title: A page\ndescription: What it is\ndate: 2024-01-02\ntags: [a, b]\n\
                    weight: 3\ndraft: false\ntoc: false\ntakeaways: [One, Two]\n\
                    reviewed_by: {name: Dr A, credentials: MD}\naudience: patient\n\
                    extra: {n: 1, list: [x, {y: true}]}\n";
        let origin = crate::yaml::Origin {
            path: std::path::Path::new("content/a.md"),
            file_text: yaml,
            line_offset: 1,
        };
        let meta: FrontMatter = crate::yaml::parse(yaml, origin).unwrap();
        let json = serde_json::to_string(&meta).unwrap();
        let back: FrontMatter = serde_json::from_str(&json).unwrap();
        assert_eq!(format!("{meta:?}"), format!("{back:?}"));
        assert!(!json.contains("null"), "absent fields are left out: {json}");
        let empty: FrontMatter =
            serde_json::from_str(&serde_json::to_string(&FrontMatter::default()).unwrap()).unwrap();
        assert_eq!(
            format!("{empty:?}"),
            format!("{:?}", FrontMatter::default())
        );
    }
}
