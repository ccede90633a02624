//! Where the page stage puts each page as it renders: the three ways a
//! build's output is made, one type each. `Memory` keeps it (`check`,
//! `serve`, and builds with nothing to compare); `Stream` writes it at
//! once into a fresh, empty output folder (memory stays flat, writing
//! overlaps rendering); `Compare` compares it with the file in the output
//! folder a build updates and holds only a changed page, compressed. Each
//! answers with what the list of output files records for the page.

use std::path::Path;

use super::{Content, same_as_existing, write_fresh};
use crate::error::Result;

/// Takes each rendered page (called from the parallel page stage).
pub(crate) trait PageSink: Sync {
    /// Take the HTML of the page at output path `path`.
    fn take(&self, path: &str, html: String) -> Result<Content>;
    /// Whether the output folder starts empty (a build that still gets a
    /// rebuild cache for next time, with nothing to reuse now).
    fn is_fresh(&self) -> bool {
        false
    }
}

/// Pages kept in memory.
pub(crate) struct Memory;

impl PageSink for Memory {
    fn take(&self, _path: &str, html: String) -> Result<Content> {
        Ok(Content::Bytes(html.into_bytes()))
    }
}

/// Pages written into a fresh, empty output folder as they render.
pub(crate) struct Stream<'a>(pub &'a Path);

impl PageSink for Stream<'_> {
    fn take(&self, path: &str, html: String) -> Result<Content> {
        write_fresh(self.0, path, html.as_bytes()).map(Content::Written)
    }

    fn is_fresh(&self) -> bool {
        true
    }
}

/// Pages compared with the output folder a build updates.
pub(crate) struct Compare<'a>(pub &'a Path);

impl PageSink for Compare<'_> {
    fn take(&self, path: &str, html: String) -> Result<Content> {
        Ok(if same_as_existing(self.0, path, html.as_bytes()) {
            Content::Unchanged(html.len() as u64)
        } else {
            Content::compress(html.as_bytes())
        })
    }
}
