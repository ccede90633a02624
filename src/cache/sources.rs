//! The sources file: the loaded front matter of every page of a build,
//! under its file's stamp (size, inode, modification and change times), so
//! a rebuild loads an unchanged page from here instead of reading and
//! parsing the file again.
//!
//! A stamp is only recorded for a file last modified more than
//! [`RACY_SECS`](crate::fingerprint::RACY_SECS) before it was read: a file written again within the same
//! clock tick as an earlier read could keep size and times, so such files
//! are always read (the rule git uses for its index).
//!
//! They live in the output folder's [`FILE`], written after a successful
//! build, beside the rebuild cache: a header naming the docent executable
//! that wrote it, then lz4 blocks of JSON lines (one page each), so both
//! writing and reading run in parallel and never hold all the JSON at once.
//! A rebuild that read no page file does not rewrite it.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::fingerprint::Stamp;
use crate::load::stamp::{Loaded, Sources};
use crate::site::{FrontMatter, Page};

/// The sources file in the output folder.
pub(crate) const FILE: &str = crate::write::SOURCES_FILE;

const MAGIC: &[u8] = b"docent-sources 1\n";

/// Pages per compressed block.
const BLOCK: usize = 1024;

/// A page as [`Loaded`], borrowed, for writing.
#[derive(Serialize)]
struct LoadedRef<'a> {
    stamp: Stamp,
    hash: &'a str,
    front: &'a str,
    yaml_start: usize,
    body_start: usize,
    meta: &'a FrontMatter,
    myst: &'a Option<Box<crate::myst::Scan>>,
}

/// The sources file of an output folder, if this docent executable wrote
/// it; anything unreadable means none (every page file is read).
pub(crate) fn read(out_dir: &Path) -> Option<Sources> {
    let bytes = std::fs::read(out_dir.join(FILE)).ok()?;
    let rest = bytes.strip_prefix(MAGIC)?;
    let exe = crate::fingerprint::exe_id();
    let mut rest = rest.strip_prefix(exe.as_bytes())?.strip_prefix(b"\n")?;
    let mut blocks = Vec::new();
    while !rest.is_empty() {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let (block, tail) = tail.split_at_checked(u32::from_le_bytes(*len) as usize)?;
        blocks.push(block);
        rest = tail;
    }
    let parts: Option<Vec<Vec<(String, Loaded)>>> = blocks
        .par_iter()
        .map(|block| {
            let json = lz4_flex::decompress_size_prepended(block).ok()?;
            json.split(|&b| b == b'\n')
                .filter(|line| !line.is_empty())
                .map(|line| serde_json::from_slice(line).ok())
                .collect()
        })
        .collect();
    Some(parts?.into_iter().flatten().collect())
}

/// The pages of a build as the sources file would record them, kept in
/// memory (`docent serve` hands them to its next rebuild).
pub(crate) fn of_pages(pages: &[Page]) -> Sources {
    pages
        .iter()
        .filter(|p| p.body_path.is_some())
        .filter_map(|p| {
            Some((
                p.rel_path.clone(),
                Loaded {
                    stamp: p.stamp?,
                    hash: p.hash.clone(),
                    front: p.text.clone(),
                    yaml_start: p.front_matter_offset,
                    body_start: p.body_offset,
                    meta: p.meta.clone(),
                    myst: p.myst.clone(),
                },
            ))
        })
        .collect()
}

/// Write the sources file for the pages of a build, unless it would record
/// exactly what `prior` (the file as this build read it) does.
pub(crate) fn save(out_dir: &Path, pages: &[Page], prior: Option<&Sources>) -> std::io::Result<()> {
    let stamped: Vec<(&Page, Stamp)> = pages
        .iter()
        .filter(|p| p.body_path.is_some())
        .filter_map(|p| Some((p, p.stamp?)))
        .collect();
    let unchanged = prior.is_some_and(|prior| {
        prior.len() == stamped.len()
            && stamped.iter().all(|(p, stamp)| {
                prior
                    .get(&p.rel_path)
                    .is_some_and(|l| l.stamp == *stamp && l.hash == p.hash)
            })
    });
    if unchanged {
        return Ok(());
    }
    let blocks = stamped
        .par_chunks(BLOCK)
        .map(|chunk| {
            let mut json = Vec::new();
            for &(p, stamp) in chunk {
                let entry = LoadedRef {
                    stamp,
                    hash: &p.hash,
                    front: &p.text,
                    yaml_start: p.front_matter_offset,
                    body_start: p.body_offset,
                    meta: &p.meta,
                    myst: &p.myst,
                };
                serde_json::to_writer(&mut json, &(&p.rel_path, entry))?;
                json.push(b'\n');
            }
            Ok(lz4_flex::compress_prepend_size(&json))
        })
        .collect::<serde_json::Result<Vec<Vec<u8>>>>()?;
    let exe = crate::fingerprint::exe_id();
    let mut out = Vec::with_capacity(
        MAGIC.len() + exe.len() + 1 + blocks.iter().map(|b| b.len() + 4).sum::<usize>(),
    );
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(exe.as_bytes());
    out.push(b'\n');
    for block in blocks {
        let len = u32::try_from(block.len()).map_err(std::io::Error::other)?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&block);
    }
    std::fs::write(out_dir.join(FILE), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_file_round_trip_and_no_op_skip() {
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(site.path().join("site.yaml"), "title: T\n").unwrap();
        std::fs::write(
            content.join("a.md"),
            "---\ntitle: A\ntags: [x]\nextra: {n: 1}\n---\n\nBody of A.\n",
        )
        .unwrap();
        let opts = crate::load::LoadOptions {
            lean: true,
            ..Default::default()
        };
        let loaded = crate::load::load(site.path(), &opts).unwrap();
        let a = loaded.pages.iter().find(|p| p.rel_path == "a.md").unwrap();
        let meta = std::fs::metadata(content.join("a.md")).unwrap();
        // More pages than one block holds, so several blocks are written.
        let mut pages = Vec::new();
        for i in 0..BLOCK * 2 + 3 {
            let mut p = a.clone();
            p.rel_path = format!("p{i}.md");
            p.stamp = Stamp::from_metadata(&meta);
            pages.push(p);
        }
        let out = tempfile::tempdir().unwrap();
        save(out.path(), &pages, None).unwrap();
        let back = read(out.path()).expect("readable");
        assert_eq!(back.len(), pages.len());
        for p in &pages {
            let l = &back[&p.rel_path];
            assert_eq!(Some(l.stamp), p.stamp);
            assert_eq!(
                (l.hash.as_str(), l.front.as_str()),
                (p.hash.as_str(), p.text.as_str())
            );
            assert_eq!(
                (l.yaml_start, l.body_start),
                (p.front_matter_offset, p.body_offset)
            );
            assert_eq!(format!("{:?}", l.meta), format!("{:?}", p.meta));
        }
        // Nothing changed since it was read: not written again.
        std::fs::remove_file(out.path().join(FILE)).unwrap();
        save(out.path(), &pages, Some(&back)).unwrap();
        assert!(!out.path().join(FILE).exists());
        // One page changed: written.
        pages[5].hash = "different".into();
        save(out.path(), &pages, Some(&back)).unwrap();
        assert_eq!(read(out.path()).unwrap()["p5.md"].hash, "different");
        // A damaged file is no file.
        let mut bytes = std::fs::read(out.path().join(FILE)).unwrap();
        bytes.truncate(bytes.len() - 7);
        std::fs::write(out.path().join(FILE), bytes).unwrap();
        assert!(read(out.path()).is_none());
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
